"""Untrusted text stays text: no terminal control characters, single-line names.

Pack files, imported journals and what players type may hold C0/C1 control characters
(an OSC 52 sequence sets the facilitator's clipboard, OSC 0 the terminal's title). They
are removed where text enters the program; newline and tab are kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sys
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any, TypeVar

_D = TypeVar("_D")

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_STRIP = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def first_control(text: str) -> int | None:
    """The index of the first control character in ``text`` (not newline or tab)."""
    match = CONTROLS.search(text)
    return match.start() if match else None


def printable(text: str) -> str:
    """``text`` without C0/C1 control characters (newline and tab are kept)."""
    return text.translate(_STRIP) if CONTROLS.search(text) else text


def printable_data(value: Any) -> Any:
    """``printable`` applied to every string (keys too) in nested dicts and lists."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_data(k): printable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(printable_data(v) for v in value)
    return value


def printable_fields(value: _D) -> _D:
    """A copy of a dataclass value (a command) with ``printable_data`` applied to every
    field; vocabulary words (enums) stay as they are."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):  # type: ignore[arg-type]
        item = getattr(value, f.name)
        if isinstance(item, Enum):
            continue
        if isinstance(item, Mapping) and not isinstance(item, dict):
            item = dict(item)
        changes[f.name] = printable_data(item)
    return dataclasses.replace(value, **changes)  # type: ignore[type-var]


def json_escaped(line: str) -> str:
    """A JSON text with its control characters written as ``\\uXXXX`` (the same data;
    ``json.dumps`` leaves DEL and C1 characters raw, and a terminal obeys them)."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def one_line(text: str) -> str:
    """A name on one line: line breaks and tabs become spaces, controls go."""
    return " ".join(printable(text).split())


class PrintableStream:
    """A text stream that passes everything on but control characters, so that no pack
    or journal text can send escape sequences to the terminal of a command's user."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Filter ``sys.stdout`` and ``sys.stderr`` through ``PrintableStream`` for a while."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
