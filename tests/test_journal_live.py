"""Nothing acknowledged is lost when another process touches a live session.

A holder process keeps a session open and writes to it. It then does, inside itself,
what a command or an app path does (list, info, export, report, branch, backup, resume,
Hotwash), another process runs the matching command, and a second writer appends and
closes the session. The holder writes again and is killed with SIGKILL: every
acknowledged event must be in the journal, and the other process must have seen the
holder's last write (one journal, not two).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from engine_support import ROOT, engine_pack, minutes

from exercise.engine import Session, SessionSetup
from exercise.engine.commands import StartExercise

HOLDER = [sys.executable, str(ROOT / "tests" / "live_holder.py")]

COMMANDS = {
    "list": ["session", "list"],
    "info": ["session", "info", "{path}"],
    "export": ["session", "export", "{path}", "--out", "{scratch}/other.jsonl"],
    "report": ["report", "{path}", "--out", "{scratch}/other.md"],
    "branch": ["session", "branch", "{path}", "--turn", "1", "--out", "{scratch}/other"],
    "backup": ["session", "backup", "{path}", "--out", "{scratch}/other-backup.session"],
    "resume": ["session", "info", "{path}"],
    "hotwash": ["report", "{path}", "--out", "{scratch}/other-hotwash.md"],
}


def cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, EXERCISE_DATA_DIR=str(data))
    return subprocess.run(
        [sys.executable, "-m", "exercise", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def exported_seqs(path: Path, data: Path) -> list[int]:
    result = cli("session", "export", str(path), "--out", "-", data=data)
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["seq"] for line in result.stdout.splitlines()[1:]]


class Holder:
    def __init__(self, path: Path, scratch: Path) -> None:
        self.child = subprocess.Popen(
            [*HOLDER, str(path), str(scratch)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ask(self, line: str) -> str:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(line + "\n")
        self.child.stdin.flush()
        answer = self.child.stdout.readline().strip()
        assert answer, self.kill()
        return answer

    def write(self) -> int:
        answer = self.ask("write")
        assert answer.startswith("ACK "), answer
        return int(answer.split()[1])

    def kill(self) -> str:
        self.child.send_signal(signal.SIGKILL)
        self.child.wait()
        assert self.child.stderr is not None
        err = self.child.stderr.read()
        for stream in (self.child.stdin, self.child.stdout, self.child.stderr):
            if stream is not None:
                stream.close()
        return err


@pytest.mark.parametrize("action", list(COMMANDS))
def test_acknowledged_writes_survive_another_process_and_a_kill(tmp_path, action):
    data = tmp_path / "data"
    sessions = data / "sessions"
    path = sessions / "live.session"
    setup = SessionSetup(
        players={"usa": "Ann", "rok": "Kim"},
        control_roles=["dprk"],
        pins={"control": "1234"},
        seed=3,
        name="Live",
    )
    with Session.create(path, engine_pack(), setup, now=minutes(0)) as session:
        session.execute(StartExercise(), now=minutes(1))
    holder = Holder(path, tmp_path)
    acked = [holder.write(), holder.write()]
    assert holder.ask(f"do {action}") == "DONE"
    args = [a.format(path=path, scratch=tmp_path) for a in COMMANDS[action]]
    result = cli(*args, data=data)
    assert result.returncode == 0, result.stderr
    # a second writer (another terminal on the same session) appends and closes
    second = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "engine_support.py"), "append", str(path), "9", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    acked.append(holder.write())
    # one journal: another process sees the holder's last write, and the holder sees it too
    assert exported_seqs(path, data)[-1] == acked[-1]
    assert holder.ask("seq") == f"SEQ {acked[-1]}"
    err = holder.kill()
    assert "Traceback" not in err, err
    with Session.open(path, engine_pack()) as survived:
        texts = [o.text for o in survived.state.observations]
        assert texts == ["holder 1", "holder 2", "9:0", "holder 3"]
        assert survived.state.last_seq >= acked[-1]


def test_backup_of_a_live_session_holds_what_is_still_in_its_wal(tmp_path):
    data = tmp_path / "data"
    path = data / "sessions" / "live.session"
    setup = SessionSetup(players={"usa": "Ann"}, seed=3, name="Live")
    Session.create(path, engine_pack(), setup, now=minutes(0)).close()
    holder = Holder(path, tmp_path)
    acked = [holder.write() for _ in range(3)]
    assert Path(f"{path}-wal").stat().st_size > 0  # the writes are still in the WAL
    copy = tmp_path / "copy.session"
    result = cli("session", "backup", "live", "--out", str(copy), data=data)
    assert result.returncode == 0, result.stderr
    holder.kill()
    assert not Path(f"{copy}-wal").exists()
    with Session.open(copy, engine_pack(), readonly=True) as backup:
        assert backup.state.last_seq == acked[-1]
        assert [o.text for o in backup.state.observations] == ["holder 1", "holder 2", "holder 3"]
