"""The facilitator app: which view is on screen, and who holds the keyboard.

The app keeps no game state: every action is a command run by ``act`` (see ``base``), and every
view is drawn from ``session.state``. Board, Control and Hotwash are the app's modes;
hand-overs and seats are made anew for each visit (the mode ``visit``). Who holds the keyboard
(``viewer``) guards Control and the seats behind hand-over screens and PINs.
"""

from __future__ import annotations

import contextlib
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, UnknownModeError
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from exercise.text import one_line
from exercise.ui.base import Clock, SessionApp
from exercise.ui.commands import ViewCommands
from exercise.ui.messages import (
    SeatUnlocked,
    SeatWanted,
    SessionOpened,
    ViewWanted,
)
from exercise.ui.screens import views
from exercise.ui.trace import trace

if TYPE_CHECKING:
    from collections.abc import Callable

    from exercise.engine import Session

VISIT = "visit"  # the mode of hand-overs and seats: each visit is made anew, never kept


class ExerciseApp(SessionApp):
    """Board, Control, seats, hand-overs and hotwash for one session at one terminal."""

    TITLE = "exercise"
    # Textual does not load the CSS_PATH of the screen returned by get_default_screen,
    # so the start screen's stylesheet is named here too.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "screens/start.tcss"]
    COMMANDS = App.COMMANDS | {ViewCommands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "board": views.board,
        "control": views.control,
        "hotwash": views.hotwash,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("f2", "board", "Board", id="app.board"),
        Binding("f3", "control", "Control", id="app.control"),
        Binding("f4", "choose_seat", "Seat", id="app.seat"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        pack: str | Path | None = None,
        *,
        resume: str | None = None,
        session_name: str | None = None,
        clock: Clock | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(clock)
        self.pack_arg = Path(pack) if pack else None
        self.resume_arg = resume
        self.session_name = session_name
        self.poll_seconds = poll_seconds
        self._quitting = False

    # ------------------------------------------------------------------ start and stop

    def get_default_screen(self) -> Screen[Any]:
        """The start screen is the first screen (one screen less to build before the
        first frame); the main views are modes beside it."""
        from exercise.ui.screens.start import StartScreen

        return StartScreen(self.pack_arg, self.session_name, self.resume_arg)

    def on_mount(self) -> None:
        self.set_interval(self.poll_seconds, self.poll)

    async def on_ready(self) -> None:
        """The first frame is on the terminal: now build the start form and load the pack."""
        from exercise.ui.screens.start import StartScreen

        if isinstance(self.screen, StartScreen):
            await self.screen.build()

    @on(SessionOpened)
    def _opened(self, message: SessionOpened) -> None:
        self.open_session(message.session, ask_pin=message.ask_pin)

    def open_session(self, session: Session, *, ask_pin: bool) -> None:
        """Show a freshly created or resumed session: Control (behind its PIN) or hotwash."""
        if self.session is not None and self.session is not session:
            self.session.close()
        self.session = session
        self.sub_title = one_line(session.state.setup.name or session.pack.manifest.title)
        self.viewer = "public" if ask_pin and session.has_pin("control") else "control"
        if self.viewer == "control":
            self._show_main("control")
        else:
            self._show_main("board")
            self.call_later(self.action_control)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()

    def poll(self) -> None:
        """Pick up events other processes wrote to the journal."""
        import sqlite3

        from exercise.problems import UserError

        if self.session is None:
            return
        try:
            events = self.session.refresh_events()
        except (UserError, sqlite3.Error, OSError) as exc:  # tried again at the next tick
            self.log.error(f"refresh failed: {exc!r}")
            return
        if events:
            self.session_changed(events)
            self.call_after_refresh(trace, "seen", events[-1].seq)

    # ------------------------------------------------------------------ views

    def _show_main(self, view: str, role: str | None = None) -> None:
        """Show a main view, once any dialog over the current one has gone."""
        self.call_later(self._switch_main, view, role)

    async def _switch_main(self, view: str, role: str | None) -> None:
        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            await self.pop_screen()
        # a toast belongs to the view that raised it ("Move m2 recorded" on a seat)
        self.clear_notifications()
        if view in self.MODES:
            await self.switch_mode(view)  # kept: it catches up when resumed
        elif view == "handover":
            await self._visit(views.handover(role))
        else:
            assert role is not None
            await self._visit(views.seat(role))

    async def _visit(self, screen: Screen[Any]) -> None:
        """Show a hand-over or a seat. Coming from another mode, the previous visit's
        screens are dropped first (a blank screen is the new stack's base): nobody ever
        sees the last person's seat again."""
        if self.current_mode != VISIT:
            with contextlib.suppress(UnknownModeError):  # not there before the first visit
                await self.remove_mode(VISIT)
            self.add_mode(VISIT, Screen)
            await self.switch_mode(VISIT)
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    def _need_session(self) -> bool:
        if self.session is None:
            self.notify("Open or start a session first", severity="warning")
            return False
        return True

    @on(ViewWanted)
    def _view_wanted(self, message: ViewWanted) -> None:
        actions = {
            "board": self.action_board,
            "control": self.action_control,
            "hotwash": self.action_hotwash,
            "seats": self.action_choose_seat,
            "help": self.action_help,
        }
        actions[message.view]()

    @on(SeatWanted)
    def _seat_wanted(self, message: SeatWanted) -> None:
        self.hand_over(message.role)

    @on(SeatUnlocked)
    def _seat_unlocked(self, message: SeatUnlocked) -> None:
        self.enter_seat(message.role)

    def action_help(self) -> None:
        from exercise.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_board(self) -> None:
        if self._need_session():
            if self.viewer == "control":
                self.viewer = "public"
            self._show_main("board")

    def action_control(self) -> None:
        """Control, behind the control PIN unless control already holds the keyboard."""
        if self.session is None:
            self._need_session()
            return
        if self.viewer == "control" or not self.session.has_pin("control"):
            self.viewer = "control"
            self._show_main("control")
            return
        from exercise.ui.dialogs.pin import PinDialog

        def unlocked(ok: bool | None) -> None:
            if ok:
                self.viewer = "control"
                self._show_main("control")

        self.push_screen(PinDialog("control", "Control"), unlocked)

    def action_hotwash(self) -> None:
        if self._need_session():
            if self.viewer != "control":
                self.action_control()
                return
            self._show_main("hotwash")

    async def action_quit(self) -> None:
        """Quit after a yes; outside Control, only with the control PIN (when set), so a
        player never reaches the facilitator's shell."""
        from exercise.ui.dialogs.confirm import ConfirmDialog
        from exercise.ui.dialogs.pin import PinDialog

        if self._quitting:  # the question is already on screen
            return
        needs_pin = (
            self.session is not None
            and self.viewer != "control"
            and self.session.has_pin("control")
        )

        def unlocked(ok: bool | None) -> None:
            self._quitting = False
            if ok:
                self.exit()

        def confirmed(yes: bool | None) -> None:
            if not yes:
                self._quitting = False
            elif needs_pin:
                self.push_screen(PinDialog("control", "Quitting needs the control"), unlocked)
            else:
                self.exit()

        self._quitting = True
        self.push_screen(
            ConfirmDialog(
                "Quit exercise?",
                "The session is saved: resume it later with exercise run --resume NAME."
                if self.session
                else "",
            ),
            confirmed,
        )

    def action_choose_seat(self) -> None:
        if not self._need_session():
            return
        if self.viewer == "control" or not self._on_handover():
            # blank the screen first: Control never shows behind the seat chooser
            self.viewer = "public"
            self._show_main("handover", None)
            self.call_later(self._choose_seat)
            return
        self._choose_seat()

    def _on_handover(self) -> bool:
        from exercise.ui.screens.handover import HandOverScreen

        return isinstance(self.screen, HandOverScreen)

    def _choose_seat(self) -> None:
        from exercise.ui.dialogs.choose import ChooseDialog
        from exercise.ui.format import played_roles

        assert self.session is not None
        players = self.session.state.setup.players
        options = [
            (
                f"{r.name} ({players.get(r.id) or 'player'})"
                if r.id in players
                else f"{r.name} (played by control)",
                r.id,
            )
            for r in played_roles(self.session.pack, self.session.state.setup)
        ]
        options += [
            (f"Observer: {name}", f"observer:{oid}")
            for oid, name in self.session.state.observers.items()
        ]
        self.push_screen(
            ChooseDialog("Whose seat?", options),
            lambda role: self.hand_over(role) if role else None,
        )

    def hand_over(self, role: str) -> None:
        """Blank the screen, then open ``role``'s seat for whoever takes the keyboard."""
        if not self._need_session():
            return
        self.viewer = "public"
        self._show_main("handover", role)

    def enter_seat(self, role: str) -> None:
        self.viewer = role
        self._show_main("seat", role)
