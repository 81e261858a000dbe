"""Update a Static only when its content really changed.

Each update of a Static asks for a new layout of the whole screen, which is most of the
time an action takes to reach the screen; redrawing the same text must cost nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exercise.ui.plain import clean, plain_text


def show(widget: Static, content: Text | str, *, layout: bool = True) -> None:
    content = plain_text(content) if isinstance(content, str) else clean(content)
    if widget.content == content:
        return
    widget.update(content, layout=layout)
