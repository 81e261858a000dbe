"""Behaviour of a session: phases, inject release, moves, rulings, tracks and notes."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_support import engine_pack, minutes

from exercise.engine import EngineError, Session, SessionSetup
from exercise.engine.commands import (
    AddAdhocInject,
    AddHotwash,
    AddImprovement,
    AdjustTrack,
    AdvancePhase,
    EditInject,
    EndExercise,
    ExtendTimer,
    HoldInject,
    Observe,
    OverrideRuling,
    PauseTimer,
    RecordMove,
    ReleaseInject,
    ResumeTimer,
    RollMatrix,
    Rule,
    SkipInject,
    SkipTimer,
    StartExercise,
    Vote,
)
from exercise.engine.reduce import replay
from exercise.engine.rules import matrix_roll
from exercise.engine.scheduler import conditional_status

SETUP = SessionSetup(
    players={"usa": "Alice", "rok": "Bo"}, control_roles=["dprk"], seed=7, name="Test"
)


@pytest.fixture
def session(tmp_path):
    s = Session.create(tmp_path / "t.session", engine_pack(), SETUP, now=minutes(0))
    yield s
    s.close()


def to_phase(s: Session, phase: str) -> None:
    n = 1
    while s.state.phase != phase:
        s.execute(AdvancePhase(), now=minutes(n))
        n += 1


def assert_replays(s: Session) -> None:
    fresh = Session.open(s.path, s.pack)
    try:
        assert fresh.state == s.state
    finally:
        fresh.close()


def test_nothing_is_released_before_start_and_turn_one_releases_its_schedule(session):
    assert session.state.turn == 0 and session.state.phase == "setup"
    assert session.state.released() == []
    session.execute(StartExercise(), now=minutes(1))
    released = {i.inject_id: i for i in session.state.released()}
    assert {"launch-1", "intel-rok"} <= set(released)
    assert released["launch-1"].cause == "scheduled"
    assert session.state.tracks["tension"].value == 5  # 3 + launch effect 2
    assert "offer" not in released  # turn 2
    assert_replays(session)


def test_phases_run_in_order_and_the_last_turn_ends_the_exercise(session):
    session.execute(StartExercise(), now=minutes(0))
    seen = [session.state.phase]
    for n in range(4):
        session.execute(AdvancePhase(), now=minutes(n))
        seen.append(session.state.phase)
    assert seen == ["injects", "deliberation", "moves", "adjudication", "consequences"]
    session.execute(AdvancePhase(), now=minutes(5))
    assert (session.state.turn, session.state.phase) == (2, "injects")
    for n in range(15):
        session.execute(AdvancePhase(), now=minutes(10 + n))
    assert session.state.ended and session.state.phase == "ended"
    with pytest.raises(EngineError, match="ended"):
        session.execute(AdvancePhase(), now=minutes(40))


def test_operations_out_of_phase_are_refused_with_the_reason(session):
    with pytest.raises(EngineError, match="not started"):
        session.execute(AdvancePhase(), now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    session.execute(AdvancePhase(), now=minutes(2))
    before = session.state.last_seq
    with pytest.raises(EngineError, match=r"only in the moves phase \(now: deliberation\)"):
        session.execute(RecordMove("usa", "statement", "Hello"), now=minutes(3))
    with pytest.raises(EngineError, match="already started"):
        session.execute(StartExercise(), now=minutes(3))
    assert session.state.last_seq == before  # a refusal writes nothing
    assert_replays(session)


def test_held_inject_stays_pending_until_control_releases_it(session):
    session.execute(HoldInject("offer", reason="not yet"), now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    for n in range(5):
        session.execute(AdvancePhase(), now=minutes(2 + n))
    assert session.state.turn == 2
    assert session.state.injects["offer"].status == "held"
    cohesion = session.state.tracks["cohesion"].value
    session.execute(ReleaseInject("offer"), now=minutes(9))
    offer = session.state.injects["offer"]
    assert offer.status == "released" and offer.cause == "control" and offer.turn_released == 2
    assert session.state.tracks["cohesion"].value == cohesion + 1
    with pytest.raises(EngineError, match="already released"):
        session.execute(ReleaseInject("offer"), now=minutes(10))


def test_skip_and_edit_before_release(session):
    session.execute(EditInject("offer", title="New title"), now=minutes(0))
    session.execute(SkipInject("launch-1", "not today"), now=minutes(0))
    with pytest.raises(EngineError, match="reason"):
        session.execute(SkipInject("intel-rok", "  "), now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    assert session.state.injects["launch-1"].status == "skipped"
    assert session.state.tracks["tension"].value == 3  # the skipped launch had no effect
    for n in range(5):
        session.execute(AdvancePhase(), now=minutes(2 + n))
    offer = session.state.injects["offer"]
    assert offer.title == "New title" and offer.edited and offer.status == "released"
    with pytest.raises(EngineError, match="already released"):
        session.execute(EditInject("offer", body="too late"), now=minutes(9))


def test_adhoc_inject_is_released_at_once_with_its_effects(session):
    with pytest.raises(EngineError, match="not started"):
        session.execute(AddAdhocInject("statement", "T", "B"), now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    inject_id = session.execute(
        AddAdhocInject(
            "statement", "Live", "Written now", audience=["rok"], effects={"us-rok": -1}
        ),
        now=minutes(2),
    ).created_id
    inj = session.state.injects[inject_id]
    assert inj.adhoc and inj.status == "released" and inj.audience == ["rok"]
    assert session.state.tracks["us-rok"].value == 0
    assert inj in session.state.inbox("rok") and inj not in session.state.inbox("usa")
    with pytest.raises(EngineError, match="no track"):
        session.execute(AddAdhocInject("statement", "T", "B", effects={"nope": 1}), now=minutes(3))
    assert_replays(session)


def test_conditional_inject_fires_after_the_ruling_that_satisfies_it(session):
    session.execute(StartExercise(), now=minutes(1))
    for n in range(5):
        session.execute(AdvancePhase(), now=minutes(2 + n))
    to_phase(session, "moves")
    move = session.execute(
        RecordMove("rok", "diplomatic", "We accept", tags=["accept-thaad"]), now=minutes(10)
    ).created_id
    assert session.state.injects["protest-rok"].status == "pending"  # not ruled yet
    session.execute(Rule(move, "accepted", "Done"), now=minutes(11))
    protest = session.state.injects["protest-rok"]
    assert protest.status == "released" and protest.cause == "condition"
    assert "accept-thaad" in protest.why
    # the released condition chains in the same transaction
    assert session.state.injects["follow-up"].status == "released"
    assert session.state.injects["follow-up"].why == "'protest-rok' was released"
    assert_replays(session)


def test_conditional_inject_fires_at_most_once_and_not_outside_its_window(session):
    session.execute(StartExercise(), now=minutes(1))
    session.execute(AdvancePhase(), now=minutes(2))
    session.execute(AdvancePhase(), now=minutes(3))
    session.execute(AdvancePhase(), now=minutes(4))
    session.execute(AdjustTrack("tension", 1, "escalation"), now=minutes(5))  # 5 -> 6: china-warns
    assert session.state.injects["china-warns"].status == "released"
    released = [
        e
        for e in session.state.events
        if e.type == "inject_released" and e.body["inject"] == "china-warns"
    ]
    session.execute(AdjustTrack("tension", -4, "calm"), now=minutes(6))
    session.execute(AdjustTrack("tension", 4, "again"), now=minutes(7))
    again = [
        e
        for e in session.state.events
        if e.type == "inject_released" and e.body["inject"] == "china-warns"
    ]
    assert len(released) == len(again) == 1


def test_tracks_clamp_and_keep_history_per_turn(session):
    session.execute(StartExercise(), now=minutes(1))
    session.execute(AdjustTrack("us-rok", 10, "big step"), now=minutes(2))
    track = session.state.tracks["us-rok"]
    assert track.value == 3 and track.changes[-1].value == 3
    session.execute(AdjustTrack("us-rok", -10, "collapse"), now=minutes(3))
    assert track.value == -3
    assert track.history[0] == 1 and track.history[1] == -3
    with pytest.raises(EngineError, match="reason"):
        session.execute(AdjustTrack("us-rok", 1, ""), now=minutes(4))
    with pytest.raises(EngineError, match="no track"):
        session.execute(AdjustTrack("nope", 1, "x"), now=minutes(4))


def test_matrix_roll_is_seeded_recorded_and_can_be_overridden(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    move = session.execute(
        RecordMove(
            "dprk", "military", "Launch", tags=["launch"], intent="Show resolve", reasons=["ready"]
        ),
        now=minutes(5),
    ).created_id
    to_phase(session, "adjudication")
    ruling = session.execute(
        RollMatrix(move, 2, 1, "Argued well", {"tension": 1}), now=minutes(6)
    ).ruling
    expected = matrix_roll(7, move, 2, 1)
    assert ruling.method == "matrix" and ruling.dice == expected.dice
    assert ruling.total == sum(expected.dice) + 1 and ruling.seed == 7
    assert ruling.outcome == ("accepted" if expected.total >= 7 else "rejected")
    with pytest.raises(EngineError, match="already been ruled"):
        session.execute(Rule(move, "accepted", "again"), now=minutes(7))
    flipped = "rejected" if ruling.outcome == "accepted" else "accepted"
    ruling = session.execute(
        OverrideRuling(move, flipped, "control judges otherwise"), now=minutes(8)
    ).ruling
    assert ruling.outcome == flipped and ruling.override_reason
    assert ruling.original_outcome != flipped
    assert_replays(session)


def test_same_seed_and_move_give_the_same_dice_and_seeds_differ():
    rolls = {matrix_roll(seed, "m1", 0, 0).dice for seed in range(30)}
    assert matrix_roll(5, "m1", 0, 0) == matrix_roll(5, "m1", 0, 0)
    assert len(rolls) > 5


def test_vote_majority_accepts_and_tie_rejects(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    a = session.execute(RecordMove("usa", "proposal", "Talks"), now=minutes(2)).created_id
    b = session.execute(RecordMove("rok", "proposal", "No talks"), now=minutes(3)).created_id
    to_phase(session, "adjudication")
    cohesion = session.state.tracks["cohesion"].value
    assert (
        session.execute(Vote(a, 3, 1, 1, "yes", {"cohesion": 2}), now=minutes(4)).ruling.outcome
        == "accepted"
    )
    assert session.state.tracks["cohesion"].value == cohesion + 2
    tie = session.execute(Vote(b, 2, 2), now=minutes(5)).ruling
    assert tie.outcome == "rejected" and tie.votes == {"for": 2, "against": 2, "abstain": 0}


def test_moves_check_roles_kinds_tags_and_actor(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    with pytest.raises(EngineError, match="not offered to usa"):
        session.execute(RecordMove("usa", "statement", "x", tags=["accept-thaad"]), now=minutes(2))
    with pytest.raises(EngineError, match="Unknown move kind"):
        session.execute(RecordMove("usa", "dance", "x"), now=minutes(2))
    with pytest.raises(EngineError, match="cannot record a move for rok"):
        session.execute(RecordMove("rok", "statement", "x", actor="usa"), now=minutes(2))
    move = session.execute(RecordMove("dprk", "military", "x"), now=minutes(2)).created_id
    assert session.state.move(move).actor == "control"


def test_private_information_stays_out_of_public_views(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    secret = session.execute(
        RecordMove("rok", "statement", "Secret plan", secret=True), now=minutes(2)
    ).created_id
    public = session.execute(
        RecordMove("usa", "statement", "Public line"), now=minutes(3)
    ).created_id
    feed = session.state.public_feed()
    refs = {item.ref for item in feed}
    assert public in refs and secret not in refs
    assert "intel-rok" not in refs and "launch-1" in refs
    assert [m.id for m in session.state.moves_visible_to("usa")] == [public]
    assert {m.id for m in session.state.moves_visible_to("rok")} == {secret, public}
    assert [i.inject_id for i in session.state.inbox("rok")] == ["intel-rok"]


def test_timer_pause_extend_and_skip(session):
    session.execute(StartExercise(), now=minutes(0))
    with pytest.raises(EngineError, match="deliberation"):
        session.execute(PauseTimer(), now=minutes(1))
    session.execute(AdvancePhase(), now=minutes(1))
    timer = session.state.timer
    assert timer.remaining(minutes(4)) == 7 * 60
    session.execute(PauseTimer(), now=minutes(4))
    assert session.state.timer.remaining(minutes(30)) == 7 * 60
    session.execute(ResumeTimer(), now=minutes(30))
    session.execute(ExtendTimer(5), now=minutes(31))
    assert session.state.timer.remaining(minutes(32)) == (7 - 2 + 5) * 60
    session.execute(SkipTimer(), now=minutes(33))
    assert session.state.timer.remaining(minutes(33)) == 0
    assert_replays(session)


def test_notes_hotwash_and_improvements_also_after_the_end(session):
    session.execute(Observe("Good prep", kind="strength", objective="obj-coord"), now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    session.execute(EndExercise(), now=minutes(2))
    with pytest.raises(EngineError, match="ended"):
        session.execute(AdjustTrack("tension", 1, "x"), now=minutes(3))
    session.execute(
        Observe(
            "Slow warning", kind="improvement", role="rok", inject="launch-1", author="observer-1"
        ),
        now=minutes(3),
    )
    session.execute(AddHotwash("usa", "consultation", "warning", "a shared feed"), now=minutes(4))
    item = session.execute(
        AddImprovement("Set up a warning line", "obj-coord", "Joint staff", dt.date(2026, 9, 30)),
        now=minutes(5),
    ).created_id
    state = session.state
    assert [o.kind for o in state.observations] == ["strength", "improvement"]
    assert state.observations[1].author == "observer-1"
    assert state.hotwash[0].did_not == "warning"
    assert state.improvements[0].id == item and state.improvements[0].due == dt.date(2026, 9, 30)
    with pytest.raises(EngineError, match="no objective"):
        session.execute(AddImprovement("x", "nope", "y", dt.date(2026, 1, 1)), now=minutes(6))
    assert_replays(session)


def test_pins_are_hashed_and_checked(tmp_path):
    setup = SessionSetup(players={"usa": "A"}, pins={"usa": "1234", "control": "9999"})
    s = Session.create(tmp_path / "p.session", engine_pack(), setup, now=minutes(0))
    raw = (tmp_path / "p.session").read_bytes()
    assert b"1234" not in raw and b"9999" not in raw
    assert s.check_pin("usa", "1234") and not s.check_pin("usa", "4321")
    assert s.check_pin("control", "9999") and s.check_pin("rok", "anything")
    s.close()


def test_setup_rejects_unknown_roles(tmp_path):
    with pytest.raises(EngineError, match="no role 'mars'"):
        Session.create(
            tmp_path / "x.session",
            engine_pack(),
            SessionSetup(players={"mars": "A"}),
            now=minutes(0),
        )
    assert not (tmp_path / "x.session").exists()


def test_two_processes_views_meet_through_refresh(session):
    other = Session.open(session.path, session.pack)
    assert other.refresh() is False
    session.execute(StartExercise(), now=minutes(1))
    assert other.refresh() is True
    assert other.state == session.state
    other.execute(AdvancePhase(), now=minutes(2))  # writes after catching up
    session.refresh()
    assert session.state == other.state and session.state.phase == "deliberation"
    other.close()


def test_conditional_status_explains_waiting_and_fired(session):
    session.execute(StartExercise(), now=minutes(1))
    status = {s.inject_id: s for s in conditional_status(session.state, session.pack)}
    assert status["china-warns"].status == "waiting"
    assert "needs >= 6" in status["china-warns"].explanation
    assert status["protest-rok"].status == "not-yet"
    replayed = replay(session.pack, session.state.events)
    assert replayed == session.state


def test_dice_and_chance_do_not_depend_on_the_process(tmp_path):
    import os
    import subprocess
    import sys

    from exercise.engine.conditions import chance_draw

    code = (
        "from exercise.engine.conditions import chance_draw\n"
        "from exercise.engine.rules import matrix_roll\n"
        "print(chance_draw(9, 'rumour', 3), matrix_roll(9, 'm4', 1, 0).dice)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONHASHSEED=str(h)),
            check=True,
        ).stdout
        for h in (1, 2)
    }
    assert outputs == {f"{chance_draw(9, 'rumour', 3)} {matrix_roll(9, 'm4', 1, 0).dice}\n"}
