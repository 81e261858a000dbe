"""The Board's chart view: `c` trades the feed for a chart per track, as wide as the
screen allows, with its level bands named, its current value, and the turns so far; it
follows the session live in the projector's own process, `c` brings the feed back, and
F1 lists the key by its id."""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import keys, until
from test_app_support import MINI, Clock, prepared_session, screen_text, squash

from exercise.engine import Session
from exercise.engine.commands import AdjustTrack, AdvancePhase
from exercise.pack.loader import require_pack
from exercise.ui.view_app import ViewApp

BANDS = ("stable", "strained", "crisis", "conflict")  # the mini pack's tension levels
FEED_END = "A close call."  # the last ruling's narrative, at the foot of the Board's feed


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = tmp_path / "played.session"
    session, _ = prepared_session(path, MINI)
    session.close()
    return path


def heading(session: Session, track_id: str) -> str:
    """What a chart's title says of its track: its value and level, as the state has them."""
    track = session.state.tracks[track_id]
    return f"{track.value} · {track.level}" if track.level else f"{track.value}"


async def test_charts_at_80x24_then_back_to_the_feed(played: Path):
    app = ViewApp(Session.open(played, require_pack(MINI)), view="board", clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert FEED_END in squash(screen_text(app))
        await keys(pilot, "c")
        shown = squash(screen_text(app))
        assert FEED_END not in shown  # the feed gave the screen to the charts
        assert f"Regional tension {heading(app.session, 'tension')}" in shown
        for band in BANDS:
            assert band in shown
        for tick in ("Start", "T1", "T2"):
            assert tick in shown
        assert f"US–ROK relations {heading(app.session, 'us-rok')}" in shown  # beside it
        await keys(pilot, "c")
        assert FEED_END in squash(screen_text(app))


async def test_charts_at_120x40_follow_the_session_in_the_projectors_process(played: Path):
    pack = require_pack(MINI)
    app = ViewApp(Session.open(played, pack), view="board", clock=Clock(), poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await keys(pilot, "c")
        shown = squash(screen_text(app))
        assert f"Regional tension {heading(app.session, 'tension')}" in shown
        assert f"US–ROK relations {heading(app.session, 'us-rok')}" in shown
        for band in BANDS:
            assert band in shown
        assert "T3" not in shown
        with Session.open(played, pack) as other:  # Control, in another process
            clock = Clock(other.state.last_activity)
            for _ in range(4):  # to turn 3
                clock.advance(60)
                other.execute(AdvancePhase(), now=clock())
            other.execute(AdjustTrack("tension", 5, "Shots across the line"), now=clock())
            expected = f"Regional tension {heading(other, 'tension')}"
        assert expected not in shown
        assert await until(pilot, lambda: expected in squash(screen_text(app)), seconds=5)
        shown = squash(screen_text(app))
        assert "T3" in shown  # the new turn's point on the chart
        await keys(pilot, "f1")
        assert "board.charts" in squash(screen_text(app))
