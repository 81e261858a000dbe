"""Helpers for the app tests: a settable clock, the messages seen, screen text.

(No tests here; the app test modules import it.)
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import (
    DataTable,
    Input,
    Markdown,
    Static,
    TextArea,
)

from exercise.engine.commands import (
    AddAdhocInject,
    AdvancePhase,
    RecordMove,
    RollMatrix,
    Rule,
    StartExercise,
)
from exercise.ui.messages import Notified

M = TypeVar("M", bound=Message)
ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini-pack"
START = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


def bundled_ready() -> bool:
    return any((ROOT / "roles").glob("*.yaml"))


class Clock:
    """The app's clock in tests: fixed until a test moves it on."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class Messages:
    """Every message the app's nodes handle, for ``app.run_test(message_hook=...)``."""

    def __init__(self) -> None:
        self.seen: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.seen.append(message)

    def of(self, kind: type[M]) -> list[M]:
        return [m for m in self.seen if isinstance(m, kind)]

    def notified(self, severity: str | None = None) -> list[str]:
        """The texts of the notifications shown (of one severity, if given)."""
        return [m.text for m in self.of(Notified) if severity in (None, m.severity)]

    def errors(self) -> list[str]:
        return self.notified("error")


def screen_text(app: App) -> str:
    """The characters on screen now, as a user would read them."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def dom_text(app: App) -> str:
    """All text held by the current screen's widgets, including tabs not shown and
    content scrolled out of view (a stricter check than the screen alone)."""
    parts: list[str] = []
    for widget in app.screen.walk_children(with_self=False):
        if isinstance(widget, Markdown):
            parts.append(widget.source or "")
        elif isinstance(widget, Static):
            content = widget.content
            parts.append(content.markup if isinstance(content, RichMarkdown) else str(content))
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, DataTable):
            for row_key in widget.rows:
                parts.append(" ".join(str(c) for c in widget.get_row(row_key)))
    return "\n".join(parts)


def visible(app: App) -> str:
    return screen_text(app) + "\n" + dom_text(app)


def squash(text: str) -> str:
    """Whitespace-insensitive form, since the screen wraps long lines."""
    return " ".join(text.split())


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys and wait until the screen has caught up (the view switches that an
    action schedules included)."""
    await pilot.press(*keys)
    await pilot.pause()


def prepared_session(path: Path, pack_root: Path, *, pins: dict[str, str] | None = None):
    """A session part-way through turn 2 (deliberation), built with the engine directly:
    public and secret moves with rulings, one private ad-hoc inject per role."""
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    pack = require_pack(pack_root)
    clock = Clock()
    roles = [r.id for r in pack.roles]
    setup = SessionSetup(
        players={r: f"Player {i + 1}" for i, r in enumerate(roles)},
        pins=dict(pins or {}),
        seed=11,
        name="Snapshot session",
    )
    session = Session.create(path, pack, setup, now=clock())
    step = iter(range(10_000))

    def now():
        clock.advance(60 + next(step))
        return clock()

    session.execute(StartExercise(), now=now())
    for role in roles:
        session.execute(
            AddAdhocInject(
                "intelligence_report",
                f"Private note for {role}",
                f"PRIVATE-INJECT-FOR-{role}: only {role} may read this.",
                [role],
            ),
            now=now(),
        )
    session.execute(
        AddAdhocInject("press_report", "Wire report", "Crowds gather outside the embassy."),
        now=now(),
    )
    session.execute(AdvancePhase(), now=now())  # deliberation
    session.execute(AdvancePhase(), now=now())  # moves
    for role in roles:
        session.execute(RecordMove(role, "statement", f"Public statement by {role}."), now=now())
        session.execute(
            RecordMove(role, "deployment", f"SECRET-MOVE-BY-{role}: hidden step.", secret=True),
            now=now(),
        )
    first = session.state.moves[0].id
    session.execute(Rule(first, "accepted", "The statement is welcomed."), now=now())
    session.execute(RollMatrix(session.state.moves[2].id, 1, 0, "A close call."), now=now())
    for _ in range(3):
        session.execute(AdvancePhase(), now=now())  # adjudication, consequences, turn 2
    session.execute(AdvancePhase(), now=now())  # deliberation of turn 2
    return session, clock
