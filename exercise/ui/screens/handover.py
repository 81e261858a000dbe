"""Hand-over: a blank screen between seats, so nobody sees the previous player's view.

"Pass the keyboard to Japan — press Enter", and the role's PIN when one is set.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label

from exercise.ui.format import role_name
from exercise.ui.plain import plain
from exercise.ui.widgets.pin_entry import PinEntry


class HandOverScreen(Screen[None]):
    CSS_PATH = "handover.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "take", "Take the seat", id="handover.take"),
        Binding("escape", "board", "Board", id="handover.board"),
    ]

    def __init__(self, role: str | None) -> None:
        """``role`` None: the blank screen behind the seat chooser."""
        super().__init__()
        self.role = role

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        if self.role is None:
            self.needs_pin = False
            with Vertical(id="box"):
                yield Label("Choosing a seat — F4 to choose, Escape for the Board", id="message")
            return
        name = role_name(session.pack, self.role)
        if self.role.startswith("observer:"):
            name = session.state.observers.get(self.role.removeprefix("observer:"), name)
        player = session.state.setup.players.get(self.role, "")
        # a role control plays is behind the control PIN (when it has none of its own)
        self.pin_of = (
            self.role
            if session.has_pin(self.role)
            else (
                "control"
                if self.role in session.state.setup.control_roles and session.has_pin("control")
                else ""
            )
        )
        self.needs_pin = bool(self.pin_of)
        with Vertical(id="box"):
            yield Label(plain(f"Pass the keyboard to {name} — press Enter"), id="message")
            if player:
                yield Label(plain(f"({player})"), id="player")
            if self.needs_pin:
                label = "Control" if self.pin_of == "control" else name
                with Center():
                    yield PinEntry(self.pin_of, f"{label} PIN", id="pin-entry")

    def on_mount(self) -> None:
        if self.needs_pin:
            self.query_one("#pin", Input).focus()

    def on_pin_entry_unlocked(self, event: PinEntry.Unlocked) -> None:
        event.stop()
        self.app.enter_seat(self.role)  # type: ignore[attr-defined]

    def action_take(self) -> None:
        if self.role is None:
            self.app.action_choose_seat()  # type: ignore[attr-defined]
            return
        if self.needs_pin:
            self.query_one("#pin", Input).focus()  # the PIN field takes Enter
            return
        self.app.enter_seat(self.role)  # type: ignore[attr-defined]

    def action_board(self) -> None:
        self.app.action_board()  # type: ignore[attr-defined]
