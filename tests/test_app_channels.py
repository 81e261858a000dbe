"""Channels and observers at the shared terminal, driven by the keys a person presses.

A bilateral exchange between two seats, control posting as an outside voice, a closed
channel refusing a message (the text stays in the composer), and an observer's rated
note reaching the after-action report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import focus_on
from test_app_support import ROOT, Clock, bundled_ready, press, squash, visible
from textual import events
from textual.widgets import OptionList

from exercise.engine.commands import AdvancePhase, StartExercise
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
    setup = SessionSetup(
        players={r.id: f"Player {r.id}" for r in pack.roles}, seed=3, name="Channels"
    )
    path = tmp_path / "channels.session"
    with Session.create(path, pack, setup, now=clock()) as session:
        session.execute(StartExercise(), now=clock())
        session.execute(AdvancePhase(), now=clock())
    return path


async def take_seat(app: ExerciseApp, pilot, who: str, pin: str = "") -> None:
    """F4, pick the seat of role ``who`` (or the option starting with it) with the
    arrow keys, Enter, then Enter (and the PIN) at the hand-over screen."""
    role = app.session.pack.roles_by_id.get(who)
    label = role.name if role is not None else who
    await press(pilot, "f4")
    options = app.screen.query_one(OptionList)
    target = next(
        i
        for i in range(options.option_count)
        if str(options.get_option_at_index(i).prompt).startswith(label)
    )
    await press(pilot, *(["down"] * target), "enter")
    assert type(app.screen).__name__ == "HandOverScreen"
    if pin:
        await pilot.press(*pin)
    await press(pilot, "enter")


async def choose_channel(app: ExerciseApp, pilot, name: str) -> None:
    """Shift+Tab to the channel list and move to the channel called ``name``."""
    await focus_on(pilot, "channel-list", "shift+tab")
    options = app.screen.query_one("#channel-list", OptionList)
    target = next(
        i
        for i in range(options.option_count)
        if str(options.get_option_at_index(i).prompt).startswith(name)
    )
    await press(pilot, "home", *(["down"] * target))


async def tab_to(app: ExerciseApp, pilot, widget_id: str) -> None:
    """Press Tab until the widget ``widget_id`` has the focus."""
    for _ in range(12):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await press(pilot, "tab")
    raise AssertionError(f"Tab never reached #{widget_id} (at {app.focused!r})")


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


@pytest.mark.slow
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
            ("usa", "us-rok"),
            ("rok", "us-rok"),
        ]


async def test_control_posts_as_an_outside_voice(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ControlScreen"
        await press(pilot, "6")
        await choose_channel(app, pilot, "Trilateral")
        await press(pilot, "tab")
        assert app.focused is not None and app.focused.id == "voice"
        await paste(app, pilot, "Blue House spokesman")
        await write(app, pilot, "The President will speak to both leaders tonight.")
        msg = app.session.state.messages[-1]
        assert (msg.sender, msg.voice, msg.channel) == (
            "control",
            "Blue House spokesman",
            "trilateral",
        )
        await take_seat(app, pilot, "japan")
        await press(pilot, "ctrl+g")
        await choose_channel(app, pilot, "Trilateral")
        seat = squash(visible(app))
        assert "Blue House spokesman (control)" in seat
        assert "speak to both leaders tonight" in seat


async def test_a_closed_channel_refuses_messages(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "6")
        await choose_channel(app, pilot, "U.S.–China")
        await press(pilot, "c")
        assert type(app.screen).__name__ == "FormDialog"
        await tab_to(app, pilot, "f-reason")
        await paste(app, pilot, "The hotline is cut")
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "ControlScreen"
        assert not app.session.state.channels["hotline"].is_open(1)
        await take_seat(app, pilot, "china")
        await press(pilot, "ctrl+g")
        await choose_channel(app, pilot, "U.S.–China")
        assert "CLOSED: The hotline is cut" in squash(visible(app))
        await write(app, pilot, "Beijing calls Washington.")
        assert app.session.state.messages == []
        assert app.focused.value == "Beijing calls Washington."  # nothing typed is lost
        await press(pilot, "f3")
        await press(pilot, "6")
        await choose_channel(app, pilot, "U.S.–China")
        await press(pilot, "c")  # open it again from this turn
        await press(pilot, "ctrl+s")
        assert app.session.state.channels["hotline"].is_open(1)


async def test_an_observers_notes_reach_the_report(session_file: Path) -> None:
    from exercise.render.report import build_report_context

    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "v")
        await tab_to(app, pilot, "f-name")
        await paste(app, pilot, "Dana Evaluator")
        await tab_to(app, pilot, "f-pin")
        await pilot.press(*"2468")
        await press(pilot, "ctrl+s")
        assert app.session.state.observers == {"o1": "Dana Evaluator"}
        await take_seat(app, pilot, "Observer: Dana", pin="2468")
        assert type(app.screen).__name__ == "ObserverScreen"
        await press(pilot, "ctrl+o")
        assert type(app.screen).__name__ == "FormDialog"
        # critical task: open the list, take the fourth task; then the rating S
        await tab_to(app, pilot, "f-task")
        await press(pilot, "enter", "down", "down", "down", "down", "enter")
        await tab_to(app, pilot, "f-rating")
        await press(pilot, "enter", "down", "down", "enter")
        await tab_to(app, pilot, "f-text")
        await paste(app, pilot, "Washington and Beijing used the hotline before acting.")
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "ObserverScreen"
        await press(pilot, "ctrl+g")
        await press(pilot, "ctrl+g")
        notes = app.session.state.observations
        assert [(o.observer, o.task, o.rating) for o in notes] == [
            ("o1", app.session.pack.manifest.critical_tasks[3].id, "S")
        ]
        report = build_report_context(
            app.session.state,
            app.session.pack,
            session_name="Channels",
            generated=Clock()(),
            charts=False,
        )
    objective = next(o for o in report["objectives"] if o["id"] == notes[0].objective)
    rated = [r for t in objective["critical_tasks"] for r in t["ratings"]]
    assert rated[0]["observer"] == "Dana Evaluator" and rated[0]["rating"] == "S"
    assert "used the hotline" in rated[0]["text"]
    assert report["observers"] == [{"name": "Dana Evaluator", "notes": 1, "ratings": 1}]
