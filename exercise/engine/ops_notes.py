"""Notes: observations, hotwash entries and improvement-plan items (also after the end)."""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.commands import AddHotwash, AddImprovement, Observe
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState
from exercise.vocab import CapabilityElement, ImprovementStatus, ObservationKind


class NoteOps(SessionBase):
    """Observations, hotwash and the improvement plan."""

    @runs(Observe)
    def _add_observation(self, c: Observe, now: dt.datetime) -> str:
        """A note by control or an observer, marked strength or area for improvement,
        optionally with its analysis (root cause) and recommendation (HSEEP's triple)."""
        text, author, kind, role, inject, objective = (
            c.text,
            c.author,
            c.kind,
            c.role,
            c.inject,
            c.objective,
        )
        analysis, recommendation = c.analysis, c.recommendation
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._text(text, "the observation")
            self._text(author, "the author")
            if kind not in tuple(ObservationKind):
                raise EngineError("an observation is a 'strength' or an 'improvement'")
            if role is not None:
                self._role(role)
            if inject is not None:
                self._inject(state, inject)
            if objective is not None and objective not in self.pack.objectives_by_id:
                raise EngineError(f"there is no objective '{objective}'")
            obs_id = f"obs-{len(state.observations) + 1}"
            made[:] = [obs_id]
            body = {
                "id": obs_id,
                "text": text,
                "author": author,
                "kind": kind,
                "role": role,
                "inject": inject,
                "objective": objective,
            }
            if analysis.strip():
                body["analysis"] = analysis.strip()
            if recommendation.strip():
                body["recommendation"] = recommendation.strip()
            return [(ev.OBSERVATION_ADDED, body)]

        self._write(now, author, build)
        return made[0]

    @runs(AddHotwash)
    def _add_hotwash(self, c: AddHotwash, now: dt.datetime) -> None:
        """A role's debrief: what worked, what did not, what it would change."""
        role, worked, did_not, change = c.role, c.worked, c.did_not, c.change

        def build(state: ExerciseState) -> list[Draft]:
            self._role(role)
            if not any(x.strip() for x in (worked, did_not, change)):
                raise EngineError("a hotwash entry needs at least one answer")
            return [
                (
                    ev.HOTWASH_ADDED,
                    {"role": role, "worked": worked, "did_not": did_not, "change": change},
                )
            ]

        self._write(now, "control", build)

    @runs(AddImprovement)
    def _add_improvement(self, c: AddImprovement, now: dt.datetime) -> str:
        """An improvement-plan item: a corrective action with its owner and due date.

        HSEEP's matrix also wants the area for improvement it answers (an observation
        id), the capability element, a point of contact and a start date.
        """
        action, objective, owner, due, status = c.action, c.objective, c.owner, c.due, c.status
        area, element, poc, start = c.area, c.element or "", c.poc, c.start
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._text(action, "the action")
            self._text(owner, "the owner")
            if objective not in self.pack.objectives_by_id:
                raise EngineError(f"there is no objective '{objective}'")
            if not isinstance(due, dt.date):
                raise EngineError("the due date must be a date")
            if status not in tuple(ImprovementStatus):
                raise EngineError(f"the status is one of {', '.join(ImprovementStatus)}")
            if area is not None and area not in {o.id for o in state.observations}:
                raise EngineError(f"there is no observation '{area}'")
            if element and element not in tuple(CapabilityElement):
                raise EngineError(f"the element is one of {', '.join(CapabilityElement)}")
            if start is not None and not isinstance(start, dt.date):
                raise EngineError("the start date must be a date")
            item_id = f"ip-{len(state.improvements) + 1}"
            made[:] = [item_id]
            body = {
                "id": item_id,
                "action": action,
                "objective": objective,
                "owner": owner,
                "due": due.isoformat(),
                "status": status,
            }
            extra = {
                "area": area,
                "element": element,
                "poc": poc,
                "start": start.isoformat() if start else None,
            }
            body.update({k: v for k, v in extra.items() if v})
            return [(ev.IMPROVEMENT_ADDED, body)]

        self._write(now, "control", build)
        return made[0]
