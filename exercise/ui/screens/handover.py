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


class HandOverScreen(Screen[None]):
    CSS_PATH = "handover.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "take", "Take the seat", id="handover.take"),
        Binding("escape", "board", "Board", id="handover.board"),
    ]

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        name = role_name(session.pack, self.role)
        if self.role.startswith("observer:"):
            name = session.state.observers.get(self.role.removeprefix("observer:"), name)
        player = session.state.setup.players.get(self.role, "")
        self.needs_pin = session.has_pin(self.role)
        with Vertical(id="box"):
            yield Label(f"Pass the keyboard to {name} — press Enter", id="message",
                        markup=False)
            if player:
                yield Label(f"({player})", id="player", markup=False)
            if self.needs_pin:
                with Center():
                    yield Input(password=True, placeholder=f"{name} PIN", id="pin")

    def on_mount(self) -> None:
        if self.needs_pin:
            self.query_one("#pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_take()

    def action_take(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        if self.needs_pin:
            pin_input = self.query_one("#pin", Input)
            if not session.check_pin(self.role, pin_input.value):
                pin_input.value = ""
                self.notify("Wrong PIN", severity="error")
                return
        self.app.enter_seat(self.role)  # type: ignore[attr-defined]

    def action_board(self) -> None:
        self.app.action_board()  # type: ignore[attr-defined]
