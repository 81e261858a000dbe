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

from exercise.engine.commands import (
    AddImprovement,
    AdvancePhase,
    Command,
    ExtendTimer,
    Observe,
    ObserverNote,
    PauseTimer,
    RecordMove,
    ResumeTimer,
    SkipTimer,
    StartExercise,
)
from exercise.engine.errors import EngineError
from exercise.engine.script_format import (
    AnyAction,
    ImproveAction,
    LoadedScript,
    MoveAction,
    MoveSpec,
    ObserveAction,
    OverrideAction,
    RollAction,
    RuleAction,
    Script,
    TimerAction,
    TurnScript,
    VoteAction,
    WaitAction,
    load_script,
    parse_script,
)
from exercise.engine.script_refs import ScriptRefs
from exercise.engine.session import Session, SessionSetup
from exercise.engine.state import ExerciseState
from exercise.pack.models import Pack
from exercise.pack.yamlpos import DataPath
from exercise.problems import Problem, ProblemsError
from exercise.vocab import (
    TURN_PHASES,
    CapabilityElement,
    ImprovementStatus,
    ObservationKind,
    Rating,
    ReleaseMode,
)

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


@dataclass(slots=True)
class Step:
    """One command of the script (or a turn-end marker), ready to execute."""

    kind: str  # "op" or "turn_end"
    command: Command | None
    now: dt.datetime
    where: DataPath
    turn: int


@dataclass(frozen=True, slots=True)
class ResumeFrom:
    """Where an existing session (a branch) stands, for a script that continues it."""

    turn: int
    phase: str
    moves: int  # moves already recorded, so the script's move ids follow on
    now: dt.datetime  # the session's last activity: the script's clock starts no earlier
    observations: int = 0  # observations already written, so new ids follow on
    observers: tuple[tuple[str, str], ...] = ()  # (name, id) of the session's observers

    @classmethod
    def of(cls, state: ExerciseState) -> ResumeFrom:
        return cls(
            state.turn,
            state.phase,
            len(state.moves),
            state.last_activity or DEFAULT_START,
            len(state.observations),
            tuple((name, oid) for oid, name in state.observers.items()),
        )

    def where(self) -> str:
        return f"the session stands in turn {self.turn}, {self.phase} phase"


def setup_for(loaded: LoadedScript, pack: Pack, seed: int | None = None) -> SessionSetup:
    """Who plays what: ``players`` (default: every role the pack gives to a player), and
    control for every other role unless ``control_roles`` says otherwise."""
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
    planner = _Planner(loaded, pack, resume)
    planner.check_setup()
    planner.play()
    problems = planner.problems + planner.refs.problems
    if problems:
        raise ProblemsError(sorted(set(problems)))
    return planner.steps


class _Planner:
    """The script, walked once: the commands it gives, their times, and its problems."""

    def __init__(self, loaded: LoadedScript, pack: Pack, resume: ResumeFrom | None) -> None:
        self.loaded, self.pack, self.resume = loaded, pack, resume
        script = loaded.script
        self.started = resume is not None and resume.turn > 0
        self.problems: list[Problem] = []
        self.steps: list[Step] = []
        setup = setup_for(loaded, pack)
        self.refs = ScriptRefs(loaded, pack, [*setup.players, *setup.control_roles])
        self.clock = _start_time(script.start)
        if resume is not None:
            self.clock = max(self.clock, resume.now)
        self.step_delta = dt.timedelta(minutes=script.step_minutes)
        self.labels: dict[str, str] = {}  # move label -> move id
        self.turn_moves: dict[str, list[str]] = {}  # role -> its move ids this turn
        self.observations: dict[str, str] = {}  # observation label -> observation id
        self.move_count = resume.moves if resume is not None else 0
        self.obs_count = resume.observations if resume is not None else 0
        self.observer_ids = dict(resume.observers) if resume is not None else {}
        if resume is None:  # named at setup, in the script's order
            self.observer_ids = {name: f"o{n}" for n, name in enumerate(script.observers, 1)}
        self.turn = 0

    # ------------------------------------------------------------------ the whole script

    def check_setup(self) -> None:
        """Roles named in ``players`` and ``control_roles`` are the pack's."""
        script, loaded, known = self.loaded.script, self.loaded, self.pack.roles_by_id
        for role in script.players or {}:
            if role not in known:
                self.problems.append(
                    loaded.positions.problem(
                        ("players", role), f"there is no role '{role}' in the pack", key=True
                    )
                )
        for index, role in enumerate(script.control_roles or []):
            if role not in known:
                self.problems.append(
                    loaded.problem(
                        ("control_roles", index), f"there is no role '{role}' in the pack"
                    )
                )
        if script.control_roles is not None and script.players is None:
            self.problems.append(
                loaded.positions.problem(
                    ("control_roles",),
                    "control_roles needs players: list who plays each role under players "
                    "(role: player name); every role not listed in players is played by control",
                    key=True,
                )
            )

    def play(self) -> None:
        """Before, each turn up to the last scripted one (or the end), and after."""
        script, resume = self.loaded.script, self.resume
        if self.started and script.before:
            assert resume is not None
            self.problem(("before",), f"'before' is already over: {resume.where()}")
        else:
            self.actions(script.before, ("before",))
        by_turn = self.turns_by_number()
        first_turn = resume.turn if resume is not None and self.started else 1
        turns = self.pack.manifest.turns
        for turn in range(first_turn, turns + 1):
            self.play_turn(turn, *by_turn.get(turn, (None, None)))
            if not script.end and turn == max(by_turn, default=first_turn):
                break
        else:
            self.turn = turns
            self.op(("turns",), AdvancePhase())
        self.actions(script.after, ("after",))

    def turns_by_number(self) -> dict[int, tuple[int, TurnScript]]:
        """Each scripted turn by its number; a turn past the pack's, already over or
        scripted twice is a problem."""
        by_turn: dict[int, tuple[int, TurnScript]] = {}
        turns, resume = self.pack.manifest.turns, self.resume
        first_turn = resume.turn if resume is not None and self.started else 1
        for index, turn in enumerate(self.loaded.script.turns):
            here = ("turns", index, "turn")
            if turn.turn > turns:
                self.problem(here, f"the pack has {turns} turns, not {turn.turn}")
            elif turn.turn < first_turn:
                assert resume is not None
                self.problem(here, f"turn {turn.turn} is already over: {resume.where()}")
            elif turn.turn in by_turn:
                self.problem(here, f"turn {turn.turn} is scripted twice")
            else:
                by_turn[turn.turn] = (index, turn)
        return by_turn

    def play_turn(self, turn: int, index: int | None, entry: TurnScript | None) -> None:
        """The turn's start, then each phase's advance and actions."""
        self.turn = turn
        self.turn_moves.clear()
        resume = self.resume
        resumed = self.started and resume is not None and turn == resume.turn
        first_phase = TURN_PHASES.index(resume.phase) if resumed and resume is not None else 0
        if not resumed:
            self.op(("turns",), StartExercise() if turn == 1 else AdvancePhase())
        for phase_index, phase in enumerate(TURN_PHASES):
            if resumed and phase_index < first_phase:
                if entry is not None and index is not None and getattr(entry, phase):
                    assert resume is not None
                    self.problem(
                        ("turns", index, phase),
                        f"the {phase} phase of turn {turn} is already over: {resume.where()}",
                    )
                continue
            if phase_index and not (resumed and phase_index == first_phase):
                self.op(("turns", index) if index is not None else ("turns",), AdvancePhase())
            if entry is not None and index is not None:
                self.actions(getattr(entry, phase), ("turns", index, phase))
        self.steps.append(Step("turn_end", None, self.clock, ("turns",), turn))

    # ------------------------------------------------------------------ actions

    def problem(self, path: DataPath, message: str) -> None:
        self.problems.append(self.loaded.problem(path, message))

    def op(self, where: DataPath, command: Command) -> None:
        """One command, a step later on the script's clock."""
        self.clock += self.step_delta
        self.steps.append(Step("op", command, self.clock, where, self.turn))

    def actions(self, items: list[AnyAction], where: DataPath) -> None:
        for index, action in enumerate(items):
            here = (*where, index)
            self.refs.check(action, here)
            try:
                if isinstance(action, WaitAction):
                    self.clock += dt.timedelta(minutes=action.wait)
                else:
                    self.op(here, self.command(action))
            except _PlanError as exc:
                self.problem((*here, *exc.field), str(exc))

    def command(self, a: AnyAction) -> Command:
        """The command an action of the script gives (each action says which; moves,
        rulings, notes and improvement items also need what came before them)."""
        if isinstance(a, MoveAction):
            return self.move(a.move)
        if isinstance(a, RuleAction | RollAction | VoteAction | OverrideAction):
            return a.command(self.move_ref(*a.move_ref()))
        if isinstance(a, ObserveAction):
            return self.observe(a)
        if isinstance(a, ImproveAction):
            return self.improve(a)
        if isinstance(a, TimerAction):
            return _timer(a)
        if isinstance(a, WaitAction):
            raise TypeError("a wait gives no command")
        return a.command()

    def move(self, spec: MoveSpec) -> RecordMove:
        """A move; its id (m1, m2...) is known now, so rulings can name it."""
        self.move_count += 1
        move_id = f"m{self.move_count}"
        if spec.label:
            if spec.label in self.labels:
                raise _PlanError(f"the label '{spec.label}' is used twice", "move", "label")
            self.labels[spec.label] = move_id
        self.turn_moves.setdefault(spec.role, []).append(move_id)
        return RecordMove(
            spec.role,
            spec.kind,
            spec.text,
            targets=tuple(spec.targets),
            secret=spec.secret,
            tags=tuple(spec.tags),
            intent=spec.intent,
            reasons=tuple(spec.reasons),
            actor=spec.actor,
        )

    def move_ref(self, ref: str, key: str) -> str:
        """The id of the move a ruling names: by its label, or by the role that moved."""
        if ref in self.labels:
            return self.labels[ref]
        if ref in self.turn_moves:
            ids = self.turn_moves[ref]
            if len(ids) > 1:
                raise _PlanError(f"{ref} made {len(ids)} moves this turn: give them labels", key)
            return ids[0]
        close = difflib.get_close_matches(ref, [*self.labels, *self.turn_moves], n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _PlanError(
            f"no move labelled '{ref}' and no move by a role '{ref}' this turn{hint}", key
        )

    def observe(self, a: ObserveAction) -> Command:
        """Control's note (against a critical task's objective, if it names one), or an
        observer's note against a critical task, with a rating and what it is about."""
        self.obs_count += 1
        if a.label:
            if a.label in self.observations:
                raise _PlanError(f"the observation label '{a.label}' is used twice")
            self.observations[a.label] = f"obs-{self.obs_count}"
        mid = self.move_ref(a.about_move, "about_move") if a.about_move else None
        if a.observer is None:
            goal = a.objective
            tasks = self.pack.critical_tasks_by_id
            if a.task is not None and a.task in tasks:
                goal = tasks[a.task].objective
            return Observe(
                a.observe,
                author=a.author,
                kind=ObservationKind(a.kind),
                role=a.role,
                inject=a.inject,
                objective=goal,
                analysis=a.analysis,
                recommendation=a.recommendation,
            )
        observer = self.observer_ids.get(a.observer)
        if observer is None and a.observer in self.loaded.script.observers:
            raise _PlanError(f"there is no observer named {a.observer} in the session", "observer")
        return ObserverNote(
            observer or "",  # a name not under observers: ScriptRefs reports it
            a.observe,
            task=a.task,
            rating=Rating(a.rating) if a.rating else None,
            kind=ObservationKind(a.kind) if "kind" in a.model_fields_set else None,
            move=mid,
            inject=a.inject,
            objective=a.objective if a.task is None else None,
        )

    def improve(self, a: ImproveAction) -> AddImprovement:
        area = None
        if a.area is not None:
            if a.area not in self.observations:
                raise _PlanError(f"no observation labelled '{a.area}' before this item")
            area = self.observations[a.area]
        return AddImprovement(
            a.improve,
            a.objective,
            a.owner,
            a.due,
            ImprovementStatus(a.status),
            area=area,
            element=CapabilityElement(a.element) if a.element else None,
            poc=a.poc,
            start=a.start,
        )


def _timer(a: TimerAction) -> Command:
    if a.timer == "extend":
        if a.minutes is None:
            raise _PlanError("say by how many minutes: 'minutes: 5'", "timer")
        return ExtendTimer(a.minutes)
    return {"pause": PauseTimer, "resume": ResumeTimer, "skip": SkipTimer}[a.timer]()


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
    session: Session,
    steps: list[Step],
    loaded: LoadedScript,
    *,
    start: int = 0,
    on_step: Callable[[int, Step], None] | None = None,
) -> None:
    """Play ``steps[start:]`` into ``session``; an engine refusal becomes a path:line:col."""
    for index in range(start, len(steps)):
        step = steps[index]
        if step.command is not None:
            try:
                session.execute(step.command, step.now)
            except EngineError as exc:
                raise ProblemsError([loaded.problem(step.where, str(exc))]) from None
        if on_step is not None:
            on_step(index, step)


def iter_turn_ends(steps: list[Step]) -> Iterator[int]:
    for index, step in enumerate(steps):
        if step.kind == "turn_end":
            yield index


def resume_point(session: Session, steps: list[Step], pack: Pack, loaded: LoadedScript) -> int:
    """Index of the first step not yet in ``session``'s journal (for interrupted runs)."""
    target = session.state.last_seq
    probe = Session.memory(
        pack, setup_for(loaded, pack, session.state.setup.seed), now=session.state.events[0].ts
    )
    if probe.state.last_seq == target:
        return 0
    for index, step in enumerate(steps):
        if step.command is not None:
            probe.execute(step.command, step.now)
        if probe.state.last_seq == target:
            return index + 1
        if probe.state.last_seq > target:
            break
    raise EngineError("the session's journal does not match this script: cannot resume it")
