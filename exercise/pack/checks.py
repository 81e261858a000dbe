"""Checks that span files: references, ranges and turns (errors), and lint (warnings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exercise.problems import Problem

if TYPE_CHECKING:
    from exercise.pack.loader import Locations
    from exercise.pack.models import Pack


def check_pack(pack: Pack, locations: Locations) -> list[Problem]:
    """Every cross-file problem of ``pack``, errors and warnings together."""
    return []
