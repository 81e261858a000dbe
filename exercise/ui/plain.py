"""Text from a pack, a journal or the keyboard reaches the screen as data, never markup.

Textual reads a plain ``str`` as content markup in palette hits, table cells, select
prompts, labels and notifications: ``[/x]`` raises an error and ``[@click=app.quit]``
runs an action. Every untrusted string goes through one of these helpers instead, and
loses its terminal control characters on the way.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.markup import escape

from exercise.text import CONTROLS, printable


def plain(text: object) -> Content:
    """``text`` shown exactly as written (no markup, no control characters)."""
    return Content(printable(str(text)))


def plain_text(text: object, style: str = "") -> Text:
    """The same as a Rich ``Text`` (for the widgets that draw Rich renderables)."""
    return Text(printable(str(text)), style=style)


def literal_markup(text: object) -> str:
    """Markup that reads back as ``text`` itself, for the few Textual arguments that
    accept nothing but a markup string (a palette hit's help line)."""
    return escape(printable(str(text)))


def clean(text: Text) -> Text:
    """A Rich ``Text`` whose control characters are replaced one for one (so that its
    styles stay in place): journals written by other versions may still hold them."""
    if CONTROLS.search(text.plain) is None:
        return text
    text = text.copy()
    text.plain = CONTROLS.sub("\ufffd", text.plain)
    return text


def cell(value: object) -> object:
    """A DataTable cell: strings become plain Text, Text is cleaned, the rest is kept."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, Text):
        return clean(value)
    return value
