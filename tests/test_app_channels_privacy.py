"""Privacy of channels: no seat ever shows a message of a channel it is not on — not in
its Messages tab (any channel it can pick), its tab labels, its notifications or the
command palette — and an observer reads every channel but never control's notes,
another observer's notes or the upcoming MSEL."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from keys import choose_option, focus_on
from test_app_support import ROOT, Clock, bundled_ready, prepared_session, press, squash, visible
from textual.widgets import OptionList, TabbedContent, Tabs

from exercise.engine.commands import AddObserver, Observe, ObserverNote, PostMessage
from exercise.ui.app import ExerciseApp

pytestmark = pytest.mark.skipif(not bundled_ready(), reason="needs the bundled pack")


def marker(channel: str) -> str:
    return f"CHANNEL-MESSAGE-ON-{channel}"


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The privacy session, plus a message on every declared and every direct channel,
    a control post, control's note, and notes by two observers."""
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = tmp_path / "channels-privacy.session"
    session, clock = prepared_session(path, ROOT)
    pack = session.pack
    now = clock()
    for channel in pack.manifest.channels:
        session.execute(
            PostMessage(channel.id, marker(channel.id), sender=channel.members[0]), now=now
        )
    for a, b in itertools.combinations(sorted(r.id for r in pack.roles), 2):
        session.execute(PostMessage(f"{a}+{b}", marker(f"{a}+{b}"), sender=b), now=now)
    session.execute(
        PostMessage(
            "hotline", "VOICE-POST-ON-hotline", sender="control", voice="Xinhua correspondent"
        ),
        now=now,
    )
    session.execute(Observe("CONTROL-NOTE: never for observers"), now=now)
    first = session.execute(AddObserver("First observer"), now=now).created_id
    second = session.execute(AddObserver("Second observer"), now=now).created_id
    session.execute(ObserverNote(first, "FIRST-OBSERVER-NOTE"), now=now)
    session.execute(ObserverNote(second, "SECOND-OBSERVER-NOTE"), now=now)
    session.close()
    return path


async def every_channel(app: ExerciseApp, pilot) -> str:
    """Open the Messages tab, Shift+Tab to the channel list and pick every channel in it,
    one after the other; return everything shown on the way (and what every widget
    holds)."""
    await press(pilot, "ctrl+g")
    seen = [squash(visible(app))]
    await focus_on(pilot, "channel-list", "shift+tab")
    options = app.screen.query_one("#channel-list", OptionList)
    await press(pilot, "home")
    for _ in range(options.option_count):
        seen.append(squash(visible(app)))
        await press(pilot, "down")
    return " ".join(seen)


async def palette(app: ExerciseApp, pilot, query: str) -> str:
    await press(pilot, "ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.3)
    shown = squash(visible(app))
    await press(pilot, "escape")
    return shown


@pytest.mark.slow
async def test_no_seat_shows_a_message_of_a_channel_it_is_not_on(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        state, pack = app.session.state, app.session.pack
        everything = {m.channel: m.text for m in state.messages}
        for role in (r.id for r in pack.roles):
            await press(pilot, "f4")  # the screen blanks, the chooser opens
            await choose_option(pilot, role)
            assert type(app.screen).__name__ == "HandOverScreen"
            assert "CHANNEL-MESSAGE" not in squash(visible(app))
            await press(pilot, "enter")
            assert type(app.screen).__name__ == "SeatScreen"
            seen = await every_channel(app, pilot)
            seen += await palette(app, pilot, "CHANNEL")
            for channel_id, text in everything.items():
                member = role in state.channels[channel_id].members
                if member:
                    assert text in seen, f"{role} cannot read its channel {channel_id}"
                else:
                    assert text not in seen, f"{role}'s seat shows {channel_id}: {text!r}"
            assert "CONTROL-NOTE" not in seen and "OBSERVER-NOTE" not in seen
        await press(pilot, "f2")
        board = squash(visible(app)) + await palette(app, pilot, "CHANNEL")
        assert "CHANNEL-MESSAGE" not in board and "VOICE-POST" not in board


@pytest.mark.slow
async def test_an_observer_reads_every_channel_but_no_one_elses_notes(
    session_file: Path,
) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        state = app.session.state
        upcoming = [
            i.title
            for i in state.injects.values()
            if i.status == "pending" and i.first_turn > state.turn
        ]
        await press(pilot, "f4")
        await choose_option(pilot, "observer:o1")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "ObserverScreen"
        seen = await every_channel(app, pilot)
        tabs = app.screen.query_one("#tabs", TabbedContent)
        await focus_on(pilot, Tabs, "shift+tab")  # the tab bar: the arrows switch tabs
        for key, tab in (
            ("right", "notes"),
            ("left", "messages"),
            ("left", "moves"),
            ("left", "board"),
        ):
            await press(pilot, key)
            assert tabs.active == tab
            seen += squash(visible(app))
        seen += await palette(app, pilot, "NOTE")
        for msg in state.messages:
            assert msg.text in seen  # every channel, read only
        assert "SECRET-MOVE-BY-usa" in seen  # secret moves and their rulings too
        assert "FIRST-OBSERVER-NOTE" in seen
        assert "SECOND-OBSERVER-NOTE" not in seen and "CONTROL-NOTE" not in seen
        assert not [t for t in upcoming if squash(t) in seen]
        assert not app.screen.query("#message-input")  # observers do not write
