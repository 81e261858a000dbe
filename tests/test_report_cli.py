"""``exercise report``: sessions by name or path, several formats in one run, PDF."""

from __future__ import annotations

import json
import re

import pytest
from report_support import chart_legends, chart_svgs, play
from system_deps import need_pdf

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
    code = main(
        [
            "report",
            "seminar",
            "--format",
            "md",
            "--format",
            "html",
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
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


def page_texts(path) -> list[str]:
    import pypdf

    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(path)).pages]


def near_blank(texts: list[str]) -> list[int]:
    """Pages (1-based) with almost nothing on them, the cover and the last page apart."""
    return [
        n
        for n, text in enumerate(texts, 1)
        if 1 < n < len(texts) and len(re.sub(r"After-action report · .*$", "", text)) < 300
    ]


def test_pdf_report_has_a_cover_and_no_near_blank_page(data_dir, capsys):
    need_pdf()
    out = data_dir / "seminar.pdf"
    assert main(["report", "seminar", "--format", "pdf", "--out", str(out)]) == 0
    texts = page_texts(out)
    assert 4 <= len(texts) <= 12
    cover = texts[0]
    assert cover.startswith("After-action report and improvement plan Engine test exercise")
    assert "1. Exercise overview" not in cover  # the cover is a page of its own
    assert "1. Exercise overview" in texts[1]
    assert f"page 1 of {len(texts)}" in cover
    assert near_blank(texts) == []


#: Where a chart prints: an A4 page (narrower than Letter) less its 16 mm side margins,
#: and at most 90 mm high (``.chart img`` in base.html.j2).
PRINT_WIDTH_MM, PRINT_HEIGHT_MM = 210 - 2 * 16, 90
_VIEWBOX = re.compile(r'<svg[^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"')


def smallest_chart_label_pt(svg: str) -> float:
    """The smallest font of a chart (ticks, legend, titles) once printed, in points."""
    width, height = (float(n) for n in _VIEWBOX.match(svg).groups())
    scale_mm = min(PRINT_WIDTH_MM / width, PRINT_HEIGHT_MM / height)  # per SVG unit
    sizes = [float(px) for px in re.findall(r"font-size:([\d.]+)px", svg)]
    return min(sizes) * scale_mm * 72 / 25.4


@pytest.mark.slow
def test_rehearsal_report_fits_in_thirty_pages(tmp_path, monkeypatch, capsys):
    """The bundled pack's rehearsal: the longest report a new user sees first."""
    need_pdf()
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    assert main(["simulate", "--session", "rehearsal"]) == 0
    out = tmp_path / "rehearsal.pdf"
    assert main(["report", "rehearsal", "--format", "pdf", "--out", str(out)]) == 0
    texts = page_texts(out)
    assert len(texts) <= 30
    assert near_blank(texts) == []
    assert texts[0].startswith("After-action report and improvement plan")
    assert "1. Exercise overview" not in texts[0]  # a cover page of its own
    html = tmp_path / "rehearsal.html"
    assert main(["report", "rehearsal", "--format", "html", "--out", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    charts = chart_svgs(page)
    assert len(charts) == 5  # tension, three pair tracks, messages per turn
    for svg in charts:
        assert smallest_chart_label_pt(svg) >= 8, svg[:120]
        titles = re.findall(r'<text[^>]*class="title"[^>]*>([^<]+)</text>', svg)
        assert "Turn" in titles and len(titles) >= 2, titles  # both axes have a title
    # each legend is page text under its chart: the track's line, then its level bands
    legends = chart_legends(page)
    assert len(legends) == 5
    assert legends[0] == [
        "Regional tension",
        "conflict (9 to 10)",
        "crisis (6 to 8)",
        "strained (3 to 5)",
        "stable (0 to 2)",
    ]
    assert "U.S.–ROK consultation" in legends[-1]  # the messages chart: its channels


def test_missing_weasyprint_says_what_to_install(data_dir, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    out = data_dir / "seminar.pdf"
    assert main(["report", "seminar", "--format", "pdf", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert 'pip install "exercise[pdf]"' in err
    assert "libpango-1.0-0 libpangoft2-1.0-0" in err
    assert not out.exists()
