"""Finding a pack's files without leaving the pack or walking a whole disk.

Links that lead out of the pack are refused, hidden files skipped, and the walk bounded,
so a mistaken PACK argument (a home folder) answers in moments with one problem.
"""

from __future__ import annotations

import os
from pathlib import Path

from exercise.problems import Problem

#: Limits that keep a hostile or mistaken folder (a home directory...) from taking minutes.
MAX_PACK_FILES = 2000
MAX_WALK_ENTRIES = 20_000


def relative(root: Path, path: Path) -> str:
    """``path`` as written in messages: relative to the pack, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, its links followed, stays inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return False
    return True


def path_is(path: Path, kind: str) -> bool:
    """``path.is_dir()`` / ``is_file()`` / ``exists()`` that answer False rather than
    raise (names too long, link loops, permissions)."""
    try:
        return bool(getattr(path, kind)())
    except (OSError, RuntimeError, ValueError):
        return False


def pack_files(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    """YAML files under ``root/folder``, sorted; links that leave the pack are refused.

    Hidden files and folders (``.git``, editor and macOS ``._`` files) are skipped.
    Symbolic links to folders are not followed; the walk stops after a bounded number
    of entries so a mistaken PACK argument cannot keep it busy for minutes.
    """
    base = root / folder
    problems: list[Problem] = []
    if not path_is(base, "is_dir"):
        return [], problems
    if not inside(root, base):
        return [], [Problem(folder, 1, 1, "folder points outside the pack")]
    files: list[Path] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        seen += len(dirnames) + len(filenames)
        if seen > MAX_WALK_ENTRIES:
            problems.append(
                Problem(folder, 1, 1, f"too many files and folders (over {MAX_WALK_ENTRIES:,})")
            )
            break
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith((".yaml", ".yml")):
                continue
            path = Path(dirpath) / name
            if not path_is(path, "exists"):
                message = "file is a link that leads nowhere (missing target or a loop)"
                problems.append(Problem(relative(root, path), 1, 1, message))
                continue
            if not inside(root, path):
                problems.append(Problem(relative(root, path), 1, 1, "file points outside the pack"))
                continue
            files.append(path)
    files.sort()
    if len(files) > MAX_PACK_FILES:
        problems.append(
            Problem(folder, 1, 1, f"too many files ({len(files)}; the limit is {MAX_PACK_FILES})")
        )
        files = files[:MAX_PACK_FILES]
    return files, problems
