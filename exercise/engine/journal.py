"""The session journal: one SQLite file, one row per event, append-only.

WAL mode with ``synchronous=FULL`` makes every commit durable before ``append``
returns; ``BEGIN IMMEDIATE`` serialises writers from several processes, so sequence
numbers have no gaps or duplicates; ``PRAGMA data_version`` tells a reader cheaply
that another process committed. A file is checked before it is touched: an unreadable,
truncated or newer journal is refused with a clear message and left as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from exercise.engine.errors import SessionError, SessionMissingError
from exercise.engine.events import Event, decode, encode_body
from exercise.outputs import atomic_path, cannot_write, make_folder

SCHEMA_VERSION = 1
Row = tuple[int, str, str, str, str]
MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    body TEXT NOT NULL
);
"""


def _row_event(row: tuple[int, str, str, str, str]) -> Event:
    """A stored row as an event, within the limits on bodies (else ``EventError``).

    Its fields are checked when it is applied to a state (every read event is).
    """
    return decode(*row, check=False)


class Writer:
    """Appends inside one ``BEGIN IMMEDIATE`` transaction (see ``Journal.write``)."""

    def __init__(self, conn: sqlite3.Connection, last_seq: int) -> None:
        self._conn = conn
        self.last_seq = last_seq

    def events_after(self, seq: int) -> list[Event]:
        """Events other processes committed since ``seq`` (read under the write lock)."""
        rows = self._conn.execute(
            "SELECT seq, ts, actor, type, body FROM events WHERE seq > ? ORDER BY seq", (seq,)
        ).fetchall()
        return [_row_event(row) for row in rows]

    def append(self, ts: dt.datetime, actor: str, kind: str, body: dict[str, Any]) -> Event:
        seq = self.last_seq + 1
        text = encode_body(body)
        self._conn.execute(
            "INSERT INTO events (seq, ts, actor, type, body) VALUES (?, ?, ?, ?, ?)",
            (seq, ts.isoformat(), actor, kind, text),
        )
        self.last_seq = seq
        # The text a reader will see (tuples become lists...), so live == replay.
        return Event(seq, ts, actor, kind, text)


class Journal:
    """An open journal file (or an in-memory one for previews)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path
        self.meta: dict[str, str] = dict(conn.execute("SELECT key, value FROM meta").fetchall())

    # ------------------------------------------------------------------ opening

    @staticmethod
    def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
        conn = sqlite3.connect(
            target,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            uri=uri,
            check_same_thread=False,
        )
        return conn

    @staticmethod
    def _tune(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")

    @classmethod
    def create(cls, path: Path, meta: dict[str, str], rows: Iterable[Row] = ()) -> Journal:
        """A new journal at ``path`` holding ``meta`` and ``rows``, written in one transaction.

        Refuses to replace anything already there; if writing fails, the half-made file is
        removed, so a journal on disk is always complete. A folder or disk that cannot be
        written gives ``cannot write PATH: reason``.
        """
        path = Path(path)
        make_folder(path.parent, path)
        try:
            return cls._make(path, meta, rows)
        except (OSError, sqlite3.Error) as exc:
            raise cannot_write(path, exc) from None

    @classmethod
    def _make(cls, path: Path, meta: dict[str, str], rows: Iterable[Row]) -> Journal:
        try:
            with open(path, "xb"):
                pass
        except FileExistsError:
            raise SessionError(
                f"{path} already exists; choose another session name (nothing was changed)"
            ) from None
        try:
            conn = cls._connect(str(path))
            try:
                cls._tune(conn)
                cls._init(conn, meta, rows)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise
        return cls(conn, path)

    @classmethod
    def create_copy(cls, path: Path, meta: dict[str, str], rows: Iterable[Row]) -> None:
        """A new, closed journal holding ``rows`` exactly as given (import, branch, backup).

        It is written beside ``path`` under a temporary name and put in place only when
        complete, so a failure or a kill never leaves a partial session.
        """
        make_folder(Path(path).parent, Path(path))
        with atomic_path(Path(path), exclusive=True, allow_session_name=True) as tmp:
            tmp.unlink()
            cls._make(tmp, meta, rows).close()

    @classmethod
    def memory(cls, meta: dict[str, str], rows: Iterable[Row] = ()) -> Journal:
        """A journal that lives only in memory (previews, tests)."""
        conn = cls._connect(":memory:")
        cls._init(conn, meta, rows)
        return cls(conn, None)

    @staticmethod
    def _init(conn: sqlite3.Connection, meta: dict[str, str], rows: Iterable[Row]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            items = {**meta, "schema_version": str(SCHEMA_VERSION)}
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", items.items())
            conn.executemany(
                "INSERT INTO events (seq, ts, actor, type, body) VALUES (?, ?, ?, ?, ?)", rows
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, as_stored: bool = False) -> Journal:
        """Open an existing journal after checking it; never creates or repairs a file.

        ``readonly`` opens it for reading only, as it is (a file on read-only media, a
        command that only reads): nothing in the file changes, not even its journal mode.
        ``as_stored`` skips checking the meta values (an export dumps them as they are).
        """
        path = Path(path)
        check_file(path)
        try:
            if readonly:
                conn = _connect_readonly(path)
            else:
                conn = cls._connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
                cls._tune(conn)
            journal = cls(conn, path)
        except sqlite3.DatabaseError as exc:
            if "conn" in locals():
                conn.close()
            raise SessionError(f"{path}: cannot open the session journal ({exc})") from None
        problem = "" if as_stored else meta_problem(journal.meta)
        if problem:
            journal.close()
            raise SessionError(f"{path}: {problem}")
        return journal

    # ------------------------------------------------------------------ reading

    def events(self, after_seq: int = 0) -> Iterator[Event]:
        cursor = self._conn.execute(
            "SELECT seq, ts, actor, type, body FROM events WHERE seq > ? ORDER BY seq",
            (after_seq,),
        )
        for row in cursor:
            yield _row_event(row)

    def first_event(self) -> Event | None:
        row = self._conn.execute(
            "SELECT seq, ts, actor, type, body FROM events ORDER BY seq LIMIT 1"
        ).fetchone()
        return _row_event(row) if row else None

    def last_of(self, *types: str) -> Event | None:
        """The newest event of any of ``types`` (an index-free scan from the end)."""
        marks = ",".join("?" * len(types))
        row = self._conn.execute(
            "SELECT seq, ts, actor, type, body FROM events "
            f"WHERE type IN ({marks}) ORDER BY seq DESC LIMIT 1",
            types,
        ).fetchone()
        return _row_event(row) if row else None

    def last_ts(self) -> str:
        """The stored time of the newest event ('' for an empty journal)."""
        row = self._conn.execute("SELECT ts FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else ""

    def raw_rows(self, after_seq: int = 0) -> list[tuple[int, str, str, str, str]]:
        """Events exactly as stored (seq, ts text, actor, type, body JSON), for copies."""
        return self._conn.execute(
            "SELECT seq, ts, actor, type, body FROM events WHERE seq > ? ORDER BY seq",
            (after_seq,),
        ).fetchall()

    def last_seq(self) -> int:
        return int(self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def data_version(self) -> int:
        """Changes whenever another connection commits (microseconds to ask)."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    # ------------------------------------------------------------------ writing

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """One transaction: holds the write lock, commits (durably) on success."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            last = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])
            writer = Writer(conn, last)
            yield writer
        except BaseException:
            if conn.in_transaction:  # SQLite ends it itself on some errors (a full disk)
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def append(self, ts: dt.datetime, actor: str, kind: str, body: dict[str, Any]) -> Event:
        with self.write() as writer:
            return writer.append(ts, actor, kind, body)

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        self.meta[key] = value

    def read_meta(self, key: str) -> str | None:
        """One meta value as stored now (another process may have changed it)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def update_meta(self, key: str, change: Callable[[str | None], str | None]) -> str | None:
        """Read-modify-write one meta value in one transaction (other processes too may
        write it); ``change`` returns the new value, or None to leave it as it is."""
        with self.write():
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            value = change(row[0] if row else None)
            if value is not None:
                self._conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
                self.meta[key] = value
        return value

    def close(self) -> None:
        self._conn.close()


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection that changes nothing in the file.

    On read-only media SQLite cannot make the ``-shm`` file a WAL journal needs; when no
    ``-wal`` file holds unsaved pages, the file is complete and is read as immutable.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(
        f"{uri}?mode=ro",
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            raise
    conn = sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False
    )
    conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return conn


def meta_problem(meta: dict[str, str]) -> str:
    """What is wrong with the journal's meta values that hold JSON ('' when nothing)."""
    shapes: dict[str, type] = {"pins": dict, "pack_hash_history": list, "branched_from": dict}
    for key, shape in shapes.items():
        if key not in meta:
            continue
        try:
            value: object = json.loads(meta[key])
        except (ValueError, RecursionError):
            return f"meta {key!r}: not valid JSON"
        if not isinstance(value, shape):
            return f"meta {key!r}: must be a JSON {'object' if shape is dict else 'list'}"
        items = list(value.values()) if isinstance(value, dict) else list(value)  # type: ignore[call-overload]
        if any(not isinstance(item, (str, int)) or isinstance(item, bool) for item in items):
            return f"meta {key!r}: holds something other than text"
    return ""


def check_file(path: Path) -> dict[str, str]:
    """Check a journal file without changing it; return its meta or raise SessionError.

    The file is read only through SQLite. A plain ``open`` and ``close`` of a session file
    in a process that holds it open would drop that process's POSIX locks, and another
    process could then delete the WAL under it (losing what it writes next).
    """
    if not path.exists():
        raise SessionMissingError(f"no session at {path}")
    if not path.is_file():
        raise SessionError(f"{path} is not a session file")
    size = path.stat().st_size
    if size < 512:
        raise SessionError(f"{path} is not a session journal (or it is damaged)")
    try:
        conn = _connect_readonly(path)
    except sqlite3.OperationalError as exc:
        raise SessionError(f"{path}: cannot read the session journal ({exc})") from None
    except sqlite3.Error:
        raise SessionError(f"{path} is not a session journal (or it is damaged)") from None
    try:
        meta = _checked_meta(conn, path, size)
    except sqlite3.DatabaseError as exc:
        raise SessionError(f"{path} is damaged or not a session journal ({exc})") from None
    finally:
        conn.close()
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise SessionError(f"{path} has no readable schema version") from None
    if version > SCHEMA_VERSION:
        raise SessionError(
            f"{path} was written by a newer version of exercise (journal schema {version}; "
            f"this version reads up to {SCHEMA_VERSION}); upgrade exercise to open it"
        )
    return meta


def _checked_meta(conn: sqlite3.Connection, path: Path, size: int) -> dict[str, str]:
    """The meta of a whole, undamaged journal (``SessionError`` says what is wrong)."""
    try:
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    except sqlite3.DatabaseError:
        raise SessionError(f"{path} is not a session journal (or it is damaged)") from None
    if page < 512 or size % page:
        raise SessionError(
            f"{path} is truncated or damaged ({size} bytes is not a whole number of "
            f"{page}-byte pages); restore it from a copy"
        )
    result = conn.execute("PRAGMA quick_check").fetchone()
    if not result or result[0] != "ok":
        raise SessionError(f"{path} is damaged ({result[0] if result else 'no answer'})")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"meta", "events"} <= tables:
        raise SessionError(f"{path} is an SQLite file but not a session journal")
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())
