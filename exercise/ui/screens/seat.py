"""Seat: one role's view — its brief, private inbox, the public feed, its own moves,
and the form to record a move.

Privacy: this screen reads only ``public_feed()``, ``inbox(role)``,
``moves_visible_to(role)``, the role's own channels (``channels_for(role)``) and its own
brief. Nothing else reaches it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from exercise.ui.format import inline_markdown, role_name, ruling_line, sender, when
from exercise.ui.widgets.feed import FeedView
from exercise.ui.widgets.messages import MessagesPanel, messages_tab
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.timer import DeliberationTimer


class SeatScreen(Screen[None]):
    CSS_PATH = "seat.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "record", "Record move", id="seat.record", priority=True),
        Binding("ctrl+n", "tab('compose')", "New move", id="seat.compose"),
        Binding("ctrl+o", "tab('inbox')", "Inbox", id="seat.inbox"),
        Binding("ctrl+g", "tab('messages')", "Messages", id="seat.messages"),
    ]

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        pack = session.pack
        from exercise.ui.brief import seat_brief

        name = role_name(pack, self.role)
        with Horizontal(id="top"):
            yield StatusBar(f"SEAT · {name}", id="status")
            yield DeliberationTimer(id="timer")
        with TabbedContent(id="tabs", initial="inbox"):
            with TabPane("Inbox", id="inbox"), VerticalScroll():
                yield Static(id="inbox-text")
            with TabPane("Feed", id="feed"), VerticalScroll(id="feed-scroll"):
                yield FeedView(id="feed-view")
            with TabPane("Our moves", id="moves"), VerticalScroll():
                yield Static(id="moves-text")
            with TabPane("New move", id="compose"), VerticalScroll(id="compose-form"):
                kinds = [(k, k) for k in pack.manifest.all_move_kinds]
                yield Label("Kind")
                yield Select(kinds, value=kinds[0][1], allow_blank=False, id="kind")
                yield Label("What you do (the move, in your words)")
                yield TextArea(id="text", soft_wrap=True)
                yield Checkbox("Secret (only Control sees it)", id="secret")
                others = [(r.name, r.id) for r in pack.roles if r.id != self.role]
                yield Label("Aimed at (optional)")
                yield SelectionList[str](*others, id="targets")
                tags = [(t.title, t.id) for t in pack.manifest.move_tags
                        if not t.roles or self.role in t.roles]
                if tags:
                    yield Label("Tags (what the move amounts to)")
                    yield SelectionList[str](*tags, id="tags")
                yield Label("Argument: what you want to achieve")
                yield Input(id="intent")
                yield Label("Reasons it would work (one per line)")
                yield TextArea(id="reasons", soft_wrap=True)
                yield Button("Record move (ctrl+s)", variant="primary", id="record")
            with TabPane("Messages", id="messages"):
                yield MessagesPanel(self.role, id="messages-panel")
            with TabPane("Brief", id="brief"), VerticalScroll():
                # one widget drawn by Rich: a long brief must not cost hundreds of widgets
                yield Static(RichMarkdown(seat_brief(pack, self.role)), id="brief-text")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        if session is None:
            return
        state, pack = session.state, session.pack
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        inbox = state.inbox(self.role)
        text = Text()
        if not inbox:
            text.append("No private messages yet.", "dim")
        for inj in inbox:
            byline = f" · {inj.byline}" if inj.byline else ""
            text.append(f"Turn {inj.turn_released} · {when(inj.released_at)} · from "
                        f"{sender(pack, inj.from_)}{byline}\n", "dim")
            text.append(inj.title + "\n", "bold")
            text.append_text(inline_markdown(inj.body.strip()))
            text.append("\n\n")
        show(self.query_one("#inbox-text", Static), text)
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("inbox").label = f"Inbox ({len(inbox)})"
        messages_tab(self, tabs)
        self.query_one(FeedView).show(state, pack, state.public_feed())
        mine = [m for m in state.moves_visible_to(self.role) if m.role == self.role]
        text = Text()
        if not mine:
            text.append("No moves yet. Record one in 'New move' during the moves phase.",
                        "dim")
        for move in mine:
            text.append(f"{move.id} · turn {move.turn} · {move.kind}", "bold")
            if move.secret:
                text.append("  SECRET", "bold red")
            text.append("\n" + move.text.strip() + "\n")
            if move.ruling is not None:
                text.append("  ↳ ")
                text.append_text(ruling_line(move.ruling))
                if move.ruling.narrative:
                    text.append("\n    " + move.ruling.narrative, "italic")
                text.append("\n")
            text.append("\n")
        show(self.query_one("#moves-text", Static), text)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.redraw()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            event.stop()
            self.action_record()

    def action_record(self) -> None:
        from exercise.ui.app import FAILED

        kind = self.query_one("#kind", Select).value
        text = self.query_one("#text", TextArea).text
        targets = list(self.query_one("#targets", SelectionList).selected)
        tags_lists = self.query("#tags")
        tags = list(tags_lists.first(SelectionList).selected) if tags_lists else []
        reasons = [r.strip() for r in self.query_one("#reasons", TextArea).text.splitlines()
                   if r.strip()]
        move_id = self.app.act(  # type: ignore[attr-defined]
            "record_move", self.role, str(kind), text, targets=targets,
            secret=self.query_one("#secret", Checkbox).value, tags=tags,
            intent=self.query_one("#intent", Input).value, reasons=reasons, actor=self.role,
        )
        if move_id is FAILED:
            return
        self.notify(f"Move {move_id} recorded")
        self.query_one("#text", TextArea).text = ""
        self.query_one("#reasons", TextArea).text = ""
        self.query_one("#intent", Input).value = ""
        self.query_one("#secret", Checkbox).value = False
        self.query_one("#targets", SelectionList).deselect_all()
        if tags_lists:
            tags_lists.first(SelectionList).deselect_all()
        self.action_tab("moves")
