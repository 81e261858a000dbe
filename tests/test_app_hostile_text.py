"""The app with a hostile pack and hostile sessions: markup, click actions and escape
sequences in names, titles, moves, typed effects and an imported session's pack id.
The app stays up, shows the text as written, and draws no control character."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hostile_text import (
    CLICK,
    CONTROL_BYTES,
    MOVE_TEXT,
    OSC_CLIP,
    OSC_TITLE,
    PACK_TEXT,
    hostile_pack,
    literal,
    planted_session,
)
from keys import choose_option, fill_start_form, focus_on, focused_id, until
from test_app_support import START, Clock, Messages, press, squash, visible
from textual import events
from textual.command import CommandPalette
from textual.widgets import OptionList
from textual.widgets._toast import Toast

from exercise.cli import main
from exercise.ui.app import ExerciseApp


def drawn(app) -> str:
    """What the screen shows and its widgets hold; no control character may be in it."""
    text = visible(app)
    assert not any(byte in text for byte in CONTROL_BYTES), repr(text)
    return squash(text)


async def paste(pilot, text: str) -> None:
    """A paste as the terminal delivers it: to the app, which hands it to the focus."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def palette_prompts(pilot, app, query: str, expect: str) -> str:
    """Open the palette, type ``query``, wait for a hit holding ``expect`` (the search
    runs in a worker), return what the hits say, then close it."""
    await press(pilot, "ctrl+p")
    assert CommandPalette.is_open(app)
    await pilot.press(*query)
    options = app.screen.query_one(OptionList)
    for _ in range(100):
        await pilot.pause(0.1)
        prompts = " ".join(
            str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        )
        if expect in prompts:
            break
    shown = drawn(app)
    await press(pilot, "escape")
    assert not CommandPalette.is_open(app)
    return prompts + " " + shown


def plant_pack_id(path: Path, pack_id: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'pack_id'", (pack_id,))
        body = json.loads(conn.execute("SELECT body FROM events WHERE seq = 1").fetchone()[0])
        body["pack_id"] = pack_id
        conn.execute("UPDATE events SET body = ? WHERE seq = 1", (json.dumps(body),))
    conn.close()


async def test_start_screen_lists_hostile_sessions_literally(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    planted_session(sessions / "planted.session")  # written as it is, escapes and all
    # and an imported one whose pack id is markup
    source = planted_session(tmp_path / "source.session")
    plant_pack_id(source, "[/x] evil" + OSC_TITLE)
    dump = tmp_path / "dump.jsonl"
    assert main(["session", "export", str(source), "--out", str(dump)]) == 0
    assert main(["session", "import", str(dump), "--out", "evil"]) == 0
    app = ExerciseApp(clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = drawn(app)
        assert "[/x] evil" in text and "Evil [/x]" in text
        await press(pilot, "ctrl+r")  # the first listed session: either one
        drawn(app)
        assert app.is_running


CONTROL_PIN = "9"


async def name_every_player(pilot) -> None:
    """The start form needs a name for every player and a control PIN."""
    roles = pilot.app.screen.pack.roles
    players = {role.id: "Player" for role in roles if role.played_by != "control"}
    await fill_start_form(pilot, "", players, CONTROL_PIN)


@pytest.mark.slow
async def test_hostile_pack_and_moves_through_every_view(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    pack_dir = hostile_pack(tmp_path)
    app = ExerciseApp(pack_dir, clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(160, 48), notifications=True, message_hook=messages) as pilot:
        await pilot.pause()
        assert literal(PACK_TEXT["name"][2]) in drawn(app)  # the start form's role rows
        await name_every_player(pilot)
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "ControlScreen"
        text = drawn(app)
        assert literal(PACK_TEXT["inject"][2]) in text
        name = literal(PACK_TEXT["name"][2])
        assert name in await palette_prompts(pilot, app, "seat", name)
        assert "KN-23 [/x] launch" in await palette_prompts(pilot, app, "launch", "KN-23")
        for _ in range(3):  # injects, deliberation, moves
            await press(pilot, "n", "y")
        assert app.session.state.phase == "moves"
        # a seat: its selection lists hold the hostile names and tag titles
        await press(pilot, "f4")
        await choose_option(pilot, "usa")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "SeatScreen"
        seat = drawn(app)
        await press(pilot, "ctrl+n")
        assert focused_id(pilot) == "text"
        await paste(pilot, MOVE_TEXT)
        await press(pilot, "ctrl+s")
        move = app.session.state.moves[-1]
        assert move.text == literal(MOVE_TEXT)  # typed text loses its escapes
        seat = drawn(app)
        assert CLICK in seat and "[/x]" in seat
        # the Board, then Control again: the move in the palette, then a typed effect
        await press(pilot, "f2")
        assert "[/x]" in drawn(app)
        await press(pilot, "f3")
        await press(pilot, *CONTROL_PIN, "enter")
        assert type(app.screen).__name__ == "ControlScreen"
        assert CLICK[:20] in await palette_prompts(pilot, app, "move", CLICK[:20])
        await press(pilot, "2")
        await press(pilot, "j")
        assert type(app.screen).__name__ == "AdjudicateDialog"
        await focus_on(pilot, "f-effects")
        await paste(pilot, "tension +[/x]")
        await press(pilot, "ctrl+s")
        assert app.is_running
        assert move.ruling is None if app.session.state.move(move.id) is move else True
        assert any("[/x]" in m for m in messages.errors())  # the refusal quotes it
        for _ in range(50):
            await pilot.pause(0.1)
            shown = " ".join(str(t.render()) for t in app.screen.query(Toast))
            if "tension +[/x]" in shown:
                break
        assert "tension +[/x]" in shown
        await press(pilot, "escape")
        assert app.is_running
        # the remaining views: hotwash (its role list), help, the Log tab
        await press(pilot, "5")
        assert "[/x]" in drawn(app)
        await press(pilot, "w")
        assert type(app.screen).__name__ == "HotwashScreen"
        await press(pilot, "tab")
        drawn(app)
        await press(pilot, "f1")
        drawn(app)
        await press(pilot, "escape")
        assert app.is_running


async def test_typed_escapes_never_reach_the_journal(tmp_path, monkeypatch):
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "typed.session"
    setup = SessionSetup(players={"usa": "Al", "rok": "Bo"}, control_roles=["dprk"], name="Typed")
    Session.create(path, require_pack(hostile_pack(tmp_path)), setup, now=START).close()
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        assert await until(pilot, lambda: type(app.screen).__name__ == "ControlScreen")
        await press(pilot, "o")
        assert focused_id(pilot) == "f-text"
        await paste(pilot, "Note " + OSC_CLIP + " end")
        await press(pilot, "ctrl+s")
        notes = [o.text for o in app.session.state.observations]
        assert notes == [literal("Note " + OSC_CLIP + " end")]


async def test_resume_argument_with_markup_is_shown_literally(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    app = ExerciseApp(resume="[/x] " + CLICK + OSC_TITLE, clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert "[/x] [@click=app.quit]here[/]" in drawn(app)
