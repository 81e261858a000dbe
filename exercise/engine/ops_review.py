"""Control's review operations: rate an objective, write the executive summary."""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.commands import RateObjective, WriteSummary
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState
from exercise.vocab import Rating


class ReviewOps(SessionBase):
    """Ratings of objectives and control's executive summary."""

    @runs(RateObjective)
    def _rate_objective(self, c: RateObjective, now: dt.datetime) -> None:
        """Rate an objective P, S, M or U, with control's analysis (root causes)."""
        objective, rating, analysis = c.objective, c.rating, c.analysis

        def build(state: ExerciseState) -> list[Draft]:
            if objective not in self.pack.objectives_by_id:
                raise EngineError(f"there is no objective '{objective}'")
            if rating not in tuple(Rating):
                raise EngineError(
                    "a rating is P, S, M or U ("
                    + "; ".join(f"{r}: {r.label}" for r in Rating)
                    + ")"
                )
            return [
                (
                    ev.OBJECTIVE_RATED,
                    {"objective": objective, "rating": rating, "analysis": analysis.strip()},
                )
            ]

        self._write(now, "control", build)

    @runs(WriteSummary)
    def _write_summary(self, c: WriteSummary, now: dt.datetime) -> None:
        """Control's own executive summary; empty text goes back to the drafted one."""

        def build(state: ExerciseState) -> list[Draft]:
            return [(ev.SUMMARY_WRITTEN, {"text": c.text.strip()})]

        self._write(now, "control", build)
