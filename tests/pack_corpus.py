"""The bad-pack corpus: each folder of tests/data/bad-packs over the shared base pack.

A case folder holds only what differs from ``_base``: files that are added or replace
the base's, ``remove.txt`` (base files to delete), ``generate.txt`` (``path bytes``
lines: files too large to keep in git, written at test time) and ``expected.txt``,
the exact error lines ``exercise validate`` must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

BAD_PACKS = Path(__file__).parent / "data" / "bad-packs"
BASE = BAD_PACKS / "_base"
CONTROL_FILES = {"expected.txt", "remove.txt", "generate.txt"}


def cases() -> list[Path]:
    return sorted(p for p in BAD_PACKS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def expected(case: Path) -> list[str]:
    return _lines(case / "expected.txt")


def materialise(case: Path, into: Path) -> Path:
    """Build the broken pack of ``case`` under ``into``; return its folder."""
    root = into / case.name
    shutil.copytree(BASE, root)
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or rel.as_posix() in CONTROL_FILES:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for rel in _lines(case / "remove.txt"):
        (root / rel).unlink()
    for line in _lines(case / "generate.txt"):
        rel, size = line.rsplit(" ", 1)
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        filler = b"# filler\n" * (int(size) // 9 + 1)
        target.write_bytes(filler[: int(size)])
    return root


def error_lines(stderr: str) -> list[str]:
    """The error lines of ``exercise validate``'s output (not warnings, not the summary)."""
    lines = []
    for line in stderr.splitlines():
        if ": warning: " in line or " error(s), " in line or not line.strip():
            continue
        lines.append(line)
    return lines
