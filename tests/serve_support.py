"""Helpers for the ``exercise serve`` tests: a session, a free port, the server running.

(No tests here; the serve test modules import it.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def need(available: bool, what: str, hint: str) -> None:
    """Skip with what to install where ``what`` is missing; under CI=true, fail instead."""
    if available:
        return
    message = f"{what} is not available: {hint}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 30) -> tuple[int, bytes, str]:
    """(status, body, content type) of a GET; errors give their status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


@contextlib.contextmanager
def serving(session: Path, *args: str, timeout: float = 120) -> Iterator[tuple[str, str]]:
    """Run ``exercise serve SESSION`` on a free loopback port; yield (base URL, what it
    printed on start). Stopped with Ctrl+C (SIGINT) at the end."""
    port = free_port()
    log = session.with_suffix(".serve.log")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "exercise", "serve", str(session), "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while b"Press Ctrl+C" not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", log.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
