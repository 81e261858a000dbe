"""The base of every dialog: a modal screen that is styled once when it opens.

Textual styles a screen's every widget as it is mounted, and then all of them again when
the screen is first shown, although nothing changed in between; for a dialog of fifty
widgets that second pass is a good part of what opening it costs.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from exercise.ui.base import StyledOnMount

R = TypeVar("R")


class Dialog(ModalScreen[R], StyledOnMount[R]):
    """A modal dialog over the current view (ModalScreen first: its CSS applies)."""
