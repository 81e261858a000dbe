"""Korean, Japanese and Chinese in the documents: the PDF names Noto Sans CJK, so a role
with a Korean name and a Japanese background prints with real glyphs, not empty boxes."""

from __future__ import annotations

import shutil

import pytest
from report_support import MINI_PACK
from system_deps import need_cjk, need_pdf

from exercise.cli import main

KOREAN_NAME = "대한민국"
JAPANESE = "日本の防衛省は、弾道ミサイル防衛の強化を発表した。"


@pytest.fixture
def cjk_pack(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(MINI_PACK, root)
    role = root / "roles" / "rok.yaml"
    text = role.read_text(encoding="utf-8")
    text = text.replace("name: Republic of Korea", f"name: {KOREAN_NAME}", 1)
    lines = [
        f"background: {JAPANESE}" if line.startswith("background:") else line
        for line in text.splitlines()
    ]
    role.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont", "")))
    return names


def test_html_names_the_cjk_fonts(cjk_pack, tmp_path):
    out = tmp_path / "html"
    assert main(["briefs", str(cjk_pack), "--out", str(out), "--format", "html"]) == 0
    html = (out / "brief-rok.html").read_text(encoding="utf-8")
    assert '"Noto Sans CJK KR", "Noto Sans CJK JP"' in html
    assert KOREAN_NAME in html and JAPANESE in html


def test_pdf_brief_prints_korean_and_japanese(cjk_pack, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    need_pdf()
    need_cjk()
    out = tmp_path / "pdf"
    assert main(["briefs", str(cjk_pack), "--out", str(out), "--format", "pdf"]) == 0
    reader = pypdf.PdfReader(str(out / "brief-rok.pdf"))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert KOREAN_NAME in text
    assert "".join(JAPANESE.split()) in text
    # the glyphs come from a CJK face, not a fallback that draws missing-glyph boxes
    assert any("NotoSansCJK" in name.replace("-", "") for name in _fonts(reader)), _fonts(reader)
