"""Control's review at the end: a rating per objective and the executive summary.

HSEEP rates each objective in one of four words; control records the rating and its
analysis as an event, and may replace the report's drafted executive summary with its
own text. Both may be written after the exercise has ended, and the last word counts:
rating an objective again replaces its earlier rating. The operations are in
``ops_review.py``; this module holds the state and how events change it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exercise.engine import events as ev
from exercise.vocab import Rating

if TYPE_CHECKING:
    from exercise.engine.events import Event
    from exercise.engine.state import ExerciseState


@dataclass
class ObjectiveRating:
    objective: str
    rating: Rating
    analysis: str = ""
    seq: int = 0
    ts: dt.datetime | None = None

    @property
    def label(self) -> str:
        return self.rating.label


def apply_rating(state: ExerciseState, body: Any, event: Event) -> None:
    state.ratings[body.objective] = ObjectiveRating(
        body.objective, body.rating, body.analysis, event.seq, event.ts
    )


def apply_summary(state: ExerciseState, body: Any, event: Event) -> None:
    state.summary_text = body.text


HANDLERS = {ev.OBJECTIVE_RATED: apply_rating, ev.SUMMARY_WRITTEN: apply_summary}
