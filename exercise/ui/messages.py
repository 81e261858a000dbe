"""The messages of the apps: what changed, what came of long work, and where to go next.

Screens post them and handle them with ``@on``; the app handles the ones that change the
view. Tests read them through ``run_test(message_hook=...)`` instead of peeking at widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from exercise.engine import Event, Session
    from exercise.engine.commands import Command

Severity = Literal["information", "warning", "error"]
View = Literal["board", "control", "hotwash", "seats", "help"]


# ---------------------------------------------------------------------- the session


class SessionChanged(Message, bubble=False):
    """The session's state moved on. ``events`` are those another process wrote (each
    view skips them unless they concern its viewer); None after an action taken here,
    which every view on screen draws."""

    def __init__(self, events: Sequence[Event] | None = None) -> None:
        super().__init__()
        self.events = events


class Refused(Message, bubble=False):
    """The engine refused ``command`` (or could not write it); ``reason`` says why."""

    def __init__(self, command: Command, reason: str) -> None:
        super().__init__()
        self.command = command
        self.reason = reason


class Notified(Message, bubble=False):
    """A notification was shown (posted alongside every toast, with its plain text)."""

    def __init__(self, text: str, title: str, severity: Severity) -> None:
        super().__init__()
        self.text = text
        self.title = title
        self.severity = severity


class InjectFired(Message, bubble=False):
    """A conditional inject was released or queued because its condition came true."""

    def __init__(self, inject_id: str, why: str, *, queued: bool) -> None:
        super().__init__()
        self.inject_id = inject_id
        self.why = why
        self.queued = queued


# ---------------------------------------------------------------------- long work


class ReportWritten(Message):
    """The after-action report's files were written."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = list(paths)


class ReportFailed(Message):
    """The after-action report could not be written; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class BriefReady(Message):
    """A seat's brief was rendered; ``problem`` says why the plain brief is shown, if so."""

    def __init__(self, role: str, markdown: str, problem: str) -> None:
        super().__init__()
        self.role = role
        self.markdown = markdown
        self.problem = problem


# ---------------------------------------------------------------------- where to go


class ViewWanted(Message):
    """Show a view: the Board, Control (behind its PIN), Hotwash, the seat chooser or
    the help."""

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view: View = view


class SeatWanted(Message):
    """Hand the keyboard to ``role``: the hand-over screen first."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role


class SeatUnlocked(Message):
    """Whoever holds the keyboard took ``role``'s seat (its PIN given, if it has one)."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role


class SessionOpened(Message):
    """The start screen created or resumed a session; ``ask_pin``: Control's PIN first."""

    def __init__(self, session: Session, *, ask_pin: bool) -> None:
        super().__init__()
        self.session = session
        self.ask_pin = ask_pin


class SignedIn(Message):
    """A browser tab chose its view (board, control or seat) and gave its PIN."""

    def __init__(self, view: str, role: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.role = role
