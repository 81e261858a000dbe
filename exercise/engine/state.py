"""The state of a session, and the one function that changes it: ``apply``.

State is never edited directly: every change is an event in the journal, and the state
is what you get by applying the journal's events in order to ``initial_state(pack)``.
That is what makes resume, branch and the live view agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exercise.engine import channels_state as ch
from exercise.engine import events as ev
from exercise.engine.events import Event

if TYPE_CHECKING:
    from exercise.pack.models import Pack

PHASES: tuple[str, ...] = ("injects", "deliberation", "moves", "adjudication", "consequences")
SETUP = "setup"
ENDED = "ended"


@dataclass
class SetupState:
    """Who plays what. PINs are kept in the journal's meta, never in the state."""

    players: dict[str, str] = field(default_factory=dict)
    control_roles: list[str] = field(default_factory=list)
    name: str = ""
    seed: int = 0


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
    cause: str  # "inject", "ruling", "override", "control"
    ref: str  # inject id, move id, or the reason control gave


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
    status: str  # pending | held | released | skipped
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
    cause: str = ""  # scheduled | condition | control | adhoc
    why: str = ""  # how a conditional inject fired
    cause_moves: list[str] = field(default_factory=list)  # moves its condition rested on
    overruled: str = ""  # how the ruling that caused it was later overruled
    reason: str = ""  # why it was held or skipped

    @property
    def is_public(self) -> bool:
        return self.audience == "public"

    def visible_to(self, role: str) -> bool:
        return self.audience == "public" or role in self.audience


@dataclass
class Ruling:
    method: str  # facilitator | matrix | vote
    outcome: str  # accepted | modified | rejected
    narrative: str = ""
    effects: dict[str, int] = field(default_factory=dict)  # effects actually applied
    dice: tuple[int, int] | None = None
    pros: int = 0
    cons: int = 0
    total: int | None = None
    seed: int | None = None
    votes: dict[str, int] | None = None
    override_reason: str = ""
    original_outcome: str = ""
    turn: int = 0
    seq: int = 0
    ts: dt.datetime | None = None


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


@dataclass
class Observation:
    id: str
    turn: int
    text: str
    kind: str  # strength | improvement
    author: str = "control"
    role: str | None = None
    inject: str | None = None
    objective: str | None = None
    seq: int = 0
    ts: dt.datetime | None = None
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
    status: str = "open"
    seq: int = 0
    ts: dt.datetime | None = None


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
    outcome: str | None = None


@dataclass
class ExerciseState:
    pack: Pack | None = field(default=None, repr=False, compare=False)
    setup: SetupState = field(default_factory=SetupState)
    turn: int = 0
    phase: str = SETUP
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

    # ------------------------------------------------------------------ views

    def public_feed(self) -> list[FeedItem]:
        """What the projector may show: public injects, public moves and their rulings."""
        items: list[FeedItem] = []
        for inject_id in self.released_order:
            inj = self.injects[inject_id]
            if inj.is_public:
                items.append(
                    FeedItem("inject", inj.released_seq or 0, inj.turn_released or 0,
                             inj.released_at, inj.title, inj.body, None, inj.inject_id)
                )
        for move in self.moves:
            if move.secret:
                continue
            items.append(
                FeedItem("move", move.seq, move.turn, move.ts, move.kind, move.text, move.role,
                         move.id)
            )
            if move.ruling is not None:
                r = move.ruling
                items.append(
                    FeedItem("ruling", r.seq, r.turn, r.ts, r.method, r.narrative, move.role,
                             move.id, r.outcome)
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
            track.id, track.name, track.min, track.max, track.initial,
            track.level_at(track.initial), {0: track.initial},
        )
    for inj in pack.injects:
        state.injects[inj.id] = InjectState(
            inject_id=inj.id,
            status="pending",
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
    """Apply one event to ``state`` in place (and return it)."""
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(state, event.body, event)
    state.events.append(event)
    state.last_seq = event.seq
    state.last_activity = event.ts
    return state


def _change_track(state: ExerciseState, track_id: str, delta: int, cause: str, ref: str) -> None:
    track = state.tracks.get(track_id)
    if track is None or not delta:
        return
    value = min(track.max, max(track.min, track.value + delta))
    track.value = value
    pack = state.pack
    definition = pack.tracks_by_id.get(track_id) if pack is not None else None
    track.level = definition.level_at(value) if definition is not None else ""
    track.history[state.turn] = value
    track.changes.append(TrackChange(state.turn, delta, value, cause, ref))


def _effects(state: ExerciseState, effects: dict[str, int], cause: str, ref: str) -> None:
    for track_id, delta in effects.items():
        _change_track(state, track_id, int(delta), cause, ref)


def _created(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    setup = body.get("setup", {})
    state.setup = SetupState(
        players=dict(setup.get("players", {})),
        control_roles=list(setup.get("control_roles", [])),
        name=setup.get("name", ""),
        seed=int(setup.get("seed", 0)),
    )
    for observer in setup.get("observers", []):
        state.observers[observer["id"]] = observer["name"]


def _turn_started(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.turn = int(body["turn"])
    state.phase = PHASES[0]
    if state.started_at is None:
        state.started_at = event.ts
    pack = state.pack
    state.timer = TimerState(pack.manifest.deliberation_minutes * 60 if pack is not None else 0)
    for track in state.tracks.values():
        track.history[state.turn] = track.value


def _phase_changed(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.phase = body["phase"]
    if state.phase == "deliberation" and state.timer.started_at is None:
        state.timer.started_at = event.ts


def _ended(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.ended = True
    state.phase = ENDED
    if state.timer.paused:
        state.timer.paused = False


def _released(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    inj = state.injects[body["inject"]]
    inj.status = "released"
    inj.turn_released = state.turn
    inj.released_seq = event.seq
    inj.released_at = event.ts
    inj.cause = body.get("cause", ev.CAUSE_CONTROL)
    inj.why = body.get("why", "")
    inj.cause_moves = _ids(body.get("moves"))
    state.released_order.append(inj.inject_id)
    _effects(state, inj.effects, "inject", inj.inject_id)


def _ids(value: Any) -> list[str]:
    """A list of ids from an event body (nothing from an older or damaged one)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _held(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    inj = state.injects[body["inject"]]
    inj.status = "held"
    inj.reason = body.get("reason", "")


def _skipped(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    inj = state.injects[body["inject"]]
    inj.status = "skipped"
    inj.reason = body.get("reason", "")


def _edited(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    inj = state.injects[body["inject"]]
    if body.get("title") is not None:
        inj.title = body["title"]
    if body.get("body") is not None:
        inj.body = body["body"]
    inj.edited = True


def _adhoc(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    audience = body.get("audience", "public")
    inj = InjectState(
        inject_id=body["inject"],
        status="pending",
        kind=body["kind"],
        title=body["title"],
        body=body["body"],
        audience=audience if audience == "public" else list(audience),
        from_=body.get("from", "control"),
        effects={k: int(v) for k, v in body.get("effects", {}).items()},
        first_turn=state.turn,
        last_turn=state.turn,
        adhoc=True,
    )
    state.injects[inj.inject_id] = inj
    _released(state, {"inject": inj.inject_id, "cause": "adhoc"}, event)


def _move(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    move = MoveState(
        id=body["move"],
        turn=state.turn,
        role=body["role"],
        kind=body["kind"],
        text=body["text"],
        targets=list(body.get("targets", [])),
        secret=bool(body.get("secret", False)),
        tags=list(body.get("tags", [])),
        intent=body.get("intent", ""),
        reasons=list(body.get("reasons", [])),
        actor=event.actor,
        seq=event.seq,
        ts=event.ts,
    )
    state.moves.append(move)
    state.moves_by_id[move.id] = move
    state.moves_by_role_index.setdefault(move.role, []).append(move)


def _ruling(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    move = state.moves_by_id[body["move"]]
    dice = body.get("dice")
    ruling = Ruling(
        method=body["method"],
        outcome=body["outcome"],
        narrative=body.get("narrative", ""),
        effects={k: int(v) for k, v in body.get("effects", {}).items()},
        dice=(int(dice[0]), int(dice[1])) if dice else None,
        pros=int(body.get("pros", 0)),
        cons=int(body.get("cons", 0)),
        total=body.get("total"),
        seed=body.get("seed"),
        votes=dict(body["votes"]) if body.get("votes") is not None else None,
        turn=state.turn,
        seq=event.seq,
        ts=event.ts,
    )
    move.ruling = ruling
    _effects(state, ruling.effects, "ruling", move.id)


def _override(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    move = state.moves_by_id[body["move"]]
    ruling = move.ruling
    assert ruling is not None
    before = ruling.outcome
    if not ruling.original_outcome:
        ruling.original_outcome = ruling.outcome
    ruling.outcome = body["outcome"]
    ruling.override_reason = body.get("reason", "")
    extra = {k: int(v) for k, v in body.get("effects", {}).items()}
    for track_id, delta in extra.items():
        ruling.effects[track_id] = ruling.effects.get(track_id, 0) + delta
    _effects(state, extra, "override", move.id)
    for inject_id in _ids(body.get("overrules")):
        inj = state.injects.get(inject_id)
        if inj is not None:
            inj.overruled = (f"move {move.id} was overruled from {before} "
                             f"to {ruling.outcome} in turn {state.turn}")


def _track(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    _change_track(state, body["track"], int(body["delta"]), "control", body.get("reason", ""))


def _timer_paused(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.timer.paused = True
    state.timer.paused_at = event.ts


def _timer_resumed(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    timer = state.timer
    if timer.paused and timer.paused_at is not None:
        timer.paused_total_s += (event.ts - timer.paused_at).total_seconds()
    timer.paused = False
    timer.paused_at = None


def _timer_extended(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.timer.length_s += int(body["minutes"]) * 60


def _timer_skipped(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.timer.skipped = True


def _observation(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.observations.append(
        Observation(
            id=body["id"],
            turn=state.turn,
            text=body["text"],
            kind=body["kind"],
            author=body.get("author", event.actor),
            role=body.get("role"),
            inject=body.get("inject"),
            objective=body.get("objective"),
            seq=event.seq,
            ts=event.ts,
            observer=body.get("observer"),
            task=body.get("task"),
            rating=body.get("rating"),
            move=body.get("move"),
            message=body.get("message"),
        )
    )


def _hotwash(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.hotwash.append(
        HotwashEntry(body["role"], body["worked"], body["did_not"], body["change"],
                     state.turn, event.seq, event.ts)
    )


def _improvement(state: ExerciseState, body: dict[str, Any], event: Event) -> None:
    state.improvements.append(
        ImprovementItem(
            id=body["id"],
            action=body["action"],
            objective=body["objective"],
            owner=body["owner"],
            due=dt.date.fromisoformat(body["due"]),
            status=body.get("status", "open"),
            seq=event.seq,
            ts=event.ts,
        )
    )


_HANDLERS: dict[str, Callable[[ExerciseState, dict[str, Any], Event], None]] = {
    ev.SESSION_CREATED: _created,
    ev.TURN_STARTED: _turn_started,
    ev.PHASE_CHANGED: _phase_changed,
    ev.EXERCISE_ENDED: _ended,
    ev.INJECT_RELEASED: _released,
    ev.INJECT_HELD: _held,
    ev.INJECT_SKIPPED: _skipped,
    ev.INJECT_EDITED: _edited,
    ev.ADHOC_INJECT: _adhoc,
    ev.MOVE_RECORDED: _move,
    ev.RULING_MADE: _ruling,
    ev.RULING_OVERRIDDEN: _override,
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
