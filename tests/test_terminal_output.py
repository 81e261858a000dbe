"""The real app in a pseudo-terminal, with a hostile pack and a planted session: the
escape sequences they hold (terminal title, clipboard, C1 CSI) never reach the
terminal, while the text around them does."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from hostile_text import hostile_pack, planted_session

ROOT = Path(__file__).resolve().parent.parent
#: what the planted escapes would write, as bytes on the wire
FORBIDDEN = (b"\x1b]0;PWNED", b"\x1b]52;c;cm0g", b"\xc2\x9b31m", b"\x9b31m")


def terminal_output(
    argv: list[str],
    env: dict[str, str],
    marker: bytes,
    keys: tuple[bytes, ...] = (),
    timeout: float = 60.0,
) -> bytes:
    """Everything ``argv`` writes to a 120x40 terminal until ``marker`` has been drawn,
    then each of ``keys`` three seconds apart, and three seconds more."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    seen = b""
    found_at = None
    start = time.monotonic()
    try:
        while time.monotonic() - start < timeout:
            if found_at is not None and time.monotonic() - found_at > 3.0:
                if not keys:
                    break  # all drawn; the process is ended below (quitting asks first)
                os.write(master, keys[0])
                found_at = time.monotonic()
                keys = keys[1:]
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            if found_at is None and marker in seen:
                found_at = time.monotonic()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    assert marker in seen, seen[-2000:]
    return seen


def _env(data: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "EXERCISE_DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT),
    }
    # the pseudo-terminal's own size counts, not one a test runner exports
    for name in ("TEXTUAL", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


def test_the_start_screen_sends_no_planted_escape(tmp_path):
    pack = hostile_pack(tmp_path)
    out = terminal_output(
        [sys.executable, "-m", "exercise", "run", str(pack)],
        _env(tmp_path / "data"),
        marker=b"[/x]",
    )
    assert not any(bad in out for bad in FORBIDDEN)


def test_a_planted_session_sends_no_escape(tmp_path):
    data = tmp_path / "data"
    (data / "sessions").mkdir(parents=True)
    planted_session(data / "sessions" / "planted.session")
    out = terminal_output(
        [sys.executable, "-m", "exercise", "run", "--resume", "planted"],
        _env(data),
        marker=b"CONTROL",
        keys=(b"\x1bOQ",),
    )  # F2: the Board
    assert b"Seoul says [/x]" in out  # the planted move, on the Board
    assert not any(bad in out for bad in FORBIDDEN)
