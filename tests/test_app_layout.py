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


async def test_views_and_dialogs_look_as_they_would_styled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view or dialog is styled as it is mounted, not again when first shown: what is
    on screen is what styling the whole screen again would show, and the view behind a
    dialog stays in sight."""
    from keys import keys
    from test_app_support import MINI, prepared_session, screen_text

    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = tmp_path / "look.session"
    session, clock = prepared_session(path, MINI)
    session.close()
    app = ExerciseApp(resume=str(path), clock=clock, poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(10):
            await pilot.pause()
        for step in (("n",), ("escape", "2", "j"), ("escape", "f4"), ("escape",)):
            await keys(pilot, *step)
            await pilot.pause()
            shown = app.export_screenshot()
            if step[-1] in ("n", "j"):
                assert "CONTROL" in screen_text(app), step
            app.update_styles(app.screen)  # the whole screen styled again, as Textual can
            await pilot.pause()
            assert app.export_screenshot() == shown, step
