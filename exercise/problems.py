"""Problems found in user files, reported as ``path:line:col: message``.

One type for every error and warning the tool reports about files it reads, so the
command line prints them all the same way and exits 2 on any error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning at a place in a file (line and column are 1-based)."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ProblemsError(Exception):
    """Raised when input cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


class UserError(Exception):
    """A command cannot go on for a reason the user can fix; the message says how."""
