"""Sheets from strangers: each bad file gets one clear message, in bounded time and memory.

Nothing here depends on openpyxl's own messages: the files are recognised (or refused)
before openpyxl reads them, or its failures are reported in the project's words.
"""

from __future__ import annotations

import zipfile

import pytest
from msel_support import pack_copy, write_xlsx

from exercise.cli import main
from exercise.msel.read import MAX_ROWS, MAX_UNPACKED_BYTES

HEADERS = ["Inject ID", "Turn", "Kind", "From", "Title", "Description"]


def _import(sheet, tmp_path, capsys) -> str:
    out = tmp_path / "out.yaml"
    capsys.readouterr()
    assert main(["msel", "import", str(sheet), "--out", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_not_a_spreadsheet(tmp_path, capsys):
    sheet = tmp_path / "notes.xlsx"
    sheet.write_text("just some notes\n", encoding="utf-8")
    assert f"{sheet}:1:1: not an .xlsx workbook" in _import(sheet, tmp_path, capsys)


def test_a_zip_that_is_not_a_workbook(tmp_path, capsys):
    sheet = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert f"{sheet}:1:1: the workbook cannot be read" in _import(sheet, tmp_path, capsys)


def test_a_workbook_whose_sheet_is_damaged(tmp_path, capsys):
    # The workbook opens; its sheet's XML breaks only when the rows are read.
    good = tmp_path / "good.xlsx"
    write_xlsx(good, [HEADERS, ["x-1", 1, "statement", "usa", "T", "B"]])
    sheet = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(sheet, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><row <<")
            target.writestr(part, data)
    assert f"{sheet}:1:1: the workbook cannot be read" in _import(sheet, tmp_path, capsys)


def test_encrypted_workbook(tmp_path, capsys):
    # A password-protected .xlsx is an OLE compound file holding an EncryptedPackage.
    sheet = tmp_path / "secret.xlsx"
    sheet.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    )
    err = _import(sheet, tmp_path, capsys)
    assert f"{sheet}:1:1: the workbook is encrypted (password-protected)" in err


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, capsys):
    sheet = tmp_path / "bomb.xlsx"
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 8):
            member.write(chunk)
    assert sheet.stat().st_size < 1 << 20  # small on disk
    assert "is it a ZIP bomb?" in _import(sheet, tmp_path, capsys)


def test_merged_header_cells(tmp_path, capsys):
    sheet = tmp_path / "merged.xlsx"
    book = write_xlsx(
        sheet, [[*HEADERS[:5], "Description", None], ["x-1", 1, "statement", "usa", "T", "B", None]]
    )
    book.active.merge_cells("F1:G1")
    book.save(sheet)
    err = _import(sheet, tmp_path, capsys)
    assert f"{sheet}:MSEL!F1: merged cells F1:G1: unmerge them" in err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_hundred_thousand_rows(suffix, tmp_path, capsys):
    sheet = tmp_path / f"huge{suffix}"
    if suffix == ".csv":
        sheet.write_text(",".join(HEADERS) + "\n" + "x,1,statement,usa,T,B\n" * 100_000)
    else:  # the sheet's XML written directly: openpyxl would take seconds to make it
        write_xlsx(sheet, [HEADERS])
        with zipfile.ZipFile(sheet) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        part = "xl/worksheets/sheet1.xml"
        rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, 100_002))
        parts[part] = parts[part].replace(
            b"</row></sheetData>", b"</row>" + rows.encode() + b"</sheetData>"
        )
        with zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    err = _import(sheet, tmp_path, capsys)
    assert f"{sheet}:1:1: the sheet has more than {MAX_ROWS:,} rows (the limit)" in err


def test_formula_without_a_saved_value_is_an_error_at_its_cell(tmp_path, capsys):
    sheet = tmp_path / "formula.xlsx"
    write_xlsx(sheet, [HEADERS, ["x-1", 1, "statement", "usa", '=CONCAT("A", " title")', "B"]])
    err = _import(sheet, tmp_path, capsys)
    assert f"{sheet}:MSEL!E2: a formula without a saved value" in err


def test_formulas_are_read_through_their_saved_values(tmp_path, capsys):
    sheet = tmp_path / "cached.xlsx"
    write_xlsx(sheet, [HEADERS, ["x-1", "=0+1", "statement", "usa", "A title", "A body."]])
    # What a spreadsheet application saves: the formula and the value it computed.
    with zipfile.ZipFile(sheet) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    part = "xl/worksheets/sheet1.xml"
    assert b"<f>0+1</f><v />" in parts[part]
    parts[part] = parts[part].replace(b"<f>0+1</f><v />", b"<f>0+1</f><v>2</v>")
    with zipfile.ZipFile(sheet, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    copy = pack_copy(tmp_path / "copy")
    out = copy / "injects" / "cached.yaml"
    assert main(["msel", "import", str(sheet), str(copy), "--out", str(out)]) == 0
    assert "turn: 2" in out.read_text(encoding="utf-8")


def test_csv_that_is_not_utf8_or_not_text(tmp_path, capsys):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(HEADERS).encode() + b"\nx,1,statement,usa,Caf\xe9,B\n")
    assert f"{latin}:2:22: not UTF-8 text" in _import(latin, tmp_path, capsys)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    assert f"{binary}:1:1: not a text file" in _import(binary, tmp_path, capsys)


def test_other_file_kinds_are_named(tmp_path, capsys):
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "an old .xls workbook: save it as .xlsx" in _import(old, tmp_path, capsys)
    missing = tmp_path / "missing.csv"
    assert f"{missing}:1:1: " in _import(missing, tmp_path, capsys)
