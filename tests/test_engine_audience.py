"""Who an event concerns: a view skips its redraw only for events it cannot see."""

from __future__ import annotations

from engine_support import engine_pack, minutes

from exercise.engine import Event, Session, SessionSetup
from exercise.engine.audience import concerns
from exercise.engine.commands import (
    AddAdhocInject,
    AdvancePhase,
    EndExercise,
    HoldInject,
    Observe,
    ObserverNote,
    RecordMove,
    ReleaseInject,
    Rule,
    StartExercise,
)


def written(session: Session, before: int) -> list[Event]:
    return [e for e in session.state.events if e.seq > before]


def test_each_event_reaches_exactly_who_can_see_it():
    s = Session.memory(
        engine_pack(), SessionSetup(players={"usa": "A", "rok": "B", "dprk": "C"}), now=minutes(0)
    )
    s.execute(HoldInject("intel-rok"), now=minutes(0))
    state = s.state

    def who(before: int) -> set[str]:
        events = written(s, before)
        return {
            v for v in ("control", "public", "usa", "rok", "dprk") if concerns(state, events, v)
        }

    everyone = {"control", "public", "usa", "rok", "dprk"}
    mark = state.last_seq
    s.execute(StartExercise(), now=minutes(1))  # the turn starts and the public launch is released
    assert who(mark) == everyone
    mark = state.last_seq
    s.execute(ReleaseInject("intel-rok"), now=minutes(2))  # private to rok
    assert who(mark) == {"control", "rok"}
    mark = state.last_seq
    s.execute(
        AddAdhocInject("statement", "For the US", "Only Washington reads this.", ["usa"]),
        now=minutes(3),
    )
    assert who(mark) == {"control", "usa"}
    mark = state.last_seq
    s.execute(HoldInject("offer"), now=minutes(4))  # control's business only
    assert who(mark) == {"control"}
    s.execute(AdvancePhase(), now=minutes(5))
    s.execute(AdvancePhase(), now=minutes(6))  # moves
    mark = state.last_seq
    secret = s.execute(
        RecordMove("dprk", "statement", "A quiet step.", secret=True), now=minutes(7)
    ).created_id
    assert who(mark) == {"control", "dprk"}
    mark = state.last_seq
    public = s.execute(
        RecordMove("usa", "statement", "We stand with our allies."), now=minutes(8)
    ).created_id
    assert who(mark) == everyone
    s.execute(AdvancePhase(), now=minutes(9))  # adjudication
    mark = state.last_seq
    s.execute(Rule(secret, "accepted", "It works."), now=minutes(10))
    assert who(mark) == {"control", "dprk"}
    mark = state.last_seq
    s.execute(Rule(public, "accepted", "Welcomed."), now=minutes(11))
    assert who(mark) == everyone
    mark = state.last_seq
    s.execute(Observe("Slow to answer"), now=minutes(12))
    assert who(mark) == {"control"}


def test_an_event_type_it_does_not_know_reaches_everyone():
    s = Session.memory(engine_pack(), SessionSetup(players={"usa": "A"}), now=minutes(0))
    new_kind = Event.of(99, minutes(1), "control", "something_new", {"inject": "intel-rok"})
    assert concerns(s.state, [new_kind], "usa") and concerns(s.state, [new_kind], "public")


def test_observers_read_each_others_notes_only_once_the_exercise_has_ended():
    s = Session.memory(
        engine_pack(),
        SessionSetup(players={"usa": "A"}, observers={"Dana": "", "Lee": ""}),
        now=minutes(0),
    )
    s.execute(StartExercise(), now=minutes(1))
    state = s.state
    viewers = ("control", "public", "usa", "observer:o1", "observer:o2")

    def who(before: int) -> set[str]:
        return {v for v in viewers if concerns(state, written(s, before), v)}

    def notes(viewer: str) -> list[str]:
        return [o.text for o in state.observations_visible_to(viewer)]

    mark = state.last_seq
    s.execute(ObserverNote("o2", "Lee, during play"), now=minutes(2))
    assert who(mark) == {"control", "observer:o2"}
    s.execute(Observe("Control's own note"), now=minutes(3))
    assert notes("observer:o1") == [] and notes("observer:o2") == ["Lee, during play"]
    mark = state.last_seq
    s.execute(EndExercise(), now=minutes(4))  # the hotwash begins
    assert who(mark) == set(viewers)
    mark = state.last_seq
    s.execute(ObserverNote("o1", "Dana, at the hotwash"), now=minutes(5))
    assert who(mark) == {"control", "observer:o1", "observer:o2"}
    for observer in ("observer:o1", "observer:o2"):  # never control's note, nor a role's
        assert notes(observer) == ["Lee, during play", "Dana, at the hotwash"]
    assert notes("usa") == [] and len(notes("control")) == 3
