"""Evaluate an inject's declarative condition against the state, saying why.

Every answer comes with a short explanation in plain words, so control (and the
preview) can see why a conditional inject fired or why it still waits. Chance draws come
from the session seed, the inject id and the turn, so a replay draws the same numbers.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from exercise.pack.models import (
    AllCondition,
    AnyCondition,
    ChanceCondition,
    MoveCondition,
    NotCondition,
    ReleasedCondition,
    TrackCondition,
)

if TYPE_CHECKING:
    from exercise.engine.state import ExerciseState, MoveState

_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def chance_draw(seed: int, inject_id: str, turn: int) -> float:
    """The number in [0, 1) a chance condition compares to; the same on every replay."""
    return random.Random(f"{seed}:{inject_id}:{turn}").random()


def matching_moves(state: ExerciseState, cond: MoveCondition) -> list[MoveState]:
    match = cond.move
    moves = state.moves_by_role_index.get(match.role, ())
    found = []
    for move in moves:
        if match.kind is not None and move.kind != match.kind:
            continue
        if match.tag is not None and match.tag not in move.tags:
            continue
        if match.ruled is not None and (
            move.ruling is None or move.ruling.outcome not in match.ruled
        ):
            continue
        found.append(move)
    return found


def evaluate(cond: object, state: ExerciseState, inject_id: str) -> tuple[bool, str]:
    """Whether ``cond`` holds now for ``inject_id``, and a sentence saying why (or why not)."""
    if isinstance(cond, TrackCondition):
        track = state.tracks.get(cond.track)
        if track is None:
            return False, f"there is no track '{cond.track}'"
        holds = _OPS[cond.op](track.value, cond.value)
        if holds:
            return True, f"{track.name} is {track.value} ({cond.op} {cond.value})"
        return False, f"{track.name} is {track.value}, needs {cond.op} {cond.value}"
    if isinstance(cond, ReleasedCondition):
        inj = state.injects.get(cond.released)
        if inj is not None and inj.status == "released":
            return True, f"'{cond.released}' was released"
        return False, f"'{cond.released}' has not been released"
    if isinstance(cond, MoveCondition):
        return _move(cond, state)
    if isinstance(cond, ChanceCondition):
        draw = chance_draw(state.setup.seed, inject_id, state.turn)
        if draw < cond.chance:
            return True, f"chance {cond.chance:.0%} came up (drew {draw:.2f})"
        return False, f"chance {cond.chance:.0%} did not come up this turn (drew {draw:.2f})"
    if isinstance(cond, AllCondition):
        results = [evaluate(part, state, inject_id) for part in cond.all]
        failing = [why for ok, why in results if not ok]
        if failing:
            return False, "; ".join(failing)
        return True, " and ".join(why for _, why in results)
    if isinstance(cond, AnyCondition):
        results = [evaluate(part, state, inject_id) for part in cond.any]
        for ok, why in results:
            if ok:
                return True, why
        return False, "none holds: " + "; ".join(why for _, why in results)
    if isinstance(cond, NotCondition):
        ok, why = evaluate(cond.not_, state, inject_id)
        return (not ok), why  # the sentence states the fact either way
    return False, f"unknown condition {cond!r}"


def _move(cond: MoveCondition, state: ExerciseState) -> tuple[bool, str]:
    match = cond.move
    what = _describe_match(cond)
    found = matching_moves(state, cond)
    if found:
        move = found[0]
        ruled = f", {move.ruling.outcome}" if move.ruling else ""
        return True, f"{match.role} made {what} (move {move.id}, turn {move.turn}{ruled})"
    return False, f"{match.role} has not made {what}"


def _describe_match(cond: MoveCondition) -> str:
    match = cond.move
    parts = [f"a {match.kind} move" if match.kind else "a move"]
    if match.tag:
        parts.append(f"tagged {match.tag}")
    if match.ruled:
        parts.append("ruled " + " or ".join(match.ruled))
    return " ".join(parts)
