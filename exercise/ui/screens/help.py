"""Help: the key bindings that work where it is opened, with their ids (ids can be remapped).

At the shared terminal every view is one key away, so its help lists every view's keys.
A served tab (or the projector's Board) shows one view only: its help lists that view's
keys and the tab's own, never F2/F3/F4 or keys of views the tab cannot reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from exercise.ui.dialogs.modal import Dialog

if TYPE_CHECKING:
    from exercise.ui.base import SessionScreen

Sections = list[tuple[str, list[Binding]]]
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


def _sections(app_bindings: list[BindingType]) -> Sections:
    """Every view's keys, for the shared terminal; ``app_bindings`` are the app's own
    (F1, F2, ...)."""
    from exercise.ui.dialogs.adjudicate import AdjudicateDialog
    from exercise.ui.dialogs.form import FormDialog
    from exercise.ui.dialogs.unruled import UnruledDialog
    from exercise.ui.screens.board import BoardScreen
    from exercise.ui.screens.control import ControlScreen
    from exercise.ui.screens.handover import HandOverScreen
    from exercise.ui.screens.hotwash import HotwashScreen
    from exercise.ui.screens.observer import ObserverScreen
    from exercise.ui.screens.seat import SeatScreen
    from exercise.ui.screens.start import StartScreen

    found = [("Everywhere", _bindings(app_bindings))]
    found += _of(
        ("Start", StartScreen),
        ("Board", BoardScreen),
        ("Control", ControlScreen),
        ("Seat", SeatScreen),
        ("Observer", ObserverScreen),
        ("Hand-over", HandOverScreen),
        ("Hotwash", HotwashScreen),
        ("Adjudication dialog", AdjudicateDialog),
        ("Forms", FormDialog),
        ("Unruled moves", UnruledDialog),
    )
    found[0][1].append(
        Binding("ctrl+p", "command_palette", "Command palette", id="app.command_palette")
    )
    return found


def _bindings(bindings: list[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]


def _of(*classes: tuple[str, type]) -> Sections:
    return [(title, _bindings(getattr(cls, "BINDINGS", []))) for title, cls in classes]


VIEW_INTROS = {
    None: "Sign in: choose what this screen shows with the arrow keys and Enter, then type "
    "its PIN (Escape goes back to the list). The screen then shows that view only.",
    "board": "The Board: the public view of the exercise, read only. Nothing here leads to "
    "Control or to a seat.",
    "seat": "Your seat: your inbox, the public feed, your moves, a new move (ctrl+s records "
    "it), your channels and your brief. Nothing here leads to Control or another seat.",
    "observer": "Your observer's view: the Board, every move and ruling, every channel (read "
    "only) and your notes (ctrl+o writes one). Nothing here leads to Control or a seat.",
    "control": "Control: n moves through the phases and turns; release, hold, skip or edit "
    "injects; rule on moves; w opens the hotwash at the end.",
}


def view_help(view: str | None, tab_bindings: list[BindingType]) -> tuple[str, Sections]:
    """The intro and the keys of one signed-in view (None: the sign-in screen);
    ``tab_bindings`` are the served tab's own keys."""
    from exercise.ui.dialogs.adjudicate import AdjudicateDialog
    from exercise.ui.dialogs.form import FormDialog
    from exercise.ui.dialogs.pin import PinDialog
    from exercise.ui.dialogs.unruled import UnruledDialog

    tab = [("This screen", _bindings(tab_bindings))]
    tab[0][1].append(
        Binding("ctrl+p", "command_palette", "Palette (theme, keys)", id="view.command_palette")
    )
    views: dict[str | None, tuple[tuple[str, type], ...]] = {
        None: (("PIN", PinDialog),),
        "board": (("Board", _screen("board")),),
        "seat": (("Seat", _screen("seat")),),
        "observer": (("Observer", _screen("observer")), ("Forms", FormDialog)),
        "control": (
            ("Control", _screen("control")),
            ("Hotwash", _screen("hotwash")),
            ("Adjudication dialog", AdjudicateDialog),
            ("Forms", FormDialog),
            ("Unruled moves", UnruledDialog),
        ),
    }
    return VIEW_INTROS[view], tab + _of(*views[view])


def _screen(view: str) -> type[SessionScreen]:
    """A view's screen class, imported only when its help is asked for."""
    if view == "board":
        from exercise.ui.screens.board import BoardScreen

        return BoardScreen
    if view == "seat":
        from exercise.ui.screens.seat import SeatScreen

        return SeatScreen
    if view == "observer":
        from exercise.ui.screens.observer import ObserverScreen

        return ObserverScreen
    if view == "hotwash":
        from exercise.ui.screens.hotwash import HotwashScreen

        return HotwashScreen
    from exercise.ui.screens.control import ControlScreen

    return ControlScreen


class HelpScreen(Dialog[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, intro: str = WORKFLOW, sections: Sections | None = None) -> None:
        """Without ``sections``: the shared terminal's help, every view's keys."""
        super().__init__()
        self.intro = intro
        self.sections = sections

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys\n", "bold underline")
        text.append(self.intro + "\n", "italic")
        sections = self.sections
        for title, bindings in sections or _sections(type(self.app).BINDINGS):
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
