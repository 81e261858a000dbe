"""Crash safety: a session killed with SIGKILL at many points loses no acknowledged event.

A child process plays the engine pack's rehearsal script and prints ``ACK <seq>`` after
each committed step. The parent kills it at a random moment after some acks, checks the
journal, and starts it again (it resumes where the journal ends). Finishing must give
exactly the state of an uninterrupted run, which a fresh interpreter plays.

The killed children are forked from the test process, the engine already imported, so a
round costs the play and not an interpreter's start-up; the kill lands the same way.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import traceback
from typing import IO

import pytest
from engine_support import ROOT, engine_pack, play_script_child

from exercise.engine import Session

CHILD = [sys.executable, str(ROOT / "tests" / "engine_support.py"), "play"]
KILLS = 22


def run_to_end(path) -> None:
    result = subprocess.run([*CHILD, str(path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("DONE")


def fork_child(path) -> tuple[int, IO[str], IO[str]]:
    """Fork a child that plays the script on ``path``: its pid, stdout and stderr."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own stdout and stderr, never the test run's
        code = 1
        try:
            os.close(out_r)
            os.close(err_r)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            play_script_child(str(path))
            code = 0
        except BaseException:  # noqa: BLE001 - any failure, reported on its stderr
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    return pid, os.fdopen(out_r), os.fdopen(err_r)


def play_and_kill(path, acks_before_kill: int, rng: random.Random) -> tuple[int, bool]:
    """Start the child, kill it after ``acks_before_kill`` acks; return the last acked seq."""
    pid, stdout, stderr = fork_child(path)
    acked = 0
    seen = 0
    finished = False
    for line in stdout:
        if line.startswith("ACK "):
            acked = int(line.split()[1])
            seen += 1
            if seen > acks_before_kill:
                time.sleep(rng.random() * 0.004)  # land anywhere, also mid-transaction
                os.kill(pid, signal.SIGKILL)
                break
        elif line.startswith("DONE"):
            finished = True
            break
    os.waitpid(pid, 0)
    stdout.close()
    err = stderr.read()
    stderr.close()
    assert "Traceback" not in err, err
    return acked, finished


@pytest.mark.slow
def test_sigkill_at_many_points_loses_nothing_acknowledged(tmp_path):
    pack = engine_pack()
    reference_path = tmp_path / "reference.session"
    run_to_end(reference_path)
    reference = Session.open(reference_path, pack)
    total = reference.state.last_seq

    rng = random.Random(20261122)
    path = tmp_path / "crashy.session"
    kills = 0
    rounds = 0
    while kills < KILLS and rounds < KILLS * 3:
        rounds += 1
        acked, finished = play_and_kill(path, rng.randint(1, 3), rng)
        if finished:
            path.unlink()
            for suffix in ("-wal", "-shm"):
                (tmp_path / f"crashy.session{suffix}").unlink(missing_ok=True)
            continue
        kills += 1
        survived = Session.open(path, pack)
        assert survived.state.last_seq >= acked, "an acknowledged event was lost"
        n = survived.state.last_seq
        assert survived.state.events == reference.state.events[:n]
        survived.close()
    assert kills >= 20
    run_to_end(path)
    final = Session.open(path, pack)
    assert final.state.last_seq == total
    assert final.state == reference.state
    final.close()
    reference.close()
