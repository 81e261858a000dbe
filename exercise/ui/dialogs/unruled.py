"""Leaving adjudication with moves still unruled: name them, and let control choose.

Rule them now, carry them to the next turn, or leave them unruled with a reason. Nothing
is left behind silently: the last two are recorded in the journal.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from exercise.ui.dialogs.modal import Dialog

CHOICES = (
    ("rule", "Rule them now (r)"),
    ("carry", "Carry to next turn (c)"),
    ("leave", "Leave unruled… (l)"),
    ("cancel", "Cancel (esc)"),
)


class UnruledDialog(Dialog[str | None]):
    """Dismisses with 'rule', 'carry', 'leave', or None (stay in adjudication)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('rule')", "Rule now", id="unruled.rule"),
        Binding("c", "choose('carry')", "Carry", id="unruled.carry"),
        Binding("l", "choose('leave')", "Leave unruled", id="unruled.leave"),
        Binding("escape", "choose('cancel')", "Cancel", id="unruled.cancel"),
    ]

    def __init__(self, question: str, lines: list[str]) -> None:
        super().__init__()
        self.question = question
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unruled"):
            yield Label(self.question, classes="title", markup=False)
            yield Static(Text("\n".join(self.lines)), id="unruled-moves")
            with Horizontal(classes="buttons"):
                for value, label in CHOICES:
                    yield Button(
                        label, id=f"u-{value}", variant="primary" if value == "rule" else "default"
                    )

    def on_mount(self) -> None:
        self.query_one("#u-rule", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(str(event.button.id)[2:])

    def action_choose(self, choice: str) -> None:
        self.dismiss(None if choice == "cancel" else choice)
