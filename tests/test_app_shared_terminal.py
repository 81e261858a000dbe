"""The shared terminal keeps its secrets: control-played seats behind the control PIN,
wrong PINs that cost more and more time (in every process), toasts that stay with
their screen, a Secret checkbox that says its state in words, and a seat whose brief
renders off the event loop."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from keys import choose_option
from report_support import REPORT_PACK
from test_app_support import START, Clock, Messages, press, screen_text, squash
from textual.widgets import Checkbox, Static
from textual.widgets._toast import Toast

from exercise.engine import Session, SessionSetup, pin_guard
from exercise.engine.commands import AdvancePhase, StartExercise
from exercise.pack.loader import require_pack
from exercise.ui.app import ExerciseApp

CONTROL_PIN = "2468"


def make_session(
    path: Path,
    pack_root: Path = REPORT_PACK,
    *,
    moves_phase: bool = False,
    pins: dict[str, str] | None = None,
) -> Path:
    pack = require_pack(pack_root)
    setup = SessionSetup(
        players={"usa": "Alice", "rok": "Bo"},
        control_roles=["dprk"],
        pins={"control": CONTROL_PIN} if pins is None else pins,
        seed=1,
        name="Shared",
    )
    session = Session.create(path, pack, setup, now=START)
    if moves_phase:
        session.execute(StartExercise(), now=START)
        session.execute(AdvancePhase(), now=START)
        session.execute(AdvancePhase(), now=START)
    session.close()
    return path


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


async def choose_seat(pilot, app, role: str) -> None:
    await press(pilot, "f4")
    await choose_option(pilot, role)
    assert type(app.screen).__name__ == "HandOverScreen"


async def open_board(pilot, app) -> None:
    await pilot.pause()
    await pilot.pause()
    if type(app.screen).__name__ == "PinDialog":  # resuming asks for the control PIN
        await press(pilot, "escape")
    await press(pilot, "f2")
    assert type(app.screen).__name__ == "BoardScreen"


async def wait_for(pilot, predicate, seconds: float = 5.0) -> bool:
    """Let the app run until ``predicate()`` holds (toasts mount a frame later)."""
    for _ in range(int(seconds * 10)):
        if predicate():
            return True
        await pilot.pause(0.1)
    return bool(predicate())


def toasts(app) -> str:
    """The messages of the toasts the current screen shows."""
    return " ".join(toast._notification.message for toast in app.screen.query(Toast))


def events_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        conn.close()


async def test_a_control_played_seat_asks_the_control_pin(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = make_session(tmp_path / "s.session")
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_board(pilot, app)
        await choose_seat(pilot, app, "dprk")
        assert "Control PIN" in squash(screen_text(app))
        await press(pilot, "enter")  # no PIN: nothing opens
        await type_text(pilot, "1111")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "HandOverScreen"
        assert app.viewer != "dprk"
        await type_text(pilot, CONTROL_PIN)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "SeatScreen"
        assert app.viewer == "dprk"


async def test_without_a_control_pin_a_control_played_seat_opens(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = make_session(tmp_path / "s.session", pins={})
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_board(pilot, app)
        await choose_seat(pilot, app, "dprk")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "SeatScreen"


def test_the_wait_doubles_after_three_wrong_pins_and_is_capped():
    assert [pin_guard.wait_after(n) for n in range(7)] == [0, 0, 0, 1, 2, 4, 8]
    assert pin_guard.wait_after(40) == pin_guard.MAX_WAIT_S


async def test_wrong_pins_cost_time_in_every_process(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = make_session(tmp_path / "s.session")
    before = events_count(path)
    clock = Clock()
    app = ExerciseApp(resume=str(path), clock=clock, poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=messages) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "PinDialog"
        for _ in range(3):
            await type_text(pilot, "0000")
            await press(pilot, "enter")
        await pilot.pause(0.6)
        wait_line = str(app.screen.query_one("#pin-wait", Static).content)
        assert "next try counts in 1 s" in wait_line
        # too early: even the right PIN is not checked
        await type_text(pilot, CONTROL_PIN)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "PinDialog"
        assert any("Wait 1 s" in m for m in messages.errors())
        clock.advance(1)
        await type_text(pilot, "0000")  # a fourth wrong PIN: now 2 s
        await press(pilot, "enter")
        await pilot.pause(0.6)
        assert "counts in 2 s" in str(app.screen.query_one("#pin-wait", Static).content)
    # another process (a new app, a browser tab) sees the same count
    other = Session.open(path)
    try:
        assert other.pin_wait("control", now=clock()) == pytest.approx(2.0)
        assert other.pin_wait("control", now=clock() + dt.timedelta(seconds=2)) == 0
        assert other.pin_wait("usa", now=clock()) == 0  # per role
        check = other.try_pin("control", CONTROL_PIN, now=clock() + dt.timedelta(seconds=2))
        assert check.ok
        assert other.pin_wait("control", now=clock()) == 0  # the right PIN clears it
    finally:
        other.close()
    assert events_count(path) == before  # kept in the meta table, not as events


@pytest.mark.slow
async def test_the_secret_box_in_words_and_a_toast_that_stays_with_its_screen(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = make_session(tmp_path / "s.session", moves_phase=True, pins={})
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=messages) as pilot:
        await pilot.pause()
        await choose_seat(pilot, app, "rok")
        await press(pilot, "enter")
        await press(pilot, "ctrl+n")
        await pilot.click("#text")
        await type_text(pilot, "Move")
        box = app.screen.query_one("#secret", Checkbox)
        assert str(box.label) == "Public"
        await pilot.click("#secret")
        assert box.value and str(box.label) == "SECRET — only you and control see it"
        assert "SECRET — only you and control see it" in squash(screen_text(app))
        await press(pilot, "space")  # the box has focus now
        assert not box.value and str(box.label) == "Public"
        await press(pilot, "space")
        await press(pilot, "ctrl+s")
        assert app.session.state.moves[-1].secret
        assert str(box.label) == "Public"  # the form is cleared for the next move
        assert await wait_for(pilot, lambda: "Move m1 recorded" in toasts(app))
        recorded = [m for m in messages.notified() if "recorded" in m]
        assert recorded == ["Move m1 recorded"]
        await press(pilot, "f2")
        assert type(app.screen).__name__ == "BoardScreen"
        await pilot.pause(0.3)
        assert "recorded" not in toasts(app)  # the toast went with its view...
        assert [m for m in messages.notified() if "recorded" in m] == recorded  # none again
        # and not on the next seat either
        await choose_seat(pilot, app, "usa")
        await press(pilot, "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "SeatScreen"
        assert "recorded" not in toasts(app)


async def test_a_seat_brief_renders_off_the_event_loop(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("exercise.ui.brief.SEAT_BRIEF_TIMEOUT_S", 1.0)
    pack = tmp_path / "pack"
    shutil.copytree(REPORT_PACK, pack)
    (pack / "reports").mkdir()
    (pack / "reports" / "brief.md.j2").write_text(
        "# Brief\n{% for i in range(10000) %}{% for j in range(10000) %}{{ '' }}{% endfor %}"
        "{% endfor %}\n",
        encoding="utf-8",
    )
    path = make_session(tmp_path / "s.session", pack, pins={})
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await choose_seat(pilot, app, "usa")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "SeatScreen"
        await press(pilot, "ctrl+b")  # the brief renders when its tab is first opened
        brief = app.screen.query_one("#brief-text", Static)
        assert "preparing the brief…" in str(brief.content)
        # the app answers keys while the brief renders
        await press(pilot, "ctrl+n")
        assert str(app.screen.query_one("#tabs").active) == "compose"
        await press(pilot, "ctrl+o")
        assert str(app.screen.query_one("#tabs").active) == "inbox"
        problem = app.screen.query_one("#brief-problem", Static)
        for _ in range(300):
            if "rendering stopped" in str(problem.content):
                break
            await pilot.pause(0.1)
        assert "rendering stopped: it exceeded 1 s" in str(problem.content)
        assert "brief.md.j2" in str(problem.content)
        assert "preparing" not in str(brief.content)  # the plain brief instead
