"""Who can see what an event changed: everyone, some roles, or control alone.

A process showing one view (the Board, one seat) uses this to skip redrawing after a
write it cannot see: a secret move, a private inject for another role, a note by control.
The rules are the same as the views' own (``public_feed``, ``inbox``,
``moves_visible_to``); an event type not named here is taken as seen by everyone, so a
new kind of event costs a redraw rather than a stale screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from exercise.engine import events as ev
from exercise.engine.events import Event
from exercise.engine.state import ExerciseState

EVERYONE = "*"
CONTROL = "control"

_CONTROL_ONLY = frozenset(
    {
        ev.INJECT_HELD,
        ev.INJECT_SKIPPED,
        ev.OBSERVATION_ADDED,
        ev.HOTWASH_ADDED,
        ev.IMPROVEMENT_ADDED,
    }
)
_INJECT = frozenset({ev.INJECT_RELEASED, ev.ADHOC_INJECT, ev.INJECT_EDITED})
_MOVE = frozenset({ev.MOVE_RECORDED, ev.RULING_MADE, ev.RULING_OVERRIDDEN})


def seen_by(state: ExerciseState, event: Event) -> frozenset[str]:
    """The viewers ``event`` changes something for, judged on the state after it:
    ``{EVERYONE}``, a set of role ids, or ``{CONTROL}`` (control sees every event)."""
    if event.type in _CONTROL_ONLY:
        return frozenset({CONTROL})
    if event.type in _INJECT:
        inject = state.injects.get(str(event.body.get("inject", "")))
        if inject is None or inject.status != "released":
            return frozenset({CONTROL})
        if inject.is_public:
            return frozenset({EVERYONE})
        return frozenset({CONTROL, *inject.audience})
    if event.type in _MOVE:
        move = state.move(str(event.body.get("move", "")))
        if move is not None and move.secret:
            return frozenset({CONTROL, move.role})
    return frozenset({EVERYONE})


def concerns(state: ExerciseState, events: Iterable[Event], viewer: str) -> bool:
    """True when any of ``events`` changes what ``viewer`` (control, public or a role
    id) is shown."""
    for event in events:
        who = seen_by(state, event)
        if EVERYONE in who or viewer in who or viewer == CONTROL:
            return True
    return False
