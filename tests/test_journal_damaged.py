"""A damaged or edited journal is an error that names the event, never a traceback.

Every command that reads a session (info, report, export, import) and the app's start
screen are tried on the damaged journals the reliability review named; ``session export``
still dumps the journal as stored so it can be repaired and imported again. A property
test corrupts event bodies at random. Read-only commands open the file read-only: an
intact session on read-only media can be read, and nothing in the file changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_support import play

from exercise.cli import main
from exercise.engine.commands import AdjustTrack, StartExercise

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("played") / "played.session"
    play(path).close()
    return path


def copy(played: Path, folder: Path, name: str = "damaged") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.session"
    shutil.copy(played, target)
    return target


def edit(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, params)
    conn.close()


def body(path: Path, seq: int) -> dict:
    conn = sqlite3.connect(path)
    text = conn.execute("SELECT body FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    conn.close()
    return json.loads(text)


def event_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    return count


def set_body(path: Path, seq: int, value: object) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    edit(path, "UPDATE events SET body = ? WHERE seq = ?", text, seq)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# seq, what is done to the journal, the message expected after "event N (type): "
DAMAGE = {
    "dice of one": (
        20,
        lambda p: set_body(p, 20, {**body(p, 20), "dice": [1]}),
        "ruling_made",
        "'dice' must hold 2 values, not 1",
    ),
    "dice out of range": (
        20,
        lambda p: set_body(p, 20, {**body(p, 20), "dice": [9, 99]}),
        "ruling_made",
        "each of 'dice' is 9; it must be from 1 to 6",
    ),
    "override of an unruled move": (
        36,
        lambda p: set_body(p, 36, {**body(p, 36), "move": "m5"}),
        "ruling_overridden",
        "move 'm5' has no ruling to override",
    ),
    "body nested 100000 deep": (
        9,
        lambda p: set_body(p, 9, DEEP),
        "phase_changed",
        "nested too deeply",
    ),
    "turn 99999": (
        26,
        lambda p: set_body(p, 26, {"turn": 99999}),
        "turn_started",
        "'turn' is 99999; it must be from 1 to 10000",
    ),
    "first event body a list": (
        1,
        lambda p: set_body(p, 1, []),
        "session_created",
        "the body must be a JSON object, not a list",
    ),
    "turn out of order": (
        26,
        lambda p: set_body(p, 26, {"turn": 7}),
        "turn_started",
        "turn 7 cannot follow turn 1",
    ),
    "body not JSON": (
        14,
        lambda p: set_body(p, 14, "{'move': 'm1'"),
        "move_recorded",
        "the body is not valid JSON",
    ),
    "unknown inject": (
        5,
        lambda p: set_body(p, 5, {**body(p, 5), "inject": "gone"}),
        "inject_released",
        "there is no inject 'gone'",
    ),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_damaged_event_is_named_by_every_command(played, tmp_path, capsys, name):
    seq, damage, kind, problem = DAMAGE[name]
    path = copy(played, tmp_path)
    damage(path)
    expected = f"{path}: event {seq} ({kind}): "
    for args in (
        ["session", "info", str(path)],
        ["report", str(path), "--out", str(tmp_path / "r.md")],
    ):
        code, _, err = run(capsys, *args)
        assert code == 2, err
        assert expected in err and problem in err, err
    assert not (tmp_path / "r.md").exists()
    # export dumps the journal as it is, so it can be repaired and imported again
    dump = tmp_path / "dump.jsonl"
    code, _, err = run(capsys, "session", "export", str(path), "--out", str(dump))
    assert code == 0, err
    lines = dump.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + event_count(played)  # the header, then every event
    back = tmp_path / "back.session"
    code, _, err = run(capsys, "session", "import", str(dump), "--out", str(back))
    if name in REPLAY_ONLY:  # well-formed bodies: the replay finds the fault on opening
        assert code == 0, err
        code, _, err = run(capsys, "session", "info", str(back))
        assert code == 2 and f"{back}: event {seq} ({kind}): {problem}" in err, err
    else:
        assert code == 2 and not back.exists()
        assert f"{dump}:{seq + 1}:1: event {seq} ({kind}): " in err, err
    # repaired in the dump (the original line back), it imports and opens again
    with sqlite3.connect(played) as conn:
        stored = conn.execute("SELECT body FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    line = (
        json.loads(lines[seq].replace(DEEP, "null"))
        if name == "body nested 100000 deep"
        else json.loads(lines[seq])
    )
    lines[seq] = json.dumps({**line, "body": json.loads(stored)})
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fixed = tmp_path / "fixed.session"
    code, _, err = run(capsys, "session", "import", str(dump), "--out", str(fixed))
    assert code == 0, err
    code, _, err = run(capsys, "session", "info", str(fixed))
    assert code == 0, err


REPLAY_ONLY = {"override of an unruled move", "turn out of order", "unknown inject"}


def test_bad_json_in_the_pin_meta(played, tmp_path, capsys):
    path = copy(played, tmp_path)
    edit(path, "UPDATE meta SET value = '{not json' WHERE key = 'pins'")
    for args in (
        ["session", "info", str(path)],
        ["report", str(path), "--out", str(tmp_path / "r.md")],
    ):
        code, _, err = run(capsys, *args)
        assert code == 2 and f"{path}: meta 'pins': not valid JSON" in err, err
    dump = tmp_path / "dump.jsonl"
    assert run(capsys, "session", "export", str(path), "--out", str(dump))[0] == 0
    code, _, err = run(capsys, "session", "import", str(dump), "--out", str(tmp_path / "b"))
    assert code == 2 and f"{dump}:1:1: meta 'pins': not valid JSON" in err


async def test_the_app_shows_a_damaged_journal_on_its_start_screen(played, tmp_path, monkeypatch):
    from test_app_support import Clock, screen_text, squash

    from exercise.ui.app import ExerciseApp

    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = copy(played, tmp_path / "sessions")
    set_body(path, 20, {**body(path, 20), "dice": [9, 99]})
    app = ExerciseApp(resume=str(path), clock=Clock(), poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"
        shown = squash(screen_text(app))
        assert f"{path}: event 20 (ruling_made): each of 'dice' is 9" in shown, shown
        assert shown.count(str(path)) == 1
        await pilot.press("ctrl+r")  # trying again says the same; the app stays up
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "StartScreen"


# ---------------------------------------------------------------------- any corruption

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def corruptions(draw) -> tuple[int, str]:
    seq = draw(st.integers(1, 56))
    how = draw(st.sampled_from(["value", "field", "text"]))
    if how == "text":
        return seq, draw(st.text(max_size=30))
    if how == "value":
        return seq, json.dumps(draw(json_values))
    return seq, json.dumps(
        {
            draw(
                st.sampled_from(
                    [
                        "move",
                        "inject",
                        "turn",
                        "phase",
                        "dice",
                        "effects",
                        "setup",
                        "audience",
                        "votes",
                        "due",
                        "delta",
                        "track",
                        "role",
                        "outcome",
                        "method",
                        "minutes",
                        "id",
                        "kind",
                    ]
                )
            ): draw(json_values)
        }
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damage=st.lists(corruptions(), min_size=1, max_size=3))
def test_random_corruption_never_gives_a_traceback(played, tmp_path, capsys, monkeypatch, damage):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = copy(played, tmp_path / "sessions")
    for seq, text in damage:
        try:
            merged = {**body(path, seq), **json.loads(text)}
        except (ValueError, TypeError):
            merged = None
        set_body(
            path, seq, json.dumps(merged) if isinstance(merged, dict) and len(text) % 2 else text
        )
    for args in (
        ["session", "info", str(path)],
        ["session", "list"],
        ["report", str(path), "--out", str(tmp_path / "sessions" / "r.md")],
        [
            "session",
            "branch",
            str(path),
            "--turn",
            "2",
            "--out",
            str(tmp_path / "sessions" / "branch"),
        ],
    ):
        code, _, _ = run(capsys, *args)
        assert code in (0, 2)
    dump = tmp_path / "sessions" / "dump.jsonl"
    assert run(capsys, "session", "export", str(path), "--out", str(dump))[0] == 0
    code, _, _ = run(
        capsys, "session", "import", str(dump), "--out", str(tmp_path / "sessions" / "back")
    )
    assert code in (0, 2)
    shutil.rmtree(tmp_path / "sessions")  # the next example starts from a fresh copy


# ---------------------------------------------------------------------- read-only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_info_never_switches_a_non_wal_file_to_wal(played, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    path = copy(played, tmp_path / "sessions")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = digest(path)
    for args in (
        ["session", "info", str(path)],
        ["session", "list"],
        ["session", "export", str(path), "--out", str(tmp_path / "x.jsonl")],
        ["report", str(path), "--out", str(tmp_path / "r.md")],
        ["session", "backup", str(path), "--out", str(tmp_path / "copy.session")],
    ):
        code, _, err = run(capsys, *args)
        assert code == 0, err
    assert digest(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def read_only_folder(folder: Path) -> None:
    """Make ``folder`` read-only for this process, as on read-only media."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    if shutil.which("chattr") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "chattr is missing: install e2fsprogs (root cannot chmod a folder "
                "read-only for itself)"
            )
        pytest.skip("chattr is missing: install e2fsprogs")
    result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"chattr +i failed: {result.stderr}")
        pytest.skip(f"this filesystem cannot make a folder immutable: {result.stderr}")


def writable_again(folder: Path) -> None:
    if os.geteuid() != 0:
        folder.chmod(0o755)
    else:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)


def test_an_intact_session_on_read_only_media_can_be_read(played, tmp_path, capsys):
    media = tmp_path / "media"
    path = copy(played, media)
    before = digest(path)
    read_only_folder(media)
    try:
        code, out, err = run(capsys, "session", "info", str(path))
        assert code == 0 and "moves:     6 (6 ruled)" in out, err
        code, out, err = run(capsys, "session", "export", str(path), "--out", "-")
        assert code == 0 and len(out.splitlines()) == 1 + event_count(played), err
        code, _, err = run(capsys, "report", str(path), "--out", str(tmp_path / "r.md"))
        assert code == 0, err
        code, _, err = run(capsys, "report", str(path), "--out", str(media / "r.md"))
        assert code == 2 and f"cannot write {media / 'r.md'}: " in err
        assert sorted(p.name for p in media.iterdir()) == ["damaged.session"]
    finally:
        writable_again(media)
    assert digest(path) == before
    assert (tmp_path / "r.md").read_text().startswith("# After-action report")


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.dictionaries(
            st.sampled_from(["seq", "ts", "actor", "type", "body"]),
            json_values | st.sampled_from(["turn_started", "ruling_made", "2026-03-12T09:00:00"]),
        ),
        max_size=4,
    )
)
def test_random_import_lines_never_give_a_traceback(lines):
    import tempfile

    from exercise.engine.transfer import import_session
    from exercise.problems import ProblemsError

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        meta = {"format": "exercise-session", "meta": {"schema_version": "1"}}
        source.write_text("\n".join(json.dumps(x) for x in [meta, *lines]) + "\n")
        try:
            import_session(source, Path(folder) / "out.session")
        except ProblemsError as exc:
            assert all(p.line >= 2 for p in exc.problems)


def test_what_cannot_be_read_back_is_never_written():
    from engine_support import engine_pack, minutes

    from exercise.engine import EngineError, Session, SessionSetup
    from exercise.engine import events as ev

    session = Session.memory(engine_pack(), SessionSetup(players={"usa": "Ann"}), now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    with pytest.raises(EngineError, match="'delta' is 10000000"):
        session.execute(AdjustTrack("tension", 10**7, "far too much"), now=minutes(2))
    with pytest.raises(TypeError, match="no field 'reasn'"):  # a misspelt key
        ev.check_draft(ev.TRACK_ADJUSTED, {"track": "tension", "delta": 1, "reasn": "x"})
    assert session.state.last_seq == len(session.state.events) == session.journal.count()
