"""Evaluate an inject's declarative condition against the state, saying why.

Every answer comes with a short explanation in plain words, so control (and the
preview) can see why a conditional inject fired or why it still waits. A move condition
counts moves ruled accepted or modified unless it says otherwise (``ruled: any`` counts
every move, even an unruled or rejected one). Chance draws come
from the session seed, the inject id and the turn, so a replay draws the same numbers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from exercise.engine.channel_conditions import judge_channel
from exercise.engine.state import ExerciseState, Fact, MoveState
from exercise.pack.models import (
    AllCondition,
    AnyCondition,
    ChanceCondition,
    ExchangedCondition,
    MessageCondition,
    MoveCondition,
    MoveMatch,
    NotCondition,
    ReleasedCondition,
    TrackCondition,
)
from exercise.vocab import ConditionKind, InjectStatus

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
    """Moves that satisfy a move condition, oldest first.

    Without ``role`` every role's moves count. Without ``ruled`` only moves ruled
    accepted or modified count; ``ruled: any`` counts every move, ruled or not.
    """
    match = cond.move
    moves: Iterable[MoveState]
    if match.tag is not None:  # the fewest moves to look at: those with the tag
        moves = state.moves_by_tag_index.get(match.tag, ())
    elif match.role is None:
        moves = state.moves
    else:
        moves = state.moves_by_role_index.get(match.role, ())
    return [move for move in moves if move_counts(match, move)]


def move_counts(match: MoveMatch, move: MoveState, outcome: str | None = None) -> bool:
    """Whether ``move`` (ruled ``outcome``, by default its own ruling) satisfies ``match``."""
    if match.role is not None and move.role != match.role:
        return False
    if match.kind is not None and move.kind != match.kind:
        return False
    if match.tag is not None and match.tag not in move.tags:
        return False
    outcomes = match.outcomes
    if outcomes is None:
        return True
    if outcome is None:
        outcome = move.ruling.outcome if move.ruling is not None else None
    return outcome in outcomes


def evaluate(cond: object, state: ExerciseState, inject_id: str) -> tuple[bool, str]:
    """Whether ``cond`` holds now for ``inject_id``, and a sentence saying why (or why not)."""
    verdict = judge(cond, state, inject_id)
    return verdict.holds, verdict.why


@dataclass(frozen=True, slots=True)
class Verdict:
    """A condition's answer: whether it holds, why, and the facts the answer rests on."""

    holds: bool
    why: str
    facts: tuple[Fact, ...] = ()

    @property
    def moves(self) -> tuple[str, ...]:
        """The moves the answer rests on."""
        return tuple(f.ref for f in self.facts if f.kind == ConditionKind.MOVE)


def judge(cond: object, state: ExerciseState, inject_id: str) -> Verdict:
    """Like ``evaluate``, also naming the moves that made the condition hold.

    Those moves (and the other facts) are recorded with the release, so that overruling
    one of them later can be written down against the inject it caused.
    """
    judged = _JUDGES.get(type(cond))
    if judged is None:
        return Verdict(False, f"unknown condition {cond!r}")
    return judged(cond, state, inject_id)


def _track(cond: TrackCondition, state: ExerciseState, inject_id: str) -> Verdict:
    track = state.tracks.get(cond.track)
    if track is None:
        return Verdict(False, f"there is no track '{cond.track}'")
    if _OPS[cond.op](track.value, cond.value):
        return Verdict(
            True,
            f"{track.name} is {track.value} ({cond.op} {cond.value})",
            (Fact(ConditionKind.TRACK, cond.track),),
        )
    return Verdict(False, f"{track.name} is {track.value}, needs {cond.op} {cond.value}")


def _released(cond: ReleasedCondition, state: ExerciseState, inject_id: str) -> Verdict:
    inj = state.injects.get(cond.released)
    if inj is not None and inj.status == InjectStatus.RELEASED:
        fact = Fact(ConditionKind.RELEASED, cond.released)
        return Verdict(True, f"'{cond.released}' was released", (fact,))
    return Verdict(False, f"'{cond.released}' has not been released")


def _chance(cond: ChanceCondition, state: ExerciseState, inject_id: str) -> Verdict:
    draw = chance_draw(state.setup.seed, inject_id, state.turn)
    if draw < cond.chance:
        fact = Fact(ConditionKind.CHANCE, f"{draw:.4f}")
        return Verdict(True, f"chance {cond.chance:.0%} came up (drew {draw:.2f})", (fact,))
    return Verdict(False, f"chance {cond.chance:.0%} did not come up this turn (drew {draw:.2f})")


def _channel(
    cond: MessageCondition | ExchangedCondition, state: ExerciseState, inject_id: str
) -> Verdict:
    holds, why, ref = judge_channel(cond, state)
    kind = ConditionKind.MESSAGE if isinstance(cond, MessageCondition) else ConditionKind.EXCHANGED
    return Verdict(holds, why, (Fact(kind, ref),) if holds else ())


def _all(cond: AllCondition, state: ExerciseState, inject_id: str) -> Verdict:
    results = [judge(part, state, inject_id) for part in cond.all]
    failing = [r.why for r in results if not r.holds]
    if failing:
        return Verdict(False, "; ".join(failing))
    facts = tuple(f for r in results for f in r.facts)
    return Verdict(True, " and ".join(r.why for r in results), facts)


def _any(cond: AnyCondition, state: ExerciseState, inject_id: str) -> Verdict:
    results = [judge(part, state, inject_id) for part in cond.any]
    for result in results:
        if result.holds:
            return result
    return Verdict(False, "none holds: " + "; ".join(r.why for r in results))


def _not(cond: NotCondition, state: ExerciseState, inject_id: str) -> Verdict:
    inner = judge(cond.not_, state, inject_id)
    # the sentence states the fact either way; an absence is no fact to record
    return Verdict(not inner.holds, inner.why)


def _moved(cond: MoveCondition, state: ExerciseState, inject_id: str) -> Verdict:
    return _move(cond, state)


#: How each kind of condition is judged.
_JUDGES: dict[type, Callable[[Any, ExerciseState, str], Verdict]] = {
    TrackCondition: _track,
    ReleasedCondition: _released,
    MoveCondition: _moved,
    ChanceCondition: _chance,
    MessageCondition: _channel,
    ExchangedCondition: _channel,
    AllCondition: _all,
    AnyCondition: _any,
    NotCondition: _not,
}


def _move(cond: MoveCondition, state: ExerciseState) -> Verdict:
    match = cond.move
    what = _describe_match(cond)
    who = match.role or "a role"
    found = matching_moves(state, cond)
    if found:
        move = found[0]
        by = match.role or move.role
        return Verdict(True, made_sentence(by, what, move), (Fact(ConditionKind.MOVE, move.id),))
    return Verdict(False, f"{who} has not made {what}")


def made_sentence(by: str, what: str, move: MoveState) -> str:
    """Why a move condition holds, for people (no program reads it back)."""
    ruled = f", {move.ruling.outcome}" if move.ruling else ""
    return f"{by} made {what} (move {move.id}, turn {move.turn}{ruled})"


def _describe_match(cond: MoveCondition) -> str:
    match = cond.move
    parts = [f"a {match.kind} move" if match.kind else "a move"]
    if match.tag:
        parts.append(f"tagged {match.tag}")
    outcomes = match.outcomes
    if outcomes is not None:
        parts.append("ruled " + " or ".join(outcomes))
    return " ".join(parts)


def move_conditions(cond: object) -> Iterator[MoveCondition]:
    """Every move condition inside ``cond`` (outside ``not``: those never cause a release)."""
    if isinstance(cond, MoveCondition):
        yield cond
    elif isinstance(cond, AllCondition):
        for part in cond.all:
            yield from move_conditions(part)
    elif isinstance(cond, AnyCondition):
        for part in cond.any:
            yield from move_conditions(part)
