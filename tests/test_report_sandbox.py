"""Templates are user content: injection payloads, resource exhaustion and escapes from
the templates folder are refused with ``template:line: message`` and exit 2."""

from __future__ import annotations

import shutil
import time

import pytest
from report_support import REPORT_PACK, context, environment, play

from exercise.cli import main
from exercise.render.jinja_env import RenderError, make_environment, render

PAYLOADS = {
    "mro": "{{ ''.__class__.__mro__ }}",
    "globals": "{{ cycler.__init__.__globals__ }}",
    "subclasses": "{{ ().__class__.__base__.__subclasses__() }}",
    "huge range": "{% for i in range(10**9) %}x{% endfor %}",
    "huge string": "{{ 'x' * 10**9 }}",
    "huge power": "{{ 10 ** 100000000 }}",
    "wide format": "{{ '%999999999s'|format('x') }}",
    "mutation": "{% set l = overview.participants %}{{ l.append(1) }}",
    "undefined": "{{ no_such_variable }}",
}


@pytest.fixture()
def hostile_pack(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(REPORT_PACK, pack)
    (pack / "reports").mkdir()
    return pack


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_pack_template_payload_is_refused(hostile_pack, tmp_path, payload, capsys, monkeypatch):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    template = hostile_pack / "reports" / "aar.md.j2"
    template.write_text(f"# Report\n{payload}\n", encoding="utf-8")
    assert main(["simulate", str(hostile_pack), "--session", "hostile"]) == 0
    capsys.readouterr()
    code = main(["report", "hostile", "--out", str(tmp_path / "out.md")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{template}:2: "), err
    assert "Traceback" not in err
    assert not (tmp_path / "out.md").exists()


def test_endless_loops_are_stopped_in_time(tmp_path):
    (tmp_path / "aar.md.j2").write_text(
        "ok\n{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
        "{% endfor %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    env = make_environment([tmp_path])
    started = time.monotonic()
    with pytest.raises(RenderError) as info:
        render(env, "aar.md.j2", {}, timeout=0.5)
    assert time.monotonic() - started < 20  # CPU time is limited; the machine may be busy
    assert str(info.value).startswith(
        f"{tmp_path / 'aar.md.j2'}:2: rendering stopped: it exceeded 0.5 s"
    )


def test_templates_cannot_include_files_outside_their_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "up.md.j2").write_text('{% include "../secret.txt" %}', encoding="utf-8")
    (folder / "link.md.j2").symlink_to(secret)
    (folder / "uses-link.md.j2").write_text('{% include "link.md.j2" %}', encoding="utf-8")
    env = make_environment([folder])
    for name in ("up.md.j2", "link.md.j2", "uses-link.md.j2"):
        with pytest.raises(RenderError) as info:
            render(env, name, {})
        assert "do not read" not in str(info.value)


def test_syntax_error_names_template_and_line(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "aar.html.j2").write_text("<p>\n\n{% if %}\n", encoding="utf-8")
    session = play()
    try:
        env = environment(folder)
        with pytest.raises(RenderError) as info:
            render(env, "aar.html.j2", context(session, charts=False))
    finally:
        session.close()
    assert str(info.value).startswith(f"{folder / 'aar.html.j2'}:3: ")


def test_override_is_file_by_file_and_escapes_html(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "aar.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}<p>{{ turns[0].moves[1].text }}</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    session = play()
    try:
        html = render(environment(folder), "aar.html.j2", context(session, charts=False))
        md = render(environment(folder), "aar.md.j2", context(session, charts=False))
    finally:
        session.close()
    assert "<p>We will study the offer &lt;script&gt;alert(1)&lt;/script&gt;.</p>" in html
    assert "<style>" in html  # base.html.j2 still comes from the bundled templates
    assert md.startswith("# After-action report")  # not overridden: the bundled one


def test_pdf_loads_inline_images_and_refuses_every_other_url(tmp_path):
    """A template's ``<img>`` may not read a local file (nor reach the network); an
    inline ``data:`` image is printed, and a refused one is left out, not a crash."""
    import base64
    import io

    pypdf = pytest.importorskip("pypdf")
    image = pytest.importorskip("PIL.Image")
    from system_deps import need_pdf

    need_pdf()
    from exercise.render.pdf import html_to_pdf

    buffer = io.BytesIO()
    image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    png = buffer.getvalue()
    local = tmp_path / "secret.png"
    local.write_bytes(png)
    inline = "data:image/png;base64," + base64.b64encode(png).decode()
    html = (
        f'<html><body><p>Report</p><img src="{local.as_uri()}"><img src="{inline}">'
        f'<img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(html)))
    assert len(reader.pages[0].images) == 1  # the inline one only
