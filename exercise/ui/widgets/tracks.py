"""Tracks with their level names and a small history per track (one block per turn)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exercise.ui.base import viewing_app
from exercise.ui.format import change_text
from exercise.ui.widgets.chart import track_chart
from exercise.ui.widgets.show import show

BLOCKS = "▁▂▃▄▅▆▇█"
LEVEL_STYLE = {0: "green", 1: "yellow", 2: "dark_orange", 3: "bold red"}


def sparkline(history: dict[int, int], low: int, high: int) -> str:
    """One block per turn, scaled between the track's min and max."""
    span = max(1, high - low)
    return "".join(
        BLOCKS[min(len(BLOCKS) - 1, (value - low) * (len(BLOCKS) - 1) // span)]
        for _, value in sorted(history.items())
    )


class TracksPanel(Static):
    """Every track: name, value, level, history; ``changes`` adds the latest causes."""

    def __init__(self, *, changes: int = 0, chart: bool = False, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.changes = changes
        self.chart = chart  # a column chart on the level bands instead of a sparkline

    def redraw(self) -> None:
        session = viewing_app(self).shown()
        if session is None:
            return
        text = Text()
        for track in session.state.tracks.values():
            definition = session.pack.tracks_by_id.get(track.track_id)
            levels = [lv.name for lv in definition.levels] if definition else []
            rank = levels.index(track.level) if track.level in levels else 0
            style = LEVEL_STYLE.get(min(3, rank * 4 // max(1, len(levels))), "")
            text.append(track.name, "bold")
            text.append("\n")
            text.append(f"{track.value:>3} ", "bold")
            text.append(f"{track.level or '-':<10}", style)
            if self.chart:
                text.append("\n")
                text.append_text(track_chart(track, definition, min(8, session.state.turn + 1)))
            else:
                text.append(" " + sparkline(track.history, track.min, track.max), style)
                text.append("\n")
            for change in track.changes[-self.changes :] if self.changes else []:
                shown = change_text(change.delta, change.applied, track.min, track.max)
                text.append(
                    f"   T{change.turn} {shown} → {change.value}  {change.cause}: {change.ref}\n",
                    "dim",
                )
        show(self, text)
