"""Session files: bad files are refused untouched; export, import and branch round-trip."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from engine_support import ENGINE_PACK, ROOT, engine_pack, minutes

from exercise.engine import Session, SessionError, SessionSetup
from exercise.engine.commands import AdvancePhase, StartExercise
from exercise.engine.store import list_sessions, resolve_session, safe_name


def run_cli(*args: str, env_dir) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, EXERCISE_DATA_DIR=str(env_dir))
    return subprocess.run(
        [sys.executable, "-m", "exercise", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """A session played from the engine pack's rehearsal script by the CLI."""
    base = tmp_path_factory.mktemp("played")
    result = run_cli(
        "simulate", str(ENGINE_PACK), "--session", str(base / "r.session"), env_dir=base
    )
    assert result.returncode == 0, result.stderr
    return base / "r.session"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_schema_is_refused_and_left_untouched(played, tmp_path):
    path = tmp_path / "newer.session"
    shutil.copy(played, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(SessionError, match="newer version"):
        Session.open(path, engine_pack())
    result = run_cli("session", "info", str(path), env_dir=tmp_path)
    assert result.returncode == 2 and "newer version" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(path) == before


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_file_is_refused_and_left_untouched(played, tmp_path, cut):
    path = tmp_path / "cut.session"
    data = played.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    before = digest(path)
    with pytest.raises(SessionError, match=r"truncated|damaged"):
        Session.open(path, engine_pack())
    result = run_cli("session", "info", str(path), env_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert digest(path) == before


def test_corrupt_and_foreign_files_are_refused(played, tmp_path):
    garbage = tmp_path / "garbage.session"
    garbage.write_bytes(b"not a database at all" * 50)
    with pytest.raises(SessionError, match="not a session journal"):
        Session.open(garbage, engine_pack())
    corrupt = tmp_path / "corrupt.session"
    data = bytearray(played.read_bytes())
    for offset in range(4096 + 200, min(len(data), 4096 * 3), 7):
        data[offset] = 0xFF
    corrupt.write_bytes(bytes(data))
    before = digest(corrupt)
    result = run_cli("session", "info", str(corrupt), env_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert digest(corrupt) == before
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    with pytest.raises(SessionError, match="not a session journal"):
        Session.open(other, engine_pack())


def test_changed_pack_is_explained_and_can_be_accepted(tmp_path):
    pack_dir = tmp_path / "pack"
    shutil.copytree(ENGINE_PACK, pack_dir)
    from exercise.pack.loader import require_pack

    path = tmp_path / "s.session"
    s = Session.create(path, require_pack(pack_dir), SessionSetup(seed=1), now=minutes(0))
    s.execute(StartExercise(), now=minutes(1))
    s.close()
    injects = pack_dir / "injects" / "all.yaml"
    injects.write_text(injects.read_text().replace("Two missiles", "Three missiles"))
    before = digest(path)
    with pytest.raises(SessionError, match="has changed since this session was recorded"):
        Session.open(path)
    result = run_cli("session", "info", str(path), env_dir=tmp_path)
    assert result.returncode == 2 and "has changed" in result.stderr
    assert digest(path) == before
    resumed = Session.open(path, accept_changed_pack=True)
    assert resumed.state.turn == 1
    resumed.close()
    Session.open(path).close()  # accepted once: the journal now records the new pack


def test_create_never_overwrites(played, tmp_path):
    before = digest(played)
    with pytest.raises(SessionError, match="already exists"):
        Session.create(played, engine_pack(), SessionSetup(), now=minutes(0))
    assert digest(played) == before


def test_export_import_round_trip_exactly(played, tmp_path):
    out = tmp_path / "a.jsonl"
    assert (
        run_cli("session", "export", str(played), "--out", str(out), env_dir=tmp_path).returncode
        == 0
    )
    result = run_cli("session", "import", str(out), "--out", "copy", env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "sessions" / "copy.session"  # a bare name goes to the data folder
    again = tmp_path / "b.jsonl"
    assert (
        run_cli("session", "export", str(copy), "--out", str(again), env_dir=tmp_path).returncode
        == 0
    )
    assert out.read_text() == again.read_text()
    piped = run_cli("session", "export", str(copy), "--out", "-", env_dir=tmp_path)
    assert piped.stdout == out.read_text()
    original = Session.open(played, engine_pack())
    imported = Session.open(copy, engine_pack())
    assert imported.state == original.state
    original.close()
    imported.close()


def test_import_reports_bad_lines_with_positions(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"format": "exercise-session", "meta": {"schema_version": "1"}}\n'
        '{"seq": 1, "ts": "2026-03-12T09:00:00", "actor": "control", "type": "nope",'
        ' "body": {}}\n'
        '{"seq": 1, "ts": "x", "actor": "control", "type": "session_created",'
        ' "body": {}}\n'
        "{broken\n"
    )
    result = run_cli(
        "session", "import", str(bad), "--out", str(tmp_path / "x.session"), env_dir=tmp_path
    )
    assert result.returncode == 2
    assert f"{bad}:2:1: unknown event type 'nope'" in result.stderr
    assert f"{bad}:3:1: event ts 'x' is not an ISO time" in result.stderr
    assert f"{bad}:4:" in result.stderr
    assert not (tmp_path / "x.session").exists()


def test_branch_starts_at_the_beginning_of_a_turn(played, tmp_path):
    result = run_cli(
        "session",
        "branch",
        str(played),
        "--turn",
        "2",
        "--out",
        str(tmp_path / "what-if.session"),
        env_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    branch = Session.open(tmp_path / "what-if.session", engine_pack())
    original = Session.open(played, engine_pack())
    assert (branch.state.turn, branch.state.phase) == (2, "injects")
    assert branch.state.events == original.state.events[: len(branch.state.events)]
    assert branch.state.injects["offer"].status == "held"  # held in turn 1, still held
    assert not any(m.turn == 2 for m in branch.state.moves)
    assert "branched_from" in branch.journal.meta
    # the what-if goes on differently from the original
    branch.execute(AdvancePhase(), now=minutes(500))
    assert branch.state.last_seq < original.state.last_seq
    info = run_cli("session", "info", str(tmp_path / "what-if.session"), env_dir=tmp_path)
    assert "branched:" in info.stdout and "turn 2" in info.stdout
    fail = run_cli(
        "session",
        "branch",
        str(played),
        "--turn",
        "9",
        "--out",
        str(tmp_path / "nine.session"),
        env_dir=tmp_path,
    )
    assert fail.returncode == 2 and "cannot branch at turn 9" in fail.stderr
    branch.close()
    original.close()


def test_sessions_live_in_the_data_folder_with_safe_names(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    assert resolve_session("runs/a.session") == Path("runs/a.session")  # a path: as given
    path = resolve_session("Séminar: 12 March?")
    assert path.parent == tmp_path / "sessions" and path.name == "Seminar-12-March.session"
    assert safe_name("CON") == "_CON" and safe_name("../..") == "session"
    s = Session.create(
        resolve_session("demo"), engine_pack(), SessionSetup(name="Demo"), now=minutes(0)
    )
    s.execute(StartExercise(), now=minutes(1))
    s.close()
    (tmp_path / "sessions" / "broken.session").write_bytes(b"junk")
    listed = {item.name: item for item in list_sessions()}
    assert listed["demo"].turn == 1 and listed["demo"].title == "Demo"
    assert listed["broken"].error


def test_session_list_and_info_summarise_a_played_session(played, tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    shutil.copy(played, folder / "rehearsal.session")
    listing = run_cli("session", "list", env_dir=tmp_path)
    assert listing.returncode == 0
    assert "rehearsal" in listing.stdout and "engine-test" in listing.stdout
    assert "ended" in listing.stdout
    info = run_cli("session", "info", "rehearsal", env_dir=tmp_path)
    assert info.returncode == 0, info.stderr
    for expected in (
        "state:     ended",
        "Regional tension",
        "moves:     5 (5 ruled)",
        "2 hotwash entries",
    ):
        assert expected in info.stdout
