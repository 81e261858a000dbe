"""Channels and observers at the shared terminal, driven by the keys a person presses.

A bilateral exchange between two seats, control posting as an outside voice, a closed
channel refusing a message (the text stays in the composer), and an observer's rated
note reaching the after-action report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import ROOT, Clock, bundled_ready, press, squash, visible
from textual import events
from textual.widgets import OptionList

from exercise.ui.app import ExerciseApp

pytestmark = pytest.mark.skipif(not bundled_ready(), reason="needs the bundled pack")


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled pack, turn 1 in deliberation, every role a player."""
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    pack = require_pack(ROOT)
    clock = Clock()
    setup = SessionSetup(players={r.id: f"Player {r.id}" for r in pack.roles}, seed=3,
                         name="Channels")
    path = tmp_path / "channels.session"
    with Session.create(path, pack, setup, now=clock()) as session:
        session.start(now=clock())
        session.advance_phase(now=clock())
    return path


async def take_seat(app: ExerciseApp, pilot, who: str, pin: str = "") -> None:
    """F4, pick the seat of role ``who`` (or the option starting with it) with the
    arrow keys, Enter, then Enter (and the PIN) at the hand-over screen."""
    role = app.session.pack.roles_by_id.get(who)
    label = role.name if role is not None else who
    await press(pilot, "f4")
    options = app.screen.query_one(OptionList)
    target = next(i for i in range(options.option_count)
                  if str(options.get_option_at_index(i).prompt).startswith(label))
    await press(pilot, *(["down"] * target), "enter")
    assert type(app.screen).__name__ == "HandOverScreen"
    if pin:
        await pilot.press(*pin)
    await press(pilot, "enter")


async def choose_channel(app: ExerciseApp, pilot, name: str) -> None:
    """Focus the channel list and move to the channel called ``name``."""
    options = app.screen.query_one("#channel-list", OptionList)
    options.focus()
    await pilot.pause()
    target = next(i for i in range(options.option_count)
                  if str(options.get_option_at_index(i).prompt).startswith(name))
    await press(pilot, "home", *(["down"] * target))


async def paste(app: ExerciseApp, pilot, text: str) -> None:
    """Paste ``text`` into the focused widget, as a terminal delivers a paste."""
    assert app.focused is not None
    app.focused.post_message(events.Paste(text))
    await pilot.pause()


async def write(app: ExerciseApp, pilot, text: str, *, tabs: int = 1) -> None:
    """Tab from the channel list to the composer, paste the message and press Enter."""
    await press(pilot, *(["tab"] * tabs))
    assert app.focused is not None and app.focused.id == "message-input"
    await paste(app, pilot, text)
    await press(pilot, "enter")


async def test_bilateral_exchange(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await take_seat(app, pilot, "usa")
        await press(pilot, "ctrl+g")
        await choose_channel(app, pilot, "U.S.–ROK")
        await write(app, pilot, "Seoul, we need your answer before Beijing calls.")
        assert app.session.state.messages[-1].text.startswith("Seoul, we need")
        assert app.focused.value == ""  # sent: the composer is empty again
        assert "Seoul, we need your answer" in squash(visible(app))
        await take_seat(app, pilot, "rok")
        tab = squash(visible(app))
        assert "Messages (1 unread)" in tab  # the seat sees it has mail before opening
        await press(pilot, "ctrl+g")
        await choose_channel(app, pilot, "U.S.–ROK")
        assert "Seoul, we need your answer" in squash(visible(app))
        await write(app, pilot, "Seoul answers after the cabinet meets.")
        await take_seat(app, pilot, "china")
        await press(pilot, "ctrl+g")
        china = squash(visible(app))
        assert "Seoul, we need" not in china and "cabinet meets" not in china
        assert "U.S.–ROK consultation" not in china  # not even the channel's name
    from exercise.engine import Session

    with Session.open(session_file) as s:
        assert [(m.sender, m.channel) for m in s.state.messages] == [
            ("usa", "us-rok"), ("rok", "us-rok")]
