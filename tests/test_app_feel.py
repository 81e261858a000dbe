"""What the facilitator notices: help lists every key, refusals are notifications, the
palette jumps to injects and turns, the start screen shows pack problems with their
positions, a changed pack is explained, and the hotwash writes its output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from keys import (
    focus_on,
    focused_id,
    pick,
    run_from_palette,
    type_text,
    until,
)
from test_app_support import (
    MINI,
    START,
    Clock,
    Messages,
    prepared_session,
    press,
    screen_text,
    squash,
)
from textual.binding import Binding

from exercise.engine.commands import AddAdhocInject
from exercise.ui.app import ExerciseApp


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return tmp_path


def _session(data_dir: Path, pack: Path = MINI) -> Path:
    path = data_dir / "feel.session"
    session, _ = prepared_session(path, pack)
    session.close()
    return path


async def test_help_lists_every_binding_with_its_id(data_dir: Path) -> None:
    from exercise.ui.screens.help import _sections

    app = ExerciseApp(resume=str(_session(data_dir)), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "f1")
        assert type(app.screen).__name__ == "HelpScreen"
        text = str(app.screen.query_one("Static").content)
        bindings = [b for _, group in _sections(ExerciseApp.BINDINGS) for b in group]
        assert len(bindings) > 30
        for binding in bindings:
            assert isinstance(binding, Binding) and binding.id, binding
            assert binding.id in text and binding.description in text
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "ControlScreen"


@pytest.mark.slow
async def test_refusals_are_notifications_and_dialogs_keep_what_was_typed(data_dir) -> None:
    from exercise.engine import Session, SessionSetup
    from exercise.engine.commands import PauseTimer
    from exercise.pack.loader import require_pack
    from exercise.ui.messages import Refused

    path = data_dir / "refusals.session"  # a new session, not started yet
    setup = SessionSetup(players={"usa": "Al", "rok": "Bo"}, name="Refusals")
    Session.create(path, require_pack(MINI), setup, now=START).close()
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        assert await until(pilot, lambda: type(app.screen).__name__ == "ControlScreen")
        await press(pilot, "p")  # the timer before the exercise started
        refused = messages.of(Refused)
        assert [r.command for r in refused] == [PauseTimer()]
        assert "has not started" in refused[0].reason
        assert any("has not started" in m for m in messages.errors())
        await press(pilot, "n", "y")  # turn 1, injects phase
        await press(pilot, "a")
        assert focused_id(pilot) == "f-title"
        await type_text(pilot, "Flash")
        await focus_on(pilot, "f-body")
        await type_text(pilot, "Something happens.")
        await focus_on(pilot, "f-effects")
        await type_text(pilot, "nosuchtrack +1")
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "FormDialog"  # still open, nothing lost
        assert any("no track 'nosuchtrack'" in m for m in messages.errors())
        assert focused_id(pilot) == "f-effects"
        await press(pilot, "shift+home")  # select what was typed, type over it
        await type_text(pilot, "tension +1")
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "ControlScreen"
        assert app.session.state.tracks["tension"].value == 5  # 3 + launch 1 + ad hoc 1
        await press(pilot, "j")  # no move to rule yet
        assert any("Choose a move" in m for m in messages.notified("warning"))
        assert app.is_running


async def test_palette_jumps_to_injects_turns_and_actions(data_dir: Path) -> None:
    from exercise.ui.commands import ViewCommands
    from exercise.ui.control_commands import ControlCommands
    from exercise.ui.screens.seat import SeatScreen

    app = ExerciseApp(resume=str(_session(data_dir)), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        entries = [t for t, _, _ in ControlCommands(app.screen).entries()]
        assert "Inject launch-1: KN-23 launch" in entries
        assert "Turn 1: March 2026" in entries
        assert "Rule on the selected move" in entries
        await run_from_palette(pilot, "Turn 1: March 2026")
        assert "Turn 1 · March 2026" in screen_text(app)
        await run_from_palette(pilot, "Inject launch-1: KN-23 launch")
        assert "North Korea fires two" in screen_text(app)
        views = [t for t, _, _ in ViewCommands(app.screen).entries()]
        assert "Seat: United States" in views
        await run_from_palette(pilot, "Seat: United States")
        assert "Pass the keyboard to United States" in screen_text(app)
        # from a seat the palette offers views only: no inject or move titles
        assert not SeatScreen.COMMANDS
        assert all("Inject" not in t for t in views)


async def test_start_screen_shows_pack_problems_with_positions(data_dir, tmp_path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    manifest = broken / "scenario.yaml"
    manifest.write_text(manifest.read_text().replace("turns: 3", "turns: three"))
    lines = manifest.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("turns: three"))
    column = lines[line - 1].index("three") + 1
    app = ExerciseApp(broken, clock=Clock(), poll_seconds=3600)
    messages = Messages()
    async with app.run_test(size=(120, 30), message_hook=messages) as pilot:
        await pilot.pause()
        shown = squash(screen_text(app))
        assert f"scenario.yaml:{line}:{column}: " in shown, shown
        await press(pilot, "ctrl+s")
        assert any("without errors" in m for m in messages.errors())
        assert type(app.screen).__name__ == "StartScreen"


async def test_resume_with_a_changed_pack_says_so_and_can_go_on(data_dir, tmp_path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    path = _session(data_dir, pack)
    manifest = pack / "scenario.yaml"
    manifest.write_text(manifest.read_text().replace("A two-role pack", "A changed pack"))
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown = squash(screen_text(app))
        assert "has changed" in shown and "Open with the changed pack" in shown
        await pilot.click("#accept-changed")
        await pilot.pause()
        assert type(app.screen).__name__ == "ControlScreen"


async def test_hotwash_entries_then_report_or_journal(data_dir: Path) -> None:
    path = _session(data_dir)
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "w")
        assert type(app.screen).__name__ == "HotwashScreen"
        await focus_on(pilot, "role")
        await pick(pilot, [r.id for r in app.session.pack.roles], "rok")
        for field, text in (
            ("worked", "Fast consultation"),
            ("did_not", "Slow radar data"),
            ("change", "Share tracks earlier"),
        ):
            await focus_on(pilot, field)
            await type_text(pilot, text)
        await press(pilot, "ctrl+s")
        assert [(h.role, h.worked) for h in app.session.state.hotwash] == [
            ("rok", "Fast consultation")
        ]
        assert "Share tracks earlier" in screen_text(app)
        await press(pilot, "ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
    written = sorted(p.name for p in data_dir.iterdir() if p.name.startswith("feel-report"))
    assert written == ["feel-report.html", "feel-report.json", "feel-report.md"]
    assert "Share tracks earlier" in (data_dir / "feel-report.md").read_text()


async def test_events_from_another_process_show_up(data_dir: Path) -> None:
    from exercise.engine import Session

    path = _session(data_dir)
    clock = Clock()
    app = ExerciseApp(resume=str(path), clock=clock, poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "f2")
        assert "Late-breaking wire story" not in screen_text(app)
        with Session.open(path) as other:  # e.g. a second terminal on the same session
            other.execute(
                AddAdhocInject("press_report", "Late-breaking wire story", "Details follow."),
                now=clock(),
            )
        # the app's own poll picks it up
        assert await until(pilot, lambda: "Late-breaking wire story" in screen_text(app))


async def test_hotwash_rates_objectives_and_replaces_the_summary(data_dir: Path) -> None:
    from textual import events

    path = _session(data_dir)
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await press(pilot, "w")
        await pilot.click("#rating")  # open the list, move from S to M, choose it
        await press(pilot, "down", "enter")
        await pilot.click("#analysis")
        await press(pilot, *"No shared channel")
        await press(pilot, "ctrl+g")
        rated = app.session.state.ratings["obj-coord"]
        assert (rated.rating, rated.analysis) == ("M", "No shared channel")
        assert "M — Performed with Major Challenges" in screen_text(app)
        await pilot.click("#summary")  # the terminal delivers a paste to the app
        app.post_message(events.Paste("We met. [b]We argued[/b]; we agreed."))
        await pilot.pause()
        await press(pilot, "ctrl+t")
        assert app.session.state.summary_text == "We met. [b]We argued[/b]; we agreed."
        assert "Executive summary: control's own" in str(app.screen.query_one("#review").content)


async def test_the_footer_greys_what_does_not_apply_as_a_fresh_footer_would(data_dir) -> None:
    """The footer changes only the keys that changed (Release and Hold are greyed on an
    inject already released); what it shows is what a footer built anew shows."""
    from textual.widgets._footer import FooterKey

    from exercise.ui.widgets.footer import KeyFooter

    app = ExerciseApp(resume=str(_session(data_dir)), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(20):
            await pilot.pause()
        screen = app.screen
        state = app.session.state
        footer = screen.query_one(KeyFooter)

        def shown() -> list[tuple[str, str, bool, bool]]:
            return [
                (k.key, k.description, k.has_class("-disabled"), k.has_class("-compact"))
                for k in footer.query(FooterKey)
            ]

        seen = set()
        for key in ("ctrl+home", "ctrl+end", "ctrl+home"):
            await press(pilot, key)
            done = state.injects[screen.selected_inject()].status.done
            seen.add(done)
            hints = shown()
            for name in ("Release", "Hold"):
                assert next(h[2] for h in hints if h[1] == name) == done, (name, hints)
            footer.call_later(footer.recompose)  # built anew, as Textual's Footer does
            await pilot.pause()
            await pilot.pause()
            assert shown() == hints
        assert seen == {True, False}
