"""Writing output files safely: atomically, never over a session journal.

Every file a command writes (exports, briefs, reports, backups, copies of sessions) goes
through here. It is written to a temporary file in the target's folder and renamed into
place, so a full disk or a kill leaves either the old file or the complete new one, never
a partial or empty one. A failure is ``cannot write FILE: reason`` (exit 2).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from exercise.problems import UserError

JOURNAL_SUFFIXES = (".session", ".session-wal", ".session-shm")


class OutputError(UserError):
    """An output cannot be written; the message names the file and the reason."""


def cannot_write(path: Path | str, exc: BaseException | str) -> OutputError:
    reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
    return OutputError(f"cannot write {path}: {reason}")


def is_journal(path: Path) -> bool:
    """True when ``path`` is a session journal (checked through SQLite, read-only)."""
    try:
        if not path.is_file() or path.stat().st_size < 512:
            return False
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except (OSError, sqlite3.Error):
        return False
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return {"meta", "events"} <= names


def refuse_journal(path: Path, *, allow_session_name: bool = False) -> None:
    """Refuse to write an output over a session journal (or a name journals use)."""
    name = path.name
    journal_name = name.endswith(JOURNAL_SUFFIXES[1:]) or (
        not allow_session_name and name.endswith(JOURNAL_SUFFIXES[0])
    )
    if journal_name or is_journal(path):
        raise OutputError(
            f"cannot write {path}: it is (or is named like) a session journal; "
            "choose another file name (nothing was written)"
        )


@contextmanager
def atomic_path(
    path: Path, *, exclusive: bool = False, allow_session_name: bool = False
) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed to ``path`` when the block succeeds.

    ``exclusive`` refuses to replace an existing file. Any ``OSError`` or SQLite error
    becomes ``cannot write PATH: reason`` and the temporary file is removed.
    """
    path = Path(path)
    refuse_journal(path, allow_session_name=allow_session_name)
    if exclusive and path.exists():
        raise OutputError(f"{path} already exists; choose another file name (nothing was changed)")
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        os.chmod(tmp, 0o666 & ~_umask())
        yield tmp
        if exclusive:
            _link_new(tmp, path)
        else:
            os.replace(tmp, path)
        tmp = None
    except (OSError, sqlite3.Error) as exc:
        raise cannot_write(path, exc) from None
    finally:
        if tmp is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with suppress(OSError):
                    Path(f"{tmp}{suffix}").unlink()


def _umask() -> int:
    """The process's umask, so outputs get the usual permissions (mkstemp makes 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _link_new(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there (a race-free no-replace rename)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(
            f"{path} already exists; choose another file name (nothing was changed)"
        ) from None
    except OSError:  # a filesystem without hard links
        if path.exists():
            raise OutputError(f"{path} already exists; choose another file name") from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def write_atomic(path: Path, data: str | bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically and durably."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(Path(path), exclusive=exclusive) as tmp, open(tmp, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())


def make_folder(folder: Path, target: Path | None = None) -> None:
    """Create an output folder (and its parents), or say why ``target`` cannot be written."""
    shown = target or folder
    for ancestor in (folder, *folder.parents):
        if ancestor.exists() or ancestor.is_symlink():
            if not ancestor.is_dir():
                raise OutputError(f"cannot write {shown}: {ancestor} is not a folder")
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(shown, exc) from None
