"""``exercise replay``: the Board as the room saw it, stepped with the keys a person presses.

The session has public and secret moves and private injects; the public replay must
never show the secret or private ones, every step must change the Board, and the
journal must be the same file afterwards.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from test_app_support import MINI, ROOT, bundled_ready, prepared_session, press, squash, visible
from textual.widgets import Static

from exercise.cli import main
from exercise.engine.replay import Replay
from exercise.ui.replay import ReplayApp
from exercise.ui.widgets.feed import FeedView
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.timer import DeliberationTimer
from exercise.ui.widgets.tracks import TracksPanel

PACK = ROOT if bundled_ready() else MINI
SECRET = ("SECRET-MOVE-BY-", "PRIVATE-INJECT-FOR-", "Private note for")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "replay.session"
    session, _ = prepared_session(path, PACK, pins={"control": "4711"})
    session.close()
    return path


def board(app: ReplayApp) -> str:
    """What the Board part of the replay shows (not the line saying where we are)."""
    screen = app.screen
    parts = [
        screen.query_one(StatusBar),
        screen.query_one(DeliberationTimer),
        screen.query_one(FeedView),
        screen.query_one(TracksPanel),
    ]
    return "\n".join(str(widget.content) for widget in parts)


def position(app: ReplayApp) -> str:
    return str(app.screen.query_one("#position", Static).content)


async def test_public_replay_steps_through_what_the_room_saw(session_file: Path) -> None:
    before = digest(session_file)
    replay = Replay.open(session_file)
    app = ReplayApp(replay)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Nothing released yet" in board(app)
        shown = board(app)
        steps = 0
        while True:
            await press(pilot, "right")
            now = board(app)
            if "step" in position(app) and now == shown:
                break  # the last step: → does nothing more
            steps += 1
            assert all(mark not in squash(visible(app)) for mark in SECRET)
            shown = now
        # every step changed the Board, up to the last one
        stops = replay.stops(control=False)
        assert f"step {len(stops)} of {len(stops)}" in position(app)
        assert steps == len(stops) - 1 >= 5
        text = squash(visible(app))
        public = [i.text for i in replay.state.public_feed()]
        assert all(squash(t) in text for t in public if len(t) < 60)
        assert "Public statement by" in text and "Crowds gather outside the embassy" in text
        # ← goes back one step: the Board changes back
        last = board(app)
        await press(pilot, "left")
        assert board(app) != last
        await press(pilot, "right")
        assert board(app) == last
    assert digest(session_file) == before


async def test_turn_keys_and_go_to_a_turn(session_file: Path) -> None:
    app = ReplayApp(Replay.open(session_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "pagedown")
        assert "Turn 1 of" in board(app)
        await press(pilot, "pagedown")
        assert "Turn 2 of" in board(app)
        await press(pilot, "pageup")
        assert "Turn 1 of" in board(app)
        assert "Wire report" not in board(app)  # written by control later in turn 1
        for _ in range(10):
            await press(pilot, "right")
            if "Wire report" in board(app):
                break
        assert "Wire report" in board(app) and "Turn 1 of" in board(app)
        await press(pilot, "pageup")  # back to the start of this turn...
        assert "Turn 1 of" in board(app) and "Wire report" not in board(app)
        await press(pilot, "pageup")  # ...then before it
        assert "Nothing released yet" in board(app)
        await press(pilot, "g", "2", "enter")
        assert "Turn 2 of" in board(app)
        await press(pilot, "g", "9", "enter")  # not played: the dialog stays open
        assert "Go to turn" in squash(visible(app))
        await press(pilot, "escape", "home")
        assert "Nothing released yet" in board(app)
        await press(pilot, "end")
        assert "deliberation" in board(app)
        assert all(mark not in squash(visible(app)) for mark in SECRET)


async def test_control_replay_needs_the_pin_and_then_shows_everything(session_file) -> None:
    app = ReplayApp(Replay.open(session_file), control=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "1", "2", "3", "4", "enter")  # wrong PIN
        await press(pilot, "escape")  # gives up: the public replay
        assert not app.control
        await press(pilot, "end")
        assert all(mark not in squash(visible(app)) for mark in SECRET)

    app = ReplayApp(Replay.open(session_file), control=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "4", "7", "1", "1", "enter")
        assert app.control
        await press(pilot, "end")
        text = squash(visible(app))
        assert "SECRET-MOVE-BY-china" in text  # secret moves, in the feed
        assert "PRIVATE-INJECT-FOR-china" in text  # private injects, in the feed
        assert "CONTROL REPLAY" in text
        stops = len(app.session.events)
        assert f"event {stops} of {stops}" in position(app)  # every event is a step
        await press(pilot, "left")
        assert f"event {stops - 1} of {stops}" in position(app)


def test_replay_of_a_missing_session_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["replay", str(tmp_path / "nothing.session")]) == 2
    err = capsys.readouterr().err
    assert "no session at" in err and "Traceback" not in err
