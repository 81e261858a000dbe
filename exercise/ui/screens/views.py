"""Make a main view by name; screens are imported only when first shown."""

from __future__ import annotations

from textual.screen import Screen


def make(view: str, role: str | None = None) -> Screen:
    if view == "board":
        from exercise.ui.screens.board import BoardScreen

        return BoardScreen()
    if view == "control":
        from exercise.ui.screens.control import ControlScreen

        return ControlScreen()
    if view == "hotwash":
        from exercise.ui.screens.hotwash import HotwashScreen

        return HotwashScreen()
    if view == "handover":
        from exercise.ui.screens.handover import HandOverScreen

        return HandOverScreen(role)
    assert role is not None
    if role.startswith("observer:"):
        from exercise.ui.screens.observer import ObserverScreen

        return ObserverScreen(role.removeprefix("observer:"))
    from exercise.ui.screens.seat import SeatScreen

    return SeatScreen(role)
