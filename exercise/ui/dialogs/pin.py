"""Ask for a PIN (a role's, or control's) and check it against the session."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PinDialog(ModalScreen[bool]):
    """Dismisses with True once the right PIN is given, False on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="pin.cancel")]

    def __init__(self, who: str, label: str) -> None:
        super().__init__()
        self.who = who
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pin-dialog"):
            yield Label(f"{self.label} PIN", classes="title", markup=False)
            yield Input(password=True, placeholder="PIN, then Enter", id="pin")
            yield Label("Escape goes back.", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        session = self.app.session  # type: ignore[attr-defined]
        if session is not None and session.check_pin(self.who, event.value):
            self.dismiss(True)
            return
        event.input.value = ""
        self.notify("Wrong PIN", severity="error")

    def action_cancel(self) -> None:
        self.dismiss(False)
