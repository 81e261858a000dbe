"""The Board's chart view: one chart per track, as wide as the screen allows.

Each chart draws the track's value at the start and at the end of every turn so far
(``TrackState.by_turn``, the report's own series) over its level bands
(``Track.bands``), shaded in one hue so no band reads as good or bad, named on the
right and numbered on the left. Drawn by textual-plotext, which this module alone
imports: the Board loads it when the chart view is first opened, not at start-up.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static
from textual_plotext import PlotextPlot

from exercise.text import printable
from exercise.ui.widgets.show import show

if TYPE_CHECKING:
    from exercise.engine import Session, TrackState
    from exercise.pack.models import Band, Track

#: Level bands, lowest first: one slate hue getting lighter, readable on a projector.
BAND_COLOURS = ((26, 36, 52), (44, 62, 90), (64, 90, 130), (88, 120, 170), (112, 150, 205))
LINE_COLOUR = (255, 196, 64)
#: rows around the plot: the title, the frame's two lines and the turn labels
FRAME_ROWS = 4
MAX_PLOT_ROWS = 12  # a chart of a longer range (0-100) gets this many, a value per row no more
MARGIN = 0.3  # turns: room left and right of the first and last point
MIN_WIDTH = 36  # columns: a chart narrower than this is not read from the back of a room
COMFORTABLE_WIDTH = 60  # columns: how wide a chart is when they cannot all fit on screen
LABEL_WIDTH = 14  # a band's name on the right axis, cut to this
MAX_TICKS = 16
LEFT, RIGHT = 1, 2  # plotext's numbers for the y axes


def _label(text: str, width: int = LABEL_WIDTH) -> str:
    text = printable(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _x_ticks(turns: int) -> list[int]:
    """Turn numbers to label on the x axis: every turn, or evenly spread ones (and the last)."""
    step = max(1, math.ceil((turns + 1) / MAX_TICKS))
    ticks = list(range(0, turns + 1, step))
    if ticks[-1] != turns:
        ticks.append(turns)
    return ticks


class TrackPlot(PlotextPlot):
    """One track's chart; ``draw`` builds it anew only when what it shows has changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drawn: tuple[object, ...] | None = None

    def draw(self, track: TrackState, definition: Track | None, turn: int) -> None:
        values = track.by_turn(turn)
        bands = definition.bands() if definition is not None else []
        key = (tuple(values), tuple(bands), track.min, track.max)
        if key == self.drawn:
            return
        self.drawn = key
        plt = self.plt
        plt.clear_figure()
        last = max(1, turn)
        xs = list(range(len(values)))
        for n, band in enumerate(bands):
            self._band(band, n, last)
        plt.plot(xs, values, marker="braille", color=LINE_COLOUR)
        plt.scatter(xs, values, marker="●", color=LINE_COLOUR)
        for axis in (LEFT, RIGHT):  # the bands are drawn on the right axis, the line on the left
            plt.ylim(track.min - 0.5, track.max + 0.5, yside=axis)
        plt.xlim(-MARGIN, last + MARGIN)
        ticks = _x_ticks(turn)
        plt.xticks([float(n) for n in ticks], ["Start" if n == 0 else f"T{n}" for n in ticks])
        plt.yticks(*self._value_ticks(track, bands), yside=LEFT)
        if bands:
            plt.yticks(
                [(band.low + band.high) / 2 for band in bands],
                [_label(band.name) for band in bands],
                yside=RIGHT,
            )
        self.refresh()

    def _band(self, band: Band, n: int, last: int) -> None:
        """A band shaded from half a step below its lowest value to half above its highest,
        so each whole value sits inside its own band."""
        colour = BAND_COLOURS[n % len(BAND_COLOURS)]
        self.plt.plot(
            [-MARGIN, last + MARGIN],
            [band.high + 0.5] * 2,
            fillx=band.low - 0.5,
            marker="█",
            color=colour,
            yside="right",  # plotext's plot() names the axis; its ylim() and yticks() number it
        )

    @staticmethod
    def _value_ticks(track: TrackState, bands: list[Band]) -> tuple[list[float], list[str]]:
        """The track's limits, where each band starts, and zero on a track that has it."""
        zero = [0] if track.min < 0 < track.max else []
        ticks = sorted({track.min, track.max, *zero, *(band.low for band in bands)})
        return [float(t) for t in ticks], [str(t) for t in ticks]


class TrackChart(Vertical):
    """A track's name, its current value and level, and its chart under them."""

    def __init__(self, track_id: str) -> None:
        super().__init__(classes="track-chart")
        self.track_id = track_id

    def compose(self) -> ComposeResult:
        with Horizontal(classes="track-chart-title"):
            yield Static(classes="track-chart-name")
            yield Static(classes="track-chart-value")
        yield TrackPlot()

    def draw(self, track: TrackState, definition: Track | None, turn: int) -> None:
        show(self.query_one(".track-chart-name", Static), Text(printable(track.name), "bold"))
        value = Text(f"  {track.value}", "bold")
        if track.level:
            value.append(f" · {printable(track.level)}")
        show(self.query_one(".track-chart-value", Static), value)
        self.query_one(TrackPlot).draw(track, definition, turn)


class TrackCharts(VerticalScroll):
    """Every track's chart, with a row per value where the range allows: all on one
    screen if they fit side by side, else a screenful at a time (page down for more)."""

    span = MAX_PLOT_ROWS  # values in the longest track's range, up to MAX_PLOT_ROWS

    def show_session(self, session: Session) -> None:
        tracks = session.state.tracks
        charts = {chart.track_id: chart for chart in self.query(TrackChart)}
        if list(charts) != list(tracks):
            self.remove_children()
            self.mount_all(TrackChart(track_id) for track_id in tracks)
            longest = max((t.max - t.min + 1 for t in tracks.values()), default=1)
            self.span = min(MAX_PLOT_ROWS, longest)
            self.call_after_refresh(self._fit)
            self.call_after_refresh(self.show_session, session)
            return
        for track_id, track in tracks.items():
            definition = session.pack.tracks_by_id.get(track_id)
            charts[track_id].draw(track, definition, session.state.turn)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The fewest columns that put every chart on screen, or if none does, charts of
        a comfortable width a screenful at a time; each plot a whole number of rows per
        value, so every value and band boundary sits on a row of its own."""
        charts = self.query(TrackChart)
        count = len(charts)
        region = self.scrollable_content_region
        width, height = max(1, region.width), max(1, region.height)
        least = self.span + FRAME_ROWS
        most = max(1, min(count, width // MIN_WIDTH))
        fitting = [c for c in range(1, most + 1) if -(-count // c) * least <= height]
        columns = fitting[0] if fitting else max(1, min(most, width // COMFORTABLE_WIDTH))
        rows = max(1, -(-count // columns))
        cell = max(least, height // max(1, min(rows, height // least)))
        plot = cell - FRAME_ROWS
        if self.span < MAX_PLOT_ROWS:
            plot -= plot % self.span
        self.styles.grid_size_columns = columns
        self.styles.grid_rows = str(cell)
        for chart in charts:
            chart.query_one(TrackPlot).styles.height = plot + FRAME_ROWS - 1
