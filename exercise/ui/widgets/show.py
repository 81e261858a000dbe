"""Update a Static only when its content really changed, and lay the screen out again
only when its height did.

Each layout of the screen is most of the time an action takes to reach the screen in a
long session; redrawing the same text must cost nothing, and new text of the same
height needs a repaint only.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exercise.ui.plain import clean, plain_text


def show(widget: Static, content: Text | str, *, layout: bool = True) -> None:
    content = plain_text(content) if isinstance(content, str) else clean(content)
    if widget.content == content:
        return
    if not (layout and _height_follows_content(widget)):
        widget.update(content, layout=layout)
        return
    before = widget.content_size.height
    widget.update(content, layout=False)
    after = widget.get_content_height(widget.size, widget.app.size, widget.content_size.width)
    if after != before:
        widget.refresh(layout=True)


def _height_follows_content(widget: Static) -> bool:
    """True for a laid-out widget whose width is set and whose height is its content's."""
    styles = widget.styles
    return (
        widget.is_mounted
        and widget.content_size.width > 0
        and styles.height is not None
        and styles.height.is_auto
        and (styles.width is None or not styles.width.is_auto)
    )
