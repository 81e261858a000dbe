"""Problems at spreadsheet cells: ``msel.xlsx:MSEL!E7: ...`` and ``msel.csv:9:4: ...``.

The pack's checks report a problem by its place in the data (``injects[3].audience[1]``);
``SheetPositions`` answers those places with the cell the value came from, so the same
validation as ``exercise validate`` speaks in cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exercise.problems import Problem, Severity

DataPath = tuple[str | int, ...]
_MISSING = re.compile(r"^missing required field '([^']+)'")


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value; the message says why."""


def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_ref(sheet: str) -> str:
    """A sheet's name as a cell reference writes it ('My sheet' is quoted)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True, order=True)
class CellProblem(Problem):
    """A problem at a cell of a workbook sheet; prints as ``file:Sheet!B12: message``."""

    sheet: str = ""

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        cell = f"{sheet_ref(self.sheet)}!{column_letter(self.col)}{self.line}"
        return f"{self.path}:{cell}: {prefix}{self.message}"


@dataclass(frozen=True)
class Where:
    """The file (and sheet, for a workbook) problems are reported in."""

    file: str
    sheet: str | None = None  # None: a CSV file, cells as row:column

    def problem(self, row: int, col: int, message: str, *, warning: bool = False) -> Problem:
        severity: Severity = "warning" if warning else "error"
        if self.sheet is None:
            return Problem(self.file, row, max(col, 1), message, severity)
        return CellProblem(self.file, row, max(col, 1), message, severity, self.sheet)


class SheetPositions:
    """Stands in for ``yamlpos.Positions``: a data path of the sheet's injects -> its cell.

    ``rows[i]`` is the sheet row of inject ``i``; ``columns`` maps a field to its column.
    A path that names no column (a missing field whose column is absent) falls back to
    the row's first cell.
    """

    def __init__(self, where: Where, rows: list[int], columns: dict[str, int]) -> None:
        self.where = where
        self.file = where.file
        self.rows = rows
        self.columns = columns
        self.first_col = min(columns.values(), default=1)

    def cell(self, path: DataPath, message: str = "") -> tuple[int, int]:
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
        row = self.rows[index] if 0 <= index < len(self.rows) else 1
        field = path[2] if len(path) > 2 else None
        missing = _MISSING.match(message)
        if field is None and missing:
            field = missing.group(1)
        col = (
            self.columns.get(str(field), self.first_col) if field is not None else (self.first_col)
        )
        return row, col

    def at(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        return self.cell(path)

    def is_yaml11_bool(self, path: DataPath) -> bool:
        return False

    def problem(
        self, path: DataPath, message: str, *, key: bool = False, warning: bool = False
    ) -> Problem:
        row, col = self.cell(path, message)
        return self.where.problem(row, col, message, warning=warning)
