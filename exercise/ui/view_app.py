"""One view for one person: the Board on a projector, or one browser tab of ``serve``.

The shared-terminal app moves between Board, Control, seats and observers' views; this
one shows a single view and nothing leads out of it. It has no F2/F3/F4 keys, no palette
entries for views or seats, and its view actions refuse anything but the view signed in
to. A served tab starts on the sign-in screen; ``exercise board`` starts on the Board.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from exercise.ui.app import ExerciseApp
from exercise.ui.base import Clock
from exercise.ui.messages import SignedIn
from exercise.ui.trace import trace

if TYPE_CHECKING:
    from exercise.engine import Session
    from exercise.ui.presence import Presence

# What a signed-in tab may show: the view itself, and for control its hotwash.
REACHABLE = {
    "board": {"board"},
    "control": {"control", "hotwash"},
    "seat": {"seat"},
    "observer": {"observer"},
}
PERSONAL = ("seat", "observer")  # views of one person: only the one signed in to


class ViewApp(ExerciseApp, inherit_bindings=False):
    """A single view of an open session: ``view`` fixed, or chosen on the sign-in screen."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "screens/signin.tcss"]
    COMMANDS: ClassVar = App.COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="view.help"),
        Binding("ctrl+q", "quit", "Quit", id="view.quit", priority=True),
    ]

    def __init__(
        self,
        session: Session,
        *,
        view: str | None = None,
        ask: str | None = None,
        presence: Presence | None = None,
        clock: Clock | None = None,
        poll_seconds: float = 0.3,
        pins_required: bool = False,
    ) -> None:
        super().__init__(clock=clock, poll_seconds=poll_seconds)
        self.session = session
        self.sub_title = session.state.setup.name or session.pack.manifest.title
        self.fixed_view = view
        self.ask = ask  # the view a URL asks for: board, control, a role or observer:<id>
        self.presence = presence
        self.pins_required = pins_required  # served beyond loopback: no view without a PIN
        self.signed_in: tuple[str, str | None] | None = None
        self.viewer = "public"

    def get_default_screen(self) -> Screen[Any]:
        if self.fixed_view is not None:
            return Screen(id="_default")
        from exercise.ui.screens.signin import SignInScreen

        return SignInScreen(self.ask, pins_required=self.pins_required)

    def on_mount(self) -> None:
        super().on_mount()
        if self.fixed_view is not None:
            self.sign_in(self.fixed_view)

    def on_unmount(self) -> None:
        if self.presence is not None:
            self.presence.leave()
        super().on_unmount()

    def action_help(self) -> None:
        """This view's keys only: F2, F3 and F4 do nothing here, so they are not listed."""
        from exercise.ui.screens.help import HelpScreen, view_help

        if not isinstance(self.screen, HelpScreen):
            view = self.signed_in[0] if self.signed_in is not None else None
            self.push_screen(HelpScreen(*view_help(view, type(self).BINDINGS)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Theme, keys and quit; nothing that opens another view."""
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Keys", "Quit"):
                yield command

    # ------------------------------------------------------------------ signing in

    @on(SignedIn)
    def _signed_in(self, message: SignedIn) -> None:
        self.sign_in(message.view, message.role)

    def sign_in(self, view: str, role: str | None = None) -> None:
        """Show ``view`` (board, control, seat or observer) for good: the tab never
        leaves it. ``role`` is the seat's role, or ``observer:<id>``."""
        if self.signed_in is not None:
            return
        self.signed_in = (view, role)
        self.viewer = {"board": "public", "control": "control"}.get(view, role or "public")
        if self.presence is not None:
            self.presence.enter(view, role)
        super()._show_main(view, role)

    async def _switch_main(self, view: str, role: str | None) -> None:
        await super()._switch_main(view, role)
        self.call_after_refresh(trace, "ready", f"{view}:{role}" if role else view)

    def may_show(self, view: str, role: str | None = None) -> bool:
        if self.signed_in is None:
            return False
        signed_view, signed_role = self.signed_in
        return view in REACHABLE[signed_view] and (view not in PERSONAL or role == signed_role)

    def _show_main(self, view: str, role: str | None = None) -> None:
        if self.may_show(view, role):
            super()._show_main(view, role)

    # The shared terminal's ways between views, closed here (bindings and palette
    # entries are gone too; these guard any other path to them).
    def action_board(self) -> None:
        self._show_main("board")

    def action_control(self) -> None:
        self._show_main("control")

    def action_hotwash(self) -> None:
        self._show_main("hotwash")

    def action_choose_seat(self) -> None:
        return

    def hand_over(self, role: str) -> None:
        return

    def enter_seat(self, role: str) -> None:
        self._show_main("seat", role)

    async def action_quit(self) -> None:
        """The projector's Board is not closed by a passer-by: the control PIN, if set."""
        if self.fixed_view != "board" or not self.session or not self.session.has_pin("control"):
            self.exit()
            return
        from exercise.ui.dialogs.pin import PinDialog

        self.push_screen(PinDialog("control", "Control"), lambda ok: self.exit() if ok else None)
