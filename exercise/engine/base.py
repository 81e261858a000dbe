"""The write path every command goes through, and the checks operations share.

``execute`` finds the operation that runs a command (each ``ops_*.py`` registers its own
with ``@runs``). An operation's ``build`` function validates against the state (fresh
from the journal, under the write lock) and returns the events to write; ``_write``
appends them and the inject releases they cause in one durable transaction, applying
each through the same ``apply`` a resume uses, so the live state is always the replay
of the journal.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from exercise.engine import events as ev
from exercise.engine import scheduler
from exercise.engine.commands import Command, Outcome
from exercise.engine.errors import EngineError
from exercise.engine.journal import Journal
from exercise.engine.reduce import apply, initial_state
from exercise.engine.state import ExerciseState, Ruling
from exercise.pack.models import Pack
from exercise.vocab import Phase

Draft = tuple[str, dict[str, Any]]
#: What an operation returns: the id of what it made, the ruling it made, or nothing.
Made = str | Ruling | None
Runner = Callable[[Any, Any, dt.datetime], Made]
#: The operation that runs each kind of command.
RUNNERS: dict[type[Command], Runner] = {}
_R = TypeVar("_R", bound=Callable[..., Made])


def runs(kind: type[Command]) -> Callable[[_R], _R]:
    """Register the decorated method as the operation that runs ``kind``."""

    def register(method: _R) -> _R:
        if kind in RUNNERS:
            raise TypeError(f"{kind.__name__} already has an operation")
        RUNNERS[kind] = method
        return method

    return register


class SessionBase:
    """State, journal and pack of an open session; the write path and shared checks."""

    def __init__(self, journal: Journal, pack: Pack, state: ExerciseState) -> None:
        self.journal = journal
        self.pack = pack
        self.state = state
        self._data_version = journal.data_version()
        self._written: list[ev.Event] = []

    def execute(self, command: Command, now: dt.datetime) -> Outcome:
        """Check and run ``command`` at ``now``: its events are in the journal when this
        returns. A refusal raises ``EngineError`` (and writes nothing)."""
        runner = RUNNERS.get(type(command))
        if runner is None:
            raise TypeError(f"{type(command).__name__} is not a command the engine runs")
        self._written = []
        made = runner(self, command, now)
        return Outcome(
            tuple(self._written),
            made if isinstance(made, str) else None,
            made if isinstance(made, Ruling) else None,
        )

    def reload(self) -> None:
        """Rebuild the state from the journal from scratch."""
        self.state = rebuild(self.pack, self.journal)

    # ------------------------------------------------------------------ the write path

    def _write(
        self,
        now: dt.datetime,
        actor: str,
        build: Callable[[ExerciseState], list[Draft]],
        *,
        conditions: bool = False,
    ) -> list[ev.Event]:
        """Check and write one operation's events, plus the releases they cause.

        Runs under the journal's write lock: first catch up with other writers, then
        ``build`` validates against the fresh state and returns the events to write.
        """
        if not isinstance(now, dt.datetime):
            raise EngineError("now must be a datetime")
        written: list[ev.Event] = []
        state = self.state

        def append(kind: str, body: dict[str, Any]) -> None:
            written.append(apply_written(state, writer.append(now, actor, kind, body)))

        try:
            with self.journal.write() as writer:
                for event in writer.events_after(state.last_seq):
                    apply(state, event)
                drafts = build(state)  # raises EngineError before anything is applied
                for kind, body in drafts:
                    try:
                        ev.check_draft(kind, body)
                    except ev.BodyError as exc:
                        raise EngineError(f"this cannot be recorded: {exc}") from None
                    append(kind, body)
                turn_start = any(kind == ev.TURN_STARTED for kind, _ in drafts)
                if turn_start or conditions:
                    self._releases(state, append, turn_start)
        except EngineError:
            if written:
                self.reload()
            raise
        except BaseException:
            self.reload()  # the transaction was rolled back: forget what was applied
            raise
        self._written.extend(written)
        return written

    def _releases(
        self,
        state: ExerciseState,
        append: Callable[[str, dict[str, Any]], None],
        turn_start: bool,
    ) -> None:
        """What a write makes due: at a turn start its scheduled injects, and then every
        conditional inject whose condition now holds, until none more does. With staged
        release they wait in control's queue instead."""
        due = ev.INJECT_QUEUED if state.staged else ev.INJECT_RELEASED
        mark = {"mark": ev.TURN_START_MARK} if turn_start else {}
        if turn_start:
            for release in scheduler.scheduled_releases(state, self.pack):
                append(due, {**release.body(), **mark})
        while batch := scheduler.conditional_releases(state, self.pack):
            for release in batch:
                append(due, {**release.body(), **mark})

    # ------------------------------------------------------------------ checks

    def _need_turn(self, state: ExerciseState, what: str) -> None:
        if state.ended:
            raise EngineError(f"The exercise has ended: {what} is no longer possible")
        if state.turn == 0:
            raise EngineError(f"The exercise has not started: start turn 1 before {what}")

    def _need_phase(self, state: ExerciseState, phases: Iterable[Phase], what: str) -> None:
        phases = tuple(phases)
        if state.phase not in phases:
            allowed = " or ".join(phases)
            raise EngineError(f"{what} only in the {allowed} phase (now: {state.phase})")

    def _inject(self, state: ExerciseState, inject_id: str) -> Any:
        inj = state.injects.get(inject_id)
        if inj is None:
            raise EngineError(f"there is no inject '{inject_id}'")
        return inj

    def _pending(self, state: ExerciseState, inject_id: str, what: str) -> Any:
        inj = self._inject(state, inject_id)
        if inj.status.done:
            raise EngineError(f"inject '{inject_id}' is already {inj.status}: cannot {what} it")
        return inj

    def _effects(self, effects: Mapping[str, int] | None) -> dict[str, int]:
        effects = dict(effects or {})
        for track_id, delta in effects.items():
            if track_id not in self.pack.tracks_by_id:
                raise EngineError(f"there is no track '{track_id}'")
            if not isinstance(delta, int) or isinstance(delta, bool):
                raise EngineError(f"the effect on '{track_id}' must be a whole number")
        return effects

    def _role(self, role: str) -> None:
        if role not in self.pack.roles_by_id:
            raise EngineError(f"there is no role '{role}'")

    def _text(self, value: str, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise EngineError(f"{what} must not be empty")
        return value

    def _unruled(self, state: ExerciseState, move_id: str) -> Any:
        move = state.moves_by_id.get(move_id)
        if move is None:
            raise EngineError(f"there is no move '{move_id}'")
        if move.ruling is not None:
            raise EngineError(
                f"move {move_id} has already been ruled ({move.ruling.outcome}); "
                "override the ruling instead"
            )
        return move

    def _count(self, value: int, what: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise EngineError(f"{what} must be a whole number, 0 or more")
        return value


def rebuild(pack: Pack, journal: Journal) -> ExerciseState:
    """Replay the whole journal into a fresh state.

    The cyclic garbage collector is paused meanwhile: replay only creates objects that
    stay alive, and collecting over a growing heap made resume time grow faster than
    the journal.
    """
    state = initial_state(pack)
    enabled = gc.isenabled()
    gc.disable()
    try:
        for event in journal.events():
            apply(state, event)
    finally:
        if enabled:
            gc.enable()
    return state


def apply_written(state: ExerciseState, event: ev.Event) -> ev.Event:
    apply(state, event)
    return event
