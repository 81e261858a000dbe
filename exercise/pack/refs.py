"""Naming what a reference got wrong: an unknown id (with the one meant), a repeated id."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from exercise.problems import Problem

if TYPE_CHECKING:
    from exercise.pack.locations import Locations

MAX_SUGGEST_FROM = 200


class Names:
    """Known ids, indexed once so that suggesting a fix stays fast for thousands."""

    def __init__(self, known: Any) -> None:
        self.names = [str(k) for k in known]
        self.by_head: dict[str, list[str]] = {}
        for name in self.names:
            self.by_head.setdefault(name[:2], []).append(name)

    def candidates(self, value: str) -> list[str]:
        if len(self.names) <= MAX_SUGGEST_FROM:
            return self.names
        return self.by_head.get(value[:2], [])[:MAX_SUGGEST_FROM]


def unknown(what: str, value: str, known: Any) -> str:
    """'unknown role 'chna' (did you mean 'china'?)', or the list of known ids if short."""
    names = known if isinstance(known, Names) else Names(known)
    candidates = names.candidates(value)
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6) if candidates else []
    if close:
        return f"unknown {what} '{value}' (did you mean '{close[0]}'?)"
    if not names.names:
        return f"unknown {what} '{value}' (none are defined)"
    if len(names.names) <= 8:
        return f"unknown {what} '{value}' (known: {', '.join(names.names)})"
    return f"unknown {what} '{value}'"


def duplicates(items: list[Any], list_key: str, what: str, locations: Locations) -> list[Problem]:
    """Each id listed under ``list_key`` of the manifest after its first time."""
    problems = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.id in seen:
            line = (
                locations.manifest.at((list_key, seen[item.id], "id"))[0]
                if (locations.manifest)
                else 0
            )
            problems.append(
                locations.manifest_problem(
                    (list_key, index, "id"),
                    f"duplicate {what} id '{item.id}' (first defined on line {line})",
                )
            )
        else:
            seen[item.id] = index
    return problems
