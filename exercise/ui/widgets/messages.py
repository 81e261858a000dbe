"""The Messages tab: a viewer's channels with unread counts, the selected channel's
messages, and a composer.

Privacy: the channel list and the messages come only from ``channels_for(viewer)`` and
``messages_for(viewer, channel)``, so a seat never holds a message of a channel it is
not on. Control writes as a named outside voice; observers read only. A message is
shown only once the engine has committed it to the journal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message as TextualMessage
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from exercise.engine.channels_state import channels_for, messages_for, sees_everything
from exercise.engine.commands import PostMessage
from exercise.text import one_line, printable
from exercise.ui.base import session_app
from exercise.ui.format import role_short, when
from exercise.ui.plain import plain
from exercise.ui.widgets.show import show

if TYPE_CHECKING:
    from exercise.engine import ExerciseState
    from exercise.pack.models import Pack


def unread(state: ExerciseState, viewer: str, seen: dict[str, int]) -> dict[str, int]:
    """Per channel, messages others wrote that ``viewer`` has not opened yet."""
    counts: dict[str, int] = {}
    for msg in messages_for(state, viewer):
        if msg.sender != viewer and msg.seq > seen.get(msg.channel, 0):
            counts[msg.channel] = counts.get(msg.channel, 0) + 1
    return counts


def message_text(state: ExerciseState, pack: Pack, viewer: str, channel: str) -> Text:
    text = Text()
    found = next((c for c in channels_for(state, viewer) if c.id == channel), None)
    if found is None:
        return Text("Choose a channel.", "dim")
    members = ", ".join(role_short(pack, r) for r in found.members)
    text.append(printable(f"{found.name} · {members}") + "\n", "bold")
    if not found.is_open(max(state.turn, 1)):
        reason = one_line(found.closed_reason(max(state.turn, 1)))
        text.append("CLOSED" + (f": {reason}" if reason else "") + "\n", "bold red")
    msgs = messages_for(state, viewer, channel)
    if not msgs:
        text.append("No messages yet.", "dim")
    for msg in msgs:
        who = f"{msg.voice} (control)" if msg.sender == "control" else role_short(pack, msg.sender)
        text.append(f"\nTurn {msg.turn} · {when(msg.ts)} · {one_line(who)}\n", "dim")
        text.append(printable(msg.text))
    return text


class MessagesPanel(Widget):
    """Channels, messages and (unless read-only) a composer, for one viewer."""

    class Posted(TextualMessage):
        """A message was committed and is now shown."""

        def __init__(self, message_id: str) -> None:
            super().__init__()
            self.message_id = message_id

    def __init__(self, viewer: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.viewer = viewer
        self.channel: str | None = None
        self.active = False  # whether the panel is on screen (opening marks read)
        self._options: list[tuple[str, str]] = []

    @property
    def read_only(self) -> bool:
        return self.viewer != "control" and sees_everything(self.viewer)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(id="channel-list")
            with Vertical(id="channel-side"):
                with VerticalScroll(id="channel-scroll", can_focus=False):
                    yield Static(id="channel-text")
                if not self.read_only:
                    with Horizontal(id="composer"):
                        if self.viewer == "control":
                            yield Input(placeholder="Voice (e.g. Blue House spokesman)", id="voice")
                        yield Input(
                            placeholder="Write a message, Enter to send", id="message-input"
                        )
                else:
                    yield Label("Read only: observers do not write on channels.", classes="hint")

    def seen(self) -> dict[str, int]:
        return session_app(self).seen_messages.setdefault(self.viewer, {})

    def unread_total(self) -> int:
        session = session_app(self).session
        if session is None:
            return 0
        return sum(unread(session.state, self.viewer, self.seen()).values())

    def redraw(self) -> None:
        session = session_app(self).session
        if session is None:
            return
        state, pack = session.state, session.pack
        channels = channels_for(state, self.viewer)
        if self.channel is None and channels:
            self.channel = channels[0].id
        if self.active and self.channel is not None:
            last = [m.seq for m in messages_for(state, self.viewer, self.channel)]
            if last:
                self.seen()[self.channel] = last[-1]
        counts = unread(state, self.viewer, self.seen())
        turn = max(state.turn, 1)
        options = []
        for channel in channels:
            label = channel.name + (f"  ({counts[channel.id]})" if counts.get(channel.id) else "")
            if not channel.is_open(turn):
                label += "  closed"
            options.append((channel.id, label))
        olist = self.query_one("#channel-list", OptionList)
        if options != self._options:
            highlighted = olist.highlighted
            olist.clear_options()
            olist.add_options([Option(plain(one_line(label)), id=cid) for cid, label in options])
            if options:
                olist.highlighted = (
                    highlighted if highlighted is not None and highlighted < len(options) else 0
                )
            self._options = options
        if self.channel is not None:
            show(
                self.query_one("#channel-text", Static),
                message_text(state, pack, self.viewer, self.channel),
            )
            self.query_one("#channel-scroll", VerticalScroll).scroll_end(animate=False)

    @on(OptionList.OptionHighlighted, "#channel-list")
    def _chosen(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None and event.option.id != self.channel:
            self.channel = event.option.id
            self.redraw()

    @on(Input.Submitted, "#message-input")
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        if self.channel is None:
            return
        voice = self.query_one("#voice", Input).value if self.viewer == "control" else ""
        message = PostMessage(self.channel, event.value, self.viewer, voice)
        done = session_app(self).act(message)
        if done is None or done.created_id is None:
            return  # the text stays in the composer
        event.input.value = ""
        self.post_message(self.Posted(done.created_id))


def messages_tab(screen: Widget, tabs: object) -> None:
    """Redraw a screen's Messages tab and put its unread count in the tab's label."""
    from textual.widgets import TabbedContent

    assert isinstance(tabs, TabbedContent)
    panel = screen.query_one(MessagesPanel)
    panel.active = tabs.active == "messages"
    if panel.active:  # out of sight it is drawn when opened; its count is kept current
        panel.redraw()
    count = panel.unread_total()
    label = f"Messages ({count} unread)" if count else "Messages"
    tab = tabs.get_tab("messages")
    if str(tab.label) != label:
        tab.label = label
