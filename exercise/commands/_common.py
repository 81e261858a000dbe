"""Helpers shared by commands: resolving the PACK argument."""

from __future__ import annotations

from pathlib import Path

from exercise.paths import bundled_pack


def pack_root(arg: str | None) -> Path:
    """The pack folder a command works on: the argument, or the bundled pack."""
    return Path(arg) if arg else bundled_pack()
