"""No move is stranded: carry it, leave it unruled with a reason, or rule it late; and
one step back while nothing has happened in a phase. All of it is in the journal."""

from __future__ import annotations

import pytest
from engine_support import engine_pack, minutes
from test_engine_session import SETUP, assert_replays, to_phase

from exercise.engine import EngineError, Session
from exercise.engine import events as ev
from exercise.engine.commands import (
    AdvancePhase,
    BackPhase,
    CarryMoves,
    LeaveUnruled,
    Narrate,
    OverrideRuling,
    RecordMove,
    ReleaseInject,
    RollMatrix,
    Rule,
    StartExercise,
    Vote,
    WithdrawInject,
)


@pytest.fixture
def session(tmp_path):
    s = Session.create(tmp_path / "t.session", engine_pack(), SETUP, now=minutes(0))
    yield s
    s.close()


def test_carried_move_is_ruled_late_in_the_next_turn_and_fires_its_condition(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    move = session.execute(
        RecordMove("rok", "diplomatic", "Accept THAAD", tags=["accept-thaad"]), now=minutes(5)
    ).created_id
    to_phase(session, "adjudication")
    session.execute(CarryMoves([move]), now=minutes(6))
    assert session.state.move(move).carried_to == 2
    to_phase(session, "consequences")
    session.execute(AdvancePhase(), now=minutes(7))  # turn 2, injects phase
    assert session.state.turn == 2
    assert session.state.injects["protest-rok"].status != "released"
    ruling = session.execute(Rule(move, "accepted", "Seoul says yes"), now=minutes(8)).ruling
    assert ruling.late and ruling.turn == 2 and ruling.move_turn == 1
    assert session.state.injects["protest-rok"].status == "released"
    assert_replays(session)


def test_leaving_moves_unruled_records_the_reason_and_still_allows_a_late_ruling(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    move = session.execute(RecordMove("usa", "statement", "We watch"), now=minutes(2)).created_id
    with pytest.raises(EngineError, match="reason"):
        session.execute(LeaveUnruled([move], "  "), now=minutes(3))
    session.execute(LeaveUnruled([move], "overtaken by events"), now=minutes(3))
    assert session.state.move(move).left_unruled == "overtaken by events"
    assert not session.state.move(move).waiting
    assert session.state.events[-1].type == ev.MOVE_LEFT_UNRULED
    to_phase(session, "consequences")
    session.execute(Rule(move, "rejected", "Too late to matter"), now=minutes(9))  # consequences
    assert_replays(session)


def test_back_one_phase_only_while_nothing_happened_and_it_is_journalled(session):
    session.execute(StartExercise(), now=minutes(1))
    with pytest.raises(EngineError, match="first of the turn"):
        session.execute(BackPhase(), now=minutes(2))
    session.execute(AdvancePhase(), now=minutes(2))  # deliberation: the timer starts
    session.execute(BackPhase(), now=minutes(3))
    assert session.state.phase == "injects"
    assert session.state.timer.started_at is None
    assert session.state.events[-1].type == ev.PHASE_REVERTED
    to_phase(session, "moves")
    session.execute(RecordMove("usa", "statement", "Hello"), now=minutes(4))
    with pytest.raises(EngineError, match="already happened in the moves phase"):
        session.execute(BackPhase(), now=minutes(5))
    assert_replays(session)


def test_matrix_narrative_follows_the_dice_and_an_override_keeps_both_texts(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    move = session.execute(RecordMove("usa", "statement", "Bold step"), now=minutes(2)).created_id
    ruling = session.execute(RollMatrix(move, 1, 0), now=minutes(3)).ruling
    assert ruling.dice is not None and ruling.narrative == ""
    session.execute(Narrate(move, "The dice favour Washington"), now=minutes(4))
    with pytest.raises(EngineError, match="has its narrative"):
        session.execute(Narrate(move, "again"), now=minutes(5))
    session.execute(
        OverrideRuling(move, "modified", "too bold", narrative="Half of it happens"), now=minutes(6)
    )
    ruling = session.state.move(move).ruling
    assert ruling.narrative == "Half of it happens"
    assert ruling.original_narrative == "The dice favour Washington"
    bodies = [
        e.body for e in session.state.events if e.type in (ev.RULING_NARRATED, ev.RULING_OVERRIDDEN)
    ]
    assert [b.get("narrative") for b in bodies] == [
        "The dice favour Washington",
        "Half of it happens",
    ]
    assert_replays(session)


def test_staged_release_queues_due_injects_and_control_releases_each(tmp_path):
    from dataclasses import replace

    setup = replace(SETUP, release="staged")
    s = Session.create(tmp_path / "s.session", engine_pack(), setup, now=minutes(0))
    s.execute(StartExercise(), now=minutes(1))
    queued = {i.inject_id for i in s.state.queued()}
    assert {"launch-1", "intel-rok"} <= queued
    assert s.state.released() == []
    assert s.state.tracks["tension"].value == 3  # nothing counted yet
    s.execute(ReleaseInject("launch-1"), now=minutes(2))
    launch = s.state.injects["launch-1"]
    assert launch.status == "released" and launch.cause == "scheduled"
    assert s.state.tracks["tension"].value == 5
    # undo, for a short while: the inject goes back to the queue, its effects reversed
    s.execute(WithdrawInject("launch-1"), now=minutes(2.5))
    assert s.state.injects["launch-1"].status == "queued"
    assert s.state.tracks["tension"].value == 3
    assert "launch-1" not in [i.inject_id for i in s.state.released()]
    s.execute(ReleaseInject("launch-1"), now=minutes(3))
    with pytest.raises(EngineError, match="too late to undo"):
        s.execute(WithdrawInject("launch-1"), now=minutes(10))
    s.execute(ReleaseInject("intel-rok"), now=minutes(11))
    to_phase(s, "moves")
    s.execute(RecordMove("rok", "statement", "Noted"), now=minutes(12))
    with pytest.raises(EngineError, match=r"(?i)players have acted on inject 'intel-rok'"):
        s.execute(WithdrawInject("intel-rok"), now=minutes(12))
    assert_replays(s)
    s.close()


def test_moves_in_deliberation_when_the_pack_allows_it(session, tmp_path):
    import shutil

    from engine_support import ENGINE_PACK

    from exercise.pack.loader import require_pack

    session.execute(StartExercise(), now=minutes(1))
    session.execute(AdvancePhase(), now=minutes(2))
    with pytest.raises(EngineError, match="only in the moves phase"):
        session.execute(RecordMove("usa", "statement", "Early"), now=minutes(3))
    root = tmp_path / "pack"
    shutil.copytree(ENGINE_PACK, root)
    with (root / "scenario.yaml").open("a") as f:
        f.write("moves_in_deliberation: true\n")
    s = Session.create(tmp_path / "d.session", require_pack(root), SETUP, now=minutes(0))
    s.execute(StartExercise(), now=minutes(1))
    s.execute(AdvancePhase(), now=minutes(2))
    assert s.execute(RecordMove("usa", "statement", "Early"), now=minutes(3)).created_id == "m1"
    s.close()


def test_a_failed_vote_takes_its_own_effects(session):
    session.execute(StartExercise(), now=minutes(1))
    to_phase(session, "moves")
    move = session.execute(
        RecordMove("usa", "proposal", "A joint radar picture"), now=minutes(2)
    ).created_id
    ruling = session.execute(
        Vote(move, 1, 3, effects={"tension": -1}, fail_effects={"tension": 1}), now=minutes(3)
    ).ruling
    assert ruling.outcome == "rejected" and ruling.effects == {"tension": 1}
    changes = [(c.cause, c.ref, c.delta) for c in session.state.tracks["tension"].changes]
    assert ("ruling", move, 1) in changes
