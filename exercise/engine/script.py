"""Rehearsal scripts: a whole exercise written down as YAML, played without the app.

A script lists, per turn and phase, what control and the players do: holds, skips,
edits and ad-hoc injects, moves, rulings of every method, track adjustments, timer
actions, observations, hotwash entries and improvement-plan items. ``simulate``
plays it into a session file, ``preview`` into memory, tests use it to drive sessions.

Every reference in a script is checked against the pack before anything is played, and
every problem, including one the engine raises mid-play, is reported as
``path:line:col``. Moves get their ids (m1, m2...) when the script is planned, so a
session interrupted half way can be resumed from where its journal ends.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from exercise.engine.errors import EngineError
from exercise.engine.script_format import (
    AdhocAction,
    CloseAction,
    EditAction,
    HoldAction,
    HotwashAction,
    ImproveAction,
    LoadedScript,
    MessageAction,
    MoveAction,
    ObserveAction,
    OpenAction,
    OverrideAction,
    RateAction,
    ReleaseAction,
    RollAction,
    RuleAction,
    Script,
    SkipAction,
    SummaryAction,
    TimerAction,
    TrackAction,
    TurnScript,
    VoteAction,
    WaitAction,
    load_script,
    parse_script,
)
from exercise.engine.script_refs import ScriptRefs
from exercise.pack.models import Pack
from exercise.pack.yamlpos import DataPath
from exercise.problems import Problem, ProblemsError
from exercise.vocab import TURN_PHASES, ReleaseMode

DEFAULT_START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)

__all__ = [
    "DEFAULT_START",
    "LoadedScript",
    "ResumeFrom",
    "Script",
    "Step",
    "load_script",
    "parse_script",
    "plan",
    "resume_point",
    "run_steps",
    "setup_for",
]

# --------------------------------------------------------------------------- planning


@dataclass
class Step:
    """One engine operation of the script (or a turn-end marker), ready to run."""

    kind: str  # "op" or "turn_end"
    run: Callable[[Any, dt.datetime], Any] | None
    now: dt.datetime
    where: DataPath
    turn: int


@dataclass(frozen=True)
class ResumeFrom:
    """Where an existing session (a branch) stands, for a script that continues it."""

    turn: int
    phase: str
    moves: int  # moves already recorded, so the script's move ids follow on
    now: dt.datetime  # the session's last activity: the script's clock starts no earlier
    observations: int = 0  # observations already written, so new ids follow on

    @classmethod
    def of(cls, state: Any) -> ResumeFrom:
        return cls(
            state.turn,
            state.phase,
            len(state.moves),
            state.last_activity or DEFAULT_START,
            len(state.observations),
        )

    def where(self) -> str:
        return f"the session stands in turn {self.turn}, {self.phase} phase"


def channel_step(a: Any) -> Callable[[Any, dt.datetime], Any]:
    """The session operation of a message, close or open action."""
    if isinstance(a, MessageAction):
        sender = a.from_ or "control"
        return lambda s, now: s.post_message(
            a.message, a.text, sender=sender, voice=a.voice or "", now=now
        )
    if isinstance(a, CloseAction):
        return lambda s, now: s.close_channel(
            a.close, from_turn=a.from_turn, reason=a.reason, now=now
        )
    return lambda s, now: s.open_channel(a.open, from_turn=a.from_turn, reason=a.reason, now=now)


def observer_step(a: Any, move_id: str | None) -> Callable[[Any, dt.datetime], Any]:
    """An observer's note (by name), or control's note against a critical task."""

    def run(s: Any, now: dt.datetime) -> Any:
        if a.observer is None:
            goal = a.objective
            if a.task is not None and a.task in s.pack.critical_tasks_by_id:
                goal = s.pack.critical_tasks_by_id[a.task].objective
            return s.add_observation(
                a.observe,
                author=a.author,
                kind=a.kind,
                role=a.role,
                inject=a.inject,
                objective=goal,
                analysis=a.analysis,
                recommendation=a.recommendation,
                now=now,
            )
        ids = {name: oid for oid, name in s.state.observers.items()}
        if a.observer not in ids:
            raise EngineError(f"there is no observer named {a.observer} (list it under observers)")
        kind = a.kind if "kind" in a.model_fields_set else None
        return s.add_observer_note(
            ids[a.observer],
            a.observe,
            task=a.task,
            rating=a.rating,
            kind=kind,
            move=move_id,
            inject=a.inject,
            objective=a.objective if a.task is None else None,
            now=now,
        )

    return run


def setup_for(loaded: LoadedScript, pack: Pack, seed: int | None = None) -> Any:
    """Who plays what: ``players`` (default: every role the pack gives to a player), and
    control for every other role unless ``control_roles`` says otherwise."""
    from exercise.engine.session import SessionSetup

    script = loaded.script
    players = script.players
    if players is None:
        players = {r.id: f"Player ({r.short_name})" for r in pack.roles if r.played_by == "player"}
    control = script.control_roles
    if control is None:
        control = [r.id for r in pack.roles if r.id not in players]
    return SessionSetup(
        players=dict(players),
        control_roles=list(control),
        seed=script.seed if seed is None else seed,
        name=script.name,
        release=ReleaseMode.AUTOMATIC,  # a script releases what falls due
        observers=dict.fromkeys(script.observers, ""),
    )


def plan(loaded: LoadedScript, pack: Pack, resume: ResumeFrom | None = None) -> list[Step]:
    """Turn the script into a flat list of steps; reference problems raise ProblemsError.

    With ``resume`` the steps continue a session from where it stands: its turn is
    already started and its earlier phases are over, so actions there are problems.
    """
    script = loaded.script
    started = resume is not None and resume.turn > 0
    first_turn = resume.turn if resume is not None and started else 1
    first_phase = TURN_PHASES.index(resume.phase) if resume is not None and started else 0
    problems: list[Problem] = []
    turns = pack.manifest.turns
    known = pack.roles_by_id
    for role in script.players or {}:
        if role not in known:
            problems.append(
                loaded.positions.problem(
                    ("players", role), f"there is no role '{role}' in the pack", key=True
                )
            )
    for index, role in enumerate(script.control_roles or []):
        if role not in known:
            problems.append(
                loaded.problem(("control_roles", index), f"there is no role '{role}' in the pack")
            )
    if script.control_roles is not None and script.players is None:
        problems.append(
            loaded.positions.problem(
                ("control_roles",),
                "control_roles needs players: list who plays each role under players "
                "(role: player name); every role not listed in players is played by control",
                key=True,
            )
        )
    setup = setup_for(loaded, pack)
    refs = ScriptRefs(loaded, pack, [*setup.players, *setup.control_roles])
    by_turn: dict[int, tuple[int, TurnScript]] = {}
    for index, turn in enumerate(script.turns):
        if turn.turn > turns:
            problems.append(
                loaded.problem(
                    ("turns", index, "turn"), f"the pack has {turns} turns, not {turn.turn}"
                )
            )
        elif turn.turn < first_turn:
            assert resume is not None
            problems.append(
                loaded.problem(
                    ("turns", index, "turn"), f"turn {turn.turn} is already over: {resume.where()}"
                )
            )
        elif turn.turn in by_turn:
            problems.append(
                loaded.problem(("turns", index, "turn"), f"turn {turn.turn} is scripted twice")
            )
        else:
            by_turn[turn.turn] = (index, turn)
    clock = [_start_time(script.start)]
    if resume is not None:
        clock[0] = max(clock[0], resume.now)
    step_delta = dt.timedelta(minutes=script.step_minutes)
    steps: list[Step] = []
    labels: dict[str, str] = {}
    move_count = [resume.moves if resume is not None else 0]
    observations: dict[str, str] = {}  # label -> observation id
    obs_count = [resume.observations if resume is not None else 0]
    current_turn = [0]
    turn_moves: dict[str, list[str]] = {}

    def tick() -> dt.datetime:
        clock[0] += step_delta
        return clock[0]

    def op(where: DataPath, run: Callable[[Any, dt.datetime], Any]) -> None:
        steps.append(Step("op", run, tick(), where, current_turn[0]))

    def actions(items: list[Any], where: DataPath) -> None:
        for index, action in enumerate(items):
            here = (*where, index)
            refs.check(action, here)
            try:
                _plan_action(action, here)
            except _PlanError as exc:
                problems.append(loaded.problem((*here, *exc.field), str(exc)))

    def move_ref(ref: str, key: str) -> str:
        if ref in labels:
            return labels[ref]
        if ref in turn_moves:
            ids = turn_moves[ref]
            if len(ids) > 1:
                raise _PlanError(f"{ref} made {len(ids)} moves this turn: give them labels", key)
            return ids[0]
        close = difflib.get_close_matches(ref, [*labels, *turn_moves], n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _PlanError(
            f"no move labelled '{ref}' and no move by a role '{ref}' this turn{hint}", key
        )

    def _plan_action(a: Any, here: DataPath) -> None:
        if isinstance(a, WaitAction):
            clock[0] += dt.timedelta(minutes=a.wait)
        elif isinstance(a, HoldAction):
            op(here, lambda s, now, a=a: s.hold_inject(a.hold, reason=a.reason, now=now))
        elif isinstance(a, ReleaseAction):
            op(here, lambda s, now, a=a: s.release_inject(a.release, now=now))
        elif isinstance(a, SkipAction):
            op(here, lambda s, now, a=a: s.skip_inject(a.skip, a.reason, now=now))
        elif isinstance(a, EditAction):
            op(here, lambda s, now, a=a: s.edit_inject(a.edit, a.title, a.body, now=now))
        elif isinstance(a, AdhocAction):
            spec = a.adhoc
            op(
                here,
                lambda s, now, spec=spec: s.adhoc_inject(
                    spec.kind,
                    spec.title,
                    spec.body,
                    spec.audience if spec.audience == "public" else list(spec.audience),
                    dict(spec.effects),
                    now=now,
                    source=spec.from_,
                ),
            )
        elif isinstance(a, MoveAction):
            spec = a.move
            move_count[0] += 1
            move_id = f"m{move_count[0]}"
            if spec.label:
                if spec.label in labels:
                    raise _PlanError(f"the label '{spec.label}' is used twice", "move", "label")
                labels[spec.label] = move_id
            turn_moves.setdefault(spec.role, []).append(move_id)
            op(
                here,
                lambda s, now, spec=spec: s.record_move(
                    spec.role,
                    spec.kind,
                    spec.text,
                    targets=list(spec.targets),
                    secret=spec.secret,
                    tags=list(spec.tags),
                    intent=spec.intent,
                    reasons=list(spec.reasons),
                    now=now,
                    actor=spec.actor,
                ),
            )
        elif isinstance(a, RuleAction):
            mid = move_ref(a.rule, "rule")
            op(
                here,
                lambda s, now, a=a, mid=mid: s.rule(
                    mid, a.outcome, a.narrative, effects=dict(a.effects), now=now
                ),
            )
        elif isinstance(a, RollAction):
            mid = move_ref(a.roll, "roll")
            op(
                here,
                lambda s, now, a=a, mid=mid: s.roll_matrix(
                    mid,
                    a.pros,
                    a.cons,
                    a.narrative,
                    dict(a.effects),
                    fail_effects=dict(a.fail_effects),
                    now=now,
                ),
            )
        elif isinstance(a, VoteAction):
            mid = move_ref(a.vote, "vote")
            op(
                here,
                lambda s, now, a=a, mid=mid: s.vote(
                    mid, a.for_, a.against, a.abstain, a.narrative, dict(a.effects), now=now
                ),
            )
        elif isinstance(a, OverrideAction):
            mid = move_ref(a.override, "override")
            op(
                here,
                lambda s, now, a=a, mid=mid: s.override_ruling(
                    mid, a.outcome, a.reason, effects=dict(a.effects), now=now
                ),
            )
        elif isinstance(a, TrackAction):
            op(here, lambda s, now, a=a: s.adjust_track(a.track, a.delta, a.reason, now=now))
        elif isinstance(a, TimerAction):
            if a.timer == "extend":
                if a.minutes is None:
                    raise _PlanError("say by how many minutes: 'minutes: 5'", "timer")
                op(here, lambda s, now, a=a: s.timer_extend(a.minutes, now=now))
            else:
                method = {"pause": "timer_pause", "resume": "timer_resume", "skip": "timer_skip"}[
                    a.timer
                ]
                op(here, lambda s, now, m=method: getattr(s, m)(now=now))
        elif isinstance(a, MessageAction | CloseAction | OpenAction):
            op(here, channel_step(a))
        elif isinstance(a, ObserveAction):
            obs_count[0] += 1
            if a.label:
                if a.label in observations:
                    raise _PlanError(f"the observation label '{a.label}' is used twice")
                observations[a.label] = f"obs-{obs_count[0]}"
            if a.observer or a.task or a.rating or a.about_move:
                mid = move_ref(a.about_move, "about_move") if a.about_move else None
                op(here, observer_step(a, mid))
                return
            op(
                here,
                lambda s, now, a=a: s.add_observation(
                    a.observe,
                    author=a.author,
                    kind=a.kind,
                    role=a.role,
                    inject=a.inject,
                    objective=a.objective,
                    analysis=a.analysis,
                    recommendation=a.recommendation,
                    now=now,
                ),
            )
        elif isinstance(a, HotwashAction):
            op(
                here,
                lambda s, now, a=a: s.add_hotwash(
                    a.hotwash, a.worked, a.did_not, a.change, now=now
                ),
            )
        elif isinstance(a, ImproveAction):
            area = None
            if a.area is not None:
                if a.area not in observations:
                    raise _PlanError(f"no observation labelled '{a.area}' before this item")
                area = observations[a.area]
            op(
                here,
                lambda s, now, a=a, area=area: s.add_improvement(
                    a.improve,
                    a.objective,
                    a.owner,
                    a.due,
                    a.status,
                    now=now,
                    area=area,
                    element=a.element or "",
                    poc=a.poc,
                    start=a.start,
                ),
            )
        elif isinstance(a, RateAction):
            op(here, lambda s, now, a=a: s.rate_objective(a.rate, a.rating, a.analysis, now=now))
        elif isinstance(a, SummaryAction):
            op(here, lambda s, now, a=a: s.write_summary(a.summary, now=now))

    if started and script.before:
        assert resume is not None
        problems.append(loaded.problem(("before",), f"'before' is already over: {resume.where()}"))
    else:
        actions(script.before, ("before",))
    for turn in range(first_turn, turns + 1):
        current_turn[0] = turn
        turn_moves.clear()
        resumed = started and turn == first_turn
        if turn == 1 and not resumed:
            op(("turns",), lambda s, now: s.start(now=now))
        elif not resumed:
            op(("turns",), lambda s, now: s.advance_phase(now=now))
        index, entry = by_turn.get(turn, (None, None))
        for phase_index, phase in enumerate(TURN_PHASES):
            if resumed and phase_index < first_phase:
                if entry is not None and getattr(entry, phase):
                    assert resume is not None
                    problems.append(
                        loaded.problem(
                            ("turns", index, phase),
                            f"the {phase} phase of turn {turn} is already over: {resume.where()}",
                        )
                    )
                continue
            if phase_index and not (resumed and phase_index == first_phase):
                op(
                    ("turns", index) if index is not None else ("turns",),
                    lambda s, now: s.advance_phase(now=now),
                )
            if entry is not None:
                actions(getattr(entry, phase), ("turns", index, phase))
        steps.append(Step("turn_end", None, clock[0], ("turns",), turn))
        if not script.end and turn == max(by_turn, default=first_turn):
            break
    else:
        current_turn[0] = turns
        op(("turns",), lambda s, now: s.advance_phase(now=now))
    actions(script.after, ("after",))
    problems.extend(refs.problems)
    if problems:
        raise ProblemsError(sorted(set(problems)))
    return steps


def _start_time(text: str | None) -> dt.datetime:
    """The script's clock at the start; a time without a zone is taken as UTC."""
    if not text:
        return DEFAULT_START
    start = dt.datetime.fromisoformat(text)
    return start if start.tzinfo else start.replace(tzinfo=dt.UTC)


class _PlanError(Exception):
    """A script mistake found while planning; ``field`` is the path, in the action, of
    the value to point at."""

    def __init__(self, message: str, *field: str) -> None:
        super().__init__(message)
        self.field = field


def run_steps(
    session: Any,
    steps: list[Step],
    loaded: LoadedScript,
    *,
    start: int = 0,
    on_step: Callable[[int, Step], None] | None = None,
) -> None:
    """Play ``steps[start:]`` into ``session``; an engine refusal becomes a path:line:col."""
    for index in range(start, len(steps)):
        step = steps[index]
        if step.run is not None:
            try:
                step.run(session, step.now)
            except EngineError as exc:
                raise ProblemsError([loaded.problem(step.where, str(exc))]) from None
        if on_step is not None:
            on_step(index, step)


def iter_turn_ends(steps: list[Step]) -> Iterator[int]:
    for index, step in enumerate(steps):
        if step.kind == "turn_end":
            yield index


def resume_point(session: Any, steps: list[Step], pack: Pack, loaded: LoadedScript) -> int:
    """Index of the first step not yet in ``session``'s journal (for interrupted runs)."""
    from exercise.engine.session import Session

    target = session.state.last_seq
    probe = Session.memory(
        pack, setup_for(loaded, pack, session.state.setup.seed), now=session.state.events[0].ts
    )
    if probe.state.last_seq == target:
        return 0
    for index, step in enumerate(steps):
        if step.run is not None:
            step.run(probe, step.now)
        if probe.state.last_seq == target:
            return index + 1
        if probe.state.last_seq > target:
            break
    raise EngineError("the session's journal does not match this script: cannot resume it")
