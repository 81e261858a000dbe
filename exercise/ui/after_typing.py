"""Submit keys that wait for what was typed before them.

A priority binding (Ctrl+S) runs as soon as the app reads the key, while the keys typed
just before it may still wait in the focused widget's queue: on a busy machine a move was
recorded without its last letters. An action wrapped here runs from that widget's queue,
after those keys.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

Action = TypeVar("Action", bound=Callable[..., Any])


def after_typing(action: Action) -> Action:
    """Run ``action`` (a method of a screen or widget) once the focused widget has
    handled every key typed before the one that called it."""

    @functools.wraps(action)
    def run(self: DOMNode, *args: Any) -> None:
        focused = self.app.focused
        if focused is None:
            action(self, *args)
        else:
            focused.call_later(action, self, *args)

    return run  # type: ignore[return-value]
