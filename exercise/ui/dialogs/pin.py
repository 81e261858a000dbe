"""Ask for a PIN (a role's, or control's) and check it against the session."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label

from exercise.ui.dialogs.modal import Dialog
from exercise.ui.plain import plain
from exercise.ui.widgets.pin_entry import PinEntry


class PinDialog(Dialog[bool]):
    """Dismisses with True once the right PIN is given, False on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="pin.cancel")]

    def __init__(self, who: str, label: str) -> None:
        super().__init__()
        self.who = who
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pin-dialog"):
            yield Label(plain(f"{self.label} PIN"), classes="title")
            yield PinEntry(self.who, "PIN, then Enter")
            yield Label("Escape goes back.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    def on_pin_entry_unlocked(self, event: PinEntry.Unlocked) -> None:
        event.stop()
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
