"""Observers: named evaluators with a PIN, and their notes against the evaluation guide.

An observer's note is an observation with the observer's id, optionally a critical task
of the pack's ``critical_tasks`` with a rating (P, S, M or U), and the move, inject or
message it is about. Control's own ratings are not written here.
"""

from __future__ import annotations

import datetime as dt
import json

from exercise.engine import events as ev
from exercise.engine import pin_guard
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.commands import AddObserver, ObserverNote
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState
from exercise.vocab import ObservationKind, Rating


class ObserverOps(SessionBase):
    """Naming observers and recording what they observe."""

    @runs(AddObserver)
    def _add_observer(self, c: AddObserver, now: dt.datetime) -> str:
        """Name an observer (control only); the PIN is kept hashed in the journal's meta."""
        name, pin = c.name, c.pin
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._text(name, "the observer's name")
            if name.strip() in state.observers.values():
                raise EngineError(f"there is already an observer named {name.strip()}")
            observer_id = f"o{len(state.observers) + 1}"
            made[:] = [observer_id]
            return [(ev.OBSERVER_ADDED, {"id": observer_id, "name": name.strip()})]

        self._write(now, "control", build)
        if pin:
            key, hashed = pin_guard.observer_pin_key(made[0]), pin_guard.hash_pin(pin)

            def add(text: str | None) -> str:  # the PINs as stored now, not as first read
                pins = json.loads(text or "{}")
                pins[key] = hashed
                return json.dumps(pins, sort_keys=True)

            self.journal.update_meta("pins", add)
        return made[0]

    @runs(ObserverNote)
    def _add_observer_note(self, c: ObserverNote, now: dt.datetime) -> str:
        """An observer's note, with its time and turn, against a critical task."""
        observer, text, task, rating, kind = c.observer, c.text, c.task, c.rating, c.kind
        move, inject, message, objective = c.move, c.inject, c.message, c.objective
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            if observer not in state.observers:
                raise EngineError(f"there is no observer '{observer}'")
            self._text(text, "the observation")
            goal = self._goal(task, objective)
            if rating is not None and rating not in tuple(Rating):
                raise EngineError("a rating is P, S, M or U")
            note_kind = kind or (Rating(rating).kind if rating else ObservationKind.STRENGTH)
            if note_kind not in tuple(ObservationKind):
                raise EngineError("an observation is a 'strength' or an 'improvement'")
            if move is not None and move not in state.moves_by_id:
                raise EngineError(f"there is no move '{move}'")
            if inject is not None:
                self._inject(state, inject)
            if message is not None and all(m.id != message for m in state.messages):
                raise EngineError(f"there is no message '{message}'")
            obs_id = f"obs-{len(state.observations) + 1}"
            made[:] = [obs_id]
            body = {
                "id": obs_id,
                "text": text,
                "author": state.observers[observer],
                "kind": note_kind,
                "role": None,
                "inject": inject,
                "objective": goal,
                "observer": observer,
                "task": task,
                "rating": rating,
                "move": move,
                "message": message,
            }
            return [(ev.OBSERVATION_ADDED, body)]

        self._write(now, f"observer:{observer}", build)
        return made[0]

    def _goal(self, task: str | None, objective: str | None) -> str | None:
        """The objective a note is against: its critical task's, or the one it names."""
        goal = objective
        if task is not None:
            found = self.pack.critical_tasks_by_id.get(task)
            if found is None:
                raise EngineError(f"there is no critical task '{task}'")
            goal = found.objective
        if goal is not None and goal not in self.pack.objectives_by_id:
            raise EngineError(f"there is no objective '{goal}'")
        return goal
