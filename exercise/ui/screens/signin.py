"""Sign-in: the first screen of a browser tab. Choose the Board, a seat, Control or an
observer's view.

The Board needs no PIN; a seat needs its role's PIN (the control PIN for a role control
plays); Control needs the control PIN; an observer their own PIN. Once signed in, the tab
shows that view only. Observers named while the list is shown join it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from exercise.engine.channels_state import OBSERVER_PREFIX, is_observer
from exercise.ui.base import SessionScreen
from exercise.ui.format import role_name
from exercise.ui.messages import SignedIn

if TYPE_CHECKING:
    from exercise.engine import Session


def pin_owner(session: Session, choice: str) -> str | None:
    """Whose PIN unlocks ``choice`` (board, control, a role id or ``observer:<id>``), or
    None if none does."""
    if choice == "board":
        return None
    if choice != "control" and choice in session.state.setup.control_roles:
        choice = "control"
    return choice if session.has_pin(choice) else None


def choices(session: Session, *, pins_required: bool = False) -> list[tuple[str, Text]]:
    """(id, label) for the Board, every played role, Control and every observer. With
    ``pins_required`` (served beyond this machine) an observer without a PIN is left out:
    anyone on the network could read every secret move through their view."""
    setup = session.state.setup
    found = [("board", Text.assemble(("Board", "bold"), "  the public view · no PIN"))]
    for role in session.pack.roles:
        if role.id not in setup.players and role.id not in setup.control_roles:
            continue
        who = setup.players.get(role.id) or "played by control"
        found.append((role.id, Text.assemble(("Seat: ", "dim"), (role.name, "bold"), f"  {who}")))
    found.append(("control", Text.assemble(("Control", "bold"), "  the facilitator")))
    for observer, name in session.state.observers.items():
        choice = OBSERVER_PREFIX + observer
        if pins_required and not session.has_pin(choice):
            continue
        found.append(
            (choice, Text.assemble(("Observer: ", "dim"), (name, "bold"), "  reads, takes notes"))
        )
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


def pin_label(session: Session, owner: str) -> str:
    """The name the PIN dialog asks for: Control, a role's or an observer's."""
    if owner == "control":
        return "Control"
    if is_observer(owner):
        return session.state.observers.get(owner.removeprefix(OBSERVER_PREFIX), owner)
    return role_name(session.pack, owner)


class SignInScreen(SessionScreen):
    """The list of views; Enter on one asks its PIN (if any), then opens it for good."""

    def __init__(self, ask: str | None = None, *, pins_required: bool = False) -> None:
        super().__init__()
        self.ask = ask
        self.pins_required = pins_required  # served beyond loopback: no view without a PIN
        self._shown: list[str] = []

    def _choices(self) -> list[tuple[str, Text]]:
        return choices(self.session, pins_required=self.pins_required)

    def compose(self) -> ComposeResult:
        session = self.session
        title = session.state.setup.name or session.pack.manifest.title
        found = self._choices()
        self._shown = [choice for choice, _ in found]
        with Vertical(id="signin"):
            yield Static(Text(title, "bold"), id="signin-title")
            yield Static(
                "Sign in: choose what this screen shows (arrow keys and Enter).",
                id="signin-hint",
            )
            yield OptionList(
                *[Option(label, id=choice) for choice, label in found], id="signin-list"
            )

    def on_mount(self) -> None:
        self.draw()  # the list as composed; from now on, again whenever the session changes
        self.query_one(OptionList).focus()
        if self.ask and self.ask in self._shown:
            self.call_after_refresh(self.choose, self.ask)  # once the list is up and focused

    def redraw(self) -> None:
        """Another tab named an observer: list them too (the highlight stays put)."""
        found = self._choices()
        if [choice for choice, _ in found] == self._shown:
            return
        self._shown = [choice for choice, _ in found]
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(label, id=choice) for choice, label in found])
        if highlighted is not None:
            options.highlighted = min(highlighted, len(found) - 1)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.choose(event.option.id)

    async def choose(self, choice: str) -> None:
        session = self.session
        owner = pin_owner(session, choice)
        if owner is None:
            self.enter(choice)
            return
        from exercise.ui.dialogs.pin import PinDialog

        dialog = PinDialog(owner, pin_label(session, owner))
        await self.app.push_screen(dialog, lambda ok: self.enter(choice) if ok else None)
        # Focused here, not left to auto-focus: a browser tab opened in the background
        # has no app focus yet, and its first keys must still reach the PIN.
        dialog.query_one(Input).focus()

    def enter(self, choice: str) -> None:
        if choice in ("board", "control"):
            self.app.post_message(SignedIn(choice))
        elif is_observer(choice):
            self.app.post_message(SignedIn("observer", choice))
        else:
            self.app.post_message(SignedIn("seat", choice))
