"""Command palette providers: jump to a view or a seat from anywhere (no private text).

Control's own providers (injects, turns, actions) live with the Control screen, so the
palette never offers them from a seat or the Board.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from exercise.ui.base import SessionApp
from exercise.ui.format import played_roles
from exercise.ui.messages import SeatWanted, ViewWanted
from exercise.ui.plain import literal_markup, plain

if TYPE_CHECKING:
    from textual.content import Content
    from textual.fuzzy import Matcher


class ListProvider(Provider):
    """A provider over a fixed list of (title, help, callback) computed when opened.

    Titles and help lines hold pack and player text: they are shown as written.
    """

    def entries(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        return ()

    async def discover(self) -> Hits:
        for title, help_text, callback in self.entries():
            yield DiscoveryHit(plain(title), callback, text=title, help=literal_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, title),
                    callback,
                    text=title,
                    help=literal_markup(help_text),
                )


def _highlight(matcher: Matcher, title: str) -> Content:
    """``matcher.highlight`` without reading ``title`` as markup."""
    content = plain(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, content.plain)
    for offset in offsets:
        if not content.plain[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ViewCommands(ListProvider):
    """Board, Control, Hotwash, Help, and each played role's seat (through a hand-over)."""

    def entries(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        app = self.app
        post = app.post_message
        yield "Help: every key", "List all bindings", partial(post, ViewWanted("help"))
        session = app.session if isinstance(app, SessionApp) else None
        if session is None:
            return
        yield "Board", "The public view, safe to project", partial(post, ViewWanted("board"))
        yield (
            "Control",
            "The facilitator's view (asks the control PIN)",
            partial(post, ViewWanted("control")),
        )
        yield (
            "Hotwash",
            "The debrief and the after-action report",
            partial(post, ViewWanted("hotwash")),
        )
        for role in played_roles(session.pack, session.state.setup):
            yield (
                f"Seat: {role.name}",
                f"Hand the keyboard to {role.name}",
                partial(post, SeatWanted(role.id)),
            )
