"""Where sessions live: the user data folder (or ``EXERCISE_DATA_DIR``), with safe names."""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from exercise.engine.events import (
    EXERCISE_ENDED,
    PHASE_CHANGED,
    PHASE_REVERTED,
    TURN_STARTED,
    Body,
    BodyError,
    Event,
    EventError,
    load_body,
    parse,
)
from exercise.problems import UserError
from exercise.vocab import TURN_PHASES, Phase

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


@dataclass(frozen=True, slots=True)
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
    from exercise.engine.events import PhaseChanged, PhaseReverted, SessionCreated, TurnStarted
    from exercise.engine.journal import Journal

    def broken(problem: object) -> SessionSummary:
        return SessionSummary(path.stem, path, "", "", 0, 0, "", False, "", "", str(problem))

    try:
        journal = Journal.open(path, readonly=True)
    except UserError as exc:  # a listing shows broken files instead of failing
        return broken(exc)
    try:
        count = journal.count()
        last_ts = journal.last_ts()
        first = journal.first_event()
        turn_event = journal.last_of(TURN_STARTED)
        phase_event = journal.last_of(TURN_STARTED, PHASE_CHANGED, PHASE_REVERTED, EXERCISE_ENDED)
        created = _parse(first) if first else None
        turn_body = _parse(turn_event) if turn_event else None
        phase_body = _parse(phase_event) if phase_event else None
    except (UserError, sqlite3.Error) as exc:
        return broken(exc)
    finally:
        journal.close()
    setup = created.setup if isinstance(created, SessionCreated) else None
    turn = turn_body.turn if isinstance(turn_body, TurnStarted) else 0
    phase: str = Phase.SETUP
    if isinstance(phase_body, PhaseChanged | PhaseReverted):
        phase = phase_body.phase
    elif isinstance(phase_body, TurnStarted):
        phase = TURN_PHASES[0]
    elif phase_event is not None:  # the exercise ended
        phase = Phase.ENDED
    return SessionSummary(
        name=path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name,
        path=path,
        pack_id=journal.meta.get("pack_id", ""),
        title=setup.name if setup else "",
        events=count,
        turn=turn,
        phase=phase,
        ended=phase == Phase.ENDED,
        created=first.ts.isoformat() if first else "",
        last_activity=last_ts,
    )


def _parse(event: Event) -> Body:
    """The typed body of ``event``, or ``EventError`` naming it."""
    try:
        return parse(event.type, load_body(event.text))
    except BodyError as exc:
        raise EventError(event.seq, event.type, str(exc)) from None


def list_sessions(folder: Path | None = None) -> list[SessionSummary]:
    """Sessions in the data folder, most recently active first."""
    folder = folder or sessions_dir()
    if not folder.is_dir():
        return []
    found = [summarise(p) for p in sorted(folder.glob("*" + SUFFIX)) if p.is_file()]
    return sorted(found, key=lambda s: s.last_activity, reverse=True)


# ---------------------------------------------------------------------- housekeeping

SIDE_FILES = ("-wal", "-shm", "-journal")
ARCHIVE = "archive"


def in_use(path: Path) -> bool:
    """True while another process has the session open.

    Every SQLite connection to a WAL database holds a shared lock on one byte of the
    ``-shm`` file (the "DMS" byte, offset 128) for as long as it is open; if an exclusive
    lock on that byte cannot be had, someone holds the session. Call this only for a
    session this process does not hold open itself: closing the descriptor opened here
    would drop this process's own locks on that file.
    """
    shm = Path(f"{path}-shm")
    if not shm.exists():
        return False
    try:
        import fcntl
    except ImportError:  # no POSIX locks here: cannot tell, so assume it may be open
        return True
    fd = os.open(shm, os.O_RDWR)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 128)
        return False
    finally:
        os.close(fd)


def _need_free(path: Path, what: str) -> None:
    from exercise.engine.errors import SessionError

    if in_use(path):
        raise SessionError(
            f"cannot {what} {path.name}: another process has it open "
            "(close the app that runs it first)"
        )


def _move(path: Path, target: Path) -> None:
    for side in SIDE_FILES:
        extra = Path(f"{path}{side}")
        if extra.exists():
            extra.replace(Path(f"{target}{side}"))
    path.replace(target)


def rename_session(path: Path, new_name: str) -> Path:
    """Give a session file a new name in the same folder; returns the new path."""
    from exercise.engine.errors import SessionError

    target = path.with_name(safe_name(new_name) + SUFFIX)
    if target.exists():
        raise SessionError(f"a session {target.name} already exists: choose another name")
    _need_free(path, "rename")
    _move(path, target)
    return target


def archive_session(path: Path) -> Path:
    """Move a session into the ``archive`` folder beside it, out of the resume list."""
    from exercise.engine.errors import SessionError

    folder = path.parent / ARCHIVE
    target = folder / path.name
    if target.exists():
        raise SessionError(f"the archive already holds a session {path.name}: rename this one")
    _need_free(path, "archive")
    folder.mkdir(parents=True, exist_ok=True)
    _move(path, target)
    return target


def delete_session(path: Path) -> None:
    """Delete a session file for good (with its side files)."""
    _need_free(path, "delete")
    path.unlink()
    for side in SIDE_FILES:
        Path(f"{path}{side}").unlink(missing_ok=True)
