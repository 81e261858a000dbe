"""Privacy at one shared terminal: a seat shows nothing private of any other role, and
the Board shows nothing private at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import MINI, ROOT, Clock, bundled_ready, prepared_session, press, visible
from textual.widgets import TabbedContent

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


def squash(text: str) -> str:
    return " ".join(text.split())


async def seen_in_every_tab(app, pilot) -> str:
    """What is on screen, plus the text every widget holds: the tabs not shown, and what
    is scrolled out of view, count too."""
    tabs = app.screen.query_one(TabbedContent)
    seen = []
    for pane in ("inbox", "feed", "moves", "compose", "brief"):  # tabs are drawn when shown
        tabs.active = pane
        await pilot.pause()
        seen.append(squash(visible(app)))
    return " ".join(seen)


@pytest.fixture
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = tmp_path / "privacy.session"
    session, _ = prepared_session(path, PACK)
    session.close()
    return path


async def test_seats_and_board_show_nothing_private_of_others(session_file: Path) -> None:
    app = ExerciseApp(resume=str(session_file), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pack = app.session.pack
        roles = [r.id for r in pack.roles]
        private = {r: private_texts(pack, r) for r in roles}
        public = squash(" ".join(i.text + " " + i.title for i in app.session.state.public_feed()))
        for role in roles:
            app.hand_over(role)
            await pilot.pause()
            handover = squash(visible(app))
            assert "Pass the keyboard to" in handover
            assert all(t not in handover for texts in private.values() for t in texts)
            await press(pilot, "enter")
            assert type(app.screen).__name__ == "SeatScreen"
            seat = await seen_in_every_tab(app, pilot)
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
        await press(pilot, "f2")
        assert type(app.screen).__name__ == "BoardScreen"
        board = squash(visible(app))
        assert "Wire report" in board
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
        await pilot.pause()
        assert type(app.screen).__name__ == "PinDialog"
        app.screen.query_one("#pin").value = "4321"
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "ControlScreen"
        app.hand_over(role)
        await pilot.pause()
        app.screen.query_one("#pin").value = "0000"
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "HandOverScreen"  # wrong role PIN: stays blank
        app.screen.query_one("#pin").value = "1111"
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "SeatScreen"
        await press(pilot, "f3")
        assert type(app.screen).__name__ == "PinDialog"
        app.screen.query_one("#pin").value = "9999"
        await press(pilot, "enter")
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "SeatScreen"  # wrong control PIN: back to the seat
        assert "PRIVATE-INJECT-FOR" not in visible(app).replace(f"PRIVATE-INJECT-FOR-{role}", "")
