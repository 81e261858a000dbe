"""Who an event concerns: a view skips its redraw only for events it cannot see."""

from __future__ import annotations

from engine_support import engine_pack, minutes

from exercise.engine import Event, Session, SessionSetup
from exercise.engine.audience import concerns


def written(session: Session, before: int) -> list[Event]:
    return [e for e in session.state.events if e.seq > before]


def test_each_event_reaches_exactly_who_can_see_it():
    s = Session.memory(
        engine_pack(), SessionSetup(players={"usa": "A", "rok": "B", "dprk": "C"}), now=minutes(0)
    )
    s.hold_inject("intel-rok", now=minutes(0))
    state = s.state

    def who(before: int) -> set[str]:
        events = written(s, before)
        return {
            v for v in ("control", "public", "usa", "rok", "dprk") if concerns(state, events, v)
        }

    everyone = {"control", "public", "usa", "rok", "dprk"}
    mark = state.last_seq
    s.start(now=minutes(1))  # the turn starts and the public launch is released
    assert who(mark) == everyone
    mark = state.last_seq
    s.release_inject("intel-rok", now=minutes(2))  # private to rok
    assert who(mark) == {"control", "rok"}
    mark = state.last_seq
    s.adhoc_inject(
        "statement", "For the US", "Only Washington reads this.", ["usa"], now=minutes(3)
    )
    assert who(mark) == {"control", "usa"}
    mark = state.last_seq
    s.hold_inject("offer", now=minutes(4))  # control's business only
    assert who(mark) == {"control"}
    s.advance_phase(now=minutes(5))
    s.advance_phase(now=minutes(6))  # moves
    mark = state.last_seq
    secret = s.record_move("dprk", "statement", "A quiet step.", secret=True, now=minutes(7))
    assert who(mark) == {"control", "dprk"}
    mark = state.last_seq
    public = s.record_move("usa", "statement", "We stand with our allies.", now=minutes(8))
    assert who(mark) == everyone
    s.advance_phase(now=minutes(9))  # adjudication
    mark = state.last_seq
    s.rule(secret, "accepted", "It works.", now=minutes(10))
    assert who(mark) == {"control", "dprk"}
    mark = state.last_seq
    s.rule(public, "accepted", "Welcomed.", now=minutes(11))
    assert who(mark) == everyone
    mark = state.last_seq
    s.add_observation("Slow to answer", now=minutes(12))
    assert who(mark) == {"control"}


def test_an_event_type_it_does_not_know_reaches_everyone():
    s = Session.memory(engine_pack(), SessionSetup(players={"usa": "A"}), now=minutes(0))
    new_kind = Event(99, minutes(1), "control", "something_new", {"inject": "intel-rok"})
    assert concerns(s.state, [new_kind], "usa") and concerns(s.state, [new_kind], "public")


def test_observers_read_each_others_notes_only_once_the_exercise_has_ended():
    s = Session.memory(
        engine_pack(),
        SessionSetup(players={"usa": "A"}, observers={"Dana": "", "Lee": ""}),
        now=minutes(0),
    )
    s.start(now=minutes(1))
    state = s.state
    viewers = ("control", "public", "usa", "observer:o1", "observer:o2")

    def who(before: int) -> set[str]:
        return {v for v in viewers if concerns(state, written(s, before), v)}

    def notes(viewer: str) -> list[str]:
        return [o.text for o in state.observations_visible_to(viewer)]

    mark = state.last_seq
    s.add_observer_note("o2", "Lee, during play", now=minutes(2))
    assert who(mark) == {"control", "observer:o2"}
    s.add_observation("Control's own note", now=minutes(3))
    assert notes("observer:o1") == [] and notes("observer:o2") == ["Lee, during play"]
    mark = state.last_seq
    s.end_exercise(now=minutes(4))  # the hotwash begins
    assert who(mark) == set(viewers)
    mark = state.last_seq
    s.add_observer_note("o1", "Dana, at the hotwash", now=minutes(5))
    assert who(mark) == {"control", "observer:o1", "observer:o2"}
    for observer in ("observer:o1", "observer:o2"):  # never control's note, nor a role's
        assert notes(observer) == ["Lee, during play", "Dana, at the hotwash"]
    assert notes("usa") == [] and len(notes("control")) == 3
