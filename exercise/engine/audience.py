"""Who can see what an event changed: everyone, some roles, or control alone.

A process showing one view (the Board, one seat) uses this to skip redrawing after a
write it cannot see: a secret move, a private inject for another role, a note by control.
The rules are the same as the views' own (``public_feed``, ``inbox``,
``moves_visible_to``, ``channels_for``); an event type not named here is taken as seen
by everyone, so a new kind of event costs a redraw rather than a stale screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from exercise.engine import events as ev
from exercise.engine.channels_state import OBSERVER_PREFIX, is_observer
from exercise.engine.events import Event
from exercise.engine.state import ExerciseState
from exercise.vocab import InjectStatus

EVERYONE = "*"
CONTROL = "control"
OBSERVERS = "observers"  # every observer of the session (viewers "observer:<id>")

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
_CHANNEL = frozenset({ev.MESSAGE_POSTED, ev.CHANNEL_CLOSED, ev.CHANNEL_OPENED})


def seen_by(state: ExerciseState, event: Event) -> frozenset[str]:
    """The viewers ``event`` changes something for, judged on the state after it:
    ``{EVERYONE}``, a set of role ids, or ``{CONTROL}`` (control sees every event)."""
    body = event.body
    if event.type == ev.OBSERVATION_ADDED and body.get("observer"):
        if state.ended:  # the hotwash: observers read each other's notes
            return frozenset({CONTROL, OBSERVERS})
        return frozenset({CONTROL, OBSERVER_PREFIX + str(event.body["observer"])})
    if event.type in _CONTROL_ONLY or event.type == ev.OBSERVER_ADDED:
        return frozenset({CONTROL})
    if event.type in _CHANNEL:  # a channel's members, control and the observers
        channel = state.channels.get(str(body.get("channel", "")))
        if channel is None:
            return frozenset({CONTROL})
        return frozenset({CONTROL, OBSERVERS, *channel.members})
    if event.type in _INJECT:
        inject = state.injects.get(str(body.get("inject", "")))
        if inject is None or inject.status != InjectStatus.RELEASED:
            return frozenset({CONTROL})
        if inject.is_public:
            return frozenset({EVERYONE})
        return frozenset({CONTROL, *inject.audience})
    if event.type in _MOVE:
        move = state.move(str(body.get("move", "")))
        if move is not None and move.secret:
            return frozenset({CONTROL, OBSERVERS, move.role})
    return frozenset({EVERYONE})


def concerns(state: ExerciseState, events: Iterable[Event], viewer: str) -> bool:
    """True when any of ``events`` changes what ``viewer`` (control, public, a role id
    or an observer) is shown."""
    for event in events:
        who = seen_by(state, event)
        if EVERYONE in who or viewer in who or viewer == CONTROL:
            return True
        if OBSERVERS in who and is_observer(viewer):
            return True
    return False
