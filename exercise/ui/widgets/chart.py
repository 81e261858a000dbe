"""A track as a column chart over the turns, drawn on its level bands.

Each row is a slice of the track's range, tinted by the level it belongs to (stable,
crisis, conflict...), so the room sees at a glance which band the crisis is in and how
it got there. Drawn with Rich as one block of text: no chart library on the start path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from exercise.engine import TrackState
    from exercise.pack.models import Track

BAND_STYLES = ("on #12301c", "on #3a3410", "on #4a2a0c", "on #4a1010")
BAR_STYLES = ("green", "yellow", "dark_orange", "bold red")
HEIGHT = 5


def _band(definition: Track | None, value: float) -> int:
    """Index of the level ``value`` falls in, spread over the four tints."""
    if definition is None or not definition.levels:
        return 0
    index = 0
    for n, level in enumerate(definition.levels):
        if value >= level.min:
            index = n
    count = len(definition.levels)
    return min(3, index * 4 // count) if count > 4 else min(3, index)


def track_chart(
    track: TrackState, definition: Track | None, turns: int, height: int = HEIGHT
) -> Text:
    """Rows from the top of the range down; one two-cell column per turn played."""
    values = [value for _, value in sorted(track.history.items())][-max(1, turns) :]
    span = max(1, track.max - track.min)
    text = Text()
    for row in range(height, 0, -1):
        floor = track.min + span * (row - 1) / height  # this row's slice starts here
        band = _band(definition, floor)
        label = f"{round(track.min + span * row / height):>4} "
        text.append(label, "dim")
        for value in values:
            filled = value > floor or (row == 1 and value >= track.min)
            style = f"{BAR_STYLES[_band(definition, value)]} {BAND_STYLES[band]}"
            text.append("██" if filled else "  ", style if filled else BAND_STYLES[band])
            text.append(" ", BAND_STYLES[band])
        level = ""
        if definition is not None:
            for lv in definition.levels:
                if floor <= lv.min < floor + span / height or (row == 1 and lv.min <= floor):
                    level = lv.name
        text.append(f" {level}\n" if level else "\n", "dim")
    text.append("     " + "".join(f"{n:<3}" for n in range(len(values))) + " turn\n", "dim")
    return text
