"""No output ever destroys a session, and no output leaves a partial file.

Every command that writes (export, briefs, import, branch, simulate, backup, report, and
the session list on standard output) is tried against a full disk, a read-only folder, a
missing folder and a file where a folder should be: each says ``exercise: error: cannot
write FILE: reason``, exits 2, and leaves nothing behind. Nothing is written over a
session journal.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from engine_support import ENGINE_PACK, ROOT
from report_support import play
from test_journal_damaged import read_only_folder, writable_again

from exercise.cli import main


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("played") / "played.session"
    play(path).close()
    return path


@pytest.fixture
def work(played, tmp_path, monkeypatch) -> dict[str, Path]:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    session = tmp_path / "s.session"
    shutil.copy(played, session)
    dump = tmp_path / "s.jsonl"
    assert main(["session", "export", str(session), "--out", str(dump)]) == 0
    return {"session": session, "dump": dump}


def commands(work: dict[str, Path], out: Path) -> dict[str, list[str]]:
    """Each writing command with its output at ``out`` (a file, or a folder for briefs)."""
    session, dump = str(work["session"]), str(work["dump"])
    return {
        "export": ["session", "export", session, "--out", f"{out}.jsonl"],
        "briefs": ["briefs", str(ENGINE_PACK), "--out", str(out)],
        "import": ["session", "import", dump, "--out", f"{out}.session"],
        "branch": ["session", "branch", session, "--turn", "2", "--out", f"{out}.session"],
        "simulate": ["simulate", str(ENGINE_PACK), "--session", f"{out}.session"],
        "backup": ["session", "backup", session, "--out", f"{out}.session"],
        "report": ["report", session, "--format", "md", "--format", "html", "--out", str(out)],
    }


NAMES = ["export", "briefs", "import", "branch", "simulate", "backup", "report"]


def refused(capsys, args: list[str], shown: Path | str) -> str:
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"exercise: error: cannot write {shown}" in err, err
    assert "Traceback" not in err
    return err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------- journals


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_never_overwrites_the_session_journal(work, capsys, fmt):
    session = work["session"]
    before = digest(session)
    err = refused(capsys, ["report", str(session), "--format", fmt, "--out", str(session)], session)
    assert "session journal" in err
    assert digest(session) == before
    assert main(["session", "info", str(session)]) == 0


def test_no_command_writes_over_a_journal(work, capsys, tmp_path):
    session = work["session"]
    other = tmp_path / "other.session"
    shutil.copy(session, other)
    renamed = tmp_path / "journal.md"  # a journal, whatever its name
    shutil.copy(session, renamed)
    before = digest(other), digest(renamed)
    refused(capsys, ["session", "export", str(session), "--out", str(other)], other)
    refused(capsys, ["report", str(session), "--out", str(renamed)], renamed)
    refused(capsys, ["report", str(session), "--out", f"{other}-wal"], f"{other}-wal")
    for args in (
        ["session", "backup", str(session), "--out", str(other)],
        ["session", "import", str(work["dump"]), "--out", str(other)],
        ["session", "branch", str(session), "--turn", "2", "--out", str(other)],
        ["simulate", str(ENGINE_PACK), "--session", str(other)],
    ):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "already exists" in err or "session journal" in err, err
    assert (digest(other), digest(renamed)) == before


# ---------------------------------------------------------------------- failing folders


@pytest.mark.parametrize("name", NAMES)
def test_a_file_where_a_folder_should_be(work, capsys, tmp_path, name):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    args = commands(work, blocker / "out")[name]
    refused(capsys, args, "")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("name", NAMES)
def test_a_read_only_folder(work, capsys, tmp_path, name):
    folder = tmp_path / "locked"
    folder.mkdir()
    read_only_folder(folder)
    try:
        refused(capsys, commands(work, folder / "out")[name], folder / "out")
        assert list(folder.iterdir()) == []
    finally:
        writable_again(folder)


def test_a_missing_folder(work, capsys, tmp_path):
    out = tmp_path / "missing" / "out.jsonl"
    err = refused(capsys, ["session", "export", str(work["session"]), "--out", str(out)], out)
    assert "No such file or directory" in err or "missing" in err
    assert not out.parent.exists()


# ---------------------------------------------------------------------- full disk


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def tiny_sqlite(monkeypatch) -> None:
    """SQLite's own full-disk error: databases cannot grow past two pages."""
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.mark.parametrize("name", NAMES)
def test_a_full_disk_leaves_nothing_and_the_retry_works(work, capsys, tmp_path, monkeypatch, name):
    folder = tmp_path / "full"
    folder.mkdir()
    args = commands(work, folder / "out")[name]
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", no_space)  # every file written through the atomic path
        tiny_sqlite(patch)  # every journal written by SQLite
        refused(capsys, args, folder)
    assert sorted(p.name for p in folder.iterdir()) == ([] if name != "briefs" else ["out"])
    if name == "briefs":
        assert list((folder / "out").iterdir()) == []
    assert main(args) == 0, capsys.readouterr().err  # nothing left blocks the retry


def test_export_on_a_full_disk_leaves_no_empty_file(work, capsys, tmp_path, monkeypatch):
    out = tmp_path / "x.jsonl"
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", no_space)
        err = refused(capsys, ["session", "export", str(work["session"]), "--out", str(out)], out)
    assert "No space left on device" in err
    assert not out.exists() and not list(tmp_path.glob(".x.jsonl*"))
    assert main(["session", "export", str(work["session"]), "--out", str(out)]) == 0
    count = sqlite3.connect(work["session"]).execute("SELECT count(*) FROM events").fetchone()[0]
    assert len(out.read_text().splitlines()) == 1 + count  # the header, then every event
    assert json.loads(out.read_text().splitlines()[1])["seq"] == 1


@pytest.mark.parametrize(
    "args",
    [["session", "list"], ["session", "export", "s", "--out", "-"], ["session", "info", "s"]],
)
def test_standard_output_on_a_full_disk(work, args):
    if not Path("/dev/full").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/dev/full is missing")
        pytest.skip("/dev/full is missing (a Linux device)")
    sessions = work["session"].parent / "data" / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    shutil.copy(work["session"], sessions / "s.session")
    env = dict(os.environ, EXERCISE_DATA_DIR=str(sessions.parent))
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "exercise", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
    assert result.returncode == 2, result.stderr
    assert "exercise: error: cannot write standard output: " in result.stderr
    assert "Traceback" not in result.stderr


def test_simulate_on_a_disk_that_fills_half_way(tmp_path, capsys, monkeypatch):
    out = tmp_path / "half.session"

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA max_page_count = 5")  # room for the start, not the whole play
        return conn

    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", connect)
    err = refused(capsys, ["simulate", str(ENGINE_PACK), "--session", str(out)], out)
    assert "full" in err
    assert list(tmp_path.iterdir()) == []
