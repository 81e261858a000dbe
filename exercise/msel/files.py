"""Create a file whole or not at all, and never replace one that exists."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_new(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out``; raise FileExistsError if ``out`` exists (even if another
    process creates it meanwhile). The file appears complete: it is written aside, synced,
    then linked into place; where links are not supported it is created exclusively."""
    folder = out.parent if str(out.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".msel-", suffix=out.suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, out)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            with open(out, "xb") as handle:  # no hard links here (FAT, some shares)
                handle.write(data)
    finally:
        Path(tmp).unlink(missing_ok=True)
