"""The start form fits an 80×24 terminal: every role gets a full row, scrolled into view."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import Clock, bundled_ready

from exercise.paths import bundled_pack
from exercise.ui.app import ExerciseApp


@pytest.mark.skipif(not bundled_ready(), reason="the bundled pack is incomplete")
async def test_start_form_rows_are_whole_at_80x24(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    app = ExerciseApp(bundled_pack(), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(".role-row"))
        assert len(rows) == 7
        for row in rows:
            name, select, _player, pin = row.children
            row.scroll_visible(animate=False)
            await pilot.pause()
            # Each control is drawn whole (3 lines) and side by side within 80 columns.
            assert row.region.height == 3, row.region
            assert select.region.width >= 12 and pin.region.width >= 8
            assert pin.region.right <= 80
            assert name.region.width >= 16
