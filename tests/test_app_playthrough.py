"""A whole exercise played with the keys alone, at 80×24 and at 120×40: start from the
empty form, three turns of injects, moves from two seats (one behind a PIN, one move
secret), every adjudication method, a stranded move carried, the end, the Board."""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import focused_id, keys, screen_name, type_text
from test_app_support import MINI, Clock, screen_text, squash

from exercise.ui.app import ExerciseApp

CONTROL_PIN = "2468"
ROK_PIN = "1357"


async def start_by_keys(pilot) -> None:
    """The new-session form, field by field with Tab, as a facilitator fills it."""
    for _ in range(30):
        await pilot.pause()
        if focused_id(pilot) == "name":
            break
    await type_text(pilot, "Keys only seminar")
    await keys(pilot, "tab", "tab")  # rok: played by a player (the default)
    await type_text(pilot, "Bo")
    await keys(pilot, "tab")
    await type_text(pilot, ROK_PIN)
    await keys(pilot, "tab", "tab")  # usa
    await type_text(pilot, "Alice")
    await keys(pilot, "tab", "tab")  # no PIN for usa
    await type_text(pilot, CONTROL_PIN)
    await keys(pilot, "ctrl+s")
    assert screen_name(pilot) == "ControlScreen"


async def next_phase(pilot) -> None:
    await keys(pilot, "n", "y")


async def seat(pilot, position: int, pin: str | None = None) -> None:
    """F4 blanks the screen, the chooser opens; down arrows to the role, Enter, PIN."""
    await keys(pilot, "f4")
    assert "CONTROL" not in screen_text(pilot.app)
    await keys(pilot, *["down"] * position, "enter")
    assert screen_name(pilot) == "HandOverScreen"
    if pin:
        await type_text(pilot, pin)
    await keys(pilot, "enter")
    assert screen_name(pilot) == "SeatScreen"


async def record(pilot, text: str, *, secret: bool = False) -> None:
    await keys(pilot, "ctrl+n")
    await type_text(pilot, text)
    if secret:
        await keys(pilot, "tab", "space")
    await keys(pilot, "ctrl+s")
    assert pilot.app.screen.query_one("#tabs").active == "moves"


async def control(pilot) -> None:
    await keys(pilot, "f3")
    assert screen_name(pilot) == "PinDialog"
    await type_text(pilot, CONTROL_PIN)
    await keys(pilot, "enter")
    assert screen_name(pilot) == "ControlScreen"


async def rule(pilot, narrative: str, effects: str = "") -> None:
    """Facilitator ruling: outcome stays 'accepted'; Tab to the narrative and effects."""
    await keys(pilot, "j")
    assert screen_name(pilot) == "AdjudicateDialog"
    await keys(pilot, "tab")
    await type_text(pilot, narrative)
    if effects:
        await keys(pilot, "tab")
        await type_text(pilot, effects)
    await keys(pilot, "ctrl+s")
    shown = str(pilot.app.screen.query_one("#result").content)
    await keys(pilot, "escape")
    assert "ACCEPTED" in shown


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_three_turns_with_the_keys_alone(tmp_path: Path, monkeypatch, size) -> None:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    clock = Clock()
    app = ExerciseApp(MINI, clock=clock, poll_seconds=3600)
    async with app.run_test(size=size) as pilot:
        await start_by_keys(pilot)
        state = app.session.state
        # ---- turn 1: timer, two seats, a ruling and a matrix roll, an ad-hoc inject
        await next_phase(pilot)
        assert state.turn == 1 and state.injects["launch-1"].status == "released"
        await next_phase(pilot)  # deliberation
        clock.advance(60)
        await keys(pilot, "p")
        assert state.timer.paused
        await keys(pilot, "p")
        await next_phase(pilot)  # moves
        await seat(pilot, 1)  # the United States (second in the list)
        await record(pilot, "We call for calm and a trilateral meeting.")
        await seat(pilot, 0, ROK_PIN)
        await record(pilot, "Quietly move two interceptor batteries north.", secret=True)
        assert state.moves[-1].secret
        await control(pilot)
        await keys(pilot, "2", "ctrl+home")
        await rule(pilot, "The call lands", "tension -1")
        await keys(pilot, "down", "j", "ctrl+right")
        assert app.screen.query_one("#methods").active == "matrix"
        assert focused_id(pilot) == "m-pros"
        await type_text(pilot, "2")
        await keys(pilot, "ctrl+s")
        ruling = state.move("m2").ruling
        assert ruling is not None and ruling.method == "matrix" and ruling.narrative == ""
        assert f"{ruling.dice[0]} + {ruling.dice[1]} + 2 − 0 = {ruling.total}" in screen_text(app)
        assert focused_id(pilot) == "m-narrative"  # written with the dice in view
        await type_text(pilot, "The batteries move at night")
        await keys(pilot, "ctrl+s", "escape")
        assert state.move("m2").ruling.narrative == "The batteries move at night"
        await keys(pilot, "a")
        await type_text(pilot, "Snap press conference")
        await keys(pilot, "tab")
        await type_text(pilot, "Reporters ask about THAAD.")
        await keys(pilot, "ctrl+s")
        assert any(i.title == "Snap press conference" for i in state.released())
        for _ in range(3):  # adjudication, consequences, turn 2
            await next_phase(pilot)
        assert state.turn == 2
        # ---- turn 2: a vote; a move left waiting is carried to turn 3
        await next_phase(pilot)
        await next_phase(pilot)
        await seat(pilot, 1)
        await record(pilot, "Propose a joint radar picture.")
        await record(pilot, "Ask Seoul to host more radars.")
        await control(pilot)
        await keys(pilot, "2", "ctrl+end", "up", "j", "ctrl+right")
        await keys(pilot, "ctrl+right")
        assert app.screen.query_one("#methods").active == "vote"
        assert focused_id(pilot) == "v-for"
        await type_text(pilot, "3")
        await keys(pilot, "tab")
        await type_text(pilot, "1")
        await keys(pilot, "ctrl+s", "escape")
        assert state.move("m3").ruling.method == "vote"
        await next_phase(pilot)  # adjudication
        await keys(pilot, "n")
        assert screen_name(pilot) == "UnruledDialog"
        await keys(pilot, "c")
        assert state.phase == "consequences" and state.move("m4").carried_to == 3
        await next_phase(pilot)
        assert state.turn == 3
        # ---- turn 3: the carried move is ruled late; Seoul moves; the end
        await keys(pilot, "2", "ctrl+home")
        assert app.screen.selected_move() == "m4"
        await rule(pilot, "Seoul agrees in principle")
        assert state.move("m4").ruling.late
        await next_phase(pilot)
        await next_phase(pilot)
        await seat(pilot, 0, ROK_PIN)
        await record(pilot, "Announce a review of basing.")
        await control(pilot)
        await keys(pilot, "2", "ctrl+end")
        await rule(pilot, "Partly")
        for _ in range(3):
            await next_phase(pilot)
        assert state.ended
        await keys(pilot, "f2")
        board = squash(str(app.screen.query_one("#feed").content))
        assert "Snap press conference" in board and "Propose a joint radar picture." in board
        assert "Quietly move two interceptor batteries" not in board
        assert "In short:" in board
