"""One view per screen: the sign-in of a served tab (a seat, Control or an observer), the
projector's Board, and that nothing leads from a signed-in view to another one."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engine_support import ENGINE_PACK, engine_pack, minutes
from test_app_support import Clock, press, squash, visible

from exercise.engine import Session, SessionSetup
from exercise.engine.commands import (
    AddAdhocInject,
    AddObserver,
    AdvancePhase,
    EndExercise,
    ObserverNote,
    RecordMove,
    StartExercise,
)
from exercise.ui.presence import Presence, open_tabs
from exercise.ui.view_app import ViewApp

PINS = {"usa": "1111", "rok": "2222", "control": "9999"}


@pytest.fixture
def session_path(tmp_path: Path) -> Path:
    path = tmp_path / "views.session"
    setup = SessionSetup(
        players={"usa": "Ann", "rok": "Min"}, control_roles=["dprk"], pins=dict(PINS), name="Views"
    )
    with Session.create(path, engine_pack(), setup, now=minutes(0)) as s:
        s.execute(StartExercise(), now=minutes(1))
        s.execute(AdvancePhase(), now=minutes(2))
        s.execute(AdvancePhase(), now=minutes(3))  # moves
    return path


def app_for(path: Path, **kwargs: object) -> ViewApp:
    return ViewApp(Session.open(path, engine_pack()), clock=Clock(minutes(4)), **kwargs)


async def type_pin(pilot, pin: str) -> None:
    await press(pilot, *pin, "enter")


@pytest.mark.slow
async def test_a_seat_signs_in_with_its_pin_and_can_reach_nothing_else(session_path: Path):
    app = app_for(session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "SignInScreen"
        shown = squash(visible(app))
        assert "Board" in shown and "Control" in shown and "Republic of Korea" in shown
        await press(pilot, "down", "down", "enter")  # Board, DPRK, ROK
        assert type(app.screen).__name__ == "PinDialog"
        await type_pin(pilot, "1111")  # the US PIN does not open ROK's seat
        assert type(app.screen).__name__ == "PinDialog"
        await type_pin(pilot, "2222")
        await pilot.pause()
        assert type(app.screen).__name__ == "SeatScreen" and app.screen.role == "rok"
        for key in ("f2", "f3", "f4", "escape", "ctrl+w"):
            await press(pilot, key)
            assert type(app.screen).__name__ == "SeatScreen", key
        # the ways the shared terminal moves between views lead nowhere here
        app.action_control()
        app.action_board()
        app.hand_over("usa")
        app.enter_seat("usa")
        await pilot.pause()
        assert type(app.screen).__name__ == "SeatScreen" and app.screen.role == "rok"
        await press(pilot, "ctrl+p")
        for word in ("Control", "Seat", "Board", "Hotwash"):
            await pilot.press(*word)
            await asyncio.sleep(0.3)
            await pilot.pause()
            hits = squash(visible(app))
            assert "Seat: " not in hits and "facilitator" not in hits, word
            await pilot.press(*["backspace"] * len(word))
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "SeatScreen"


def help_text(app: ViewApp) -> str:
    return squash(str(app.screen.query_one("#help Static").content))


async def test_help_in_a_tab_lists_only_the_keys_that_work_there(session_path: Path):
    from exercise.ui.app import ExerciseApp
    from exercise.ui.screens.board import BoardScreen
    from exercise.ui.screens.control import ControlScreen
    from exercise.ui.screens.observer import ObserverScreen
    from exercise.ui.screens.seat import SeatScreen

    elsewhere = [  # F2, F3, F4 and the keys of views a seat's tab never shows
        b.id
        for cls in (ExerciseApp, BoardScreen, ControlScreen, ObserverScreen)
        for b in cls.BINDINGS
        if b.id != "app.help"
    ]
    app = app_for(session_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "f1")  # on the sign-in list
        assert type(app.screen).__name__ == "HelpScreen"
        assert "pin.cancel" in help_text(app) and "seat.record" not in help_text(app)
        await press(pilot, "escape", "down", "down", "enter")  # Board, DPRK, ROK
        await type_pin(pilot, "2222")
        await pilot.pause()
        await press(pilot, "f1")
        shown = help_text(app)
        for binding in SeatScreen.BINDINGS:
            assert binding.id in shown and binding.description in shown
        assert "view.help" in shown and "view.quit" in shown
        for gone in elsewhere:
            assert gone not in shown, gone
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "SeatScreen"


async def test_a_role_control_plays_opens_with_the_control_pin(session_path: Path):
    app = app_for(session_path, ask="dprk")  # the role's own URL
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "PinDialog" and app.screen.who == "control"
        await press(pilot, "escape")  # back to the list: the URL only chose the PIN to ask
        assert type(app.screen).__name__ == "SignInScreen"
        await press(pilot, "down", "enter")  # Board, then the pack's first role: DPRK
        await type_pin(pilot, "9999")
        await pilot.pause()
        assert type(app.screen).__name__ == "SeatScreen" and app.screen.role == "dprk"


async def settle(pilot, app: ViewApp, until: str, rounds: int = 40) -> str:
    """Let the tab poll the journal until ``until`` is on screen; return what is shown."""
    for _ in range(rounds):
        shown = squash(visible(app))
        if until in shown:
            return shown
        await asyncio.sleep(0.05)
        await pilot.pause()
    return squash(visible(app))


async def test_an_observer_signs_in_reads_only_and_sees_others_notes_after_the_hotwash(
    session_path: Path,
):
    app = app_for(session_path, poll_seconds=0.05)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        # Control, in another tab, names two observers once this tab is already open
        with Session.open(session_path, engine_pack()) as other:
            other.execute(AddObserver("Dana Evaluator", "5555"), now=minutes(5))
            lee = other.execute(AddObserver("Lee Evaluator", "7777"), now=minutes(5)).created_id
            other.execute(ObserverNote(lee, "LEE-NOTE-DURING-PLAY"), now=minutes(6))
            other.execute(
                RecordMove("rok", "statement", "ROK-SECRET-STEP", secret=True), now=minutes(6)
            )
        assert "Observer: Lee Evaluator" in await settle(pilot, app, "Observer: Lee")
        await press(pilot, "end", "up", "enter")  # the list ends with Dana, then Lee
        assert type(app.screen).__name__ == "PinDialog" and app.screen.who == "observer:o1"
        await type_pin(pilot, "7777")  # Lee's PIN does not open Dana's view
        assert type(app.screen).__name__ == "PinDialog"
        await type_pin(pilot, "5555")
        await pilot.pause()
        assert type(app.screen).__name__ == "ObserverScreen" and app.screen.observer == "o1"
        for key in ("f2", "f3", "f4", "escape"):
            await press(pilot, key)
            assert type(app.screen).__name__ == "ObserverScreen", key
        app.action_control()
        app.action_board()
        app.enter_seat("rok")
        app.hand_over("usa")
        await pilot.pause()
        assert type(app.screen).__name__ == "ObserverScreen" and app.screen.observer == "o1"
        await press(pilot, "f1")  # the observer's keys, no way elsewhere
        assert "observer.observe" in help_text(app) and "seat.record" not in help_text(app)
        await press(pilot, "escape")
        await press(pilot, "right")  # from the tab bar: Moves and rulings, secret ones too
        assert "ROK-SECRET-STEP" in squash(visible(app))
        assert not app.screen.query("#message-input")  # read only: no composer
        await press(pilot, "right", "right")  # My notes
        assert app.screen.query_one("#tabs").active == "notes"
        assert "LEE-NOTE-DURING-PLAY" not in squash(visible(app))
        with Session.open(session_path, engine_pack()) as other:
            other.execute(EndExercise(), now=minutes(7))  # the hotwash begins
        shown = await settle(pilot, app, "LEE-NOTE-DURING-PLAY")
        assert "LEE-NOTE-DURING-PLAY" in shown and "Lee Evaluator" in shown
        assert type(app.screen).__name__ == "ObserverScreen"


def test_observers_named_from_two_processes_keep_their_pins(session_path: Path):
    first = Session.open(session_path, engine_pack())
    second = Session.open(session_path, engine_pack())  # opened before the first names one
    first.execute(AddObserver("Dana", "5555"), now=minutes(5))
    second.refresh_events()
    assert second.has_pin("observer:o1") and not second.check_pin("observer:o1", "0000")
    second.execute(AddObserver("Lee", "7777"), now=minutes(6))
    for session in (first, second):
        assert session.check_pin("observer:o1", "5555")
        assert not session.check_pin("observer:o1", "7777")
        assert session.check_pin("observer:o2", "7777")
        session.close()


async def test_control_signs_in_with_its_pin_and_lists_open_tabs(session_path: Path):
    Presence(session_path, "10.0.0.7").enter("seat", "rok", minutes(5))
    app = app_for(session_path, ask="control")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await type_pin(pilot, "9999")
        await pilot.pause()
        assert type(app.screen).__name__ == "ControlScreen"
        shown = squash(visible(app))
        assert "Connected:" in shown and "ROK since" in shown and "10.0.0.7" in shown
        for key in ("f2", "f4"):
            await press(pilot, key)
            assert type(app.screen).__name__ == "ControlScreen", key
    assert [(t.view, t.pid) for t in open_tabs(session_path)] == [("seat", os.getpid())]


def test_tabs_of_processes_gone_are_not_listed(session_path: Path):
    Presence(session_path).enter("board", None)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = Presence(session_path)
    dead.file = dead.folder / f"{gone.stdout.strip()}.json"
    dead.enter("seat", "usa")
    assert [t.view for t in open_tabs(session_path)] == ["board"]
    Presence(session_path).leave()
    assert open_tabs(session_path) == []


async def test_board_follows_other_writers_and_guards_its_exit(session_path: Path):
    app = app_for(session_path, view="board", poll_seconds=0.05)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen"
        with Session.open(session_path, engine_pack()) as other:  # Control, elsewhere
            other.execute(RecordMove("usa", "statement", "OPEN-MOVE-SEEN-ON-BOARD"), now=minutes(5))
            other.execute(
                RecordMove("rok", "statement", "SECRET-MOVE-NOT-SEEN", secret=True), now=minutes(6)
            )
        for _ in range(20):
            await asyncio.sleep(0.05)
            await pilot.pause()
            if "OPEN-MOVE-SEEN-ON-BOARD" in visible(app):
                break
        shown = visible(app)
        assert "OPEN-MOVE-SEEN-ON-BOARD" in shown and "SECRET-MOVE-NOT-SEEN" not in shown
        for key in ("f3", "f4", "enter"):
            await press(pilot, key)
            assert type(app.screen).__name__ == "BoardScreen", key
        await press(pilot, "ctrl+q")  # a passer-by cannot close the projector's Board
        assert type(app.screen).__name__ == "PinDialog" and app.screen.who == "control"
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "BoardScreen" and app.is_running
        await press(pilot, "ctrl+q")
        await type_pin(pilot, "9999")
        await pilot.pause()
        assert not app.is_running


async def test_a_seat_skips_redrawing_for_what_it_cannot_see(session_path: Path):
    app = app_for(session_path, ask="usa", poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_pin(pilot, "1111")
        await pilot.pause()
        seat = app.screen
        assert type(seat).__name__ == "SeatScreen"
        redraws: list[int] = []
        drawn = seat.redraw
        seat.redraw = lambda: (redraws.append(1), drawn())[1]  # type: ignore[method-assign]

        async def after(write) -> int:
            before = len(redraws)
            with Session.open(session_path, engine_pack()) as other:
                write(other)
            for _ in range(10):
                await asyncio.sleep(0.05)
                await pilot.pause()
            return len(redraws) - before

        assert (
            await after(
                lambda s: (
                    s.execute(
                        AddAdhocInject("statement", "For Seoul", "ROK-ONLY-TEXT", ["rok"]),
                        now=minutes(5),
                    ).created_id
                )
            )
            == 0
        )
        assert (
            await after(
                lambda s: (
                    s.execute(
                        RecordMove("rok", "statement", "Quiet.", secret=True), now=minutes(6)
                    ).created_id
                )
            )
            == 0
        )
        assert (
            await after(
                lambda s: (
                    s.execute(
                        AddAdhocInject("statement", "USA-INBOX-TITLE", "For Washington.", ["usa"]),
                        now=minutes(7),
                    ).created_id
                )
            )
            == 1
        )
        assert "USA-INBOX-TITLE" in visible(app) and "ROK-ONLY-TEXT" not in visible(app)


def test_board_command_without_a_session_says_what_to_do(tmp_path, monkeypatch, capsys):
    from exercise.cli import main

    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "empty"))
    assert main(["board"]) == 2
    assert "no session" in capsys.readouterr().err
    assert ENGINE_PACK.is_dir()
