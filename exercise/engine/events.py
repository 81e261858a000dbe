"""Journal events: what happened, in the order it happened.

An event is the only way the state of a session changes. Its body is plain JSON data so
a journal stays readable (and exportable) without this code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SESSION_CREATED = "session_created"
TURN_STARTED = "turn_started"
PHASE_CHANGED = "phase_changed"
EXERCISE_ENDED = "exercise_ended"
INJECT_RELEASED = "inject_released"
INJECT_HELD = "inject_held"
INJECT_SKIPPED = "inject_skipped"
INJECT_EDITED = "inject_edited"
ADHOC_INJECT = "adhoc_inject"
MOVE_RECORDED = "move_recorded"
RULING_MADE = "ruling_made"
RULING_OVERRIDDEN = "ruling_overridden"
TRACK_ADJUSTED = "track_adjusted"
TIMER_PAUSED = "timer_paused"
TIMER_RESUMED = "timer_resumed"
TIMER_EXTENDED = "timer_extended"
TIMER_SKIPPED = "timer_skipped"
OBSERVATION_ADDED = "observation_added"
HOTWASH_ADDED = "hotwash_added"
IMPROVEMENT_ADDED = "improvement_added"
MESSAGE_POSTED = "message_posted"
CHANNEL_CLOSED = "channel_closed"
CHANNEL_OPENED = "channel_opened"
OBSERVER_ADDED = "observer_added"

EVENT_TYPES: frozenset[str] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)

#: Why an inject was released, as recorded in ``inject_released`` bodies.
CAUSE_SCHEDULED = "scheduled"
CAUSE_CONDITION = "condition"
CAUSE_CONTROL = "control"

#: ``inject_released`` events written together with the turn start carry this marker, so a
#: branch "at the beginning of turn N" can keep the turn start and its releases together.
TURN_START_MARK = "turn_start"


@dataclass(frozen=True, slots=True)
class Event:
    """One journal entry. ``seq`` numbers are 1, 2, 3... with no gaps."""

    seq: int
    ts: datetime
    actor: str
    type: str
    body: dict[str, Any] = field(default_factory=dict)
