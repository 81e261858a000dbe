"""``exercise report``: sessions by name or path, several formats in one run, PDF."""

from __future__ import annotations

import json

import pytest
from report_support import play

from exercise.cli import main


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    play(sessions / "seminar.session").close()
    return tmp_path


def test_one_run_writes_every_format_asked_for(data_dir, capsys):
    out = data_dir / "out" / "seminar-aar"
    code = main(["report", "seminar", "--format", "md", "--format", "html", "--format", "json",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    md = (out.parent / "seminar-aar.md").read_text(encoding="utf-8")
    html = (out.parent / "seminar-aar.html").read_text(encoding="utf-8")
    data = json.loads((out.parent / "seminar-aar.json").read_text(encoding="utf-8"))
    assert md.startswith("# After-action report: Engine test exercise")
    assert html.startswith("<!DOCTYPE html>")
    assert data["overview"]["session"] == "Report rehearsal"


def test_session_given_as_a_path_and_anonymised(data_dir, capsys):
    path = data_dir / "data" / "sessions" / "seminar.session"
    out = data_dir / "shared.md"
    assert main(["report", str(path), "--anonymise", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Alice" not in text and "Anonymised" in text


def test_missing_session_is_a_clear_error(data_dir, capsys):
    assert main(["report", "nothing-here"]) == 2
    err = capsys.readouterr().err
    assert "no session at" in err and "Traceback" not in err


def test_pdf_report_has_its_pages_and_title(data_dir, capsys):
    pypdf = pytest.importorskip("pypdf")
    from exercise.render.pdf import pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint or Pango is not installed")
    out = data_dir / "seminar.pdf"
    assert main(["report", "seminar", "--format", "pdf", "--out", str(out)]) == 0
    reader = pypdf.PdfReader(str(out))
    # cover and overview, summary with charts, timeline, roles, objectives,
    # hotwash and plan, appendices: every chapter starts on a new page
    assert 7 <= len(reader.pages) <= 16
    first = " ".join(reader.pages[0].extract_text().split())
    assert "After-action report and improvement plan" in first
    assert "Engine test exercise" in first
    assert "1. Exercise overview" in first
    assert f"page 1 of {len(reader.pages)}" in first



def test_missing_weasyprint_says_what_to_install(data_dir, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    out = data_dir / "seminar.pdf"
    assert main(["report", "seminar", "--format", "pdf", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert 'pip install "exercise[pdf]"' in err
    assert "libpango-1.0-0 libpangoft2-1.0-0" in err
    assert not out.exists()
