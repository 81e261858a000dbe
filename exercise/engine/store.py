"""Where sessions live: the user data folder (or ``EXERCISE_DATA_DIR``), with safe names."""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from exercise.engine.events import Body, BodyError, Event, EventError, parse
from exercise.problems import UserError

SUFFIX = ".session"
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def data_dir() -> Path:
    override = os.environ.get("EXERCISE_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("exercise", appauthor=False))


def sessions_dir() -> Path:
    """The folder sessions are kept in when a bare name (not a path) is given."""
    return data_dir() / "sessions"


def safe_name(name: str) -> str:
    """A file name that is valid on every common filesystem and keeps the name readable."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    text = text[:80] or "session"
    if text.split(".")[0].lower() in _RESERVED:
        text = "_" + text
    return text


def is_path(arg: str) -> bool:
    return "/" in arg or os.sep in arg or arg.endswith(SUFFIX) or arg.startswith(".")


def resolve_session(name_or_path: str | Path) -> Path:
    """A path as given, or ``sessions_dir()/<safe name>.session`` for a bare name."""
    if isinstance(name_or_path, Path) or is_path(name_or_path):
        return Path(name_or_path)
    return sessions_dir() / (safe_name(name_or_path) + SUFFIX)


@dataclass(frozen=True)
class SessionSummary:
    name: str
    path: Path
    pack_id: str
    title: str  # the name given at setup
    events: int
    turn: int
    phase: str
    ended: bool
    created: str
    last_activity: str
    error: str = ""


def summarise(path: Path) -> SessionSummary:
    """What ``session list`` shows; read-only and cheap (no replay).

    The file is read through SQLite only (see ``journal.check_file``), so listing never
    disturbs a session this process or another one holds open.
    """
    from exercise.engine.events import SessionCreated, decode
    from exercise.engine.journal import Journal

    def broken(problem: object) -> SessionSummary:
        return SessionSummary(path.stem, path, "", "", 0, 0, "", False, "", "", str(problem))

    try:
        journal = Journal.open(path, readonly=True)
    except UserError as exc:  # a listing shows broken files instead of failing
        return broken(exc)
    try:
        conn = journal._conn
        count, last_ts = conn.execute("SELECT COUNT(*), MAX(ts) FROM events").fetchone()
        first = journal.first_event()
        turn_row = conn.execute(
            "SELECT seq, ts, actor, type, body FROM events WHERE type='turn_started' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        phase_row = conn.execute(
            "SELECT seq, ts, actor, type, body FROM events WHERE type IN "
            "('turn_started','phase_changed','exercise_ended') ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        turn_event = decode(*turn_row) if turn_row else None
        phase_event = decode(*phase_row) if phase_row else None
        created = _parse(first) if first else None
    except (UserError, sqlite3.Error) as exc:
        return broken(exc)
    finally:
        journal.close()
    setup = created.setup if isinstance(created, SessionCreated) else None
    turn = int(turn_event.body["turn"]) if turn_event else 0  # checked by decode
    phase = "setup"
    if phase_event:
        phase = {"turn_started": "injects", "exercise_ended": "ended"}.get(
            phase_event.type, str(phase_event.body.get("phase", ""))
        )
    return SessionSummary(
        name=path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name,
        path=path,
        pack_id=journal.meta.get("pack_id", ""),
        title=setup.name if setup else "",
        events=int(count or 0),
        turn=int(turn),
        phase=phase,
        ended=phase == "ended",
        created=first.ts.isoformat() if first else "",
        last_activity=last_ts or "",
    )


def _parse(event: Event) -> Body:
    """The typed body of ``event``, or ``EventError`` naming it."""
    try:
        return parse(event.type, event.body)
    except BodyError as exc:
        raise EventError(event.seq, event.type, str(exc)) from None


def list_sessions(folder: Path | None = None) -> list[SessionSummary]:
    """Sessions in the data folder, most recently active first."""
    folder = folder or sessions_dir()
    if not folder.is_dir():
        return []
    found = [summarise(p) for p in sorted(folder.glob("*" + SUFFIX)) if p.is_file()]
    return sorted(found, key=lambda s: s.last_activity, reverse=True)
