"""Write a table to .xlsx (a usable spreadsheet) or .csv (UTF-8, what Excel opens).

The workbook has a frozen, filtered header row, column widths, wrapped text, drop-down
lists (kept on a hidden ``Lists`` sheet, so they may be long) and any reference sheets
the caller gives. Text is always written as text: a description that starts with '='
stays words, never becomes a formula. Files are created, never replaced.
"""

from __future__ import annotations

import csv
import io
import re
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exercise.msel.files import write_new
from exercise.problems import Problem, ProblemsError, UserError

if TYPE_CHECKING:  # openpyxl itself is imported only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAX_CELL_CHARS = 32_767  # what a spreadsheet cell holds
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SPARE_ROWS = 500  # drop-downs reach this far below the last row, for rows added later


@dataclass
class Choice:
    """A drop-down on a column: ``strict`` refuses values outside the list."""

    column: int  # 1-based
    values: list[str]
    strict: bool
    title: str


Block = tuple[str, list[str], list[list[Any]]]


@dataclass
class Table:
    title: str
    headers: list[str]
    widths: list[int]
    rows: list[list[Any]]
    choices: list[Choice] = field(default_factory=list)
    #: Reference sheets: (title, blocks, column widths); a block is a heading, its
    #: column headers and its rows, one under the other.
    extra: list[tuple[str, list[Block], list[int]]] = field(default_factory=list)
    #: For messages about a cell that cannot be written: what row i is (e.g. "inject 'x'").
    names: list[str] = field(default_factory=list)


def check_cells(table: Table, out: str) -> None:
    """Refuse cells a spreadsheet would cut or reject, naming the row and column."""
    problems = []
    for index, row in enumerate(table.rows):
        for col, value in enumerate(row):
            if not isinstance(value, str):
                continue
            what = table.names[index] if index < len(table.names) else f"row {index + 2}"
            if len(value) > MAX_CELL_CHARS:
                problems.append(
                    Problem(
                        out,
                        index + 2,
                        col + 1,
                        (
                            f"{what}: its {table.headers[col]} has {len(value):,} characters, more "
                            f"than a spreadsheet cell holds ({MAX_CELL_CHARS:,})"
                        ),
                    )
                )
            elif _ILLEGAL.search(value):
                problems.append(
                    Problem(
                        out,
                        index + 2,
                        col + 1,
                        (
                            f"{what}: its {table.headers[col]} holds a control character a "
                            "spreadsheet cannot store"
                        ),
                    )
                )
    if problems:
        raise ProblemsError(problems)


def write_table(table: Table, out: Path) -> None:
    """Write ``table`` to ``out`` (.xlsx or .csv), refusing to replace an existing file."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(f"{out}: give a file name ending in .xlsx or .csv")
    if out.exists() or out.is_symlink():
        raise UserError(f"{out} already exists; choose another file name (nothing was written)")
    if suffix == ".xlsx":
        check_cells(table, str(out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{out}: the folder {folder} does not exist")
    if suffix == ".csv":
        data = _csv_bytes(table)
    else:
        buffer = io.BytesIO()
        _write_xlsx(table, buffer)
        data = buffer.getvalue()
    try:
        write_new(out, data)
    except FileExistsError:
        raise UserError(f"{out} already exists; choose another file name") from None
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None


#: A CSV cell starting with one of these is a formula to Excel (CSV injection); such text
#: is written after an apostrophe, Excel's own mark for "this is text", and read back
#: without it. Text that itself starts with an apostrophe gets one more.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_value(text: str) -> str:
    """A CSV cell's text as the pack holds it (the inverse of ``csv_text``)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the mark tells Excel it is UTF-8


def _write_xlsx(table: Table, handle: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # the one sheet a new workbook has (its active one)
    _fill_main_sheet(sheet, table)
    if table.choices:
        _add_choice_lists(book, sheet, table)
    for title, blocks, widths in table.extra:
        _add_extra_sheet(book, title, blocks, widths)
    book.save(handle)


def _fill_main_sheet(sheet: Worksheet, table: Table) -> None:
    """The header row, the rows as text or numbers, widths, frozen header and filter."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet.title = table.title
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, header in enumerate(table.headers, start=1):
        _header_cell(sheet, 1, col, header, wrap=True)
    wrapped: Any = None  # the style of a wrapped cell, made once and copied (much faster)
    for index, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = _text_cell(sheet, index, col, value)
            if wrapped is None:
                cell.alignment = wrap
                wrapped = getattr(cell, "_style", None)
            else:
                cell._style = copy(wrapped)
    for col, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    last = get_column_letter(len(table.headers))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def _header_cell(sheet: Worksheet, row: int, col: int, header: str, *, wrap: bool) -> None:
    """A bold, shaded header cell (wrapped on the main sheet)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = sheet.cell(row=row, column=col, value=header)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DCE6F1")
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _text_cell(sheet: Worksheet, row: int, col: int, value: Any) -> Any:
    """A cell holding ``value``; text that starts with '=' stays text, never a formula."""
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _add_choice_lists(book: Workbook, sheet: Worksheet, table: Table) -> None:
    """The drop-downs: each list on a hidden ``Lists`` sheet, validated on its column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    end = len(table.rows) + 1 + SPARE_ROWS
    for number, choice in enumerate(table.choices, start=1):
        letter = get_column_letter(number)
        lists.cell(row=1, column=number, value=choice.title)
        for line, value in enumerate(choice.values, start=2):
            lists.cell(row=line, column=number, value=value).data_type = "s"
        rule = DataValidation(
            type="list",
            formula1=f"Lists!${letter}$2:${letter}${len(choice.values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if choice.strict else "information",
            errorTitle=choice.title,
            error=(
                f"Choose a value from the list ({choice.title})."
                if choice.strict
                else "Not in the list: several values go one a line; check the spelling."
            ),
        )
        sheet.add_data_validation(rule)
        target = get_column_letter(choice.column)
        rule.add(f"{target}2:{target}{end}")


def _add_extra_sheet(book: Workbook, title: str, blocks: list[Block], widths: list[int]) -> None:
    """A reference sheet: blocks of a heading, a header row and rows, one under another."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    extra = book.create_sheet(title)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = 1
    for heading, headers, rows in blocks:
        extra.cell(row=top, column=1, value=heading).font = Font(bold=True, size=12)
        for col, header in enumerate(headers, start=1):
            _header_cell(extra, top + 1, col, header, wrap=False)
        for index, values in enumerate(rows, start=top + 2):
            for col, value in enumerate(values, start=1):
                if value is not None and value != "":
                    _text_cell(extra, index, col, value).alignment = wrap
        top += len(rows) + 3
    for col, width in enumerate(widths, start=1):
        extra.column_dimensions[get_column_letter(col)].width = width
