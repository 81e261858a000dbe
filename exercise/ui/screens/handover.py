"""Hand-over: a blank screen between seats, so nobody sees the previous player's view.

"Pass the keyboard to Japan — press Enter", and the role's PIN when one is set.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Input, Label

from exercise.ui.base import SessionScreen
from exercise.ui.format import role_name
from exercise.ui.messages import SeatUnlocked, ViewWanted
from exercise.ui.plain import plain
from exercise.ui.widgets.pin_entry import PinEntry


class HandOverScreen(SessionScreen):
    CSS_PATH = "handover.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "take", "Take the seat", id="handover.take"),
        Binding("escape", "board", "Board", id="handover.board"),
    ]

    def __init__(self, role: str | None) -> None:
        """``role`` None: the blank screen behind the seat chooser."""
        super().__init__()
        self.role = role
        self.needs_pin = False
        self.pin_of = ""  # whose PIN unlocks the seat: the role's, control's, or none

    def compose(self) -> ComposeResult:
        session = self.session
        if self.role is None:
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
        if self.role is not None:
            self.app.post_message(SeatUnlocked(self.role))

    def action_take(self) -> None:
        if self.role is None:
            self.app.post_message(ViewWanted("seats"))
            return
        if self.needs_pin:
            self.query_one("#pin", Input).focus()  # the PIN field takes Enter
            return
        self.app.post_message(SeatUnlocked(self.role))

    def action_board(self) -> None:
        self.app.post_message(ViewWanted("board"))
