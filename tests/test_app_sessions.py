"""Start and sessions with the keyboard alone: what a new session misses is said, the
resume list is reached with ctrl+r, and sessions are renamed, archived, deleted (never
one another process holds) and branched at a turn."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from keys import focused_id, keys, screen_name, type_text
from test_app_support import MINI, ROOT, Clock, Messages, prepared_session, screen_text, squash

from exercise.ui.app import ExerciseApp


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return tmp_path


def _sessions(data_dir: Path, *names: str) -> list[Path]:
    folder = data_dir / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        session, _ = prepared_session(folder / f"{name}.session", MINI)
        session.close()
        paths.append(folder / f"{name}.session")
    return paths


async def _ready(pilot) -> None:
    for _ in range(30):
        await pilot.pause()
        if pilot.app.screen.query("#sessions"):
            break
    await pilot.pause()


async def test_empty_form_says_what_is_missing_and_the_seed_refuses_text(data_dir):
    app = ExerciseApp(MINI, clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await _ready(pilot)
        assert focused_id(pilot) == "name"
        for _ in range(15):
            if focused_id(pilot) == "seed":
                break
            await keys(pilot, "tab")
        assert focused_id(pilot) == "seed"
        await keys(pilot, "end", *["backspace"] * 8)
        await type_text(pilot, "abc")
        assert app.screen.query_one("#seed").value == ""
        await keys(pilot, "ctrl+s")
        assert screen_name(pilot) == "StartScreen" and app.session is None
        said = " ".join(messages.errors())
        assert "player's name for" in said and "control PIN" in said and "seed" in said


async def test_ctrl_r_shows_the_list_then_rename_archive_and_delete_by_keys(data_dir):
    _sessions(data_dir, "alpha", "beta", "gamma")
    app = ExerciseApp(MINI, clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(pilot)
        await keys(pilot, "ctrl+r")
        assert screen_name(pilot) == "StartScreen"  # the list, not a blind resume
        assert focused_id(pilot) == "sessions"
        table = app.screen.query_one("#sessions")
        assert table.row_count == 3
        first = app.screen.selected_session()
        await keys(pilot, "m")
        assert focused_id(pilot) == "f-name"
        await type_text(pilot, "renamed")
        await keys(pilot, "ctrl+s")
        assert not first.exists() and (first.parent / "renamed.session").exists()
        await keys(pilot, "ctrl+home")
        chosen = app.screen.selected_session()
        await keys(pilot, "a", "y")
        assert not chosen.exists() and (chosen.parent / "archive" / chosen.name).exists()
        await keys(pilot, "ctrl+home")
        chosen = app.screen.selected_session()
        await keys(pilot, "d", "y")
        assert chosen.exists()  # asked twice
        await keys(pilot, "y")
        assert not chosen.exists()
        assert table.row_count == 1


async def test_a_session_another_process_holds_is_not_deleted(data_dir):
    [path] = _sessions(data_dir, "held")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from exercise.engine import Session
            from exercise.pack.loader import require_pack
            s = Session.open({str(path)!r}, require_pack({str(MINI)!r}))
            print("ready", flush=True)
            time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        app = ExerciseApp(MINI, clock=Clock(), poll_seconds=3600)
        messages = Messages()
        async with app.run_test(size=(120, 30), message_hook=messages) as pilot:
            await _ready(pilot)
            await keys(pilot, "ctrl+r", "d", "y", "y")
            assert path.exists()
            assert "another process has it open" in " ".join(messages.errors())
    finally:
        holder.kill()
        holder.wait()


async def test_branch_at_a_turn_from_the_resume_list_opens_the_branch(data_dir):
    _sessions(data_dir, "original")
    app = ExerciseApp(MINI, clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(pilot)
        await keys(pilot, "ctrl+r", "b")
        assert focused_id(pilot) == "f-turn"
        await type_text(pilot, "2")
        await keys(pilot, "tab")
        await type_text(pilot, "what-if Seoul refused")
        await keys(pilot, "ctrl+s")
        for _ in range(10):
            await pilot.pause()
        assert screen_name(pilot) == "ControlScreen"
        assert app.session.path.name == "what-if-Seoul-refused.session"
        state = app.session.state
        assert (state.turn, state.phase) == (2, "injects")
        assert "Snapshot session" in squash(screen_text(app))  # the name in the status bar


async def test_a_missing_session_with_changed_in_its_name_offers_no_changed_pack(data_dir):
    """The offer to open with the changed pack comes from the error's type, not its words."""
    app = ExerciseApp(resume="unchanged-drill", clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert screen_name(pilot) == "StartScreen"
        assert "no session at" in squash(screen_text(app))
        assert app.screen.query_one("#accept-changed").has_class("hidden")
