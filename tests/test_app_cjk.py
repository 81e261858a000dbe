"""Korean and Japanese at the terminal: double-width text in the seat's brief wraps
within the screen and is never cut in half."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from keys import choose_option
from rich.cells import cell_len
from test_app_support import MINI, Clock, prepared_session, press, screen_text

from exercise.ui.app import ExerciseApp

KOREAN_NAME = "대한민국"
JAPANESE = "日本の防衛省は、弾道ミサイル防衛の強化と日米韓の情報共有の拡大を発表した。" * 3


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    role = pack / "roles" / "rok.yaml"
    lines = role.read_text(encoding="utf-8").splitlines()
    lines = [
        f"background: {JAPANESE}"
        if line.startswith("background:")
        else (f"name: {KOREAN_NAME}" if line.startswith("name:") else line)
        for line in lines
    ]
    role.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "cjk.session"
    session, _ = prepared_session(path, pack)
    session.close()
    return path


async def test_seat_brief_wraps_double_width_text(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "f4")
        await choose_option(pilot, "rok")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "SeatScreen"
        await pilot.click("#--content-tab-brief")
        await pilot.pause()
        text = screen_text(app)
        lines = text.splitlines()
        assert all(cell_len(line) <= 80 for line in lines)
        assert KOREAN_NAME in text  # the name whole, not split across cells
        joined = "".join("".join(line.split()) for line in lines)
        assert "日本の防衛省は、弾道ミサイル防衛の強化" in joined
        assert "\ufffd" not in text
