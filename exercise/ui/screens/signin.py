"""Sign-in: the first screen of a browser tab. Choose the Board, a seat or Control.

The Board needs no PIN; a seat needs its role's PIN (the control PIN for a role control
plays); Control needs the control PIN. Once signed in, the tab shows that view only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from exercise.ui.base import open_session
from exercise.ui.format import role_name
from exercise.ui.messages import SignedIn

if TYPE_CHECKING:
    from exercise.engine import Session


def pin_owner(session: Session, choice: str) -> str | None:
    """Whose PIN unlocks ``choice`` (board, control or a role id), or None if none does."""
    if choice == "board":
        return None
    if choice != "control" and choice in session.state.setup.control_roles:
        choice = "control"
    return choice if session.has_pin(choice) else None


def choices(session: Session) -> list[tuple[str, Text]]:
    """(id, label) for the Board, every played role and Control."""
    setup = session.state.setup
    found = [("board", Text.assemble(("Board", "bold"), "  the public view · no PIN"))]
    for role in session.pack.roles:
        if role.id not in setup.players and role.id not in setup.control_roles:
            continue
        who = setup.players.get(role.id) or "played by control"
        found.append((role.id, Text.assemble(("Seat: ", "dim"), (role.name, "bold"), f"  {who}")))
    found.append(("control", Text.assemble(("Control", "bold"), "  the facilitator")))
    for i, (choice, label) in enumerate(found):
        owner = pin_owner(session, choice)
        if owner is not None:
            found[i] = (
                choice,
                label
                + Text(
                    " · control PIN" if owner == "control" and choice != "control" else " · PIN",
                    "dim",
                ),
            )
    return found


class SignInScreen(Screen[None]):
    """The list of views; Enter on one asks its PIN (if any), then opens it for good."""

    def __init__(self, ask: str | None = None) -> None:
        super().__init__()
        self.ask = ask

    def compose(self) -> ComposeResult:
        session = open_session(self)
        title = session.state.setup.name or session.pack.manifest.title
        with Vertical(id="signin"):
            yield Static(Text(title, "bold"), id="signin-title")
            yield Static(
                "Sign in: choose what this screen shows (arrow keys and Enter).",
                id="signin-hint",
            )
            yield OptionList(
                *[Option(label, id=choice) for choice, label in choices(session)], id="signin-list"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if self.ask and self.ask in {choice for choice, _ in choices(open_session(self))}:
            self.call_after_refresh(self.choose, self.ask)  # once the list is up and focused

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.choose(event.option.id)

    async def choose(self, choice: str) -> None:
        session = open_session(self)
        owner = pin_owner(session, choice)
        if owner is None:
            self.enter(choice)
            return
        from exercise.ui.dialogs.pin import PinDialog

        label = "Control" if owner == "control" else role_name(session.pack, owner)
        dialog = PinDialog(owner, label)
        await self.app.push_screen(dialog, lambda ok: self.enter(choice) if ok else None)
        # Focused here, not left to auto-focus: a browser tab opened in the background
        # has no app focus yet, and its first keys must still reach the PIN.
        dialog.query_one(Input).focus()

    def enter(self, choice: str) -> None:
        if choice in ("board", "control"):
            self.app.post_message(SignedIn(choice))
        else:
            self.app.post_message(SignedIn("seat", choice))
