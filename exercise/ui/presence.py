"""Who has a served tab open on a session: one small file per signed-in tab process.

Each tab writes ``<session file>.tabs/<pid>.json`` when it signs in and removes it when it
closes; Control lists the files whose process is still alive. The journal stays the
record of the exercise only: being connected is not an event of the game.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".tabs"


def tabs_dir(session_path: Path) -> Path:
    return session_path.with_name(session_path.name + SUFFIX)


@dataclass(frozen=True)
class Tab:
    """One open tab: what it shows (board, control or seat), the role, since when, from where."""

    pid: int
    view: str
    role: str | None
    since: dt.datetime
    peer: str = ""


class Presence:
    """This process's entry in the session's tabs folder."""

    def __init__(self, session_path: Path, peer: str = "") -> None:
        self.folder = tabs_dir(session_path)
        self.peer = peer
        self.file = self.folder / f"{os.getpid()}.json"

    def enter(self, view: str, role: str | None, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
        body = {"view": view, "role": role, "since": now.isoformat(), "peer": self.peer}
        try:
            self.folder.mkdir(exist_ok=True)
            partial = self.file.with_suffix(".part")
            partial.write_text(json.dumps(body), encoding="utf-8")
            partial.replace(self.file)
        except OSError:
            pass  # being listed is a convenience; the tab works without it

    def leave(self) -> None:
        with contextlib.suppress(OSError):
            self.file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def open_tabs(session_path: Path) -> list[Tab]:
    """The tabs signed in to this session now, oldest first (crashed ones left out)."""
    folder = tabs_dir(session_path)
    found: list[Tab] = []
    try:
        files = list(folder.glob("*.json"))
    except OSError:
        return []
    for file in files:
        try:
            pid = int(file.stem)
            body = json.loads(file.read_text(encoding="utf-8"))
            tab = Tab(
                pid,
                str(body["view"]),
                body.get("role"),
                dt.datetime.fromisoformat(body["since"]),
                str(body.get("peer", "")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(pid):
            found.append(tab)
    return sorted(found, key=lambda tab: (tab.since, tab.pid))
