"""``exercise session msel``: the played MSEL of a rehearsed session."""

from __future__ import annotations

import pytest
from msel_support import sheet_cells

from exercise.cli import main


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("played")
    session = folder / "rehearsal.session"
    assert main(["simulate", "--session", str(session)]) == 0
    return session


def _rows(path):
    cells = next(iter(sheet_cells(path).values()))
    headers = cells[0]
    return {
        row[headers.index("Inject ID")]: dict(zip(headers, row, strict=False)) for row in cells[1:]
    }


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_played_msel_records_what_happened_to_each_inject(rehearsed, tmp_path, suffix, capsys):
    out = tmp_path / f"played{suffix}"
    assert main(["session", "msel", str(rehearsed), "--out", str(out)]) == 0
    rows = _rows(out)
    statuses = {row["Status"] for row in rows.values()}
    assert {"released", "skipped", "ad hoc", "expired"} <= statuses
    first = rows["t1-kn23-salvo"]
    assert (first["Status"], str(first["Turn"]), first["Phase"]) == ("released", "1", "injects")
    assert first["Why"] == "scheduled for turn 1" and first["Who"] == "Control"
    assert first["Wall clock"].startswith("2026-03-12 09:")
    held = rows["t3-moscow-warns"]
    assert held["Status"] == "released"
    assert "held by Control: Keep Moscow's warning" in held["Held or skipped"]
    skipped = rows["t6-rare-earths"]
    assert skipped["Status"] == "skipped"
    assert skipped["Why"].startswith("The economic-coercion thread has been played")
    edited = rows["t2-lsam-first-battery"]
    assert "title (was “Korea fields its first L-SAM battery”) edited" in edited["Edits"]
    adhoc = next(row for row in rows.values() if row["Status"] == "ad hoc")
    assert adhoc["Title"] == "Candlelight vigils spread from Pyeongtaek to Seoul"
    assert adhoc["Planned"] == "ad hoc" and str(adhoc["Turn"]) == "4"
    fired = [row for row in rows.values() if str(row["Why"]).startswith("its condition held")]
    assert fired, "conditional injects say why they fired"
    numbers = [int(row["Event #"]) for row in rows.values()]
    assert numbers == list(range(1, len(rows) + 1))


def test_played_msel_never_replaces_a_file(rehearsed, tmp_path, capsys):
    out = tmp_path / "played.xlsx"
    out.write_bytes(b"keep")
    assert main(["session", "msel", str(rehearsed), "--out", str(out)]) == 2
    assert out.read_bytes() == b"keep"


def test_played_msel_of_a_missing_session(tmp_path, capsys):
    out = tmp_path / "played.xlsx"
    assert main(["session", "msel", str(tmp_path / "nope.session"), "--out", str(out)]) == 2
    assert "Traceback" not in capsys.readouterr().err and not out.exists()
