"""Render a template from a stranger in a child process with hard limits.

The sandbox bounds the cheap ways to burn memory and time, but a long computation in C
(``7**64**64...``, a giant ``ljust``) cannot be interrupted from Python, and a thread
cannot be killed. So templates from a pack or ``--templates`` render in a child process
(``python -m exercise.render.child``) with ``RLIMIT_CPU`` and ``RLIMIT_AS`` set, killed
at the deadline. The message names the limit: ``template:line: rendering stopped: it
exceeded 30 s`` (or ``N MB``).

A fresh interpreter rather than a fork: the app renders from worker threads, and forking
a process that runs threads is unsafe. The parent sends the job pickled on standard
input; the child answers in JSON, so nothing a template does can make the parent load
an object.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import resource
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_MEMORY_MB = 1024
_GRACE_S = 5.0  # the child's interpreter start, on a busy machine


def _address_space() -> int:
    """This process's current virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _OutOfTime(Exception):
    """Raised in the child by SIGXCPU, between two Python bytecodes."""


def _limit(seconds: float, megabytes: int) -> None:
    """Hard limits from now on: ``seconds`` more CPU time, ``megabytes`` more memory."""

    def out_of_time(signum: int, frame: Any) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGXCPU, out_of_time)  # before the limit: it may be due at once
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    base = _address_space()
    if base:
        budget = base + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))


def _answer(result: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


def main() -> None:
    """The child: read the job, set the limits, render, answer."""
    from exercise.render import jinja_env

    job = pickle.loads(sys.stdin.buffer.read())
    timeout, megabytes, name = job["timeout"], job["megabytes"], job["name"]
    env = None
    try:
        _limit(timeout, megabytes)
        env = jinja_env.make_environment([Path(f) for f in job["folders"]])
        text = jinja_env.generate(env, name, job["context"], job["max_output"])
        _answer({"text": text})
    # A pack's template may raise anything at all; the child's one job is to report it
    # to the parent as a positioned message, so nothing may escape as a traceback.
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, _OutOfTime | MemoryError):
            limit = f"{timeout:g} s" if isinstance(exc, _OutOfTime) else f"{megabytes} MB"
            message = f"rendering stopped: it exceeded {limit}"
        else:
            message = jinja_env.error_message(exc)
        template, line = jinja_env.error_place(exc, env, name) if env is not None else (name, None)
        _answer({"template": template, "line": line, "message": message})


def render_in_child(
    folders: list[Path],
    name: str,
    context: Mapping[str, Any],
    *,
    timeout: float,
    max_output: int,
    megabytes: int = DEFAULT_MEMORY_MB,
) -> tuple[str, str | None, int | None, str]:
    """``("text", text, None, "")`` or ``("error", template, line, message)``."""
    job = pickle.dumps(
        {
            "folders": [str(f) for f in folders],
            "name": name,
            "context": dict(context),
            "timeout": timeout,
            "max_output": max_output,
            "megabytes": megabytes,
        }
    )
    where = next((str(Path(f) / name) for f in folders if (Path(f) / name).is_file()), name)
    process = subprocess.Popen(
        [sys.executable, "-m", "exercise.render.child"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        out, _ = process.communicate(job, timeout=2 * timeout + _GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return ("error", where, None, f"rendering stopped: it exceeded {timeout:g} s")
    try:
        answer = json.loads(out) if out else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        killed = process.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
        limit = f"{timeout:g} s" if killed else f"{megabytes} MB"
        return ("error", where, None, f"rendering stopped: it exceeded {limit}")
    if "text" in answer:
        return ("text", str(answer["text"]), None, "")
    line = answer.get("line")
    template = answer.get("template")
    return (
        "error",
        where if template in (None, "", name) else str(template),
        line if isinstance(line, int) else None,
        str(answer.get("message")),
    )


if __name__ == "__main__":
    main()
