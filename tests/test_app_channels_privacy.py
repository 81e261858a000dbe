"""Privacy of channels for observers: an observer reads every channel (and every move,
secret ones too) but never control's notes, another observer's notes or the upcoming
MSEL. (That no seat shows a channel it is not on is checked with the rest of a seat's
privacy, in test_app_privacy.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import choose_option, focus_on
from privacy_support import every_channel, palette_shows, private_session
from test_app_support import ROOT, Clock, bundled_ready, press, squash, visible
from textual.widgets import TabbedContent, Tabs

from exercise.ui.app import ExerciseApp

pytestmark = pytest.mark.skipif(not bundled_ready(), reason="needs the bundled pack")


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return private_session(tmp_path / "channels-privacy.session", ROOT)


@pytest.mark.slow
async def test_an_observer_reads_every_channel_but_no_one_elses_notes(
    session_file: Path,
) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        state = app.session.state
        upcoming = [
            i.title
            for i in state.injects.values()
            if i.status == "pending" and i.first_turn > state.turn
        ]
        await press(pilot, "f4")
        await choose_option(pilot, "observer:o1")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "ObserverScreen"
        seen = await every_channel(pilot)
        tabs = app.screen.query_one("#tabs", TabbedContent)
        await focus_on(pilot, Tabs, "shift+tab")  # the tab bar: the arrows switch tabs
        for key, tab in (
            ("right", "notes"),
            ("left", "messages"),
            ("left", "moves"),
            ("left", "board"),
        ):
            await press(pilot, key)
            assert tabs.active == tab
            seen += squash(visible(app))
        seen += await palette_shows(pilot, "NOTE")
        assert "VOICE-POST-ON-hotline" in seen
        for msg in state.messages:
            assert msg.text in seen  # every channel, read only
        assert "SECRET-MOVE-BY-usa" in seen  # secret moves and their rulings too
        assert "FIRST-OBSERVER-NOTE" in seen
        assert "SECOND-OBSERVER-NOTE" not in seen and "CONTROL-NOTE" not in seen
        assert not [t for t in upcoming if squash(t) in seen]
        assert not app.screen.query("#message-input")  # observers do not write
