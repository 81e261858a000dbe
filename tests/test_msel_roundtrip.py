"""The MSEL as a spreadsheet: export, import into a copy of the pack, export again."""

from __future__ import annotations

from pathlib import Path

import pytest
from msel_support import pack_copy, sheet_cells

from exercise.cli import main
from exercise.pack.loader import load_pack
from exercise.paths import bundled_pack


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_gives_identical_cells_a_strict_pack_and_the_same_preview(
    suffix, tmp_path, capsys
):
    first = tmp_path / f"msel{suffix}"
    assert main(["msel", "export", "--out", str(first)]) == 0
    copy = pack_copy(tmp_path / "copy", injects=False)
    out = copy / "injects" / "msel.yaml"
    code = main(["msel", "import", str(first), str(copy), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    second = tmp_path / f"again{suffix}"
    assert main(["msel", "export", str(copy), "--out", str(second)]) == 0
    assert (
        sheet_cells(first)[first.name if suffix == ".csv" else "MSEL"]
        == sheet_cells(second)[second.name if suffix == ".csv" else "MSEL"]
    )
    if suffix == ".xlsx":
        assert sheet_cells(first) == sheet_cells(second)  # reference and lists too
    capsys.readouterr()
    assert main(["validate", "--strict", str(copy)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    for bare in ([], ["--no-script"]):
        assert main(["preview", *bare]) == 0
        original = capsys.readouterr().out.replace(str(bundled_pack()), "PACK")
        assert main(["preview", str(copy), *bare]) == 0
        assert capsys.readouterr().out.replace(str(copy), "PACK") == original
    assert load_pack(copy).pack.injects == load_pack(bundled_pack()).pack.injects


TRICKY = """\
injects:
  - id: zz-tricky
    turn: {first: 2, last: 3}
    kind: statement
    from: KCNA
    byline: "조선중앙통신 — «KCNA»"
    audience: [rok, japan]
    title: "=SUM(A1:A3) is not a formula; yes, no: 'quoted'"
    body: |
      # Heading

      - a **bold** list item
      - an *italic* one with `code`

        an indented line
      日本語のテキスト 🚀 and “quotes”.
    expected_actions:
      - "- starts with a dash"
      - "@mention, +plus and 0042"
    questions: ["Who speaks first?", "true", "a tab\there, trailing spaces   "]
    objectives: [obj-coord-response]
    effects: {tension: -2}
    condition:
      any:
        - not: {released: t1-kn23-salvo}
        - {chance: 0.25}
        - move: {role: rok, tag: accept-thaad, ruled: [accepted]}
    tags: [odd-one]
"""


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_markdown_lists_unicode_and_odd_text_survive(suffix, tmp_path, capsys):
    source = pack_copy(tmp_path / "source")
    objective = load_pack(source).pack.manifest.objectives[0].id
    (source / "injects" / "zz.yaml").write_text(
        TRICKY.replace("obj-coord-response", objective), encoding="utf-8"
    )
    before = load_pack(source)
    assert before.ok, [str(p) for p in before.problems]
    sheet = tmp_path / f"msel{suffix}"
    assert main(["msel", "export", str(source), "--out", str(sheet)]) == 0
    copy = pack_copy(tmp_path / "copy", injects=False)
    code = main(
        ["msel", "import", str(sheet), str(copy), "--out", str(copy / "injects" / "m.yaml")]
    )
    assert code == 0, capsys.readouterr().err
    after = load_pack(copy)
    assert after.pack.injects == before.pack.injects
    if suffix == ".csv":  # a spreadsheet opening the CSV sees text, not a formula
        assert "\"'=SUM(A1:A3) is not a formula" in sheet.read_text(encoding="utf-8-sig")
    text = (copy / "injects" / "m.yaml").read_text(encoding="utf-8")
    assert "日本語のテキスト 🚀" in text and "body: |" in text  # readable, not escaped


def test_export_and_import_never_replace_a_file(tmp_path, capsys):
    out = tmp_path / "msel.xlsx"
    out.write_bytes(b"precious")
    assert main(["msel", "export", "--out", str(out)]) == 2
    assert out.read_bytes() == b"precious"
    sheet = tmp_path / "m.csv"
    assert main(["msel", "export", "--out", str(sheet)]) == 0
    target = tmp_path / "injects.yaml"
    target.write_text("keep me", encoding="utf-8")
    assert main(["msel", "import", str(sheet), "--out", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "keep me"
    assert "already exists" in capsys.readouterr().err


def test_the_workbook_is_a_usable_spreadsheet(tmp_path):
    import openpyxl

    out = tmp_path / "msel.xlsx"
    assert main(["msel", "export", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["MSEL"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Event #", "Turn", "In-game date", "Inject ID", "Title"]
    assert {
        "Description",
        "Expected player action",
        "Controller notes",
        "Effects",
        "Condition",
        "Condition (in words)",
    } <= set(headers)
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=headers.index("Description") + 1).alignment.wrap_text
    assert sheet.column_dimensions["J"].width > 20
    kinds = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    kind_col = openpyxl.utils.get_column_letter(headers.index("Kind") + 1)
    assert any(str(v.sqref).startswith(f"{kind_col}2:") for v in kinds)
    assert book["Lists"].sheet_state == "hidden"
    reference = [row[0] for row in book["Reference"].iter_rows(values_only=True)]
    for heading in ("Roles", "Tracks", "Objectives", "Move tags (for conditions)"):
        assert heading in reference
    assert "usa" in reference and "tension" in reference


def test_hseep_headers_in_any_order_and_case(tmp_path, capsys):
    from msel_support import write_csv

    sheet = tmp_path / "hseep.csv"
    write_csv(
        sheet,
        [
            [
                "MSEL #",
                "  inject id ",
                "EVENT SYNOPSIS",
                "Message",
                "Inject type",
                "From",
                "To",
                "Turn",
                "Objective/Core Capability",
                "Responsible Controller",
            ],
            [
                "1",
                "h-one",
                "A launch",
                "Text of the launch.",
                "missile_launch",
                "dprk",
                "rok, japan",
                "2",
                "obj-dprk-deterrence",
                "Ann",
            ],
        ],
    )
    copy = pack_copy(tmp_path / "copy")
    out = copy / "injects" / "hseep.yaml"
    assert main(["msel", "import", str(sheet), str(copy), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "hseep.csv:1:10: warning: column 'Responsible Controller'" in err
    inject = load_pack(copy).pack.injects_by_id["h-one"]
    assert (inject.turn, inject.audience, inject.body) == (
        2,
        ["rok", "japan"],
        "Text of the launch.",
    )


def test_import_defaults_to_the_packs_injects_folder(tmp_path, capsys):
    sheet = tmp_path / "extra.csv"
    from msel_support import write_csv

    write_csv(
        sheet,
        [
            ["Inject ID", "Turn", "Kind", "From", "Title", "Description"],
            ["x-extra", "1", "statement", "usa", "A title", "A body."],
        ],
    )
    copy = pack_copy(tmp_path / "copy")
    assert main(["msel", "import", str(sheet), str(copy)]) == 0
    assert Path(copy / "injects" / "extra.yaml").is_file()
    assert "x-extra" in load_pack(copy).pack.injects_by_id


def test_every_inject_field_has_a_column():
    from exercise.msel.columns import active_columns
    from exercise.msel.fields import inject_fields

    keys = {column.key for column in active_columns()}
    assert set(inject_fields()) <= keys, "add the new field to exercise/msel/columns.py"


def test_spreadsheet_code_stays_out_of_the_apps_start_up():
    import subprocess
    import sys

    code = (
        "import sys, exercise.cli, exercise.ui.app, exercise.msel.columns, "
        "exercise.msel.importer, exercise.msel.read\n"
        "print('openpyxl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
