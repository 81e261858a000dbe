"""Where each part of a pack was written, so that checks across files point at it."""

from __future__ import annotations

from dataclasses import dataclass, field

from exercise.pack.yamlpos import DataPath, Positions
from exercise.problems import Problem

MANIFEST = "scenario.yaml"


@dataclass
class Locations:
    """Where each manifest entry, role and inject was defined, for later checks."""

    manifest: Positions | None = None
    roles: dict[str, tuple[Positions, DataPath]] = field(default_factory=dict)
    injects: dict[str, tuple[Positions, DataPath]] = field(default_factory=dict)
    #: Ids of roles and injects that failed validation: already reported, so references
    #: to them are not reported again as unknown.
    broken_roles: set[str] = field(default_factory=set)
    broken_injects: set[str] = field(default_factory=set)

    def manifest_problem(
        self, path: DataPath, message: str, *, warning: bool = False, key: bool = False
    ) -> Problem:
        if self.manifest is None:
            return Problem(MANIFEST, 1, 1, message, "warning" if warning else "error")
        return self.manifest.problem(path, message, warning=warning, key=key)

    def role_problem(
        self,
        role_id: str,
        path: DataPath,
        message: str,
        *,
        warning: bool = False,
        key: bool = False,
    ) -> Problem:
        positions, prefix = self.roles[role_id]
        return positions.problem((*prefix, *path), message, warning=warning, key=key)

    def inject_problem(
        self,
        inject_id: str,
        path: DataPath,
        message: str,
        *,
        warning: bool = False,
        key: bool = False,
    ) -> Problem:
        positions, prefix = self.injects[inject_id]
        return positions.problem((*prefix, *path), message, warning=warning, key=key)
