"""Importing a sheet: every problem names its cell, with the same checks as ``validate``.

One bad value per column that can hold one (byline, expected player action and
controller notes are free text), each in its own row; nothing is written and the
command exits 2.
"""

from __future__ import annotations

import pytest
from msel_support import column, letter, pack_copy, sheet_cells, write_csv, write_xlsx

from exercise.cli import main

# (header, new value, the message's beginning)
BAD_CELLS = [
    ("Turn", "11", "turn 11 is outside the exercise (turns 1..8)"),
    ("Turn", "two", "field 'turn' must be a turn number or a range such as '3 to 6'"),
    ("Inject ID", "Bad ID", "field 'id' must be an id"),
    ("Title", "", "field 'title' must not be empty"),
    (
        "Kind",
        "missle_launch",
        "unknown inject kind 'missle_launch' (did you mean 'missile_launch'?)",
    ),
    ("From", "chna", "unknown role 'chna' (did you mean 'china'?)"),
    ("To", "usa\nrokk", "unknown role 'rokk' (did you mean 'rok'?)"),
    ("Description", "  ", "field 'body' must not be empty"),
    ("Objective(s)", "obj-nope", "unknown objective 'obj-nope'"),
    ("Effects", "tensoin +1", "unknown track 'tensoin' (did you mean 'tension'?)"),
    ("Effects", "tension lots", "write each effect as 'track +N'"),
    ("Condition", "{track: tension, op: '>=', value: 50}", "threshold 50 is outside the range"),
    ("Condition", "{all: [", "condition: invalid YAML"),
    ("Tags", "Bad Tag", "field 'tags[0]' must be an id"),
    ("Priority", "urgent", "field 'priority' must be"),
]


def _bad_sheet(tmp_path) -> tuple[list[list[str]], list[tuple[int, int, str]]]:
    exported = tmp_path / "good.csv"
    assert main(["msel", "export", "--out", str(exported)]) == 0
    rows = sheet_cells(exported)["good.csv"]
    headers = rows[0]
    referenced = {cell for row in rows[1:] for cell in row}  # keep ids others refer to
    expected = []
    candidates = [
        i
        for i, row in enumerate(rows[1:], start=1)
        if not any(
            row[column(headers, "Inject ID") - 1] in c
            and c != row[column(headers, "Inject ID") - 1]
            for c in referenced
        )
    ]
    for (header, value, message), index in zip(BAD_CELLS, candidates[2:], strict=False):
        if header not in headers:
            continue  # a field the pack format does not have yet
        col = column(headers, header)
        rows[index][col - 1] = value
        expected.append((index + 1, col, message))
    # a duplicate id, against the row above it
    dup = candidates[-1]
    id_col = column(headers, "Inject ID")
    rows[dup][id_col - 1] = rows[dup - 1][id_col - 1]
    expected.append(
        (dup + 1, id_col, f"duplicate inject id '{rows[dup][id_col - 1]}' (also on row {dup})")
    )
    return rows, expected


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_each_bad_cell_is_reported_at_its_cell_and_nothing_is_written(suffix, tmp_path, capsys):
    rows, expected = _bad_sheet(tmp_path)
    sheet = tmp_path / f"msel{suffix}"
    if suffix == ".csv":
        write_csv(sheet, rows)
    else:
        write_xlsx(sheet, rows)
    copy = pack_copy(tmp_path / "copy", injects=False)
    out = copy / "injects" / "msel.yaml"
    capsys.readouterr()
    assert main(["msel", "import", str(sheet), str(copy), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert not out.exists()
    assert "Traceback" not in err
    for row, col, message in expected:
        where = f"MSEL!{letter(col)}{row}" if suffix == ".xlsx" else f"{row}:{col}"
        assert f"{sheet}:{where}: {message}" in err, (where, message, err)
    assert "nothing was written" in err


def test_a_missing_required_column_is_one_error_at_the_header(tmp_path, capsys):
    sheet = tmp_path / "short.csv"
    write_csv(sheet, [["Inject ID", "Turn", "Title"], ["x-1", "1", "A title"]])
    assert main(["msel", "import", str(sheet), "--out", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{sheet}:1:1: the sheet has no 'Kind', 'From', 'Description' column" in err
    assert err.count(str(sheet)) == 2  # that error and the summary: no error per row


def test_a_sheet_without_a_header_row(tmp_path, capsys):
    sheet = tmp_path / "plain.csv"
    write_csv(sheet, [["a", "b"], ["c", "d"]])
    assert main(["msel", "import", str(sheet), "--out", str(tmp_path / "x.yaml")]) == 2
    assert f"{sheet}:1:1: no header row" in capsys.readouterr().err


def test_values_under_a_column_without_a_header(tmp_path, capsys):
    sheet = tmp_path / "m.csv"
    write_csv(
        sheet,
        [
            ["Inject ID", "Turn", "Kind", "From", "Title", "Description", ""],
            ["x-1", "1", "statement", "usa", "A title", "A body.", "stray"],
        ],
    )
    copy = pack_copy(tmp_path / "copy")
    assert main(["msel", "import", str(sheet), str(copy), "--out", str(tmp_path / "x.yaml")]) == 2
    assert f"{sheet}:2:7: this column has values but no header" in capsys.readouterr().err


def test_semicolon_csv_dates_from_excel_and_an_empty_sheet(tmp_path, capsys):
    sheet = tmp_path / "semi.csv"
    sheet.write_text(
        "Inject ID;Turn;Kind;From;Title;Description\nx-1;1;statement;usa;A title;A body.\n",
        encoding="utf-8",
    )
    copy = pack_copy(tmp_path / "copy")
    assert main(["msel", "import", str(sheet), str(copy), "--out", str(tmp_path / "a.yaml")]) == 0
    import datetime as dt

    dated = tmp_path / "dated.xlsx"
    write_xlsx(
        dated,
        [
            ["Inject ID", "Turn", "Kind", "From", "Title", "Description"],
            ["x-2", dt.datetime(2026, 2, 6), "statement", "usa", "T", "B"],
        ],
    )
    capsys.readouterr()
    assert main(["msel", "import", str(dated), str(copy), "--out", str(tmp_path / "b.yaml")]) == 2
    assert f"{dated}:MSEL!B2: the spreadsheet turned this cell into a date" in (
        capsys.readouterr().err
    )
    empty = tmp_path / "empty.csv"
    write_csv(empty, [["Inject ID", "Turn", "Kind", "From", "Title", "Description"]])
    assert main(["msel", "import", str(empty), str(copy), "--out", str(tmp_path / "c.yaml")]) == 2
    assert f"{empty}:1:1: the sheet has no injects" in capsys.readouterr().err
    assert not (tmp_path / "c.yaml").exists()


def test_an_id_the_pack_already_has_names_its_file_and_line(tmp_path, capsys):
    sheet = tmp_path / "dup.csv"
    write_csv(
        sheet,
        [
            ["Inject ID", "Turn", "Kind", "From", "Title", "Description"],
            ["t1-kn23-salvo", "1", "statement", "usa", "A title", "A body."],
        ],
    )
    copy = pack_copy(tmp_path / "copy")
    assert main(["msel", "import", str(sheet), str(copy), "--out", str(tmp_path / "d.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{sheet}:2:1: duplicate inject id 't1-kn23-salvo' (also in injects/turn1.yaml:" in err
