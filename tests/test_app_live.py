"""The app holding a session loses nothing when other processes use the same session.

Resuming lists the sessions after opening one, and Hotwash writes the report of the
session it holds; neither may disturb the locks SQLite keeps for the open session. After
each, another process runs a command and a second writer appends and closes; the app's
next write must be seen by other processes (one journal, not two).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from keys import fill_start_form, until
from test_app_support import MINI, ROOT, Clock, Messages, prepared_session, press

from exercise.ui.app import ExerciseApp
from exercise.ui.messages import ReportFailed, ReportWritten

APPEND = (
    "import sys\nfrom exercise.engine import Session\nfrom engine_support import minutes\n"
    "from exercise.engine.commands import Observe\n"
    "with Session.open(sys.argv[1]) as s:\n"
    "    s.execute(Observe('second writer'), now=minutes(1))\n"
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return tmp_path


def other(*args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def touch_from_elsewhere(path: Path) -> None:
    """``session info`` from another terminal, then a second writer appends and closes."""
    other("-m", "exercise", "session", "info", str(path))
    other("-c", APPEND, str(path))


def last_seq_elsewhere(path: Path) -> int:
    lines = other("-m", "exercise", "session", "export", str(path), "--out", "-").splitlines()
    return json.loads(lines[-1])["seq"]


@pytest.mark.slow
async def test_resume_then_other_processes_then_write(data_dir: Path) -> None:
    path = data_dir / "sessions" / "live.session"  # where the start screen lists it
    session, _ = prepared_session(path, MINI)
    session.close()
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ControlScreen"
        await press(pilot, "n", "y")  # the moves phase
        touch_from_elsewhere(path)
        await press(pilot, "n", "y")  # adjudication: written after the other processes
        assert app.session.state.phase == "adjudication"
        assert last_seq_elsewhere(path) == app.session.state.last_seq
        assert Path(f"{path}-wal").exists()


@pytest.mark.slow
async def test_hotwash_report_then_other_processes_then_write(data_dir: Path) -> None:
    app = ExerciseApp(MINI, clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        await pilot.pause()
        await fill_start_form(pilot, "Live hotwash", {"usa": "Al", "rok": "Bo"}, "9")
        await press(pilot, "ctrl+s")
        await pilot.pause(0.2)
        assert app.session is not None
        path = Path(app.session.path)
        await press(pilot, "w")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "HotwashScreen"
        await press(pilot, "ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = path.with_name(path.stem + "-report.md")
        assert report.is_file()
        assert [m.paths for m in messages.of(ReportWritten)] == [
            [report, report.with_suffix(".html"), report.with_suffix(".json")]
        ]
        touch_from_elsewhere(path)
        await pilot.click("#worked")
        await pilot.press(*"Quick decisions")
        await press(pilot, "ctrl+s")
        await pilot.pause(0.2)
        assert [h.worked for h in app.session.state.hotwash] == ["Quick decisions"]
        assert last_seq_elsewhere(path) == app.session.state.last_seq


async def test_hotwash_report_that_cannot_be_written_is_a_message(data_dir: Path) -> None:
    from exercise.engine.store import sessions_dir

    blocked = sessions_dir() / "Blocked-report.md"
    blocked.parent.mkdir(parents=True)
    blocked.mkdir()  # a folder where the report should go
    session, _ = prepared_session(sessions_dir() / "Blocked.session", MINI)
    session.close()
    app = ExerciseApp(resume="Blocked", clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        assert await until(pilot, lambda: type(app.screen).__name__ == "ControlScreen")
        await press(pilot, "w")
        await pilot.pause(0.2)
        await press(pilot, "ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failed = [m.reason for m in messages.of(ReportFailed)]
        assert any(f"cannot write {blocked}" in m for m in failed), failed
        assert not messages.of(ReportWritten)
        assert any(f"cannot write {blocked}" in m for m in messages.errors())
        assert app.is_running and type(app.screen).__name__ == "HotwashScreen"
    assert blocked.is_dir() and list(blocked.iterdir()) == []
    assert not list(blocked.parent.glob(".Blocked-report*"))


async def test_hotwash_writes_the_pdf_with_its_own_key(data_dir: Path) -> None:
    from system_deps import need_pdf

    need_pdf()
    path = data_dir / "printed.session"
    session, _ = prepared_session(path, MINI)
    session.close()
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        await pilot.pause()
        await press(pilot, "w")
        assert type(app.screen).__name__ == "HotwashScreen"
        await press(pilot, "ctrl+d")
        await app.workers.wait_for_complete()
        await pilot.pause()
    pdf = data_dir / "printed-report.pdf"
    assert [m.paths for m in messages.of(ReportWritten)] == [[pdf]]
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not (data_dir / "printed-report.md").exists()  # only what was asked for
