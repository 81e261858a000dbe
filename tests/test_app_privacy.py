"""Privacy at one shared terminal: a seat shows nothing private of any other role — not
in any of its tabs, its channels (any it can pick), its tab labels or the command palette —
and the Board shows nothing private at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from keys import keys, screen_name, type_text, until
from privacy_support import every_channel, palette_shows, private_session
from test_app_support import (
    MINI,
    ROOT,
    Clock,
    bundled_ready,
    prepared_session,
    squash,
    visible,
)

from exercise.ui.app import ExerciseApp

PACK = ROOT if bundled_ready() else MINI


def private_texts(pack, role_id: str) -> list[str]:
    """What only ``role_id`` (and control) may read."""
    role = pack.roles_by_id[role_id]
    texts = [
        *role.private,
        *role.views.values(),
        *role.objectives,
        *role.red_lines,
        f"PRIVATE-INJECT-FOR-{role_id}",
        f"SECRET-MOVE-BY-{role_id}",
    ]
    return [t for t in texts if len(t) >= 12]


async def seen_in_every_tab(pilot) -> str:
    """What is on screen in each tab, clicked open as a player would, plus the text every
    widget holds: what is scrolled out of view counts too."""
    seen = []
    for pane in ("inbox", "feed", "moves", "compose", "brief"):  # tabs are drawn when shown
        await pilot.click(f"#--content-tab-{pane}")
        await pilot.pause()
        seen.append(squash(visible(pilot.app)))
    return " ".join(seen)


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return private_session(tmp_path / "privacy.session", PACK)


@pytest.mark.slow
async def test_seats_and_board_show_nothing_private_of_others(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pack = app.session.pack
        roles = [r.id for r in pack.roles]
        private = {r: private_texts(pack, r) for r in roles}
        state = app.session.state
        public = squash(" ".join(i.text + " " + i.title for i in state.public_feed()))
        messages = {m.channel: m.text for m in state.messages}
        assert messages
        for position, role in enumerate(roles):
            await keys(pilot, "f4", *["down"] * position, "enter")  # the chooser, in pack order
            assert screen_name(pilot) == "HandOverScreen"
            handover = squash(visible(app))
            assert "Pass the keyboard to" in handover
            assert all(t not in handover for texts in private.values() for t in texts)
            assert "CHANNEL-MESSAGE" not in handover
            await keys(pilot, "enter")
            assert screen_name(pilot) == "SeatScreen"
            seat = await seen_in_every_tab(pilot)
            seat += await every_channel(pilot) + await palette_shows(pilot, "CHANNEL")
            own = squash(" ".join(private[role]))
            # the seat does show the role's own private inject and secret move
            assert f"PRIVATE-INJECT-FOR-{role}" in seat
            assert f"SECRET-MOVE-BY-{role}" in seat
            for other in roles:
                if other == role:
                    continue
                for text in private[other]:
                    if squash(text) in own or squash(text) in public:
                        continue  # also the role's own or public: not a leak
                    assert squash(text) not in seat, f"{role}'s seat shows {other}'s {text!r}"
            for channel_id, text in messages.items():
                if role in state.channels[channel_id].members:
                    assert text in seat, f"{role} cannot read its channel {channel_id}"
                else:
                    assert text not in seat, f"{role}'s seat shows {channel_id}: {text!r}"
            assert "CONTROL-NOTE" not in seat and "OBSERVER-NOTE" not in seat
        await keys(pilot, "f2")
        assert screen_name(pilot) == "BoardScreen"
        board = squash(visible(app))
        assert "Wire report" in board
        shown = board + await palette_shows(pilot, "CHANNEL")
        assert "CHANNEL-MESSAGE" not in shown and "VOICE-POST" not in shown
        for role in roles:
            for text in private[role]:
                if squash(text) in public:
                    continue
                assert squash(text) not in board, f"the Board shows {role}'s {text!r}"


async def test_control_pin_guards_control_from_a_seat(session_file: Path, tmp_path: Path):
    from exercise.engine import Session

    with Session.open(session_file) as s:
        role = s.pack.roles[0].id
    pinned = tmp_path / "pinned.session"
    session, _ = prepared_session(pinned, PACK, pins={"control": "4321", role: "1111"})
    session.close()
    app = ExerciseApp(resume=str(pinned), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await until(pilot, lambda: screen_name(pilot) == "PinDialog")
        await type_text(pilot, "4321")
        await keys(pilot, "enter")
        assert screen_name(pilot) == "ControlScreen"
        await keys(pilot, "f4")
        await keys(pilot, "enter")  # the first role in the chooser
        assert screen_name(pilot) == "HandOverScreen"
        await type_text(pilot, "0000")
        await keys(pilot, "enter")
        assert screen_name(pilot) == "HandOverScreen"  # wrong role PIN: stays blank
        await type_text(pilot, "1111")
        await keys(pilot, "enter")
        assert screen_name(pilot) == "SeatScreen"
        await keys(pilot, "f3")
        assert screen_name(pilot) == "PinDialog"
        await type_text(pilot, "9999")
        await keys(pilot, "enter")
        await keys(pilot, "escape")
        assert screen_name(pilot) == "SeatScreen"  # wrong control PIN: back to the seat
        assert "PRIVATE-INJECT-FOR" not in visible(app).replace(f"PRIVATE-INJECT-FOR-{role}", "")
