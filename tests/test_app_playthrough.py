"""A whole exercise played with the keys alone, at 80×24 and at 120×40: start from the
empty form, three turns of injects, moves from two seats (one behind a PIN, one move
secret), every adjudication method, a stranded move carried, the end, the Board.

At 120×40 the play goes further — a role control plays, a held inject, move kinds and an
intent, an outcome other than 'accepted', a matrix roll with cons, an ad-hoc inject that
moves a track, an observation, a timer left paused on screen — then the process dies
without any cleanup, and the resumed app has everything, in the journal and on screen.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from keys import focus_on, focused_id, keys, pick, run_from_palette, screen_name, type_text
from test_app_support import MINI, Clock, screen_text, squash, visible
from textual.widgets import DataTable

from exercise.ui.app import ExerciseApp
from exercise.ui.widgets.start_form import PLAY_OPTIONS

CONTROL_PIN = "2468"
ROK_PIN = "1357"
OUTCOMES = ["accepted", "modified", "rejected"]
FULL = (120, 40)  # the size that plays the longer exercise, is killed and resumed


async def start_by_keys(pilot, full: bool) -> None:
    """The new-session form, field by field with Tab, as a facilitator fills it. In the
    full play control plays the United States (chosen in its list with the arrows) and
    the seed is typed over."""
    for _ in range(30):
        await pilot.pause()
        if focused_id(pilot) == "name":
            break
    await type_text(pilot, "Keys only seminar")
    await keys(pilot, "tab", "tab")  # rok: played by a player (the default)
    await type_text(pilot, "Bo")
    await keys(pilot, "tab")
    await type_text(pilot, ROK_PIN)
    await keys(pilot, "tab")  # usa
    if full:
        await pick(pilot, [value for _, value in PLAY_OPTIONS], "control")
        await focus_on(pilot, "pin-control")
    else:
        await keys(pilot, "tab")
        await type_text(pilot, "Alice")
        await keys(pilot, "tab", "tab")  # no PIN for usa
    await type_text(pilot, CONTROL_PIN)
    if full:
        await keys(pilot, "tab")  # a field reached with Tab has its text selected
        assert focused_id(pilot) == "seed"
        await type_text(pilot, "7")
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


async def record(
    pilot, text: str, *, secret: bool = False, kind: str = "", intent: str = ""
) -> None:
    """Ctrl+N puts the cursor in the move's text; Shift+Tab back to its kind, Tab on to
    'secret' and to the intent."""
    await keys(pilot, "ctrl+n")
    assert focused_id(pilot) == "text"
    if kind:
        await focus_on(pilot, "kind", "shift+tab")
        await pick(pilot, list(pilot.app.session.pack.manifest.all_move_kinds), kind)
        await focus_on(pilot, "text")
    await type_text(pilot, text)
    if secret:
        await keys(pilot, "tab", "space")
    if intent:
        await focus_on(pilot, "intent")
        await type_text(pilot, intent)
    await keys(pilot, "ctrl+s")
    assert pilot.app.screen.query_one("#tabs").active == "moves"


async def control(pilot) -> None:
    await keys(pilot, "f3")
    assert screen_name(pilot) == "PinDialog"
    await type_text(pilot, CONTROL_PIN)
    await keys(pilot, "enter")
    assert screen_name(pilot) == "ControlScreen"


async def rule(pilot, narrative: str, effects: str = "", outcome: str = "accepted") -> None:
    """Facilitator ruling: the outcome in its list, Tab to the narrative and effects."""
    await keys(pilot, "j")
    assert screen_name(pilot) == "AdjudicateDialog"
    if outcome != "accepted":
        assert focused_id(pilot) == "f-outcome"
        await pick(pilot, OUTCOMES, outcome)
    await keys(pilot, "tab")
    await type_text(pilot, narrative)
    if effects:
        await keys(pilot, "tab")
        await type_text(pilot, effects)
    await keys(pilot, "ctrl+s")
    shown = str(pilot.app.screen.query_one("#result").content)
    await keys(pilot, "escape")
    assert outcome.upper() in shown


async def highlight_row(pilot, table_id: str, key: str) -> None:
    """Move the focused table's cursor to the row ``key`` with the arrow keys."""
    assert focused_id(pilot) == table_id
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    target = table.get_row_index(key)
    steps = target - table.cursor_row
    await keys(pilot, *["down" if steps > 0 else "up"] * abs(steps))
    assert table.cursor_row == target


async def play(size: tuple[int, int], facts_file: Path) -> None:
    """Three turns by the keys; writes what must survive, then dies without cleanup."""
    full = size == FULL
    clock = Clock()
    app = ExerciseApp(MINI, clock=clock, poll_seconds=3600)
    async with app.run_test(size=size) as pilot:
        await start_by_keys(pilot, full)
        state = app.session.state
        assert state.setup.control_roles == (["usa"] if full else [])
        usa_pin = CONTROL_PIN if full else None  # a role control plays asks control's PIN
        # ---- turn 1: timer, two seats, a ruling and a matrix roll, an ad-hoc inject
        await next_phase(pilot)
        assert state.turn == 1 and state.injects["launch-1"].status == "released"
        if full:  # hold an inject of a later turn, with the reason
            await keys(pilot, "1")
            await highlight_row(pilot, "inject-table", "protest")
            await keys(pilot, "h")
            await type_text(pilot, "Not before the alliance meeting")
            await keys(pilot, "ctrl+s")
            assert state.injects["protest"].status == "held"
        await next_phase(pilot)  # deliberation
        clock.advance(60)
        await keys(pilot, "p")
        assert state.timer.paused
        if full:  # left paused: the resumed journal has it
            assert "PAUSED" in screen_text(app)
        else:
            await keys(pilot, "p")
        await next_phase(pilot)  # moves
        await seat(pilot, 1, usa_pin)  # the United States (second in the list)
        await record(
            pilot,
            "We call for calm and a trilateral meeting.",
            intent="Keep the allies together" if full else "",
        )
        await seat(pilot, 0, ROK_PIN)
        await record(
            pilot,
            "Quietly move two interceptor batteries north.",
            secret=True,
            kind="deployment" if full else "",
        )
        assert state.moves[-1].secret
        if full:
            assert state.moves[0].intent == "Keep the allies together"
            assert state.moves[-1].kind == "deployment"
        await control(pilot)
        await keys(pilot, "2", "ctrl+home")
        await rule(pilot, "The call lands", "tension -1")
        await keys(pilot, "down", "j", "ctrl+right")
        assert app.screen.query_one("#methods").active == "matrix"
        assert focused_id(pilot) == "m-pros"
        await type_text(pilot, "2")
        cons = 1 if full else 0
        if full:
            await focus_on(pilot, "m-cons")
            await type_text(pilot, "1")
        await keys(pilot, "ctrl+s")
        ruling = state.move("m2").ruling
        assert ruling is not None and ruling.method == "matrix" and ruling.narrative == ""
        shown = screen_text(app)
        assert f"{ruling.dice[0]} + {ruling.dice[1]} + 2 − {cons} = {ruling.total}" in shown
        assert focused_id(pilot) == "m-narrative"  # written with the dice in view
        await type_text(pilot, "The batteries move at night")
        await keys(pilot, "ctrl+s", "escape")
        assert state.move("m2").ruling.narrative == "The batteries move at night"
        tension = state.tracks["tension"].value
        await keys(pilot, "a")
        await type_text(pilot, "Snap press conference")
        await keys(pilot, "tab")
        await type_text(pilot, "Reporters ask about THAAD.")
        if full:
            await focus_on(pilot, "f-effects")
            await type_text(pilot, "tension +1")
        await keys(pilot, "ctrl+s")
        assert any(i.title == "Snap press conference" for i in state.released())
        assert state.tracks["tension"].value == tension + (1 if full else 0)
        if full:
            await keys(pilot, "o")
            await type_text(pilot, "Allies consulted before speaking")  # kind: strength
            await keys(pilot, "ctrl+s")
            assert [o.text for o in state.observations] == ["Allies consulted before speaking"]
        for _ in range(3):  # adjudication, consequences, turn 2
            await next_phase(pilot)
        assert state.turn == 2
        # ---- turn 2: a vote; a move left waiting is carried to turn 3
        await next_phase(pilot)
        await next_phase(pilot)
        await seat(pilot, 1, usa_pin)
        await record(pilot, "Propose a joint radar picture.", kind="proposal" if full else "")
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
        await rule(pilot, "Partly", outcome="modified" if full else "accepted")
        for _ in range(3):
            await next_phase(pilot)
        assert state.ended
        await keys(pilot, "f2")
        board = squash(str(app.screen.query_one("#feed").content))
        assert "Snap press conference" in board and "Propose a joint radar picture." in board
        assert "Quietly move two interceptor batteries" not in board
        assert "In short:" in board
        facts_file.write_text(json.dumps(facts(app.session)))
        os._exit(0)  # the abrupt end: no unmount, no close, no flush


def facts(session) -> dict[str, object]:
    """What the journal must give back after the kill."""
    state = session.state
    return {
        "seq": state.last_seq,
        "turn": state.turn,
        "phase": state.phase,
        "moves": [
            [
                m.id,
                m.role,
                m.kind,
                m.secret,
                m.ruling.outcome if m.ruling else None,
                list(m.ruling.dice) if m.ruling and m.ruling.dice else None,
            ]
            for m in state.moves
        ],
        "tracks": {t: v.value for t, v in state.tracks.items()},
        "observations": [o.text for o in state.observations],
    }


def _child(data_dir: str, facts_file: str, size: tuple[int, int]) -> None:
    os.environ["EXERCISE_DATA_DIR"] = data_dir
    asyncio.run(play(size, Path(facts_file)))


async def resume_and_find_everything(expected: dict[str, object]) -> None:
    app = ExerciseApp(resume="Keys only seminar", clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=FULL) as pilot:
        await pilot.pause()
        # control has a PIN: the resumed app asks for it before showing Control
        assert screen_name(pilot) == "PinDialog"
        await type_text(pilot, CONTROL_PIN)
        await keys(pilot, "enter")
        assert screen_name(pilot) == "ControlScreen"
        state = app.session.state
        assert facts(app.session) == expected
        assert state.injects["protest"].status == "held"
        assert any(i.adhoc for i in state.released())
        assert any(e.type == "timer_paused" for e in state.events)
        # and it is on screen: the held inject, the log of turn 1, the notes, the board
        await highlight_row(pilot, "inject-table", "protest")
        shown = squash(screen_text(app))
        assert "protest" in shown and "status held" in shown
        assert "Not before the alliance meeting" in shown
        await run_from_palette(pilot, f"Turn 1: {app.session.pack.manifest.turn_label(1)}")
        log = squash(visible(app))
        assert "Quietly move two interceptor batteries north." in log
        assert "SECRET" in log and "matrix roll" in log
        await keys(pilot, "4")
        assert "Allies consulted before speaking" in squash(visible(app))
        await keys(pilot, "f2")
        board = squash(visible(app))
        assert "Snap press conference" in board
        assert "Propose a joint radar picture." in board
        assert "Quietly move two interceptor batteries" not in board


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), FULL], ids=lambda s: f"{s[0]}x{s[1]}")
def test_three_turns_with_the_keys_alone(tmp_path: Path, monkeypatch, size) -> None:
    data_dir = tmp_path / "data"
    facts_file = tmp_path / "facts.json"
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(str(data_dir), str(facts_file), size)
    )
    process.start()
    process.join(600)  # key by key, as a person types: slow on a busy machine
    if process.is_alive():
        process.kill()
        process.join()
    assert process.exitcode == 0 and facts_file.exists(), (
        "the play did not finish: its traceback is in the captured stderr"
    )
    if size == FULL:
        monkeypatch.setenv("EXERCISE_DATA_DIR", str(data_dir))
        asyncio.run(resume_and_find_everything(json.loads(facts_file.read_text())))
