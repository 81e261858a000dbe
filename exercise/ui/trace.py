"""Timestamps for ``bench/seats.py`` and the multi-process tests: when ``EXERCISE_TRACE``
names a file, each app process appends ``<what> <pid> <value> <unix time>`` lines to it
(one write each, so lines from many processes do not mix); otherwise this does nothing.

``ready <view>[:<role>]`` once a view is on screen, ``seen <seq>`` once events another process
wrote are drawn, ``wrote <seq>`` once this process's own write is committed."""

from __future__ import annotations

import os
import time

_PATH = os.environ.get("EXERCISE_TRACE", "")


def trace(what: str, value: object = "") -> None:
    if not _PATH:
        return
    line = f"{what} {os.getpid()} {value} {time.time():.6f}\n".encode()
    fd = os.open(_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
