"""Control's line of who is connected: the served tabs open on this session, and since when.

Empty (and hidden) when nothing is served. Read every few seconds from the tabs folder
beside the session (see ``exercise.ui.presence``), never from the journal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from exercise.engine.channels_state import OBSERVER_PREFIX
from exercise.ui.base import session_app
from exercise.ui.format import role_short
from exercise.ui.presence import open_tabs
from exercise.ui.widgets.show import show

if TYPE_CHECKING:
    from exercise.engine import Session

EVERY_S = 3.0


def connected_text(session: Session) -> Text:
    """``Connected: Board since 09:02 · Japan since 09:14 (192.168.1.23) ...``."""
    path = session.path
    tabs = open_tabs(path) if path is not None else []
    text = Text()
    if not tabs:
        return text
    text.append("Connected: ", "bold")
    for i, tab in enumerate(tabs):
        if i:
            text.append(" · ", "dim")
        if tab.view == "seat" and tab.role:
            name = role_short(session.pack, tab.role)
        elif tab.view == "observer" and tab.role:
            observers = session.state.observers
            name = "Observer " + observers.get(tab.role.removeprefix(OBSERVER_PREFIX), "")
        else:
            name = tab.view.title()
        text.append(name, "bold cyan" if tab.view == "seat" else "bold")
        text.append(f" since {tab.since.astimezone():%H:%M}")
        if tab.peer:
            text.append(f" ({tab.peer})", "dim")
    return text


class ConnectedTabs(Static):
    """Redraws itself every few seconds; takes no room while no tab is open."""

    def on_mount(self) -> None:
        self.redraw()
        self.set_interval(EVERY_S, self.redraw)

    def redraw(self) -> None:
        session = session_app(self).session
        text = connected_text(session) if session is not None else Text()
        self.display = bool(text)
        show(self, text)
