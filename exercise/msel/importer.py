"""Rows of a sheet -> injects, checked exactly as ``exercise validate`` checks a pack.

Each row becomes the plain data an inject file would hold; the pack's models validate
it, and the pack's cross-file checks run on the pack as it would be with the new file
added. ``SheetPositions`` turns every problem's data path into the cell it came from.
Nothing is written unless the whole sheet is valid, and an existing file is never
replaced.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise.msel.cells import CellError, SheetPositions, Where
from exercise.msel.columns import (
    COLUMNS,
    OMIT,
    PLACEHOLDERS,
    Column,
    active_columns,
    cell_text,
    header_index,
    normalise,
    read_cell,
)
from exercise.msel.read import Grid
from exercise.pack.checks import check_pack
from exercise.pack.loader import _valid_injects, load_pack
from exercise.pack.locations import Locations
from exercise.pack.models import Pack
from exercise.pack.yamlpos import Positions, load_text
from exercise.problems import Problem, ProblemsError

HEADER_SCAN_ROWS = 20


@dataclass
class SheetInjects:
    """What a sheet holds: the injects' data (in row order) and the problems found."""

    items: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # field -> column number
    problems: list[Problem] = field(default_factory=list)
    #: The header row is missing or lacks required columns: rows cannot be checked.
    fatal: bool = False


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each by file, row (line) and column; no repeats."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (not p.is_error, p.path, p.line, p.col, p.message))


def _find_header(grid: Grid, index: dict[str, Column]) -> tuple[int, list[Any]] | None:
    for position, (_number, cells) in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        known = {
            index[normalise(cell_text(c))].key for c in cells if normalise(cell_text(c)) in index
        }
        if len(known) >= 2:
            return position, cells
    return None


def _map_header(
    grid: Grid, number: int, cells: list[Any], index: dict[str, Column], out: SheetInjects
) -> dict[int, Column]:
    where = grid.where
    mapped: dict[int, Column] = {}
    seen: dict[str, int] = {}
    later = {normalise(c.header) for c in COLUMNS} - set(index)
    for col, value in enumerate(cells, start=1):
        text = cell_text(value).strip()
        if not text:
            continue
        column = index.get(normalise(text))
        if column is None:
            if normalise(text) in later:
                what = "is not in the pack format yet"
            else:
                close = difflib.get_close_matches(normalise(text), list(index), n=1, cutoff=0.75)
                what = "is not part of the pack format" + (
                    f" (did you mean '{index[close[0]].header}'?)" if close else ""
                )
            out.problems.append(
                where.problem(
                    number,
                    col,
                    f"column '{text[:40]}' {what}: its values are ignored",
                    warning=True,
                )
            )
            continue
        if column.key in seen:
            out.problems.append(
                where.problem(
                    number,
                    col,
                    f"column '{text[:40]}' repeats the {column.header} column "
                    f"(column {seen[column.key]}): keep one",
                )
            )
            continue
        seen[column.key] = col
        mapped[col] = column
    required = [c for c in index.values() if c.required]
    missing = [c.header for c in dict.fromkeys(required) if c.key not in seen]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        out.problems.append(
            where.problem(
                number,
                1,
                f"the sheet has no {names} column (the header row needs Turn, Inject "
                "ID, Title, Kind, From and Description)",
            )
        )
    return mapped


def read_injects(grid: Grid) -> SheetInjects:
    """The sheet's rows as inject data, with the problems of cells that cannot be read."""
    out = SheetInjects(problems=list(grid.problems))
    where = grid.where
    index = header_index(active_columns())
    found = _find_header(grid, index)
    if found is None:
        out.problems.append(
            where.problem(
                grid.rows[0][0] if grid.rows else 1,
                1,
                "no header row: the first row must name the columns (Turn, Inject ID, Title, "
                "Kind, From, Description...)",
            )
        )
        out.fatal = True
        return out
    position, header = found
    header_row = grid.rows[position][0]
    mapped = _map_header(grid, header_row, header, index, out)
    required = {c.key for c in index.values() if c.required}
    if not required <= {c.key for c in mapped.values()}:
        out.fatal = True
        return out
    out.columns = {column.key: col for col, column in mapped.items() if not column.derived}
    headless: set[int] = set()
    for number, cells in grid.rows[position + 1 :]:
        for col, value in enumerate(cells, start=1):
            unnamed = col > len(header) or not cell_text(header[col - 1]).strip()
            if unnamed and col not in headless and cell_text(value).strip():
                headless.add(col)
                message = "this column has values but no header: name it or delete it"
                out.problems.append(where.problem(number, col, message))
        item = _row_item(number, cells, mapped, where, out)
        if item is not None:
            out.items.append(item)
            out.rows.append(number)
    if not out.items:
        out.problems.append(
            where.problem(header_row, 1, "the sheet has no injects below its header row")
        )
        out.fatal = True
    return out


def _row_item(
    number: int, cells: list[Any], mapped: dict[int, Column], where: Where, out: SheetInjects
) -> dict[str, Any] | None:
    """One row's inject data (None for a row with nothing but derived values); a cell
    that cannot be read is a problem, and a stand-in keeps the rest of the row checked."""
    values = {col: cells[col - 1] if col <= len(cells) else None for col in mapped}
    if not any(
        cell_text(values[col]).strip() for col, column in mapped.items() if not column.derived
    ):
        return None
    item: dict[str, Any] = {}
    for col, column in mapped.items():
        if column.derived:
            continue
        try:
            parsed = read_cell(column, values[col])
        except CellError as exc:
            out.problems.append(where.problem(number, col, str(exc)))
            parsed = (
                f"row-{number}-without-id"
                if column.key == "id"
                else (PLACEHOLDERS.get(column.key, OMIT))
            )
        if parsed is not OMIT:
            item[column.key] = parsed
    return item


def check_injects(sheet: SheetInjects, where: Where, root: Path) -> list[Problem]:
    """Every problem of the pack in ``root`` with the sheet's injects added to it."""
    result = load_pack(root, checks=False)
    problems = list(result.problems)
    if result.pack is None:
        raise ProblemsError(problems)
    pack, locations = result.pack, result.locations
    positions: Any = SheetPositions(where, sheet.rows, sheet.columns)
    data = {"injects": sheet.items}
    found = _valid_injects(data, positions, problems, locations)
    added = []
    for index, inject in found:
        if inject.id in locations.injects:
            problems.append(
                positions.problem(
                    ("injects", index, "id"),
                    f"duplicate inject id '{inject.id}' (also {_place(locations, inject.id)})",
                )
            )
            continue
        locations.injects[inject.id] = (positions, ("injects", index))
        added.append(inject)
    combined = Pack(
        root=pack.root,
        manifest=pack.manifest,
        roles=pack.roles,
        injects=[*pack.injects, *added],
        content_hash=pack.content_hash,
    )
    problems += check_pack(combined, locations)
    return problems


def _place(locations: Locations, inject_id: str) -> str:
    other, prefix = locations.injects[inject_id]
    if isinstance(other, SheetPositions):
        return f"on row {other.rows[prefix[1]]}"  # type: ignore[index]
    assert isinstance(other, Positions)
    return f"in {other.file}:{other.at((*prefix, 'id'))[0]}"


def injects_yaml(sheet: SheetInjects, source: str) -> str:
    """The inject file for a valid sheet, checked to read back as exactly its data."""
    from exercise.msel.flow import dump_injects
    from exercise.msel.yamlout import dump_injects_fast

    comment = f"Injects imported from {_printable(source)} by `exercise msel import`."
    expected = {"injects": sheet.items}
    for dump in (dump_injects_fast, dump_injects):
        text = dump(sheet.items, comment)
        try:
            data, _ = load_text(text, "(written injects)")
        except ProblemsError:  # pragma: no cover - a bug in the fast writer
            continue
        if data == expected:
            return text
    raise ProblemsError(  # pragma: no cover - a bug in both writers
        [
            Problem(
                source,
                1,
                1,
                "internal error: the YAML written would not read back as "
                "the sheet; nothing was written",
            )
        ]
    )


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)
