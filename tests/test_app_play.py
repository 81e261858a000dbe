"""Play an exercise through the app alone, kill it, resume it, and find everything there."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from keys import focused_id, keys, type_text
from test_app_support import (
    MINI,
    ROOT,
    Clock,
    bundled_ready,
    screen_text,
    squash,
    visible,
)
from textual.widgets import DataTable, OptionList, Select

from exercise.ui.app import ExerciseApp
from exercise.ui.widgets.start_form import PLAY_OPTIONS

PACK = ROOT if bundled_ready() else MINI
CONTROL_PIN = "2468"
OUTCOMES = ["accepted", "modified", "rejected"]


async def focus_on(pilot, widget_id: str, key: str = "tab", limit: int = 40) -> None:
    """Press ``key`` (Tab, by default) until ``widget_id`` has the focus."""
    for _ in range(limit):
        if focused_id(pilot) == widget_id:
            return
        await keys(pilot, key)
    assert focused_id(pilot) == widget_id


async def pick(pilot, values: list[str], value: str) -> None:
    """In the focused Select: Enter opens it, the arrows move from the current value to
    ``value`` (``values`` is the list's order), Enter takes it."""
    select = pilot.app.focused
    assert isinstance(select, Select)
    if select.value == value:
        return
    steps = values.index(value) - values.index(str(select.value))
    await keys(pilot, "enter", *["down" if steps > 0 else "up"] * abs(steps), "enter")
    assert select.value == value


async def start_session(
    pilot, app, name: str, players: dict[str, str], pins: dict[str, str]
) -> None:
    """Fill the start form with the keys: the name, who plays each role, PINs, seed."""
    await pilot.pause()
    assert focused_id(pilot) == "name"
    await type_text(pilot, name)
    for role in app.screen.pack.roles:
        await focus_on(pilot, f"as-{role.id}")
        played = "player" if role.id in players else "control"
        await pick(pilot, [value for _, value in PLAY_OPTIONS], played)
        if role.id in players:
            await focus_on(pilot, f"player-{role.id}")
            await type_text(pilot, players[role.id])
        if role.id in pins:
            await focus_on(pilot, f"pin-{role.id}")
            await type_text(pilot, pins[role.id])
    await focus_on(pilot, "pin-control")
    await type_text(pilot, CONTROL_PIN)
    await focus_on(pilot, "seed")  # a field reached with Tab has its text selected
    await type_text(pilot, "7")
    await keys(pilot, "ctrl+s")


async def next_phase(pilot) -> None:
    await keys(pilot, "n", "y")


async def take_seat(pilot, app, role: str, pin: str | None = None) -> None:
    await keys(pilot, "f4")
    options = app.screen.query_one(OptionList)
    await keys(pilot, *["down"] * options.get_option_index(role), "enter")
    text = squash(screen_text(app))
    name = app.session.pack.roles_by_id[role].name
    assert f"Pass the keyboard to {name} — press Enter" in text
    assert "CONTROL" not in text
    if pin:
        await type_text(pilot, pin)
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "SeatScreen"


async def record_move(
    pilot, app, text: str, *, secret: bool = False, kind: str = "statement", intent: str = ""
) -> None:
    await keys(pilot, "ctrl+n")  # the cursor lands in the move's text
    assert focused_id(pilot) == "text"
    await focus_on(pilot, "kind", "shift+tab")
    await pick(pilot, list(app.session.pack.manifest.all_move_kinds), kind)
    await focus_on(pilot, "text")
    await type_text(pilot, text)
    if secret:
        await focus_on(pilot, "secret")
        await keys(pilot, "space")
    if intent:
        await focus_on(pilot, "intent")
        await type_text(pilot, intent)
    await keys(pilot, "ctrl+s")


async def back_to_control(pilot, app) -> None:
    await keys(pilot, "f3")
    assert type(app.screen).__name__ == "PinDialog"
    await type_text(pilot, CONTROL_PIN)
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "ControlScreen"


async def rule_highlighted(pilot, app, method: str, fields: dict[str, str]) -> str:
    """``j`` on the highlighted move, ``method``'s tab (Ctrl+→), its fields, Ctrl+S; for
    a matrix roll, the narrative after the dice (``m-narrative``)."""
    await keys(pilot, "j")
    assert type(app.screen).__name__ == "AdjudicateDialog"
    for _ in range(("facilitator", "matrix", "vote").index(method)):
        await keys(pilot, "ctrl+right")
    narrative = fields.pop("m-narrative", "")
    for widget_id, value in fields.items():
        await focus_on(pilot, widget_id)
        if widget_id.endswith("-outcome"):
            await pick(pilot, OUTCOMES, value)
        else:
            await type_text(pilot, value)
    await keys(pilot, "ctrl+s")
    if narrative:  # the dice are on screen; the narrative is written now
        assert focused_id(pilot) == "m-narrative"
        await type_text(pilot, narrative)
        await keys(pilot, "ctrl+s")
    shown = screen_text(app)
    await keys(pilot, "escape")
    return shown


async def highlight_row(pilot, app, table_id: str, key: str) -> None:
    """Move the focused table's cursor to the row ``key`` with the arrow keys."""
    assert focused_id(pilot) == table_id
    table = app.screen.query_one(f"#{table_id}", DataTable)
    target = table.get_row_index(key)
    steps = target - table.cursor_row
    await keys(pilot, *["down" if steps > 0 else "up"] * abs(steps))
    assert table.cursor_row == target


async def play(data_dir: Path, facts_file: Path) -> None:
    """Three turns through the UI; writes what should survive, then dies without cleanup."""
    clock = Clock()
    app = ExerciseApp(PACK, clock=clock, poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pack_roles = [r.id for r in app.screen.pack.roles]
        a, b = pack_roles[0], pack_roles[1]
        await start_session(pilot, app, "Play test", {a: "Alice", b: "Bo"}, {b: "1357"})
        assert type(app.screen).__name__ == "ControlScreen"
        session = app.session
        # turn 1: hold a later inject, pause the timer, two moves (one secret), two rulings
        await next_phase(pilot)
        assert session.state.turn == 1
        later = min(
            (
                i
                for i in session.state.injects.values()
                if i.status == "pending" and i.first_turn >= 2
            ),
            key=lambda i: (i.conditional, i.first_turn),
        )
        await keys(pilot, "1")
        await highlight_row(pilot, app, "inject-table", later.inject_id)
        await keys(pilot, "h")
        await type_text(pilot, "Not before the alliance meeting")
        await keys(pilot, "ctrl+s")
        assert session.state.injects[later.inject_id].status == "held"
        await next_phase(pilot)  # deliberation
        clock.advance(90)
        await keys(pilot, "p")
        assert session.state.timer.paused
        assert "PAUSED" in screen_text(app)
        clock.advance(30)
        await next_phase(pilot)  # moves
        await take_seat(pilot, app, a)
        await record_move(
            pilot,
            app,
            "We call for calm and a trilateral meeting.",
            intent="Keep the allies together",
        )
        await take_seat(pilot, app, b, pin="1357")
        await record_move(
            pilot,
            app,
            "Quietly move two interceptor batteries north.",
            secret=True,
            kind="deployment",
        )
        await back_to_control(pilot, app)
        await keys(pilot, "2")
        shown = await rule_highlighted(
            pilot,
            app,
            "facilitator",
            {"f-outcome": "accepted", "f-narrative": "The call lands", "f-effects": "tension -1"},
        )
        assert "ACCEPTED" in shown
        await keys(pilot, "down")
        shown = await rule_highlighted(
            pilot,
            app,
            "matrix",
            {"m-pros": "2", "m-cons": "1", "m-narrative": "The batteries move"},
        )
        ruling = session.state.move("m2").ruling
        assert ruling is not None and ruling.method == "matrix"
        assert f"{ruling.dice[0]} + {ruling.dice[1]} + 2 − 1 = {ruling.total}" in shown
        # an ad-hoc inject and an observation
        await keys(pilot, "a")
        await type_text(pilot, "Snap press conference")
        await focus_on(pilot, "f-body")
        await type_text(pilot, "Reporters ask about THAAD.")
        await focus_on(pilot, "f-effects")
        await type_text(pilot, "tension +1")
        await keys(pilot, "ctrl+s")
        await keys(pilot, "o")
        await type_text(pilot, "Allies consulted before speaking")  # kind: strength
        await keys(pilot, "ctrl+s")
        for _ in range(3):  # adjudication, consequences, turn 2
            await next_phase(pilot)
        assert session.state.turn == 2
        # turn 2: a vote
        for _ in range(2):
            await next_phase(pilot)
        await take_seat(pilot, app, a)
        await record_move(pilot, app, "Propose a joint radar picture.", kind="proposal")
        await back_to_control(pilot, app)
        await keys(pilot, "2")
        await rule_highlighted(pilot, app, "vote", {"v-for": "3", "v-against": "1"})
        for _ in range(3):
            await next_phase(pilot)
        # turn 3
        assert session.state.turn == 3
        for _ in range(2):
            await next_phase(pilot)
        await take_seat(pilot, app, b, pin="1357")
        await record_move(pilot, app, "Announce a review of basing.", kind="statement")
        await back_to_control(pilot, app)
        await keys(pilot, "2")
        await rule_highlighted(
            pilot, app, "facilitator", {"f-outcome": "modified", "f-narrative": "Partly"}
        )
        state = session.state
        facts = {
            "session": str(session.path),
            "seq": state.last_seq,
            "turn": state.turn,
            "phase": state.phase,
            "held": later.inject_id,
            "a": a,
            "b": b,
            "moves": [
                [
                    m.id,
                    m.role,
                    m.secret,
                    m.ruling.outcome if m.ruling else None,
                    m.ruling.dice if m.ruling else None,
                ]
                for m in state.moves
            ],
            "tracks": {t: v.value for t, v in state.tracks.items()},
            "observations": [o.text for o in state.observations],
        }
        facts_file.write_text(json.dumps(facts))
        os._exit(0)  # the abrupt end: no unmount, no close, no flush


def _child(data_dir: str, facts_file: str) -> None:
    os.environ["EXERCISE_DATA_DIR"] = data_dir
    asyncio.run(play(Path(data_dir), Path(facts_file)))


@pytest.mark.slow
def test_play_three_turns_kill_and_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data_dir = tmp_path / "data"
    facts_file = tmp_path / "facts.json"
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(str(data_dir), str(facts_file))
    )
    process.start()
    process.join(300)  # key by key, as a person types: slow on a busy machine
    assert process.exitcode == 0 and facts_file.exists(), "the play run did not finish"
    facts = json.loads(facts_file.read_text())
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(data_dir))

    async def resume() -> None:
        app = ExerciseApp(resume="Play test", clock=Clock(), poll_seconds=3600)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # control has a PIN: the resumed app asks for it before showing Control
            assert type(app.screen).__name__ == "PinDialog"
            await type_text(pilot, CONTROL_PIN)
            await keys(pilot, "enter")
            state = app.session.state
            assert state.last_seq == facts["seq"]
            assert (state.turn, state.phase) == (facts["turn"], facts["phase"])
            assert [
                [
                    m.id,
                    m.role,
                    m.secret,
                    m.ruling.outcome if m.ruling else None,
                    list(m.ruling.dice) if m.ruling and m.ruling.dice else None,
                ]
                for m in state.moves
            ] == facts["moves"]
            assert {t: v.value for t, v in state.tracks.items()} == facts["tracks"]
            assert state.injects[facts["held"]].status == "held"
            assert any(i.adhoc for i in state.released())
            assert any(e.type == "timer_paused" for e in state.events)
            # and it is on screen: the held inject, the log of turn 1, the notes, the board
            await highlight_row(pilot, app, "inject-table", facts["held"])
            shown = squash(screen_text(app))
            assert facts["held"] in shown and "status held" in shown
            assert "Not before the alliance meeting" in shown
            await keys(pilot, "ctrl+p")  # the palette: the log of turn 1
            await type_text(pilot, f"Turn 1: {app.session.pack.manifest.turn_label(1)}")
            await keys(pilot, "enter")
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

    asyncio.run(resume())
