"""The state of a session, and the one function that changes it: ``apply``.

State is never edited directly: every change is an event in the journal, and the state
is what you get by applying the journal's events in order to ``initial_state(pack)``.
That is what makes resume, branch and the live view agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from exercise.engine import channels_state as ch
from exercise.engine import events as ev
from exercise.engine.events import Event
from exercise.vocab import (
    TURN_PHASES,
    ImprovementStatus,
    InjectStatus,
    Method,
    ObservationKind,
    Outcome,
    Phase,
    ReleaseCause,
    ReleaseMode,
)

if TYPE_CHECKING:
    from exercise.pack.models import Pack


@dataclass
class SetupState:
    """Who plays what. PINs are kept in the journal's meta, never in the state."""

    players: dict[str, str] = field(default_factory=dict)
    control_roles: list[str] = field(default_factory=list)
    name: str = ""
    seed: int = 0
    release: ReleaseMode | Literal[""] = ""  # empty: as the pack says


@dataclass
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


@dataclass
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


@dataclass
class TrackState:
    track_id: str
    name: str
    min: int
    max: int
    value: int
    level: str
    history: dict[int, int] = field(default_factory=dict)  # turn -> value at its end (so far)
    changes: list[TrackChange] = field(default_factory=list)


@dataclass
class InjectState:
    inject_id: str
    status: InjectStatus
    kind: str
    title: str
    body: str
    audience: str | list[str]
    from_: str = "control"
    byline: str = ""
    effects: dict[str, int] = field(default_factory=dict)
    first_turn: int = 0
    last_turn: int = 0
    objectives: list[str] = field(default_factory=list)
    adhoc: bool = False
    conditional: bool = False
    edited: bool = False
    turn_released: int | None = None
    released_seq: int | None = None
    released_at: dt.datetime | None = None
    cause: ReleaseCause | Literal[""] = ""  # empty: neither released nor queued yet
    why: str = ""  # how a conditional inject fired
    cause_moves: list[str] = field(default_factory=list)  # moves its condition rested on
    overruled: str = ""  # how the ruling that caused it was later overruled
    reason: str = ""  # why it was held or skipped
    queued_at: dt.datetime | None = None  # when it joined control's release queue
    queued_turn: int | None = None
    withdrawn: int = 0  # how often a release was undone

    @property
    def is_public(self) -> bool:
        return self.audience == "public"

    def visible_to(self, role: str) -> bool:
        return self.audience == "public" or role in self.audience


@dataclass
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


@dataclass
class MoveState:
    id: str
    turn: int
    role: str
    kind: str
    text: str
    targets: list[str] = field(default_factory=list)
    secret: bool = False
    tags: list[str] = field(default_factory=list)
    intent: str = ""
    reasons: list[str] = field(default_factory=list)
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


@dataclass
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
    rating: str | None = None  # P, S, M or U
    move: str | None = None
    message: str | None = None


@dataclass
class HotwashEntry:
    role: str
    worked: str
    did_not: str
    change: str
    turn: int = 0
    seq: int = 0
    ts: dt.datetime | None = None


@dataclass
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


@dataclass
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


@dataclass
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
    ratings: dict[str, Any] = field(default_factory=dict)  # objective id -> ObjectiveRating
    summary_text: str = ""  # control's executive summary ('' : the report drafts one)
    channels: dict[str, ch.ChannelState] = field(default_factory=dict)
    messages: list[ch.Message] = field(default_factory=list)
    observers: dict[str, str] = field(default_factory=dict)  # observer id -> name
    events: list[Event] = field(default_factory=list)
    released_order: list[str] = field(default_factory=list)
    last_seq: int = 0
    moves_by_id: dict[str, MoveState] = field(default_factory=dict, repr=False, compare=False)
    moves_by_role_index: dict[str, list[MoveState]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # indexes for control's lists, so a long session does not scan every move
    unruled_ids: dict[str, None] = field(default_factory=dict, repr=False, compare=False)
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
        items: list[FeedItem] = []
        for inject_id in self.released_order:
            inj = self.injects[inject_id]
            if inj.is_public:
                items.append(
                    FeedItem(
                        "inject",
                        inj.released_seq or 0,
                        inj.turn_released or 0,
                        inj.released_at,
                        inj.title,
                        inj.body,
                        None,
                        inj.inject_id,
                    )
                )
        for move in self.moves:
            if move.secret:
                continue
            items.append(
                FeedItem(
                    "move", move.seq, move.turn, move.ts, move.kind, move.text, move.role, move.id
                )
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

    def conditional_status(self, pack: Pack | None = None) -> list[Any]:
        """For control: each conditional inject, whether it fired, would fire or waits, and why."""
        from exercise.engine.scheduler import conditional_status

        return conditional_status(self, pack or self.pack)

    def move(self, move_id: str) -> MoveState | None:
        return self.moves_by_id.get(move_id)

    def unruled(self) -> list[MoveState]:
        """Moves without a ruling, of every turn, oldest first."""
        return [self.moves_by_id[m] for m in self.unruled_ids]

    def observations_visible_to(self, viewer: str) -> list[Observation]:
        """Control reads every note; an observer only its own; a role none."""
        if viewer == "control":
            return list(self.observations)
        if ch.is_observer(viewer):
            mine = viewer.removeprefix(ch.OBSERVER_PREFIX)
            return [o for o in self.observations if o.observer == mine]
        return []


# ---------------------------------------------------------------------- building


def initial_state(pack: Pack) -> ExerciseState:
    """The state before any event: tracks at their initial values, every inject pending."""
    state = ExerciseState(pack=pack)
    for track in pack.manifest.tracks:
        state.tracks[track.id] = TrackState(
            track.id,
            track.name,
            track.min,
            track.max,
            track.initial,
            track.level_at(track.initial),
            {0: track.initial},
        )
    for inj in pack.injects:
        state.injects[inj.id] = InjectState(
            inject_id=inj.id,
            status=InjectStatus.PENDING,
            kind=inj.kind,
            title=inj.title,
            body=inj.body,
            audience=inj.audience if inj.audience == "public" else list(inj.audience),
            from_=inj.from_,
            byline=inj.byline,
            effects=dict(inj.effects),
            first_turn=inj.first_turn,
            last_turn=inj.last_turn,
            objectives=list(inj.objectives),
            conditional=inj.condition is not None,
        )
    state.timer.length_s = pack.manifest.deliberation_minutes * 60
    state.channels = ch.pack_channels(pack)
    return state


def replay(pack: Pack, events: list[Event]) -> ExerciseState:
    state = initial_state(pack)
    for event in events:
        apply(state, event)
    return state


# ---------------------------------------------------------------------- the reducer


def apply(state: ExerciseState, event: Event) -> ExerciseState:
    """Apply one event to ``state`` in place (and return it).

    The body is checked against its typed definition first, and each handler checks
    that what the event refers to exists; a damaged journal raises ``EventError``.
    """
    try:
        body = ev.parse(event.type, event.body)
        _HANDLERS[event.type](state, body, event)
    except ev.BodyError as exc:
        raise ev.EventError(event.seq, event.type, str(exc)) from None
    state.events.append(event)
    state.last_seq = event.seq
    state.last_activity = event.ts
    return state


def _known_inject(state: ExerciseState, inject_id: str) -> InjectState:
    inj = state.injects.get(inject_id)
    if inj is None:
        raise ev.BodyError(f"there is no inject {inject_id[:60]!r} in the pack or the session")
    return inj


def _known_move(state: ExerciseState, move_id: str) -> MoveState:
    move = state.moves_by_id.get(move_id)
    if move is None:
        raise ev.BodyError(f"there is no move {move_id[:60]!r} before this event")
    return move


def _change_track(state: ExerciseState, track_id: str, delta: int, cause: str, ref: str) -> None:
    track = state.tracks.get(track_id)
    if track is None or not delta:
        return
    value = min(track.max, max(track.min, track.value + delta))
    applied = value - track.value
    track.value = value
    pack = state.pack
    definition = pack.tracks_by_id.get(track_id) if pack is not None else None
    track.level = definition.level_at(value) if definition is not None else ""
    track.history[state.turn] = value
    track.changes.append(
        TrackChange(state.turn, delta, value, cause, ref, None if applied == delta else applied)
    )


def _effects(state: ExerciseState, effects: dict[str, int], cause: str, ref: str) -> None:
    for track_id, delta in effects.items():
        _change_track(state, track_id, delta, cause, ref)


def _created(state: ExerciseState, body: Any, event: Event) -> None:
    if event.seq != 1 and state.last_seq:
        raise ev.BodyError("a session is created only by its first event")
    setup = body.setup
    state.setup = SetupState(
        players=dict(setup.players),
        control_roles=list(setup.control_roles),
        name=setup.name,
        seed=setup.seed,
        release=ReleaseMode(setup.release) if setup.release else "",
    )
    for observer in setup.observers:
        if not observer.get("id") or not observer.get("name"):
            raise ev.BodyError("each observer of the setup needs an 'id' and a 'name'")
        state.observers[observer["id"]] = observer["name"]


def _turn_started(state: ExerciseState, body: Any, event: Event) -> None:
    if body.turn != state.turn + 1:
        raise ev.BodyError(f"turn {body.turn} cannot follow turn {state.turn}")
    state.turn = body.turn
    state.phase = TURN_PHASES[0]
    if state.started_at is None:
        state.started_at = event.ts
    pack = state.pack
    state.timer = TimerState(pack.manifest.deliberation_minutes * 60 if pack is not None else 0)
    for track in state.tracks.values():
        track.history[state.turn] = track.value


def _phase_changed(state: ExerciseState, body: Any, event: Event) -> None:
    if state.turn == 0:
        raise ev.BodyError("a phase changes before the first turn started")
    state.phase = body.phase
    if state.phase == Phase.DELIBERATION and state.timer.started_at is None:
        state.timer.started_at = event.ts


def _ended(state: ExerciseState, body: Any, event: Event) -> None:
    state.ended = True
    state.phase = Phase.ENDED
    if state.timer.paused:
        state.timer.paused = False


def _released(state: ExerciseState, body: Any, event: Event) -> None:
    inj = _known_inject(state, body.inject)
    _release(state, inj, body.cause, body.why, event)
    inj.cause_moves = list(body.moves)


def _release(
    state: ExerciseState, inj: InjectState, cause: ReleaseCause, why: str, event: Event
) -> None:
    if inj.status == InjectStatus.RELEASED:
        raise ev.BodyError(f"inject {inj.inject_id!r} was already released")
    inj.status = InjectStatus.RELEASED
    inj.reason = ""
    inj.turn_released = state.turn
    inj.released_seq = event.seq
    inj.released_at = event.ts
    inj.cause = cause
    inj.why = why
    state.released_order.append(inj.inject_id)
    _effects(state, inj.effects, "inject", inj.inject_id)


def _queued(state: ExerciseState, body: Any, event: Event) -> None:
    inj = _known_inject(state, body.inject)
    if inj.status == InjectStatus.RELEASED:
        raise ev.BodyError(f"inject {inj.inject_id!r} was already released")
    inj.status = InjectStatus.QUEUED
    inj.cause = body.cause
    inj.why = body.why
    inj.cause_moves = list(body.moves)
    inj.reason = ""
    inj.queued_at = event.ts
    inj.queued_turn = state.turn


def _withdrawn(state: ExerciseState, body: Any, event: Event) -> None:
    inj = _known_inject(state, body.inject)
    if inj.status != InjectStatus.RELEASED:
        raise ev.BodyError(f"inject {inj.inject_id!r} was not released: nothing to withdraw")
    inj.status = InjectStatus.QUEUED
    inj.reason = body.reason
    if inj.inject_id in state.released_order:
        state.released_order.remove(inj.inject_id)
    inj.turn_released = None
    inj.released_seq = None
    inj.released_at = None
    inj.withdrawn += 1
    _effects(state, {k: -v for k, v in inj.effects.items()}, "withdrawn", inj.inject_id)


def _held(state: ExerciseState, body: Any, event: Event) -> None:
    inj = _known_inject(state, body.inject)
    inj.status = InjectStatus.HELD
    inj.reason = body.reason


def _skipped(state: ExerciseState, body: Any, event: Event) -> None:
    inj = _known_inject(state, body.inject)
    inj.status = InjectStatus.SKIPPED
    inj.reason = body.reason


def _edited(state: ExerciseState, body: Any, event: Event) -> None:
    inj = _known_inject(state, body.inject)
    if body.title is not None:
        inj.title = body.title
    if body.body is not None:
        inj.body = body.body
    inj.edited = True


def _adhoc(state: ExerciseState, body: Any, event: Event) -> None:
    if body.inject in state.injects:
        raise ev.BodyError(f"inject {body.inject[:60]!r} already exists")
    audience = body.audience
    inj = InjectState(
        inject_id=body.inject,
        status=InjectStatus.PENDING,
        kind=body.kind,
        title=body.title,
        body=body.body,
        audience=audience if audience == "public" else list(audience),
        from_=body.from_,
        effects=dict(body.effects),
        first_turn=state.turn,
        last_turn=state.turn,
        adhoc=True,
    )
    state.injects[inj.inject_id] = inj
    _release(state, inj, ReleaseCause.ADHOC, "", event)


def _move(state: ExerciseState, body: Any, event: Event) -> None:
    if body.move in state.moves_by_id:
        raise ev.BodyError(f"move {body.move[:60]!r} was already recorded")
    move = MoveState(
        id=body.move,
        turn=state.turn,
        role=body.role,
        kind=body.kind,
        text=body.text,
        targets=list(body.targets),
        secret=body.secret,
        tags=list(body.tags),
        intent=body.intent,
        reasons=list(body.reasons),
        actor=event.actor,
        seq=event.seq,
        ts=event.ts,
    )
    state.moves.append(move)
    state.moves_by_id[move.id] = move
    state.unruled_ids[move.id] = None
    state.moves_by_role_index.setdefault(move.role, []).append(move)


def _ruling(state: ExerciseState, body: Any, event: Event) -> None:
    move = _known_move(state, body.move)
    dice = body.dice
    ruling = Ruling(
        method=body.method,
        outcome=body.outcome,
        narrative=body.narrative,
        effects=dict(body.effects),
        dice=(dice[0], dice[1]) if dice else None,
        pros=body.pros,
        cons=body.cons,
        total=body.total,
        seed=body.seed,
        votes=dict(body.votes) if body.votes is not None else None,
        turn=state.turn,
        seq=event.seq,
        ts=event.ts,
        move_turn=move.turn,
    )
    move.ruling = ruling
    state.unruled_ids.pop(move.id, None)
    if ruling.late:
        state.late_ruled_ids.append(move.id)
    _effects(state, ruling.effects, "ruling", move.id)


def _override(state: ExerciseState, body: Any, event: Event) -> None:
    move = _known_move(state, body.move)
    ruling = move.ruling
    if ruling is None:
        raise ev.BodyError(f"move {move.id!r} has no ruling to override")
    before = ruling.outcome
    if not ruling.original_outcome:
        ruling.original_outcome = ruling.outcome
    ruling.outcome = body.outcome
    ruling.override_reason = body.reason
    if body.narrative:
        if not ruling.original_narrative:
            ruling.original_narrative = ruling.narrative
        ruling.narrative = body.narrative
    extra = dict(body.effects)
    for track_id, delta in extra.items():
        ruling.effects[track_id] = ruling.effects.get(track_id, 0) + delta
    _effects(state, extra, "override", move.id)
    for inject_id in body.overrules:
        inj = state.injects.get(inject_id)
        if inj is not None:
            inj.overruled = (
                f"move {move.id} was overruled from {before} "
                f"to {ruling.outcome} in turn {state.turn}"
            )


def _narrated(state: ExerciseState, body: Any, event: Event) -> None:
    ruling = _known_move(state, body.move).ruling
    if ruling is None:
        raise ev.BodyError(f"move {body.move!r} has no ruling to narrate")
    ruling.narrative = body.narrative


def _carried(state: ExerciseState, body: Any, event: Event) -> None:
    move = _known_move(state, body.move)
    move.carried_to = body.to_turn
    move.left_unruled = ""


def _left_unruled(state: ExerciseState, body: Any, event: Event) -> None:
    move = _known_move(state, body.move)
    move.left_unruled = body.reason or "left unruled"


def _phase_reverted(state: ExerciseState, body: Any, event: Event) -> None:
    left = state.phase
    state.phase = body.phase
    if left == Phase.DELIBERATION and state.phase != Phase.DELIBERATION:
        # deliberation had not begun in earnest: its timer starts again on re-entry
        state.timer = TimerState(state.timer.length_s)


def _track(state: ExerciseState, body: Any, event: Event) -> None:
    _change_track(state, body.track, body.delta, "control", body.reason)


def _timer_paused(state: ExerciseState, body: Any, event: Event) -> None:
    state.timer.paused = True
    state.timer.paused_at = event.ts


def _timer_resumed(state: ExerciseState, body: Any, event: Event) -> None:
    timer = state.timer
    if timer.paused and timer.paused_at is not None:
        timer.paused_total_s += (event.ts - timer.paused_at).total_seconds()
    timer.paused = False
    timer.paused_at = None


def _timer_extended(state: ExerciseState, body: Any, event: Event) -> None:
    state.timer.length_s += body.minutes * 60


def _timer_skipped(state: ExerciseState, body: Any, event: Event) -> None:
    state.timer.skipped = True


def _observation(state: ExerciseState, body: Any, event: Event) -> None:
    if body.observer is not None and body.observer not in state.observers:
        raise ev.BodyError(f"there is no observer {body.observer[:60]!r} before this event")
    if body.move is not None:
        _known_move(state, body.move)
    if body.message is not None and all(m.id != body.message for m in state.messages):
        raise ev.BodyError(f"there is no message {body.message[:60]!r} before this event")
    state.observations.append(
        Observation(
            id=body.id,
            turn=state.turn,
            text=body.text,
            kind=body.kind,
            author=body.author if body.author is not None else event.actor,
            role=body.role,
            inject=body.inject,
            objective=body.objective,
            seq=event.seq,
            ts=event.ts,
            analysis=body.analysis,
            recommendation=body.recommendation,
            observer=body.observer,
            task=body.task,
            rating=body.rating,
            move=body.move,
            message=body.message,
        )
    )


def _hotwash(state: ExerciseState, body: Any, event: Event) -> None:
    state.hotwash.append(
        HotwashEntry(
            body.role, body.worked, body.did_not, body.change, state.turn, event.seq, event.ts
        )
    )


def _improvement(state: ExerciseState, body: Any, event: Event) -> None:
    try:
        due = body.due_date()
    except ValueError:
        raise ev.BodyError(f"'due' is {body.due[:40]!r}, not a date like 2026-06-30") from None
    state.improvements.append(
        ImprovementItem(
            id=body.id,
            action=body.action,
            objective=body.objective,
            owner=body.owner,
            due=due,
            status=body.status,
            seq=event.seq,
            ts=event.ts,
            area=body.area,
            element=body.element,
            poc=body.poc,
            start=body.start_date(),
        )
    )


_HANDLERS: dict[str, Callable[[ExerciseState, Any, Event], None]] = {
    ev.SESSION_CREATED: _created,
    ev.TURN_STARTED: _turn_started,
    ev.PHASE_CHANGED: _phase_changed,
    ev.EXERCISE_ENDED: _ended,
    ev.INJECT_RELEASED: _released,
    ev.INJECT_QUEUED: _queued,
    ev.INJECT_WITHDRAWN: _withdrawn,
    ev.INJECT_HELD: _held,
    ev.INJECT_SKIPPED: _skipped,
    ev.INJECT_EDITED: _edited,
    ev.ADHOC_INJECT: _adhoc,
    ev.MOVE_RECORDED: _move,
    ev.RULING_MADE: _ruling,
    ev.RULING_OVERRIDDEN: _override,
    ev.RULING_NARRATED: _narrated,
    ev.MOVE_CARRIED: _carried,
    ev.MOVE_LEFT_UNRULED: _left_unruled,
    ev.PHASE_REVERTED: _phase_reverted,
    ev.TRACK_ADJUSTED: _track,
    ev.TIMER_PAUSED: _timer_paused,
    ev.TIMER_RESUMED: _timer_resumed,
    ev.TIMER_EXTENDED: _timer_extended,
    ev.TIMER_SKIPPED: _timer_skipped,
    ev.OBSERVATION_ADDED: _observation,
    ev.HOTWASH_ADDED: _hotwash,
    ev.IMPROVEMENT_ADDED: _improvement,
    ev.MESSAGE_POSTED: ch.on_message,
    ev.CHANNEL_CLOSED: ch.on_switch,
    ev.CHANNEL_OPENED: ch.on_switch,
    ev.OBSERVER_ADDED: ch.on_observer,
}


def _review_handlers() -> None:
    from exercise.engine.review import HANDLERS

    _HANDLERS.update(HANDLERS)


_review_handlers()
