"""Every operation is one typed command, executed by ``Session.execute``."""

from __future__ import annotations

import dataclasses
import inspect
from types import MappingProxyType

import pytest
from engine_support import engine_pack, minutes

from exercise.engine import EngineError, Session, SessionSetup
from exercise.engine import commands as cmd
from exercise.engine import events as ev
from exercise.engine.base import RUNNERS

SETUP = SessionSetup(players={"usa": "Alice", "rok": "Bo"}, control_roles=["dprk"], seed=7)


@pytest.fixture
def session() -> Session:
    return Session.memory(engine_pack(), SETUP, now=minutes(0))


def command_classes() -> list[type[cmd.Command]]:
    return [
        c
        for _, c in inspect.getmembers(cmd, inspect.isclass)
        if issubclass(c, cmd.Command) and c is not cmd.Command
    ]


def test_every_command_has_exactly_the_operation_that_runs_it() -> None:
    assert len(command_classes()) >= 30
    assert set(command_classes()) == set(RUNNERS)


def test_a_command_the_engine_does_not_know_is_a_programming_error(session) -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Dance(cmd.Command):
        steps: int

    with pytest.raises(TypeError, match="Dance"):
        session.execute(Dance(3), now=minutes(1))


def test_a_command_is_a_frozen_value() -> None:
    effects = {"tension": 1}
    rule = cmd.Rule("m1", "accepted", "Fine.", effects)
    effects["tension"] = 5  # the caller's dict is not the command's
    assert rule.effects == {"tension": 1} and isinstance(rule.effects, MappingProxyType)
    assert cmd.CarryMoves(["m1", "m2"]).moves == ("m1", "m2")
    assert cmd.CarryMoves(["m1"]) == cmd.CarryMoves(("m1",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.move = "m2"  # type: ignore[misc]


def test_execute_returns_the_events_written_with_the_releases_they_caused(session) -> None:
    started = session.execute(cmd.StartExercise(), now=minutes(1))
    assert started.events[0].type == ev.TURN_STARTED
    assert {e.body["inject"] for e in started.events[1:]} >= {"launch-1", "intel-rok"}
    assert started.events == tuple(session.state.events[1:])
    assert started.created_id is None and started.ruling is None
    for n in range(2):
        session.execute(cmd.AdvancePhase(), now=minutes(2 + n))
    made = session.execute(cmd.RecordMove("rok", "statement", "We wait."), now=minutes(5))
    assert made.created_id == "m1" and [e.type for e in made.events] == [ev.MOVE_RECORDED]
    ruled = session.execute(cmd.Rule("m1", "accepted", "So be it."), now=minutes(6))
    assert ruled.ruling is session.state.moves_by_id["m1"].ruling
    assert ruled.ruling is not None and ruled.ruling.outcome == "accepted"


def test_a_refusal_is_an_engine_error_and_writes_nothing(session) -> None:
    before = session.state.last_seq
    with pytest.raises(EngineError, match="has not started"):
        session.execute(cmd.RecordMove("usa", "statement", "Too early"), now=minutes(1))
    assert session.state.last_seq == before == session.journal.last_seq()
