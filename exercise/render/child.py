"""Render a template from a stranger in a child process with hard limits.

The sandbox bounds the cheap ways to burn memory and time, but a long computation in C
(``7**64**64...``, a giant ``ljust``) cannot be interrupted from Python, and a thread
cannot be killed. So templates from a pack or ``--templates`` render in a child process
(``python -m exercise.render.child_main``) with ``RLIMIT_CPU`` and ``RLIMIT_AS`` set,
killed at the deadline. The message names the limit: ``template:line: rendering stopped: it
exceeded 30 s`` (or ``N MB``).

A fresh interpreter rather than a fork: the app renders from worker threads, and forking
a process that runs threads is unsafe. The parent sends the job pickled on standard
input; the child answers in JSON, so nothing a template does can make the parent load
an object.
"""

from __future__ import annotations

import json
import pickle
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_MEMORY_MB = 1024
_GRACE_S = 5.0  # the child's interpreter start, on a busy machine


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
        [sys.executable, "-m", "exercise.render.child_main"],
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
