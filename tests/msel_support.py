"""Helpers for the MSEL spreadsheet tests: a copy of the bundled pack, sheet cells."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

from exercise.paths import bundled_pack


def pack_copy(target: Path, *, injects: bool = True) -> Path:
    """A copy of the bundled pack at ``target`` (its injects folder empty if not wanted)."""
    source = bundled_pack()
    target.mkdir(parents=True)
    shutil.copy(source / "scenario.yaml", target / "scenario.yaml")
    shutil.copy(source / "rehearsal.yaml", target / "rehearsal.yaml")
    shutil.copytree(source / "roles", target / "roles")
    if injects:
        shutil.copytree(source / "injects", target / "injects")
    else:
        (target / "injects").mkdir()
    return target


def sheet_cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cells by sheet name (a CSV is one sheet named after the file)."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {path.name: list(csv.reader(handle))}
    import openpyxl

    book = openpyxl.load_workbook(path)
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_xlsx(path: Path, rows: list[list[Any]], title: str = "MSEL") -> Any:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return book


def column(headers: list[Any], name: str) -> int:
    """1-based column number of the header ``name``."""
    return headers.index(name) + 1


def letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)
