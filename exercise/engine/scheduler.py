"""Which injects are due: scheduled ones at turn start, conditional ones when they hold.

Conditions are checked at the start of a turn and after every ruling, override and track
adjustment; every pending conditional inject is judged against the same state and those
that hold are released together, ordered by id.

The per-pack index (scheduled injects by turn, conditional injects by the turns of
their window) keeps a turn start proportional to the injects of that turn, not to the
size of the MSEL.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exercise.engine.conditions import evaluate, judge
from exercise.engine.state import ExerciseState, Fact, InjectState
from exercise.vocab import ConditionKind, InjectStatus, ReleaseCause

if TYPE_CHECKING:
    from exercise.pack.models import Inject, Pack


@dataclass
class PackIndex:
    scheduled_by_turn: dict[int, list[str]] = field(default_factory=dict)
    conditional_by_turn: dict[int, list[str]] = field(default_factory=dict)
    conditional: list[str] = field(default_factory=list)


_INDEXES: weakref.WeakKeyDictionary[Pack, PackIndex] = weakref.WeakKeyDictionary()


def pack_index(pack: Pack) -> PackIndex:
    index = _INDEXES.get(pack)
    if index is None:
        index = PackIndex()
        for inj in pack.injects:
            if inj.condition is None:
                index.scheduled_by_turn.setdefault(inj.first_turn, []).append(inj.id)
                continue
            index.conditional.append(inj.id)
            for turn in range(inj.first_turn, min(inj.last_turn, pack.manifest.turns) + 1):
                index.conditional_by_turn.setdefault(turn, []).append(inj.id)
        _INDEXES[pack] = index
    return index


@dataclass(frozen=True, slots=True)
class Release:
    inject_id: str
    cause: ReleaseCause
    why: str
    facts: tuple[Fact, ...] = ()  # what a condition rested on

    def body(self) -> dict[str, Any]:
        """The body of the release (or queue) event; a condition's facts go with it."""
        body: dict[str, Any] = {"inject": self.inject_id, "cause": self.cause, "why": self.why}
        if self.cause == ReleaseCause.CONDITION:
            body["moves"] = [f.ref for f in self.facts if f.kind == ConditionKind.MOVE]
            body["condition"] = [f.to_body() for f in self.facts]
        return body


def scheduled_releases(state: ExerciseState, pack: Pack) -> list[Release]:
    """Unconditional injects of the current turn that are still pending (held ones wait)."""
    ids = pack_index(pack).scheduled_by_turn.get(state.turn, ())
    return [
        Release(i, ReleaseCause.SCHEDULED, f"scheduled for turn {state.turn}")
        for i in ids
        if state.injects[i].status == InjectStatus.PENDING
    ]


def conditional_releases(state: ExerciseState, pack: Pack) -> list[Release]:
    """Every pending conditional inject of this turn whose condition holds, by inject id.

    All are judged against the same state, before any of them is released, so one
    inject's effects never decide whether another fires at the same point, and the order
    of injects in the pack's files changes nothing. The caller releases them together
    and then asks again: an inject waiting for one of these (``released:``, or a track
    they move) fires right after, in the same way.
    """
    injects = pack.injects_by_id
    out = []
    for inject_id in sorted(pack_index(pack).conditional_by_turn.get(state.turn, ())):
        if state.injects[inject_id].status != InjectStatus.PENDING:
            continue
        verdict = judge(injects[inject_id].condition, state, inject_id)
        if verdict.holds:
            out.append(Release(inject_id, ReleaseCause.CONDITION, verdict.why, verdict.facts))
    return out


@dataclass(frozen=True, slots=True)
class ConditionalStatus:
    """How one conditional inject stands, for control's eyes only."""

    inject_id: str
    title: str
    status: str  # released | queued | skipped | held | not-yet | expired | would-fire | waiting
    explanation: str
    first_turn: int
    last_turn: int
    since: dt.datetime | None = None  # held: when its condition came true (if it holds)


def conditional_status(state: ExerciseState, pack: Pack | None) -> list[ConditionalStatus]:
    if pack is None:
        return []
    out: list[ConditionalStatus] = []
    for inject_id in pack_index(pack).conditional:
        inj = pack.injects_by_id[inject_id]
        live = state.injects[inject_id]
        status, why = _done(live) if live.status != InjectStatus.PENDING else ("", "")
        if not status:
            status, why = _pending(inj, state)
        out.append(
            ConditionalStatus(
                inject_id,
                live.title,
                status,
                why,
                inj.first_turn,
                inj.last_turn,
                live.condition_since,
            )
        )
    return out


def _done(live: InjectState) -> tuple[str, str]:
    """Status and why of a conditional inject control or its condition dealt with."""
    if live.status == InjectStatus.RELEASED:
        why = f"fired in turn {live.turn_released}: {live.why or live.cause}"
        if live.overruled:
            why += f" (its cause was later overruled: {live.overruled})"
        return "released", why
    if live.status == InjectStatus.SKIPPED:
        return "skipped", live.reason or "skipped by control"
    if live.status == InjectStatus.QUEUED:
        return "queued", (
            f"its condition held in turn {live.queued_turn}: {live.why}; "
            "waits for control to release it"
        )
    return "", ""  # held: judged like a pending one, and said to be held


def _pending(inj: Inject, state: ExerciseState) -> tuple[str, str]:
    """Status and why of a conditional inject still to come (or held)."""
    live = state.injects[inj.id]
    first, last = inj.first_turn, inj.last_turn
    window = f"turn {first}" if first == last else f"turns {first}-{last}"
    if live.status == InjectStatus.HELD:
        why = live.reason or "held by control"
        if live.condition_since is not None:
            _, because = evaluate(inj.condition, state, inj.id)
            why += f" · its condition holds now: {because}"
        return "held", why
    if state.turn < first:
        return "not-yet", f"its window is {window}"
    if state.turn > last or state.ended:
        return "expired", f"its window ({window}) has passed"
    holds, why = evaluate(inj.condition, state, inj.id)
    return ("would-fire" if holds else "waiting"), why
