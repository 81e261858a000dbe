"""Board: the public view, safe to put on a projector.

It draws only ``state.public_feed()`` and the tracks; no inject list, no inbox, no
secret move ever reaches this screen. ``c`` trades the feed for the tracks' charts, as
wide as the screen (the side panel keeps its compact summary for the feed view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll

from exercise.ui.base import SessionScreen
from exercise.ui.widgets.feed import FeedView
from exercise.ui.widgets.footer import KeyFooter
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.timer import DeliberationTimer
from exercise.ui.widgets.tracks import TracksPanel

if TYPE_CHECKING:
    from exercise.ui.widgets.track_plots import TrackCharts


class BoardScreen(SessionScreen):
    CSS_PATH = "board.tcss"
    viewer = "public"  # redrawn only after events the public can see
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "more", "More history", id="board.more"),
        Binding("end", "latest", "Latest", id="board.latest"),
        Binding("c", "charts", "Charts", id="board.charts"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield StatusBar("BOARD", id="status")
            yield DeliberationTimer(id="timer")
        with Horizontal(id="body"):
            with VerticalScroll(id="feed-scroll"):
                yield FeedView(id="feed")
            with Vertical(id="side"), VerticalScroll(id="tracks-scroll"):
                yield TracksPanel(chart=True, id="tracks")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.draw()
        self.query_one("#feed-scroll").scroll_end(animate=False)

    def redraw(self) -> None:
        session = self.session
        state = session.state
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        self.query_one(TracksPanel).redraw()
        self.query_one(FeedView).show(state, session.pack, state.public_feed())
        scroll = self.query_one("#feed-scroll", VerticalScroll)
        if scroll.scroll_y >= scroll.max_scroll_y - 2:
            scroll.call_after_refresh(scroll.scroll_end, animate=False)
        if self.has_class("-charts"):
            self._charts().show_session(session)

    def action_more(self) -> None:
        self.query_one(FeedView).limit += 100
        self.redraw()

    def action_latest(self) -> None:
        self.query_one("#feed-scroll").scroll_end(animate=False)

    def action_charts(self) -> None:
        """Show the tracks' charts instead of the feed, or the feed again."""
        showing = self.toggle_class("-charts").has_class("-charts")
        if showing:
            charts = self._charts()
            charts.show_session(self.session)
            charts.focus()
        else:
            self.query_one("#feed-scroll").focus()

    def _charts(self) -> TrackCharts:
        """The chart view, made when first opened (it loads the chart library)."""
        from exercise.ui.widgets.track_plots import TrackCharts

        found = self.query(TrackCharts)
        if found:
            return found.first()
        charts = TrackCharts(id="charts")
        self.mount(charts, after="#body")
        return charts
