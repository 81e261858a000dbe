"""The child process of :mod:`exercise.render.child`: render one template under limits.

It reads the job (pickled, from its parent) on standard input, sets hard limits on its
CPU time and memory, renders, and answers in JSON on standard output: the text, or the
template, line and message of what went wrong.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import resource
import signal
import sys
from pathlib import Path
from typing import Any

from exercise.render import jinja_env


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


if __name__ == "__main__":
    main()
