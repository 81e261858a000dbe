"""Control's review operations: rate an objective, write the executive summary."""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine.base import Draft, SessionBase
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState
from exercise.vocab import Rating


class ReviewOps(SessionBase):
    """Ratings of objectives and control's executive summary."""

    def rate_objective(
        self, objective: str, rating: str, analysis: str = "", *, now: dt.datetime
    ) -> None:
        """Rate an objective P, S, M or U, with control's analysis (root causes)."""

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

    def write_summary(self, text: str, *, now: dt.datetime) -> None:
        """Control's own executive summary; empty text goes back to the drafted one."""

        def build(state: ExerciseState) -> list[Draft]:
            return [(ev.SUMMARY_WRITTEN, {"text": text.strip()})]

        self._write(now, "control", build)
