"""The state of a session: plain data, and the views that read it.

State is never edited directly: every change is an event in the journal, and the state
is what you get by applying the journal's events in order to ``initial_state(pack)``
(``reduce.py``). That is what makes resume, branch and the live view agree. This module
imports no other part of the engine but the events, so everything may import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from exercise.engine.events import Event
from exercise.vocab import (
    ConditionKind,
    ImprovementStatus,
    InjectStatus,
    Method,
    ObservationKind,
    Outcome,
    Phase,
    Rating,
    ReleaseCause,
    ReleaseMode,
)

if TYPE_CHECKING:
    from exercise.pack.models import Pack

#: Observers view the session as ``observer:<id>``.
OBSERVER_PREFIX = "observer:"


def is_observer(viewer: str) -> bool:
    return viewer.startswith(OBSERVER_PREFIX)


@dataclass(slots=True)
class SetupState:
    """Who plays what. PINs are kept in the journal's meta, never in the state."""

    players: dict[str, str] = field(default_factory=dict)
    control_roles: list[str] = field(default_factory=list)
    name: str = ""
    seed: int = 0
    release: ReleaseMode | Literal[""] = ""  # empty: as the pack says


@dataclass(slots=True)
class TimerState:
    """The deliberation timer, computed from event timestamps (no clock inside)."""

    length_s: int = 0
    started_at: dt.datetime | None = None
    paused: bool = False
    paused_at: dt.datetime | None = None
    paused_total_s: float = 0.0
    skipped: bool = False

    @property
    def running(self) -> bool:
        return self.started_at is not None and not self.paused and not self.skipped

    def remaining(self, now: dt.datetime) -> float:
        """Seconds left at ``now`` (the full length before deliberation starts)."""
        if self.skipped:
            return 0.0
        if self.started_at is None:
            return float(self.length_s)
        until = self.paused_at if self.paused and self.paused_at else now
        elapsed = (until - self.started_at).total_seconds() - self.paused_total_s
        return max(0.0, self.length_s - elapsed)


@dataclass(slots=True)
class TrackChange:
    turn: int
    delta: int
    value: int
    cause: str  # "inject", "ruling", "override", "control", "withdrawn"
    ref: str  # inject id, move id, or the reason control gave
    applied: int | None = None  # the change made once capped at min/max (None: as asked)

    @property
    def effective(self) -> int:
        return self.delta if self.applied is None else self.applied


@dataclass(slots=True)
class TrackState:
    track_id: str
    name: str
    min: int
    max: int
    value: int
    level: str
    history: dict[int, int] = field(default_factory=dict)  # turn -> value at its end (so far)
    changes: list[TrackChange] = field(default_factory=list)

    def by_turn(self, turns: int, initial: int | None = None) -> list[int]:
        """The value at the start, then at the end of each turn 1..``turns`` (so far, for
        the current one): what the report's and the Board's charts draw. A turn without a
        change keeps the value before it. ``initial`` is the start (default: the value
        when turn 1 began, which counts adjustments made before it)."""
        last = self.history.get(0, self.value) if initial is None else initial
        values = [last]
        for turn in range(1, turns + 1):
            last = self.history.get(turn, last)
            values.append(last)
        return values


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing a condition's answer rests on: a move, a track, a release, a message...

    Recorded with the release the condition caused, so what caused it is data, whatever
    the sentence explaining it says.
    """

    kind: ConditionKind
    ref: str  # the move, track, inject or message id; the number a chance drew

    def to_body(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref}


@dataclass(slots=True)
class InjectState:
    """An inject as it stands in the session. What it shares with the pack's definition
    (audience, effects, objectives) is the pack's own value, not a copy: read only."""

    inject_id: str
    status: InjectStatus
    kind: str
    title: str
    body: str
    audience: str | Sequence[str]
    from_: str = "control"
    byline: str = ""
    effects: Mapping[str, int] = field(default_factory=dict)
    first_turn: int = 0
    last_turn: int = 0
    objectives: Sequence[str] = ()
    adhoc: bool = False
    conditional: bool = False
    edited: bool = False
    turn_released: int | None = None
    released_seq: int | None = None
    released_at: dt.datetime | None = None
    cause: ReleaseCause | Literal[""] = ""  # empty: neither released nor queued yet
    why: str = ""  # how a conditional inject fired
    cause_moves: tuple[str, ...] = ()  # moves its condition rested on
    cause_facts: tuple[Fact, ...] = ()  # everything its condition rested on
    overruled: str = ""  # how the ruling that caused it was later overruled
    reason: str = ""  # why it was held or skipped
    queued_at: dt.datetime | None = None  # when it joined control's release queue
    queued_turn: int | None = None
    withdrawn: int = 0  # how often a release was undone
    condition_since: dt.datetime | None = None  # held, and its condition true since then

    @property
    def is_public(self) -> bool:
        return self.audience == "public"

    def visible_to(self, role: str) -> bool:
        return self.audience == "public" or role in self.audience


@dataclass(slots=True)
class Ruling:
    method: Method
    outcome: Outcome
    narrative: str = ""
    effects: dict[str, int] = field(default_factory=dict)  # effects actually applied
    dice: tuple[int, int] | None = None
    pros: int = 0
    cons: int = 0
    total: int | None = None
    seed: int | None = None
    votes: dict[str, int] | None = None
    override_reason: str = ""
    original_outcome: Outcome | Literal[""] = ""  # the outcome an override replaced
    original_narrative: str = ""  # the narrative an override replaced
    turn: int = 0
    seq: int = 0
    ts: dt.datetime | None = None
    move_turn: int = 0  # the turn of the move it answers

    @property
    def late(self) -> bool:
        """Made in a later turn than the move: it counted only from then on."""
        return self.turn > self.move_turn


@dataclass(slots=True)
class MoveState:
    id: str
    turn: int
    role: str
    kind: str
    text: str
    targets: tuple[str, ...] = ()
    secret: bool = False
    tags: tuple[str, ...] = ()
    intent: str = ""
    reasons: tuple[str, ...] = ()
    actor: str = ""
    seq: int = 0
    ts: dt.datetime | None = None
    ruling: Ruling | None = None
    carried_to: int | None = None  # control carried it, unruled, to this turn
    left_unruled: str = ""  # why control left it unruled (empty: not left)

    @property
    def waiting(self) -> bool:
        """Still waits for a ruling: not ruled, and not deliberately left unruled."""
        return self.ruling is None and not self.left_unruled


@dataclass(slots=True)
class Observation:
    id: str
    turn: int
    text: str
    kind: ObservationKind
    author: str = "control"
    role: str | None = None
    inject: str | None = None
    objective: str | None = None
    seq: int = 0
    ts: dt.datetime | None = None
    analysis: str = ""  # root cause
    recommendation: str = ""
    observer: str | None = None  # the observer's id when an observer wrote it
    task: str | None = None  # a critical task of the evaluation guide
    rating: Rating | None = None
    move: str | None = None
    message: str | None = None


@dataclass(slots=True)
class HotwashEntry:
    role: str
    worked: str
    did_not: str
    change: str
    turn: int = 0
    seq: int = 0
    ts: dt.datetime | None = None


@dataclass(slots=True)
class ImprovementItem:
    id: str
    action: str
    objective: str
    owner: str
    due: dt.date
    status: ImprovementStatus = ImprovementStatus.OPEN
    seq: int = 0
    ts: dt.datetime | None = None
    area: str | None = None  # the observation (area for improvement) it answers
    element: str = ""  # planning | organisation | equipment | training | exercise
    poc: str = ""
    start: dt.date | None = None


@dataclass(slots=True)
class FeedItem:
    """One line of the public board: a public inject, a public move or its ruling."""

    kind: str  # inject | move | ruling
    seq: int
    turn: int
    ts: dt.datetime | None
    title: str
    text: str
    role: str | None = None
    ref: str = ""  # inject id or move id
    outcome: Outcome | None = None


@dataclass(slots=True)
class ChannelState:
    id: str
    name: str
    members: list[str]
    direct: bool = False
    switches: list[tuple[int, bool, str]] = field(default_factory=list)  # (from turn, open, why)

    def is_open(self, turn: int) -> bool:
        """Open at ``turn`` unless the last switch at or before it closed it."""
        state = True
        for from_turn, opened, _ in self.switches:
            if from_turn <= turn:
                state = opened
        return state

    def closed_reason(self, turn: int) -> str:
        reason = ""
        for from_turn, opened, why in self.switches:
            if from_turn <= turn:
                reason = "" if opened else why
        return reason


@dataclass(slots=True)
class Message:
    id: str
    channel: str
    turn: int
    text: str
    sender: str  # a role id, or "control"
    voice: str = ""  # the named outside voice control wrote as
    seq: int = 0
    ts: dt.datetime | None = None


@dataclass(slots=True)
class ObjectiveRating:
    objective: str
    rating: Rating
    analysis: str = ""
    seq: int = 0
    ts: dt.datetime | None = None

    @property
    def label(self) -> str:
        return self.rating.label


@dataclass(slots=True)
class ExerciseState:
    pack: Pack | None = field(default=None, repr=False, compare=False)
    setup: SetupState = field(default_factory=SetupState)
    turn: int = 0
    phase: Phase = Phase.SETUP
    ended: bool = False
    started_at: dt.datetime | None = None
    last_activity: dt.datetime | None = None
    timer: TimerState = field(default_factory=TimerState)
    tracks: dict[str, TrackState] = field(default_factory=dict)
    injects: dict[str, InjectState] = field(default_factory=dict)
    moves: list[MoveState] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    hotwash: list[HotwashEntry] = field(default_factory=list)
    improvements: list[ImprovementItem] = field(default_factory=list)
    ratings: dict[str, ObjectiveRating] = field(default_factory=dict)  # by objective id
    summary_text: str = ""  # control's executive summary ('' : the report drafts one)
    channels: dict[str, ChannelState] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    observers: dict[str, str] = field(default_factory=dict)  # observer id -> name
    events: list[Event] = field(default_factory=list)
    released_order: list[str] = field(default_factory=list)
    last_seq: int = 0
    moves_by_id: dict[str, MoveState] = field(default_factory=dict, repr=False, compare=False)
    moves_by_role_index: dict[str, list[MoveState]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # moves by tag: conditions name a tag, and judging one must not scan every move
    moves_by_tag_index: dict[str, list[MoveState]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # indexes for control's lists, so a long session does not scan every move
    unruled_ids: dict[str, None] = field(default_factory=dict, repr=False, compare=False)
    held_conditions: dict[str, None] = field(default_factory=dict, repr=False, compare=False)
    late_ruled_ids: list[str] = field(default_factory=list, repr=False, compare=False)

    # ------------------------------------------------------------------ views

    @property
    def staged(self) -> bool:
        """Staged release: due injects wait in a queue until control releases them."""
        if self.setup.release:
            return self.setup.release == ReleaseMode.STAGED
        return self.pack is not None and self.pack.manifest.release == ReleaseMode.STAGED

    def queued(self) -> list[InjectState]:
        return [inj for inj in self.injects.values() if inj.status == InjectStatus.QUEUED]

    def public_feed(self) -> list[FeedItem]:
        """What the projector may show: public injects, public moves and their rulings."""
        return self.feed(private=False)

    def feed(self, *, private: bool) -> list[FeedItem]:
        """Released injects, moves and rulings in journal order; with ``private``, also
        private injects (titled with their audience) and secret moves, marked: Control's."""
        items: list[FeedItem] = []
        for inject_id in self.released_order:
            inj = self.injects[inject_id]
            if not (inj.is_public or private):
                continue
            title = inj.title if inj.is_public else f"{inj.title} [to {', '.join(inj.audience)}]"
            items.append(
                FeedItem(
                    "inject",
                    inj.released_seq or 0,
                    inj.turn_released or 0,
                    inj.released_at,
                    title,
                    inj.body,
                    None,
                    inj.inject_id,
                )
            )
        for move in self.moves:
            if move.secret and not private:
                continue
            kind = f"{move.kind}, SECRET" if move.secret else move.kind
            items.append(
                FeedItem("move", move.seq, move.turn, move.ts, kind, move.text, move.role, move.id)
            )
            if move.ruling is not None:
                r = move.ruling
                items.append(
                    FeedItem(
                        "ruling",
                        r.seq,
                        r.turn,
                        r.ts,
                        r.method,
                        r.narrative,
                        move.role,
                        move.id,
                        r.outcome,
                    )
                )
        items.sort(key=lambda item: item.seq)
        return items

    def inbox(self, role: str) -> list[InjectState]:
        """Released injects addressed privately to ``role``, in release order."""
        return [
            self.injects[i]
            for i in self.released_order
            if not self.injects[i].is_public and role in self.injects[i].audience
        ]

    def moves_visible_to(self, role: str) -> list[MoveState]:
        """Public moves plus ``role``'s own secret ones ('control' sees everything)."""
        if role == "control":
            return list(self.moves)
        return [m for m in self.moves if not m.secret or m.role == role]

    def released(self) -> list[InjectState]:
        return [self.injects[i] for i in self.released_order]

    def move(self, move_id: str) -> MoveState | None:
        return self.moves_by_id.get(move_id)

    def unruled(self) -> list[MoveState]:
        """Moves without a ruling, of every turn, oldest first."""
        return [self.moves_by_id[m] for m in self.unruled_ids]

    def observations_visible_to(self, viewer: str) -> list[Observation]:
        """Control reads every note; an observer its own, and once the exercise has
        ended (the hotwash) every observer's; a role none."""
        if viewer == "control":
            return list(self.observations)
        if is_observer(viewer):
            mine = viewer.removeprefix(OBSERVER_PREFIX)
            return [
                o for o in self.observations if o.observer == mine or (self.ended and o.observer)
            ]
        return []
