"""Play an exercise through the app alone, kill it, resume it, and find everything there."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from test_app_support import (
    MINI,
    ROOT,
    Clock,
    bundled_ready,
    fill,
    press,
    screen_text,
    squash,
    visible,
)
from textual.widgets import OptionList

from exercise.ui.app import ExerciseApp

PACK = ROOT if bundled_ready() else MINI
CONTROL_PIN = "2468"


async def start_session(
    pilot, app, name: str, players: dict[str, str], pins: dict[str, str]
) -> None:
    await pilot.pause()
    values: dict[str, object] = {"name": name, "seed": "7", "pin-control": CONTROL_PIN}
    for role in app.screen.pack.roles:
        if role.id in players:
            values[f"as-{role.id}"] = "player"
            values[f"player-{role.id}"] = players[role.id]
        else:
            values[f"as-{role.id}"] = "control"
    for role, pin in pins.items():
        values[f"pin-{role}"] = pin
    fill(app, values)
    await press(pilot, "ctrl+s")


async def next_phase(pilot) -> None:
    await press(pilot, "n", "y")


async def take_seat(pilot, app, role: str, pin: str | None = None) -> None:
    await press(pilot, "f4")
    options = app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(role)
    await press(pilot, "enter")
    text = squash(screen_text(app))
    name = app.session.pack.roles_by_id[role].name
    assert f"Pass the keyboard to {name} — press Enter" in text
    assert "CONTROL" not in text
    if pin:
        fill(app, {"pin": pin})
    await press(pilot, "enter")
    assert type(app.screen).__name__ == "SeatScreen"


async def record_move(
    pilot, app, text: str, *, secret: bool = False, kind: str = "statement", intent: str = ""
) -> None:
    fill(app, {"tabs": "compose", "kind": kind, "text": text, "secret": secret, "intent": intent})
    await press(pilot, "ctrl+s")


async def back_to_control(pilot, app) -> None:
    await press(pilot, "f3")
    assert type(app.screen).__name__ == "PinDialog"
    fill(app, {"pin": CONTROL_PIN})
    await press(pilot, "enter")
    assert type(app.screen).__name__ == "ControlScreen"


async def rule_highlighted(pilot, app, method: str, values: dict[str, object]) -> str:
    await press(pilot, "j")
    assert type(app.screen).__name__ == "AdjudicateDialog"
    fill(app, {"methods": method, **values})
    await pilot.pause()
    await press(pilot, "ctrl+s")
    shown = screen_text(app)
    await press(pilot, "escape")
    return shown


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
        app.screen.select_inject(later.inject_id)
        await press(pilot, "h")
        fill(app, {"f-reason": "Not before the alliance meeting"})
        await press(pilot, "ctrl+s")
        assert session.state.injects[later.inject_id].status == "held"
        await next_phase(pilot)  # deliberation
        clock.advance(90)
        await press(pilot, "p")
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
        await press(pilot, "2")
        shown = await rule_highlighted(
            pilot,
            app,
            "facilitator",
            {"f-outcome": "accepted", "f-narrative": "The call lands", "f-effects": "tension -1"},
        )
        assert "ACCEPTED" in shown
        await press(pilot, "down")
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
        await press(pilot, "a")
        fill(
            app,
            {
                "f-title": "Snap press conference",
                "f-body": "Reporters ask about THAAD.",
                "f-effects": "tension +1",
            },
        )
        await press(pilot, "ctrl+s")
        await press(pilot, "o")
        fill(app, {"f-text": "Allies consulted before speaking", "f-kind": "strength"})
        await press(pilot, "ctrl+s")
        for _ in range(3):  # adjudication, consequences, turn 2
            await next_phase(pilot)
        assert session.state.turn == 2
        # turn 2: a vote
        for _ in range(2):
            await next_phase(pilot)
        await take_seat(pilot, app, a)
        await record_move(pilot, app, "Propose a joint radar picture.", kind="proposal")
        await back_to_control(pilot, app)
        await press(pilot, "2")
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
        await press(pilot, "2")
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
    process.join(120)
    assert process.exitcode == 0 and facts_file.exists(), "the play run did not finish"
    facts = json.loads(facts_file.read_text())
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(data_dir))

    async def resume() -> None:
        app = ExerciseApp(resume="Play test", clock=Clock(), poll_seconds=3600)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # control has a PIN: the resumed app asks for it before showing Control
            assert type(app.screen).__name__ == "PinDialog"
            fill(app, {"pin": CONTROL_PIN})
            await press(pilot, "enter")
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
            app.screen.select_inject(facts["held"])
            await pilot.pause()
            shown = squash(screen_text(app))
            assert facts["held"] in shown and "status held" in shown
            assert "Not before the alliance meeting" in shown
            app.screen.show_turn(1)
            await pilot.pause()
            log = squash(visible(app))
            assert "Quietly move two interceptor batteries north." in log
            assert "SECRET" in log and "matrix roll" in log
            await press(pilot, "4")
            assert "Allies consulted before speaking" in squash(visible(app))
            await press(pilot, "f2")
            board = squash(visible(app))
            assert "Snap press conference" in board
            assert "Propose a joint radar picture." in board
            assert "Quietly move two interceptor batteries" not in board

    asyncio.run(resume())
