"""A table brought up to date in place, and drawn from the cells it kept, looks exactly
as it does drawn from nothing, as the cursor moves and cells change."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from exercise.ui.widgets.table_sync import SyncedTable

COLUMNS = ("id", "status", "title")


def rows(statuses: dict[str, str]) -> list[tuple[str, tuple[object, ...]]]:
    return [
        (key, (key, Text(status, "yellow" if status == "pending" else ""), f"Inject {key}"))
        for key, status in statuses.items()
    ]


class Table(App[None]):
    def compose(self) -> ComposeResult:
        yield SyncedTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(SyncedTable)
        for key in COLUMNS:
            table.add_column(key.title(), key=key)


def drawn(table: SyncedTable) -> list[list[tuple[str, object]]]:
    width, height = table.size
    return [
        [(segment.text, segment.style) for segment in strip]
        for strip in table.render_lines(Region(0, 0, width, height))
    ]


async def test_a_synced_table_draws_what_it_would_draw_from_nothing() -> None:
    statuses = {f"i{n}": "pending" for n in range(8)}
    app = Table()
    async with app.run_test(size=(60, 24)) as pilot:
        table = app.query_one(SyncedTable)
        table.sync(rows(statuses))
        table.focus()
        await pilot.pause()
        for key in ("down", "down", "skip", "down", "skip", "up", "drop"):
            if key == "skip":  # one cell changes, as wide as it was, under the cursor
                statuses[f"i{table.cursor_row}"] = "skipped"
                table.sync(rows(statuses))
            elif key == "drop":  # the first rows go: every other row moves up two
                del statuses["i0"], statuses["i1"]
                table.sync(rows(statuses))
            else:
                await pilot.press(key)
            await pilot.pause()
            kept = drawn(table)
            table.notify_style_update()  # every cache dropped: drawn from nothing
            await pilot.pause()
            assert kept == drawn(table), key
        assert table.shown_rows == dict(rows(statuses))
        lines = ["".join(text for text, _ in line) for line in drawn(table)]
        assert "i2  skipped" in lines[1] and "i3  skipped" in lines[2]
