"""Snapshots of the four views at 80×24 and 120×40, with a fixed clock and the mini pack
(stable test data), so a change in layout shows up as a reviewable SVG diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import choose_option, until
from test_app_support import MINI, prepared_session

from exercise.ui.app import ExerciseApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, object]:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = tmp_path / "snap.session"
    session, clock = prepared_session(path, MINI)
    session.close()
    clock.advance(125)  # 2 min 5 s into deliberation
    return path, clock


def _app(session_file: tuple[Path, object]) -> ExerciseApp:
    path, clock = session_file
    return ExerciseApp(resume=str(path), clock=clock, poll_seconds=3600)  # type: ignore[arg-type]


def _goto(view: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        assert await until(pilot, lambda: type(app.screen).__name__ == "ControlScreen")
        if view == "board":
            await pilot.press("f2")
        elif view == "seat":  # F4, the arrows to the seat, Enter; Enter on the hand-over
            await pilot.press("f4")
            await choose_option(pilot, "rok")
            await pilot.press("enter")
        elif view == "handover":
            await pilot.press("f4")
            await choose_option(pilot, "usa")
        await settle(pilot)

    return run_before


async def settle(pilot) -> None:
    """Wait until workers (the seat brief) are done and nothing is left to draw, so a busy
    machine takes the same picture as a quiet one."""
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", ["board", "control", "seat", "handover"])
def test_view_snapshot(snap_compare, session_file, view: str, size: tuple[int, int]) -> None:
    assert snap_compare(_app(session_file), terminal_size=size, run_before=_goto(view))
