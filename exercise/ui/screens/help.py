"""Help: every key binding of every view, with its id (ids can be remapped)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

WORKFLOW = (
    "Start: choose the pack, name the players, choose the roles control plays, set PINs.\n"
    "Control (F3): n starts turn 1 and moves through injects → deliberation → moves → "
    "adjudication → consequences (b steps back while nothing happened). Release (r, then u "
    "undoes it), hold, skip or edit injects; write ad-hoc ones. Leaving adjudication with "
    "unruled moves asks: rule now, carry to the next turn, or leave unruled with a reason.\n"
    "Players: F4 chooses a seat; the screen goes blank until that player presses Enter "
    "(and their PIN). In the seat, 'New move' records a move (ctrl+s).\n"
    "Board (F2) is public: put it on the projector. Control asks its PIN when one is set.\n"
    "ctrl+p opens the command palette: seats, injects, moves, turns and actions."
)


def _sections(app_bindings: list[BindingType]) -> list[tuple[str, list[Binding]]]:
    """Every view's bindings; ``app_bindings`` are the app's own (F1, F2, ...)."""
    from exercise.ui.dialogs.adjudicate import AdjudicateDialog
    from exercise.ui.dialogs.form import FormDialog
    from exercise.ui.dialogs.unruled import UnruledDialog
    from exercise.ui.screens.board import BoardScreen
    from exercise.ui.screens.control import ControlScreen
    from exercise.ui.screens.handover import HandOverScreen
    from exercise.ui.screens.hotwash import HotwashScreen
    from exercise.ui.screens.seat import SeatScreen
    from exercise.ui.screens.start import StartScreen

    found: list[tuple[str, list[Binding]]] = [
        ("Everywhere", [b for b in app_bindings if isinstance(b, Binding)])
    ]
    for title, cls in (
        ("Start", StartScreen),
        ("Board", BoardScreen),
        ("Control", ControlScreen),
        ("Seat", SeatScreen),
        ("Hand-over", HandOverScreen),
        ("Hotwash", HotwashScreen),
        ("Adjudication dialog", AdjudicateDialog),
        ("Forms", FormDialog),
        ("Unruled moves", UnruledDialog),
    ):
        found.append((title, [b for b in cls.BINDINGS if isinstance(b, Binding)]))
    found[0][1].append(
        Binding("ctrl+p", "command_palette", "Command palette", id="app.command_palette")
    )
    return found


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys\n", "bold underline")
        text.append(WORKFLOW + "\n", "italic")
        for title, bindings in _sections(type(self.app).BINDINGS):
            text.append(f"\n{title}\n", "bold cyan")
            for binding in bindings:
                keys = ", ".join(
                    self.app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")
                )
                text.append(f"  {keys:<18}", "bold")
                text.append(f"{binding.description:<22}")
                text.append(f" {binding.id or ''}\n", "dim")
        text.append("\nEscape, F1 or q closes this help.", "dim")
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)
