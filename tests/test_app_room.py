"""The live room, driven by the keys a person presses: no move is stranded, typing goes
where the eye is, and control paces the release of injects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from keys import focused_id, keys, screen_name, type_text
from test_app_support import MINI, Clock, Messages, prepared_session, screen_text, squash

from exercise.engine.commands import (
    AdvancePhase,
    HoldInject,
    RecordMove,
    ReleaseInject,
    Rule,
    StartExercise,
)
from exercise.ui.app import ExerciseApp
from exercise.ui.messages import InjectFired, Notified


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    return tmp_path


def _resume(path: Path, clock: Clock | None = None) -> ExerciseApp:
    return ExerciseApp(resume=str(path), clock=clock or Clock(), poll_seconds=3600)


async def opened(pilot) -> None:
    """Wait until the resumed session's first view is up."""
    for _ in range(40):
        await pilot.pause()
        if screen_name(pilot) in ("ControlScreen", "PinDialog"):
            break
    await pilot.pause()


def _prepared(data_dir: Path) -> Path:
    path = data_dir / "room.session"
    session, _ = prepared_session(path, MINI)
    session.close()
    return path


def _move_row(app: ExerciseApp, move_id: str) -> str:
    table = app.screen.query_one("#move-table")
    key = next(k for k in table.rows if k.value == move_id)
    return " ".join(str(c) for c in table.get_row(key))


# ---------------------------------------------------------------------- §1 never strand


async def test_unruled_moves_of_earlier_turns_are_listed_ruled_late_or_carried(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        state = app.session.state
        assert (state.turn, state.phase) == (2, "deliberation")
        await keys(pilot, "2")  # Moves: turn 1's unruled moves are there, marked turn 1
        assert _move_row(app, "m2").split()[:2] == ["m2", "1"]
        assert "waiting" in _move_row(app, "m4")
        assert "Moves (2 to rule)" in screen_text(app)
        # a late ruling in the deliberation of turn 2, with the keys
        await keys(pilot, "ctrl+home")
        assert app.screen.selected_move() == "m2"
        await keys(pilot, "j")
        assert screen_name(pilot) == "AdjudicateDialog" and focused_id(pilot) == "f-outcome"
        await keys(pilot, "tab")
        await type_text(pilot, "Overtaken by the summit")
        await keys(pilot, "ctrl+s", "escape")
        ruling = app.session.state.move("m2").ruling
        assert ruling is not None and ruling.late and ruling.narrative == "Overtaken by the summit"
        assert "late" in _move_row(app, "m2")
        # leaving adjudication with m4 unruled: it is named, and carried on request
        await keys(pilot, "n", "y", "n", "y")
        assert app.session.state.phase == "adjudication"
        await keys(pilot, "n")
        assert screen_name(pilot) == "UnruledDialog"
        assert "m4 · turn 1" in squash(screen_text(app))
        await keys(pilot, "c")
        state = app.session.state
        assert state.phase == "consequences" and state.move("m4").carried_to == 3
        # back one phase: nothing has happened in consequences yet
        await keys(pilot, "b", "y")
        assert app.session.state.phase == "adjudication"
        assert app.session.state.events[-1].type == "phase_reverted"


async def test_leaving_moves_unruled_asks_why_and_rule_now_opens_the_first(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await keys(pilot, "n", "y", "n", "y")  # moves, adjudication
        await keys(pilot, "n", "r")
        assert screen_name(pilot) == "AdjudicateDialog"
        assert app.screen.move_id == "m2"
        await keys(pilot, "escape", "n", "l")
        assert screen_name(pilot) == "FormDialog" and focused_id(pilot) == "f-reason"
        await type_text(pilot, "Out of time for them")
        await keys(pilot, "ctrl+s")
        state = app.session.state
        assert state.phase == "consequences"
        assert state.move("m2").left_unruled == "Out of time for them"
        assert state.move("m4").left_unruled == "Out of time for them"


# ---------------------------------------------------------------------- §2 focus


DIALOGS = [
    ("h", "f-reason"),
    ("s", "f-reason"),
    ("e", "f-title"),
    ("a", "f-title"),
    ("o", "f-text"),
    ("i", "f-action"),
    ("x", "f-minutes"),
    ("t", "f-track"),
]


@pytest.mark.slow
async def test_every_control_dialog_opens_on_its_first_field(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        assert focused_id(pilot) == "inject-table"  # arrows move the inject cursor at once
        before = app.screen.selected_inject()
        await keys(pilot, "up")
        assert app.screen.selected_inject() != before
        pending = next(i for i, inj in app.session.state.injects.items() if inj.status == "pending")
        for key, field in DIALOGS:
            app.screen.select_inject(pending)
            await keys(pilot, key)
            assert screen_name(pilot) == "FormDialog", key
            assert focused_id(pilot) == field, key
            if field != "f-track":  # a list: typing does not go into it
                await type_text(pilot, "42")
                assert app.screen.values()[field[2:]].endswith("42"), key
            await keys(pilot, "escape")


async def test_tab_keys_work_from_any_focus_and_the_palette_shows_a_turn_log(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        tabs = app.screen.query_one("#tabs")
        for key, tab in (
            ("2", "moves"),
            ("3", "tracks"),
            ("4", "notes"),
            ("5", "log"),
            ("2", "moves"),
            ("1", "injects"),
        ):
            await keys(pilot, key)
            assert tabs.active == tab
        await keys(pilot, "2", "ctrl+p")
        await type_text(pilot, "Turn 1: ")
        await keys(pilot, "enter")
        assert tabs.active == "log" and app.screen.log_turn == 1
        assert "Public statement by usa." in squash(screen_text(app))


async def test_seat_keys_put_typing_in_the_move_and_switch_after_recording(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await keys(pilot, "n", "y")  # moves phase of turn 2
        await keys(pilot, "f4")
        assert "CONTROL" not in screen_text(app)  # blanked before the chooser
        await keys(pilot, "enter", "enter")
        assert screen_name(pilot) == "SeatScreen"
        await keys(pilot, "ctrl+n")
        assert focused_id(pilot) == "text"
        await type_text(pilot, "A joint statement of restraint.")
        await keys(pilot, "ctrl+o")
        assert app.screen.query_one("#tabs").active == "inbox"
        await keys(pilot, "ctrl+n")
        assert focused_id(pilot) == "text"
        await keys(pilot, "ctrl+s")
        assert app.screen.query_one("#tabs").active == "moves"
        assert app.session.state.moves[-1].text == "A joint statement of restraint."


async def test_table_columns_widen_when_a_ruling_arrives(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(160, 40)) as pilot:
        await opened(pilot)
        await keys(pilot, "n", "y", "2", "ctrl+home", "j", "tab")
        await type_text(pilot, "Agreed")
        await keys(pilot, "ctrl+s", "escape")
        assert "accepted (facilitator) late" in screen_text(app)


# ---------------------------------------------------------------------- §4 pacing


def _staged_session(data_dir: Path) -> Path:
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    root = data_dir / "staged-pack"
    shutil.copytree(MINI, root)
    with (root / "scenario.yaml").open("a") as f:
        f.write("release: staged\n")
    clock = Clock()
    path = data_dir / "staged.session"
    session = Session.create(
        path,
        require_pack(root),
        SessionSetup(players={"usa": "Al", "rok": "Bo"}, seed=3, name="Staged"),
        now=clock(),
    )
    session.close()
    return path


async def test_staged_release_queues_and_control_releases_confirms_and_undoes(data_dir):
    clock = Clock()
    app = _resume(_staged_session(data_dir), clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await keys(pilot, "n", "y")  # turn 1: launch-1 waits in the queue
        state = app.session.state
        assert state.injects["launch-1"].status == "queued"
        assert app.screen.selected_inject() == "launch-1"
        assert "queued" in screen_text(app)
        await keys(pilot, "h")
        await type_text(pilot, "Not before the briefing")
        await keys(pilot, "ctrl+s")
        assert state.injects["launch-1"].status == "held"
        assert "Not before the briefing" in squash(screen_text(app))
        await keys(pilot, "r")
        assert screen_name(pilot) == "ConfirmDialog"
        await keys(pilot, "y")
        assert state.injects["launch-1"].status == "released"
        assert state.tracks["tension"].value == 4
        clock.advance(30)
        await keys(pilot, "u", "y")
        assert state.injects["launch-1"].status == "queued"
        assert state.tracks["tension"].value == 3
        await keys(pilot, "f2")
        assert "KN-23 launch" not in squash(screen_text(app))  # withdrawn from the Board
        await keys(pilot, "f3", "r", "y")
        assert state.injects["launch-1"].status == "released"
        assert "Not before the briefing" not in squash(screen_text(app))  # no stale reason
        await keys(pilot, "h")  # hold is not offered for a released inject
        assert screen_name(pilot) == "ControlScreen"


async def test_a_conditional_inject_that_fires_is_announced_with_why(data_dir):
    from exercise.engine import Session

    path = _staged_session(data_dir)
    clock = Clock()
    session = Session.open(path)
    session.execute(StartExercise(), now=clock())
    session.execute(ReleaseInject("launch-1"), now=clock())
    for _ in range(2):
        session.execute(AdvancePhase(), now=clock())
    session.execute(
        RecordMove("rok", "statement", "We accept THAAD", tags=["accept-thaad"]), now=clock()
    )
    for _ in range(2):
        session.execute(AdvancePhase(), now=clock())
    session.execute(Rule("m1", "accepted", "Done"), now=clock())
    session.close()
    app = _resume(path, clock)
    messages = Messages()
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await opened(pilot)
        await keys(pilot, "n", "y")  # consequences
        await keys(pilot, "n", "y")  # turn 2: the protest's condition holds
        assert app.session.state.injects["protest"].status == "queued"
        fired = messages.of(InjectFired)
        assert [(f.inject_id, f.queued) for f in fired] == [("protest", True)]
        assert "accept-thaad" in fired[0].why or "tension" in fired[0].why
        told = [m for m in messages.of(Notified) if m.title == "A conditional inject fired"]
        assert told and "protest is queued" in told[0].text


# ---------------------------------------------------------------------- §5 the room's play


async def test_draft_survives_leaving_the_seat_and_the_inbox_marks_what_is_new(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await keys(pilot, "f4")
        options = [str(o.prompt) for o in app.screen.query_one("OptionList").options]
        assert not any("(control)" in o for o in options)  # players are not 'control'
        await keys(pilot, "enter", "enter")
        role = app.screen.role
        inbox = squash(screen_text(app))
        assert "NEW" in inbox and f"PRIVATE-INJECT-FOR-{role}" in inbox
        await keys(pilot, "ctrl+n")
        await type_text(pilot, "Half-written thoughts on the summit")
        await keys(pilot, "f2", "f4", "enter", "enter")
        assert app.screen.role == role
        assert "NEW" not in squash(screen_text(app))  # read the first time
        await keys(pilot, "ctrl+n")
        assert app.screen.query_one("#text").text == "Half-written thoughts on the summit"
        assert app.session.state.moves[-1].text != "Half-written thoughts on the summit"


async def test_capped_change_is_shown_as_applied_and_an_adjustment_undone(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        state = app.session.state
        track = state.tracks["tension"]
        up = track.max - track.value + 2
        await keys(pilot, "t", "tab")
        await type_text(pilot, str(up))
        await keys(pilot, "tab")
        await type_text(pilot, "Summit collapses")
        await keys(pilot, "ctrl+s", "3")
        assert track.value == track.max
        assert f"(capped at {track.max}; +{up} asked)" in squash(screen_text(app))
        await keys(pilot, "z", "y")
        assert track.value == track.max - (up - 2)


async def test_the_hints_that_matter_fit_the_footer_at_120_columns(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        footer = screen_text(app).rstrip().splitlines()[-1]
        for hint in (
            "n Next phase",
            "r Release",
            "h Hold",
            "a Ad hoc",
            "j Rule",
            "t Track",
            "p Pause timer",
            "f1 Help",
            "^q Quit",
        ):
            assert hint in footer, (hint, footer)
        await keys(pilot, "ctrl+p")
        await type_text(pilot, "Move m1")
        await keys(pilot, "enter")  # an earlier turn's ruled move: shown, not an empty tab
        assert app.screen.query_one("#tabs").active == "moves"
        assert app.screen.selected_move() == "m1"


async def test_a_held_conditional_inject_shows_since_when_its_condition_holds(data_dir):
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    clock = Clock()
    path = data_dir / "held.session"
    session = Session.create(
        path,
        require_pack(MINI),
        SessionSetup(players={"usa": "Al", "rok": "Bo"}, seed=3),
        now=clock(),
    )
    session.execute(StartExercise(), now=clock())
    session.execute(HoldInject("protest", reason="Wait for the summit"), now=clock())
    for _ in range(2):
        session.execute(AdvancePhase(), now=clock())
    move = session.execute(
        RecordMove("rok", "statement", "We accept", tags=["accept-thaad"]), now=clock()
    ).created_id
    session.execute(AdvancePhase(), now=clock())  # adjudication: the move counts once accepted
    session.execute(Rule(move, "accepted", "Seoul says yes."), now=clock())
    for _ in range(2):  # turn 2: the condition holds, the inject waits
        session.execute(AdvancePhase(), now=clock())
    session.close()
    app = _resume(path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await keys(pilot, "ctrl+p")
        await type_text(pilot, "Inject protest")
        await keys(pilot, "enter")
        await pilot.pause(0.3)
        shown = squash(screen_text(app))
        assert "Wait for the summit" in shown and "its condition holds now" in shown
        assert "true since 09:00" in shown


async def test_an_ad_hoc_inject_goes_to_a_group_of_roles(data_dir):
    app = _resume(_prepared(data_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await keys(pilot, "a")
        await type_text(pilot, "Allies only")
        await keys(pilot, "tab")
        await type_text(pilot, "A private line to both allies.\nSecond paragraph.")
        await keys(pilot, "tab", "tab")  # body → kind → audience
        assert focused_id(pilot) == "f-audience"
        await keys(pilot, "space", "down", "space")
        await keys(pilot, "ctrl+s")
        inj = app.session.state.released()[-1]
        assert inj.title == "Allies only" and sorted(inj.audience) == ["rok", "usa"]
        assert inj.body == "A private line to both allies.\nSecond paragraph."
