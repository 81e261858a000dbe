"""Observer: an evaluator's read-only seat, and the notes they write against the guide.

An observer sees the Board, every public and secret move with its ruling, and every
channel; never control's notes or the upcoming MSEL, and another observer's notes only
once the exercise has ended (the hotwash). Their notes go against the pack's critical
tasks with a rating (P/S/M/U), and optionally the move, inject or message they are
about, picked from a list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from exercise.engine.channels_state import OBSERVER_PREFIX
from exercise.text import one_line, printable
from exercise.ui.base import SessionScreen
from exercise.ui.format import role_short, ruling_line
from exercise.ui.widgets.feed import FeedView
from exercise.ui.widgets.footer import KeyFooter
from exercise.ui.widgets.messages import MessagesPanel, messages_tab
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.timer import DeliberationTimer
from exercise.ui.widgets.tracks import TracksPanel

if TYPE_CHECKING:
    from exercise.engine.state import Observation


class ObserverScreen(SessionScreen):
    CSS_PATH = "observer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "observe", "Observation", id="observer.observe", priority=True),
        Binding("ctrl+g", "tab('messages')", "Messages", id="observer.messages", priority=True),
    ]

    def __init__(self, observer: str) -> None:
        super().__init__()
        self.observer = observer
        self.viewer = OBSERVER_PREFIX + observer

    def compose(self) -> ComposeResult:
        name = one_line(self.session.state.observers.get(self.observer, ""))
        with Horizontal(id="top"):
            yield StatusBar(f"OBSERVER · {name}", id="status")
            yield DeliberationTimer(id="timer")
        with TabbedContent(id="tabs", initial="board"):
            with TabPane("Board", id="board"), Horizontal():
                with VerticalScroll(id="feed-scroll"):
                    yield FeedView(id="feed-view")
                with VerticalScroll(id="tracks-scroll"):
                    yield TracksPanel(id="tracks")
            with TabPane("Moves and rulings", id="moves"), VerticalScroll():
                yield Static(id="moves-text")
            with TabPane("Messages", id="messages"):
                yield MessagesPanel(OBSERVER_PREFIX + self.observer, id="messages-panel")
            with TabPane("My notes", id="notes"), VerticalScroll():
                yield Static(id="notes-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.draw()

    def redraw(self) -> None:
        session = self.session
        state, pack = session.state, session.pack
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        tabs = self.query_one(TabbedContent)
        messages_tab(self, tabs)  # its unread count; its channels only when shown
        # Tabs out of sight are drawn when opened (on_tabbed_content_tab_activated).
        if tabs.active == "board":
            self.query_one(TracksPanel).redraw()
            self.query_one(FeedView).show(state, pack, state.public_feed())
        elif tabs.active == "moves":
            show(self.query_one("#moves-text", Static), self.moves_text())
        elif tabs.active == "notes":
            show(self.query_one("#notes-text", Static), self.notes_text())

    def moves_text(self) -> Text:
        """Every move, secret ones too, with its ruling (read only)."""
        session = self.session
        state, pack = session.state, session.pack
        text = Text()
        for move in state.moves:
            text.append(
                f"{move.id} · turn {move.turn} · {role_short(pack, move.role)} · {move.kind}",
                "bold",
            )
            if move.secret:
                text.append("  SECRET", "bold red")
            text.append("\n" + printable(move.text.strip()) + "\n")
            if move.ruling is not None:
                text.append("  ↳ ")
                text.append_text(ruling_line(move.ruling))
                if move.ruling.narrative:
                    text.append("\n    " + printable(move.ruling.narrative), "italic")
                text.append("\n")
            text.append("\n")
        return text or Text("No moves yet.", "dim")

    def notes_text(self) -> Text:
        """The observer's own notes; after the hotwash, the other observers' below."""
        session = self.session
        notes = session.state.observations_visible_to(OBSERVER_PREFIX + self.observer)
        mine = [o for o in notes if o.observer == self.observer]
        others = [o for o in notes if o.observer != self.observer]
        text = Text()
        if not mine:
            text.append("No notes yet. Press ctrl+o to write one.\n\n", "dim")
        for obs in mine:
            self._note(text, obs)
        if others:
            text.append("Other observers' notes (shown since the hotwash)\n\n", "bold underline")
        for obs in others:
            self._note(text, obs, author=True)
        return text

    def _note(self, text: Text, obs: Observation, *, author: bool = False) -> None:
        pack = self.session.pack
        task = pack.critical_tasks_by_id.get(obs.task or "")
        head = f"Turn {obs.turn} · {obs.ts.strftime('%H:%M') if obs.ts else ''}"
        if author:
            head = f"{obs.author} · {head}"
        if task is not None:
            head += f" · {task.title}"
        if obs.rating:
            head += f" · {obs.rating}"
        text.append(one_line(head) + "\n", "bold")
        text.append(printable(obs.text) + "\n\n")

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.redraw()

    def action_observe(self) -> None:
        from exercise.ui.observer_form import observation_dialog

        self.app.push_screen(observation_dialog(self, self.observer))
