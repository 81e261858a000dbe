"""What the projector shows: the opening situation, a synopsis per past turn, rulings
under their moves, tracks as charts on their level bands, time running out with one
bell; and Ctrl+Q asks first (and outside Control, for the control PIN)."""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import keys, screen_name, type_text
from test_app_room import opened
from test_app_support import MINI, Clock, prepared_session, screen_text, squash

from exercise.ui.app import ExerciseApp


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return tmp_path


def _fresh(data_dir: Path) -> Path:
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    path = data_dir / "fresh.session"
    Session.create(
        path,
        require_pack(MINI),
        SessionSetup(players={"usa": "Al", "rok": "Bo"}, name="Fresh"),
        now=Clock()(),
    ).close()
    return path


async def test_board_opens_on_the_situation_and_tells_each_past_turn(data_dir):
    app = ExerciseApp(resume=str(_fresh(data_dir)), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await keys(pilot, "f2")
        shown = squash(screen_text(app))
        assert "Opening situation" in shown and "Tension is rising on the peninsula." in shown
    path = data_dir / "played.session"
    session, _ = prepared_session(path, MINI)
    session.close()
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await keys(pilot, "f2")
        shown = squash(screen_text(app))
        assert "In short: 2 injects · 2 moves: 1 accepted, 1 rejected" in shown
        # each ruling right under the move it answers
        feed = squash(str(app.screen.query_one("#feed").content))
        first, ruling, second = (
            feed.index("Public statement by rok."),
            feed.index("ACCEPTED"),
            feed.index("Public statement by usa."),
        )
        assert first < ruling < second
        # the chart: level bands named beside the columns, and no private text
        for level in ("stable", "strained", "crisis", "conflict"):
            assert level in shown
        assert "SECRET-MOVE" not in shown and "PRIVATE-INJECT" not in shown


async def test_time_up_shows_on_board_and_control_with_one_bell(data_dir):
    clock = Clock()
    path = data_dir / "timer.session"
    session, session_clock = prepared_session(path, MINI)
    session.close()
    clock.now = session_clock.now
    app = ExerciseApp(resume=str(path), clock=clock, poll_seconds=3600)
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        clock.advance(app.session.state.timer.length_s + 5)
        await keys(pilot, "f2")
        await pilot.pause(1.2)
        assert "TIME UP" in screen_text(app)
        await keys(pilot, "f3")
        await pilot.pause(1.2)
        assert "TIME UP" in screen_text(app)
        assert rings == [1]


@pytest.mark.slow
async def test_ctrl_q_asks_everywhere_and_for_the_control_pin_outside_control(data_dir):
    path = data_dir / "quit.session"
    session, _ = prepared_session(path, MINI, pins={"control": "4321"})
    session.close()
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await type_text(pilot, "4321")
        await keys(pilot, "enter")
        assert screen_name(pilot) == "ControlScreen"
        await keys(pilot, "ctrl+q")
        assert screen_name(pilot) == "ConfirmDialog"
        await keys(pilot, "n")
        assert app.is_running and screen_name(pilot) == "ControlScreen"
        await keys(pilot, "f4", "enter", "enter")  # a player's seat
        assert screen_name(pilot) == "SeatScreen"
        await keys(pilot, "ctrl+q", "y")
        assert screen_name(pilot) == "PinDialog"  # a player cannot just leave to the shell
        await type_text(pilot, "0000")
        await keys(pilot, "enter")
        assert app.is_running and screen_name(pilot) == "PinDialog"
        await keys(pilot, "escape")
        assert app.is_running and screen_name(pilot) == "SeatScreen"
        await keys(pilot, "ctrl+q", "y")
        await type_text(pilot, "4321")
        await keys(pilot, "enter")
        assert not app.is_running


async def test_ctrl_q_on_the_start_screen_asks_too(data_dir):
    app = ExerciseApp(MINI, clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await keys(pilot, "ctrl+q")
        assert screen_name(pilot) == "ConfirmDialog"
        await keys(pilot, "y")
        assert not app.is_running
