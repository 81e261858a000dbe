"""A DataTable that is brought up to date with as little work as possible.

Rebuilding a table re-measures every row; in a long session that costs hundreds of
milliseconds. Here rows that did not change are left alone, changed cells are updated
in place (their columns widen to fit, never shrink), rows that went are removed and
new rows at the end are appended; only a reordering rebuilds.

DataTable draws every visible cell again after any change (one cell updated, the cursor
moved one row): its caches are keyed by a count of all updates. Here a drawn cell, and
a drawn line of a row-cursor table, is kept until the cell or row itself, its place,
size or look changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from exercise.ui.plain import cell

Row = tuple[str, Sequence[Any]]


class SyncedTable(DataTable[Any]):
    """A DataTable that remembers the cells it shows, to change only what differs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown_rows: dict[str, tuple[Any, ...]] = {}
        # drawn cells: what DataTable's own cache keys them by, less its update count,
        # plus the cell's value (kept, so that a new value never passes for an old one)
        self._drawn: LRUCache[tuple[object, ...], tuple[object, list[list[Segment]]]] = LRUCache(
            4000
        )
        # drawn lines (row cursor only): kept with the row's values, for the same reason
        self._lines: LRUCache[tuple[object, ...], tuple[tuple[object, ...], Strip]] = LRUCache(400)

    def sync(self, rows: Sequence[Row]) -> None:
        shown = self.shown_rows
        old_keys = list(shown)
        new_keys = [key for key, _ in rows]
        columns = list(self.columns)
        wanted = set(new_keys)
        kept = [key for key in old_keys if key in wanted]
        if kept != new_keys[: len(kept)] or len(self.rows) != len(old_keys):
            self.clear()
            shown = {}
        else:
            for key in old_keys:
                if key not in wanted:
                    self.remove_row(key)
                    del shown[key]
        for key, cells in rows:
            cells = tuple(cells)
            before = shown.get(key)
            if before is None:
                self.add_row(*(cell(c) for c in cells), key=key)
            elif before != cells:
                for column, old, new in zip(columns, before, cells, strict=True):
                    if old != new:
                        shown_cell = cell(new)
                        self.update_cell(
                            key, column, shown_cell, update_width=self._wider(column, shown_cell)
                        )
            shown[key] = cells
        self.shown_rows = shown

    def _wider(self, column: ColumnKey, value: object) -> bool:
        """True when ``value`` needs a wider column. Only then is the column measured
        again: a narrower value would make the table measure every cell of it."""
        width = value.cell_len if isinstance(value, Text) else None
        return width is None or width > self.columns[column].content_width

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:  # the header and row labels: as drawn
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        value = self._data[row_key][column_key]
        key = (
            row_index,
            column_index,
            row_key,
            column_key,
            id(value),
            base_style,
            width,
            self.rows[row_key].height,
            cursor,
            hover,
            self._show_hover_cursor,
            self.show_cursor,
            self.cell_padding,
            self._pseudo_class_state,
        )
        drawn = self._drawn.get(key)
        if drawn is not None and drawn[0] is value:
            return drawn[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._drawn[key] = (value, lines)
        return lines

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A line of a row-cursor table, kept while its row, place and look stay."""
        if (
            self.cursor_type != "row"
            or self.fixed_columns
            or self.fixed_rows
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, line_in_row = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        if row_key is self._header_row_key:
            row_index = -1
            values: tuple[object, ...] = tuple(c.label for c in self.ordered_columns)
        elif row_key in self._row_locations:
            row_index = self._row_locations.get(row_key) or 0
            values = tuple(self._data[row_key].values())
        else:
            return super()._render_line(y, x1, x2, base_style)
        key = (
            y,
            x1,
            x2,
            self.size.width,
            row_key,
            row_index,
            line_in_row,
            tuple(map(id, values)),
            tuple(c.get_render_width(self) for c in self.ordered_columns),
            self.header_height if row_index == -1 else self.rows[row_key].height,
            self.cursor_coordinate.row == row_index,
            self.hover_coordinate.row == row_index,
            base_style,
            self.show_cursor,
            self._show_hover_cursor,
            self.cell_padding,
            self.zebra_stripes,
            self._pseudo_class_state,
        )
        kept = self._lines.get(key)
        if kept is not None and all(a is b for a, b in zip(kept[0], values, strict=True)):
            return kept[1]
        strip = super()._render_line(y, x1, x2, base_style)
        self._lines[key] = (values, strip)
        return strip

    def notify_style_update(self) -> None:
        # the theme or the CSS changed: every cell and line looks different
        self._drawn.clear()
        self._lines.clear()
        super().notify_style_update()
