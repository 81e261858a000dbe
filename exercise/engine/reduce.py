"""The one function that changes a session's state: ``apply`` (and the states it builds).

Every handler takes the state, the event's typed body and the event; it checks that
what the event refers to exists (a damaged journal raises ``EventError``) and changes
the state in place. A resume, a branch, a replay and the live session all go through
here, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from sys import intern  # words a long session repeats (roles, kinds): one string each
from typing import TYPE_CHECKING, Any

from exercise.engine import channels_state as ch
from exercise.engine import events as ev
from exercise.engine import review
from exercise.engine.conditions import judge
from exercise.engine.events import Event
from exercise.engine.state import (
    ExerciseState,
    Fact,
    HotwashEntry,
    ImprovementItem,
    InjectState,
    MoveState,
    Observation,
    Ruling,
    SetupState,
    TimerState,
    TrackChange,
    TrackState,
)
from exercise.vocab import (
    TURN_PHASES,
    ConditionKind,
    InjectStatus,
    Phase,
    ReleaseCause,
    ReleaseMode,
)

if TYPE_CHECKING:
    from exercise.pack.models import Pack
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
            audience=inj.audience,  # the pack's own values: shared, never changed
            from_=inj.from_,
            byline=inj.byline,
            effects=inj.effects,
            first_turn=inj.first_turn,
            last_turn=inj.last_turn,
            objectives=inj.objectives,
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


def apply(state: ExerciseState, event: Event, body: ev.Body | None = None) -> ExerciseState:
    """Apply one event to ``state`` in place (and return it).

    The body is read and checked against its typed definition first (unless ``body``
    gives it, from ``typed_body``), and each handler checks that what the event refers
    to exists; a damaged journal raises ``EventError``.
    """
    try:
        if body is None:
            body = ev.parse(event.type, ev.load_body(event.text))
        _HANDLERS[event.type](state, body, event)
    except ev.BodyError as exc:
        raise ev.EventError(event.seq, event.type, str(exc)) from None
    if state.held_conditions:
        _follow_held_conditions(state, event)
    state.events.append(event)
    state.last_seq = event.seq
    state.last_activity = event.ts
    return state


def typed_body(event: Event) -> ev.Body:
    """The event's body, read and checked once (for a caller that applies it again and
    again, as a replay does)."""
    try:
        return ev.parse(event.type, ev.load_body(event.text))
    except ev.BodyError as exc:
        raise ev.EventError(event.seq, event.type, str(exc)) from None


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


def _effects(state: ExerciseState, effects: Mapping[str, int], cause: str, ref: str) -> None:
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
    moves, facts = _cause(state, inj, body)
    _release(state, inj, body.cause, body.why, event)
    inj.cause_moves, inj.cause_facts = moves, facts


def _cause(
    state: ExerciseState, inj: InjectState, body: Any
) -> tuple[tuple[str, ...], tuple[Fact, ...]]:
    """What a condition that released (or queued) ``inj`` rested on: the moves, and all
    the facts. Recorded in the event since they are; in older journals (no such fields)
    they are worked out again here, from the state just before the event, as they were
    when the condition was judged. An inject released from control's queue keeps why it
    fell due."""
    if body.cause != ReleaseCause.CONDITION:
        return (), ()
    if body.condition is not None:
        facts = tuple(_fact(record) for record in body.condition)
    elif inj.status == InjectStatus.QUEUED and inj.cause == ReleaseCause.CONDITION:
        facts = inj.cause_facts
    else:
        facts = _judged(state, inj.inject_id)
    if body.moves is not None:
        moves = tuple(body.moves)
    elif inj.status == InjectStatus.QUEUED and inj.cause == ReleaseCause.CONDITION:
        moves = inj.cause_moves
    else:
        moves = tuple(f.ref for f in facts if f.kind == ConditionKind.MOVE)
    return moves, facts


def _fact(record: dict[str, str]) -> Fact:
    kind, ref = record.get("kind", ""), record.get("ref")
    if kind not in tuple(ConditionKind) or ref is None:
        raise ev.BodyError(
            f"each fact of 'condition' needs a 'kind' ({', '.join(ConditionKind)}) and a 'ref'"
        )
    return Fact(ConditionKind(kind), ref)


def _judged(state: ExerciseState, inject_id: str) -> tuple[Fact, ...]:
    pack = state.pack
    definition = pack.injects_by_id.get(inject_id) if pack is not None else None
    if definition is None or definition.condition is None:
        return ()
    verdict = judge(definition.condition, state, inject_id)
    return verdict.facts if verdict.holds else ()


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
    inj.cause_moves, inj.cause_facts = _cause(state, inj, body)
    inj.status = InjectStatus.QUEUED
    inj.cause = body.cause
    inj.why = body.why
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
    if inj.conditional:
        state.held_conditions[inj.inject_id] = None


def _follow_held_conditions(state: ExerciseState, event: Event) -> None:
    """When each held conditional inject's condition came true (and stayed true).

    Judged after every event, against the state it leaves, within the inject's window:
    the same journal always gives the same moment, in every process and after a resume.
    """
    pack = state.pack
    for inject_id in list(state.held_conditions):
        inj = state.injects[inject_id]
        if inj.status != InjectStatus.HELD:
            del state.held_conditions[inject_id]
            inj.condition_since = None
            continue
        definition = pack.injects_by_id.get(inject_id) if pack is not None else None
        holds = (
            definition is not None
            and definition.condition is not None
            and inj.first_turn <= state.turn <= inj.last_turn
            and not state.ended
            and judge(definition.condition, state, inject_id).holds
        )
        if not holds:
            inj.condition_since = None
        elif inj.condition_since is None:
            inj.condition_since = event.ts


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
        role=intern(body.role),
        kind=intern(body.kind),
        text=body.text,
        targets=tuple(map(intern, body.targets)),
        secret=body.secret,
        tags=tuple(map(intern, body.tags)),
        intent=body.intent,
        reasons=tuple(body.reasons),
        actor=event.actor,
        seq=event.seq,
        ts=event.ts,
    )
    state.moves.append(move)
    state.moves_by_id[move.id] = move
    state.unruled_ids[move.id] = None
    state.moves_by_role_index.setdefault(move.role, []).append(move)
    for tag in dict.fromkeys(move.tags):
        state.moves_by_tag_index.setdefault(tag, []).append(move)


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
            author=intern(body.author) if body.author is not None else event.actor,
            role=intern(body.role) if body.role is not None else None,
            inject=body.inject,
            objective=intern(body.objective) if body.objective is not None else None,
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
    **review.HANDLERS,
}
