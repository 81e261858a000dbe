"""Open a sheet someone sent you: .xlsx or .csv, in bounded time and memory.

A workbook is a ZIP of XML parts, so before openpyxl sees it the archive's own sizes are
checked (a small file that unpacks to gigabytes is refused), encrypted and old .xls files
(OLE compound files) are recognised, and the sheet is read in openpyxl's read-only
(streaming) mode, stopping at ``MAX_ROWS``. Merged cells and formulas without a cached
value are found by scanning the sheet's XML as a stream. Every failure is a Problem.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise.msel.cells import Where
from exercise.msel.sheet import csv_value
from exercise.pack.yamlpos import decode, read_bytes
from exercise.problems import Problem, ProblemsError

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_UNPACKED_BYTES = 96 * 1024 * 1024
MAX_PARTS = 2_000
MAX_ROWS = 10_000
MAX_COLS = 100
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+)(\d+)(?::([A-Z]+\d+))?\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
ERROR_VALUES = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)


@dataclass
class Grid:
    """The cells of one sheet: ``rows`` are (row number, values), empty rows left out."""

    where: Where
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_grid(path: Path, name: str) -> Grid:
    """The sheet in ``path`` (``name`` is how messages call it); raises ProblemsError."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, name)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name)
    if suffix == ".xls":
        raise _fail(name, "an old .xls workbook: save it as .xlsx (Excel Workbook) or .csv")
    raise _fail(name, "give a .xlsx or .csv file")


#: What openpyxl raises for a damaged workbook: broken XML (a SyntaxError), a missing part
#: (KeyError), unexpected attributes (TypeError), unreadable styles (ValueError), no
#: workbook part (OSError), and their near relatives.
_DAMAGED: tuple[type[Exception], ...] = (
    SyntaxError,
    LookupError,
    TypeError,
    ValueError,
    OSError,
    AttributeError,
    ArithmeticError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
)

_UNREADABLE = "the workbook cannot be read (damaged, or not an Excel workbook)"


def _fail(name: str, message: str) -> ProblemsError:
    return ProblemsError([Problem(name, 1, 1, message)])


def _col_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def _check_archive(path: Path, name: str) -> tuple[zipfile.ZipFile, int]:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE_MAGIC):
        raise _fail(
            name,
            "the workbook is encrypted (password-protected) or an old .xls file: save "
            "it as an .xlsx workbook without a password",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise _fail(name, "not an .xlsx workbook (an .xlsx file is a ZIP archive; this is not)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(name, "the workbook is damaged (its ZIP archive cannot be read)") from None
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        archive.close()
        raise _fail(name, f"the workbook has too many parts ({len(parts):,})")
    if any(part.flag_bits & 0x1 for part in parts):
        archive.close()
        raise _fail(name, "the workbook is encrypted: save it without a password")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise _fail(
            name,
            f"the workbook unpacks to {unpacked:,} bytes (the limit is "
            f"{MAX_UNPACKED_BYTES:,}): is it a ZIP bomb?",
        )
    return archive, unpacked


def _scan_sheet(archive: zipfile.ZipFile, part: str) -> tuple[list[tuple[str, int, int]], bool]:
    """Merged ranges (ref, row, column) and whether any cell has a formula, by streaming
    the sheet's XML (already bounded by the archive's sizes)."""
    merged: list[tuple[str, int, int]] = []
    formulas = False
    tail = b""
    with archive.open(part) as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            for match in _MERGE.finditer(data):
                col, row, end = match.groups()
                ref = (col + row).decode() + (":" + end.decode() if end else "")
                if (ref, int(row), _col_number(col)) not in merged:
                    merged.append((ref, int(row), _col_number(col)))
            formulas = formulas or bool(_FORMULA.search(data))
            tail = data[-200:]
    return merged, formulas


def _read_xlsx(path: Path, name: str) -> Grid:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail(name, f"cannot read file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise _fail(name, f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    archive, _ = _check_archive(path, name)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    damaged: tuple[type[Exception], ...] = (*_DAMAGED, InvalidFileException)
    try:
        with archive:
            values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except damaged:
        raise _fail(name, _UNREADABLE) from None
    try:  # the sheet's own XML is read only now, row by row
        return _sheet_grid(path, name, values_book)
    except damaged:
        raise _fail(name, _UNREADABLE) from None
    finally:
        values_book.close()


def _sheet_grid(path: Path, name: str, book: Any) -> Grid:
    import openpyxl

    sheets = book.worksheets
    if not sheets:
        raise _fail(name, "the workbook has no worksheet")
    sheet = next((s for s in sheets if s.title.strip().lower() == "msel"), sheets[0])
    grid = Grid(Where(name, sheet.title))
    part = getattr(sheet, "_worksheet_path", None)
    formulas = False
    if part:
        with zipfile.ZipFile(path) as archive:
            merged, formulas = _scan_sheet(archive, part)
        for ref, row, col in merged:
            grid.problems.append(
                grid.where.problem(
                    row,
                    col,
                    f"merged cells {ref}: unmerge them (every row and column needs its own value)",
                )
            )
    formula_rows: Any = iter(())
    if formulas:
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        formula_sheet = formula_book[sheet.title]
        formula_sheet.reset_dimensions()
        formula_rows = formula_sheet.iter_rows(max_col=MAX_COLS + 1, values_only=True)
    else:
        formula_book = None
    sheet.reset_dimensions()  # a sheet's declared size may lie; read what is there
    try:
        for number, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLS + 1, values_only=True), start=1
        ):
            formula_values = next(formula_rows, None) if formulas else None
            if number > MAX_ROWS + 20:
                raise _fail(name, f"the sheet has more than {MAX_ROWS:,} rows (the limit)")
            cells = list(values)
            _check_cells(grid, number, cells, formula_values)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            if not cells:
                continue
            if len(cells) > MAX_COLS:
                raise _fail(name, f"the sheet has more than {MAX_COLS} columns (the limit)")
            grid.rows.append((number, cells))
    finally:
        if formula_book is not None:
            formula_book.close()
    return grid


def _check_cells(grid: Grid, row: int, cells: list[Any], formulas: Any) -> None:
    """Formulas without a cached value and error values are problems at their cells."""
    for index, value in enumerate(cells):
        if (
            value is None
            and formulas is not None
            and index < len(formulas)
            and (formulas[index] is not None)
        ):
            grid.problems.append(
                grid.where.problem(
                    row,
                    index + 1,
                    "a formula without a saved value: open the file in a "
                    "spreadsheet and save it again (or type the value)",
                )
            )
            cells[index] = ""
        elif isinstance(value, str) and value in ERROR_VALUES:
            grid.problems.append(
                grid.where.problem(
                    row,
                    index + 1,
                    f"the cell holds the error {value}: fix its formula or type the value",
                )
            )
            cells[index] = ""


def _read_csv(path: Path, name: str) -> Grid:
    text = decode(read_bytes(path, name, max_bytes=MAX_FILE_BYTES), name)
    first = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    grid = Grid(Where(name))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise _fail(
                name,
                f"row {number + 1} cannot be read as CSV (an unclosed quote, or "
                "a cell over 131,072 characters?)",
            ) from None
        number += 1
        if number > MAX_ROWS + 20:
            raise _fail(name, f"the sheet has more than {MAX_ROWS:,} rows (the limit)")
        if len(values) > MAX_COLS:
            raise _fail(name, f"the sheet has more than {MAX_COLS} columns (the limit)")
        cells: list[Any] = [csv_value(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            grid.rows.append((number, cells))
    return grid
