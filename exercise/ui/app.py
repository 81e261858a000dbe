"""The facilitator app: which view is on screen, and the one path every action takes.

The app keeps no game state. ``act`` executes a command with the injected clock,
turns engine refusals into notifications, and redraws every view from ``session.state``.
Who holds the keyboard (``viewer``) is the only thing it remembers, to guard Control
and the seats behind hand-over screens and PINs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from exercise.text import one_line, printable, printable_fields
from exercise.ui.commands import ViewCommands
from exercise.ui.trace import trace

if TYPE_CHECKING:
    from textual.screen import Screen

    from exercise.engine import Event, Session
    from exercise.engine.commands import Command, Outcome

Clock = Callable[[], dt.datetime]
KEPT_VIEWS = ("board", "control")


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class ExerciseApp(App[None]):
    """Board, Control, seats, hand-overs and hotwash for one session at one terminal."""

    TITLE = "exercise"
    # Textual does not load the CSS_PATH of the screen returned by get_default_screen,
    # so the start screen's stylesheet is named here too.
    CSS_PATH: ClassVar[list[str]] = ["app.tcss", "screens/start.tcss"]
    COMMANDS = App.COMMANDS | {ViewCommands}
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
        super().__init__()
        self.pack_arg = Path(pack) if pack else None
        self.resume_arg = resume
        self.session_name = session_name
        self.clock: Clock = clock or system_clock
        self.poll_seconds = poll_seconds
        self.session: Session | None = None
        self.viewer = "control"  # who holds the keyboard: control, public or a role id
        self._quitting = False
        # kept by the process, not the journal: unrecorded drafts, what each seat has read
        self.drafts: dict[str, dict[str, object]] = {}
        self.inbox_seen: dict[str, set[str]] = {}
        self.bell_rung_for: int | None = None  # the turn whose deliberation ran out
        self.seen_messages: dict[str, dict[str, int]] = {}  # viewer -> channel -> last seq

    # ------------------------------------------------------------------ start and stop

    def get_default_screen(self) -> Screen:
        """The start screen is the first screen (one screen less to build before the
        first frame); every main view later replaces it."""
        from exercise.ui.screens.start import StartScreen

        return StartScreen(self.pack_arg, self.session_name, self.resume_arg)

    def on_mount(self) -> None:
        self.set_interval(self.poll_seconds, self.poll)

    async def on_ready(self) -> None:
        """The first frame is on the terminal: now build the start form and load the pack."""
        from exercise.ui.screens.start import StartScreen

        if isinstance(self.screen, StartScreen):
            await self.screen.build()

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

    # ------------------------------------------------------------------ the action path

    def act(self, command: Command) -> Outcome | None:
        """Execute ``command`` now; a refusal becomes a notification (and None), not a crash."""
        from exercise.problems import UserError

        if self.session is None:
            self.notify("Open or start a session first", severity="warning")
            return None
        # what was typed is text: no terminal control characters reach the journal
        command = printable_fields(command)
        operation = type(command).__name__
        try:
            result = self.session.execute(command, self.clock())
        except UserError as exc:
            self.notify(str(exc), severity="error", title="Not done")
            return None
        except Exception as exc:  # a live exercise must survive anything a user types
            self.log.error(f"{operation} failed: {exc!r}")
            self.notify(f"{operation} failed: {exc}", severity="error", title="Not done")
            return None
        trace("wrote", self.session.state.last_seq)  # committed: what the screen now shows
        self.redraw()
        return result

    def notify(self, message: str, *, title: str = "", markup: bool = True, **kwargs: Any) -> None:
        """Every notification is plain text: messages quote what players and packs wrote."""
        super().notify(printable(str(message)), title=one_line(str(title)), markup=False, **kwargs)

    def redraw(self, events: list[Event] | None = None) -> None:
        """Redraw every open view from the session state; given the ``events`` that
        changed it, skip the views (with a ``viewer``) that cannot see any of them."""
        from exercise.engine.audience import concerns

        for screen in self.screen_stack:
            redraw = getattr(screen, "redraw", None)
            viewer = getattr(screen, "viewer", None)
            if redraw is None or (
                events
                and viewer
                and self.session is not None
                and not concerns(self.session.state, events, viewer)
            ):
                continue
            redraw()

    def poll(self) -> None:
        """Pick up events other processes wrote to the journal."""
        if self.session is None:
            return
        try:
            events = self.session.refresh_events()
        except Exception as exc:
            self.log.error(f"refresh failed: {exc!r}")
            return
        if events:
            self.redraw(events)
            self.call_after_refresh(trace, "seen", events[-1].seq)

    # ------------------------------------------------------------------ views

    def _show_main(self, view: str, role: str | None = None) -> None:
        """Replace the main view, once any dialog over it has gone."""
        self.call_later(self._switch_main, view, role)

    async def _switch_main(self, view: str, role: str | None) -> None:
        from textual.screen import ModalScreen

        from exercise.ui.screens import views

        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            await self.pop_screen()
        if view not in KEPT_VIEWS:
            screen: Screen | str = views.make(view, role)
        else:
            # Board and Control are kept (not rebuilt) between visits, redrawn on return
            if not self.is_screen_installed(view):
                self.install_screen(views.make(view), name=view)
            screen = view
        # a toast belongs to the view that raised it ("Move m2 recorded" on a seat)
        self.clear_notifications()
        if len(self.screen_stack) == 1:  # the start screen stays underneath
            await self.push_screen(screen)
        else:
            await self.switch_screen(screen)
        if view in KEPT_VIEWS:
            self.screen.redraw()  # type: ignore[attr-defined]

    def _need_session(self) -> bool:
        if self.session is None:
            self.notify("Open or start a session first", severity="warning")
            return False
        return True

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
        if not self._need_session():
            return
        assert self.session is not None
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

        assert self.session is not None
        pack = self.session.pack
        players = self.session.state.setup.players
        options = [
            (
                f"{r.name} ({players.get(r.id) or 'player'})"
                if r.id in players
                else f"{r.name} (played by control)",
                r.id,
            )
            for r in pack.roles
            if self.is_played(r.id)
        ]
        options += [
            (f"Observer: {name}", f"observer:{oid}")
            for oid, name in self.session.state.observers.items()
        ]
        self.push_screen(
            ChooseDialog("Whose seat?", options),
            lambda role: self.hand_over(role) if role else None,
        )

    def is_played(self, role: str) -> bool:
        assert self.session is not None
        setup = self.session.state.setup
        return role in setup.players or role in setup.control_roles

    def hand_over(self, role: str) -> None:
        """Blank the screen, then open ``role``'s seat for whoever takes the keyboard."""
        if not self._need_session():
            return
        self.viewer = "public"
        self._show_main("handover", role)

    def enter_seat(self, role: str) -> None:
        self.viewer = role
        self._show_main("seat", role)
