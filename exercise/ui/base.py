"""What screens and widgets read from their app, typed once: the session, the clock, and
the one path every action takes.

``ViewingApp`` is any app whose views draw an exercise's state (the facilitator app, a
replay). ``SessionApp`` holds an open Session: ``act`` executes a command with the app's
clock, turns the engine's refusal into a notification, and tells the views on screen
that the session changed (``SessionChanged``). ``SessionScreen`` is the base of every
view of a session, with a typed ``session`` and the redraw on change.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from textual import events, on
from textual.app import App
from textual.screen import Screen

from exercise.text import one_line, printable, printable_fields
from exercise.ui.messages import Notified, Refused, SessionChanged, Severity
from exercise.ui.trace import trace

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from exercise.engine import Event, ExerciseState, Session
    from exercise.engine.commands import Command, Outcome
    from exercise.pack.models import Pack

Clock = Callable[[], dt.datetime]
R = TypeVar("R")


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Shown(Protocol):
    """What a view draws from: an exercise's state and its pack (a Session, a Replay)."""

    @property
    def state(self) -> ExerciseState: ...

    @property
    def pack(self) -> Pack: ...


class ViewingApp(App[None]):
    """An app whose views draw an exercise's state at the app's "now"."""

    def __init__(self) -> None:
        super().__init__()
        self.bell_rung_for: int | None = None  # the turn whose deliberation ran out

    def shown(self) -> Shown | None:
        """The session or replay the views draw, once there is one."""
        return None

    def now(self) -> dt.datetime:
        return system_clock()


class SessionApp(ViewingApp):
    """An app holding one open Session, and who holds its keyboard (``viewer``)."""

    def __init__(self, clock: Clock | None = None) -> None:
        super().__init__()
        self.clock: Clock = clock or system_clock
        self.session: Session | None = None
        self.viewer = "control"  # who holds the keyboard: control, public or a role id
        # kept by the process, not the journal: unrecorded drafts, what each seat has read
        self.drafts: dict[str, dict[str, object]] = {}
        self.inbox_seen: dict[str, set[str]] = {}
        self.seen_messages: dict[str, dict[str, int]] = {}  # viewer -> channel -> last seq

    def shown(self) -> Session | None:
        return self.session

    def now(self) -> dt.datetime:
        return self.clock()

    def act(self, command: Command) -> Outcome | None:
        """Execute ``command`` now. A refusal becomes a notification (and a ``Refused``
        message) and None, so what was typed stays in its form; any other error is a bug
        and is not hidden."""
        from exercise.problems import UserError

        if self.session is None:
            self.notify("Open or start a session first", severity="warning")
            return None
        # what was typed is text: no terminal control characters reach the journal
        command = printable_fields(command)
        try:
            result = self.session.execute(command, self.clock())
        except UserError as exc:  # the engine refused, and says why
            self._refused(command, str(exc), "Not done")
            return None
        except (sqlite3.Error, OSError) as exc:  # the journal could not take it: not recorded
            self._refused(command, f"The session file could not be written: {exc}", "Not saved")
            return None
        trace("wrote", self.session.state.last_seq)  # committed: what the screen now shows
        self.session_changed()
        return result

    def _refused(self, command: Command, reason: str, title: str) -> None:
        self.notify(reason, severity="error", title=title)
        self.post_message(Refused(command, reason))

    def session_changed(self, events: Sequence[Event] | None = None) -> None:
        """Tell the view on top to draw the new state. The others draw it when shown
        again (a view under a dialog, when the dialog closes): a message to them would
        only wake them, and a view woken under a dialog has the dialog's whole
        background drawn again."""
        self.screen.post_message(SessionChanged(events))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages quote what players and packs wrote."""
        text, heading = printable(str(message)), one_line(str(title))
        super().notify(text, title=heading, severity=severity, timeout=timeout, markup=False)
        self.post_message(Notified(text, heading, severity))


def viewing_app(node: DOMNode) -> ViewingApp:
    app = node.app
    assert isinstance(app, ViewingApp), "a view of an exercise runs in an exercise app"
    return app


def session_app(node: DOMNode) -> SessionApp:
    app = node.app
    assert isinstance(app, SessionApp), "this view needs an open session"
    return app


def open_session(node: DOMNode) -> Session:
    """The app's session; the views that call this exist only while one is open."""
    session = session_app(node).session
    assert session is not None, "no session is open"
    return session


class StyledOnMount(Screen[R]):
    """A screen whose widgets are not styled a second time when it is first shown.

    Every widget is styled as it is mounted; Textual then styles the whole screen again
    when it is first shown, to catch up with changes made while it was hidden. A screen
    shown for the first time was hidden for no time: only the screen itself is styled
    again (it was styled before its class's CSS file was read, its widgets after), and
    the second pass over its widgets (a few milliseconds each) is skipped. Later
    showings are styled again as before.
    """

    _styled_when_shown = False  # shown once: its widgets were styled on mount

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._styled_when_shown:
            self._styled_when_shown = True
            event.refresh_styles = False  # Screen's own handler runs next, and reads it
            self.app.stylesheet.update_nodes([self])


class SessionScreen(StyledOnMount[None]):
    """A view of the open session: drawn from its state, again whenever it changes.

    ``viewer`` (when set) names who the view is for; events written by other processes
    that this viewer cannot see do not redraw it.
    """

    viewer: str | None = None
    drawn_seq = -1  # the state on screen: the last event drawn (-1: not drawn yet)

    @property
    def host(self) -> SessionApp:
        return session_app(self)

    @property
    def session(self) -> Session:
        return open_session(self)

    def redraw(self) -> None:
        """Draw the view from ``self.session.state``."""

    def draw(self) -> None:
        """Redraw, and remember which state is on screen."""
        self.drawn_seq = self.session.state.last_seq
        self.redraw()

    @on(SessionChanged)
    def _session_changed(self, message: SessionChanged) -> None:
        session = self.host.session
        if session is None or session.state.last_seq == self.drawn_seq:
            return  # drawn already (two actions in a row need one drawing)
        if self.app.screen is not self:
            return  # under a dialog: drawn when it closes (on_screen_resume), not twice
        if message.events and self.viewer:
            from exercise.engine.audience import concerns

            if not concerns(session.state, message.events, self.viewer):
                return
        self.draw()

    def on_screen_resume(self) -> None:
        """Shown again (a view kept between visits, or a dialog closed): catch up."""
        session = self.host.session
        if self.drawn_seq >= 0 and session is not None and session.state.last_seq != self.drawn_seq:
            self.draw()
