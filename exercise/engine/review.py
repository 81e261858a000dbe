"""Control's review at the end: a rating per objective and the executive summary.

HSEEP rates each objective in one of four words; control records the rating and its
analysis as an event, and may replace the report's drafted executive summary with its
own text. Both may be written after the exercise has ended, and the last word counts:
rating an objective again replaces its earlier rating. The operations are in
``ops_review.py``, the state in ``state.py``; this module holds how events change it.
"""

from __future__ import annotations

from typing import Any

from exercise.engine import events as ev
from exercise.engine.events import Event
from exercise.engine.state import ExerciseState, ObjectiveRating


def apply_rating(state: ExerciseState, body: Any, event: Event) -> None:
    state.ratings[body.objective] = ObjectiveRating(
        body.objective, body.rating, body.analysis, event.seq, event.ts
    )


def apply_summary(state: ExerciseState, body: Any, event: Event) -> None:
    state.summary_text = body.text


HANDLERS = {ev.OBJECTIVE_RATED: apply_rating, ev.SUMMARY_WRITTEN: apply_summary}
