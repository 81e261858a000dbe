"""Seat: one role's view — its brief, private inbox, the public feed, its own moves,
and the form to record a move.

Privacy: this screen reads only ``public_feed()``, ``inbox(role)``,
``moves_visible_to(role)``, the role's own channels (``channels_for(role)``) and its own
brief. Nothing else reaches it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from exercise.engine.commands import RecordMove
from exercise.text import printable
from exercise.ui.after_typing import after_typing
from exercise.ui.base import SessionScreen
from exercise.ui.format import inline_markdown, role_name, ruling_line, sender, when
from exercise.ui.messages import BriefReady
from exercise.ui.plain import plain, plain_text
from exercise.ui.widgets.feed import FeedView
from exercise.ui.widgets.footer import KeyFooter
from exercise.ui.widgets.messages import MessagesPanel, messages_tab
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.timer import DeliberationTimer

if TYPE_CHECKING:
    from exercise.engine import ExerciseState
    from exercise.engine.state import InjectState
    from exercise.pack.models import Pack

PREPARING = "preparing the brief…"
# the Secret checkbox says its state in words, not only by colour
SECRET = "SECRET — only you and control see it"
PUBLIC = "Public"


def inbox_text(pack: Pack, inbox: list[InjectState], unread: list[str]) -> Text:
    """The seat's private inbox, newest first, unread ones marked NEW."""
    text = Text()
    if not inbox:
        text.append("No private messages yet.", "dim")
    for inj in reversed(inbox):  # newest first
        byline = f" · {inj.byline}" if inj.byline else ""
        if inj.inject_id in unread:
            text.append(" NEW ", "bold reverse")
            text.append(" ")
        text.append(
            f"Turn {inj.turn_released} · {when(inj.released_at)} · from "
            f"{sender(pack, inj.from_)}{byline}\n",
            "dim",
        )
        text.append(inj.title + "\n", "bold")
        text.append_text(inline_markdown(inj.body.strip()))
        text.append("\n\n")
    return text


def moves_text(state: ExerciseState, pack: Pack, role: str) -> Text:
    """The seat's own moves with their rulings."""
    mine = [m for m in state.moves_visible_to(role) if m.role == role]
    text = Text()
    if not mine:
        phases = "deliberation or moves" if pack.manifest.moves_in_deliberation else "moves"
        text.append(
            "No moves yet."
            if state.ended
            else f"No moves yet. Record one in 'New move' (ctrl+n) during the {phases} phase.",
            "dim",
        )
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
    return text


class SeatScreen(SessionScreen):
    CSS_PATH = "seat.tcss"
    AUTO_FOCUS = "#inbox-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "record", "Record move", id="seat.record", priority=True),
        Binding("ctrl+n", "tab('compose')", "New move", id="seat.compose", priority=True),
        Binding("ctrl+o", "tab('inbox')", "Inbox", id="seat.inbox", priority=True),
        Binding("ctrl+g", "tab('messages')", "Messages", id="seat.messages", priority=True),
        Binding("ctrl+b", "tab('brief')", "Brief", id="seat.brief", priority=True),
    ]

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role
        self.viewer = role  # redrawn only after events this role can see
        self._brief_requested = False

    def compose(self) -> ComposeResult:
        pack = self.session.pack
        name = role_name(pack, self.role)
        with Horizontal(id="top"):
            yield StatusBar(f"SEAT · {name}", id="status")
            yield DeliberationTimer(id="timer")
        with TabbedContent(id="tabs", initial="inbox"):
            with TabPane("Inbox", id="inbox"), VerticalScroll(id="inbox-scroll"):
                yield Static(id="inbox-text")
            with TabPane("Feed", id="feed"), VerticalScroll(id="feed-scroll"):
                yield FeedView(id="feed-view")
            with TabPane("Our moves", id="moves"), VerticalScroll(id="moves-scroll"):
                yield Static(id="moves-text")
            with TabPane("New move", id="compose"), VerticalScroll(id="compose-form"):
                kinds = [(plain(k), k) for k in pack.manifest.all_move_kinds]
                yield Label("Kind")
                yield Select(kinds, value=kinds[0][1], allow_blank=False, id="kind")
                yield Label("What you do (the move, in your words)")
                yield TextArea(id="text", soft_wrap=True)
                yield Checkbox(PUBLIC, id="secret")
                others = [(plain(r.name), r.id) for r in pack.roles if r.id != self.role]
                yield Label("Aimed at (optional)")
                yield SelectionList[str](*others, id="targets")
                tags = [
                    (plain(t.title), t.id)
                    for t in pack.manifest.move_tags
                    if not t.roles or self.role in t.roles
                ]
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
            with TabPane("Brief", id="brief"), VerticalScroll(id="brief-scroll"):
                yield Static(id="brief-problem", classes="hidden")
                # one widget drawn by Rich, rendered when the tab is first opened
                yield Static(PREPARING, id="brief-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._restore_draft()
        self.draw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="brief")
    def prepare_brief(self) -> None:
        """Render the brief off the event loop (a pack's template may take seconds)."""
        from exercise.ui.brief import seat_brief

        markdown, problem = seat_brief(self.session.pack, self.role)
        self.post_message(BriefReady(self.role, markdown, problem))

    @on(BriefReady)
    def show_brief(self, message: BriefReady) -> None:
        """The brief, and a message when the pack's template failed."""
        message.stop()
        markdown, problem = message.markdown, message.problem
        if problem:
            note = plain_text(
                "The brief template failed, so the plain brief is shown: " + problem, "bold yellow"
            )
            self.query_one("#brief-problem", Static).update(note)
            self.query_one("#brief-problem", Static).remove_class("hidden")
        self.query_one("#brief-text", Static).update(RichMarkdown(printable(markdown)))

    # ------------------------------------------------------------------ drafts

    def _drafts(self) -> dict[str, dict[str, object]]:
        """Drafts live in the process (not the journal: nothing is acknowledged yet)."""
        return self.host.drafts

    def on_screen_suspend(self) -> None:
        """Leaving the seat (another view replaces it): keep what was typed."""
        try:
            draft = {
                "kind": self.query_one("#kind", Select).value,
                "text": self.query_one("#text", TextArea).text,
                "secret": self.query_one("#secret", Checkbox).value,
                "intent": self.query_one("#intent", Input).value,
                "reasons": self.query_one("#reasons", TextArea).text,
                "targets": list(self.query_one("#targets", SelectionList).selected),
            }
        except NoMatches:  # the form was never built
            return
        if draft["text"] or draft["intent"] or draft["reasons"]:
            self._drafts()[self.role] = draft
        else:
            self._drafts().pop(self.role, None)

    def _restore_draft(self) -> None:
        draft = self._drafts().get(self.role)
        if not draft:
            return
        self.query_one("#kind", Select).value = draft["kind"]
        self.query_one("#text", TextArea).text = str(draft["text"])
        self.query_one("#secret", Checkbox).value = bool(draft["secret"])
        self.query_one("#intent", Input).value = str(draft["intent"])
        self.query_one("#reasons", TextArea).text = str(draft["reasons"])
        targets: SelectionList[str] = self.query_one("#targets", SelectionList)
        chosen = draft["targets"]
        for value in chosen if isinstance(chosen, list) else []:
            targets.select(str(value))

    def redraw(self) -> None:
        session = self.session
        state, pack = session.state, session.pack
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        inbox = state.inbox(self.role)
        seen = self.host.inbox_seen.setdefault(self.role, set())
        unread = [inj.inject_id for inj in inbox if inj.inject_id not in seen]
        text = inbox_text(pack, inbox, unread)
        show(self.query_one("#inbox-text", Static), text)
        tabs = self.query_one(TabbedContent)
        label = f"Inbox ({len(unread)} new)" if unread else f"Inbox ({len(inbox)})"
        if str(tabs.get_tab("inbox").label) != label:  # a new label re-lays the tab bar
            tabs.get_tab("inbox").label = label
        if tabs.active == "inbox":  # shown now: read from the next drawing on
            seen.update(unread)
        messages_tab(self, tabs)  # its unread count; its channels only when shown
        # Tabs out of sight are drawn when opened (on_tabbed_content_tab_activated).
        if tabs.active == "feed":
            self.query_one(FeedView).show(state, pack, state.public_feed())
        if tabs.active != "moves":
            return
        text = moves_text(state, pack, self.role)
        show(self.query_one("#moves-text", Static), text)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "secret":
            event.checkbox.label = SECRET if event.value else PUBLIC
            event.checkbox.set_class(event.value, "secret")

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Draw the tab now shown; the brief (Jinja, templates) renders when first opened.

        The inbox is drawn with every redraw, so opening it needs none (a second drawing
        would mark its new items read before anyone saw them)."""
        if event.pane.id != "inbox":
            self.redraw()
        if event.pane.id == "brief" and not self._brief_requested:
            self._brief_requested = True
            self.prepare_brief()

    def action_tab(self, tab: str) -> None:
        """Show a tab and focus where the eye goes: the move's text on 'New move'.

        The inbox and the channels are drawn and the focus set before the next key is
        read, so what a fast typist types next (Shift+Tab, arrows, text) finds the
        channel list filled and the composer focused."""
        self.query_one(TabbedContent).active = tab
        if tab in ("inbox", "messages"):
            self.redraw()
        target = {"compose": "#text", "feed": "#feed-scroll", "messages": "#message-input"}
        self.set_focus(self.query_one(target.get(tab, f"#{tab}-scroll")))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            event.stop()
            self.action_record()

    @after_typing
    def action_record(self) -> None:
        kind = self.query_one("#kind", Select).value
        text = self.query_one("#text", TextArea).text
        targets = list(self.query_one("#targets", SelectionList).selected)
        tags_lists = self.query("#tags")
        tags = list(tags_lists.first(SelectionList).selected) if tags_lists else []
        reasons = [
            r.strip() for r in self.query_one("#reasons", TextArea).text.splitlines() if r.strip()
        ]
        move = RecordMove(
            self.role,
            str(kind),
            text,
            targets=tuple(targets),
            secret=self.query_one("#secret", Checkbox).value,
            tags=tuple(tags),
            intent=self.query_one("#intent", Input).value,
            reasons=tuple(reasons),
            actor=self.role,
        )
        recorded = self.host.act(move)
        if recorded is None:
            return
        self.notify(f"Move {recorded.created_id} recorded")
        self.query_one("#text", TextArea).text = ""
        self.query_one("#reasons", TextArea).text = ""
        self.query_one("#intent", Input).value = ""
        self.query_one("#secret", Checkbox).value = False
        self.query_one("#targets", SelectionList).deselect_all()
        if tags_lists:
            tags_lists.first(SelectionList).deselect_all()
        self.action_tab("moves")
