"""The main views by name; each screen's module is imported only when first shown.

Board, Control and Hotwash are the app's modes (kept between visits); a hand-over and a
seat are made anew for each visit, so nothing of the previous person's view is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise.ui.base import SessionScreen


def board() -> SessionScreen:
    from exercise.ui.screens.board import BoardScreen

    return BoardScreen()


def control() -> SessionScreen:
    from exercise.ui.screens.control import ControlScreen

    return ControlScreen()


def hotwash() -> SessionScreen:
    from exercise.ui.screens.hotwash import HotwashScreen

    return HotwashScreen()


def handover(role: str | None) -> SessionScreen:
    """``role`` None: the blank screen behind the seat chooser."""
    from exercise.ui.screens.handover import HandOverScreen

    return HandOverScreen(role)


def seat(role: str) -> SessionScreen:
    """A role's seat, or an observer's (``observer:<id>``)."""
    if role.startswith("observer:"):
        from exercise.ui.screens.observer import ObserverScreen

        return ObserverScreen(role.removeprefix("observer:"))
    from exercise.ui.screens.seat import SeatScreen

    return SeatScreen(role)
