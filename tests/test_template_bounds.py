"""Templates from strangers stay bounded: growing str methods, huge powers and format
widths fail fast with a message; anything else is stopped by the child process's CPU
and memory limits. Exit 2, ``template:line: message``, never a traceback."""

from __future__ import annotations

import resource
import shutil

import pytest
from report_support import REPORT_PACK
from test_report_sandbox import PAYLOADS as SANDBOX_PAYLOADS

from exercise.cli import main
from exercise.render.jinja_env import RenderError, make_environment, render

#: the payloads of the issue: each reached gigabytes or never ended
ISSUE_PAYLOADS = {
    "ljust": "{{ 'x'.ljust(4000000000) }}",
    "rjust": "{{ 'x'.rjust(4000000000) }}",
    "center": "{{ 'x'.center(4000000000) }}",
    "zfill": "{{ 'x'.zfill(4000000000) }}",
    "expandtabs": "{{ ('\\t' * 100000).expandtabs(100000) }}",
    "percent precision": "{{ '%.900000000d' % 1 }}",
    "percent mapping": "{{ '%(a)900000000s' % {'a': 1} }}",
    "nested format": "{{ '{:>{}}'.format('a', 4000000000) }}",
    "format width": "{{ '{:>4000000000}'.format('a') }}",
    "format_map": "{{ '{a:>4000000000}'.format_map({'a': 1}) }}",
    "replace": "{% set s = 'x' * 100000 %}{{ s.replace('x', s) }}",
    "replace filter": "{% set s = 'x' * 100000 %}{{ s|replace('x', s) }}",
    "indent": "{{ ('a\\n' * 500000)|indent(1000) }}",
    "indent string": "{{ ('a\\n' * 500000)|indent('x' * 1000) }}",
    "translate": "{{ 'abc'.translate({97: 'x' * 1000000}) }}",
    "tower of powers": "{{ (((((7**64)**64)**64)**64)**64) > 1 }}",
    "repeated squaring": "{% set ns = namespace(x=7 ** 64) %}{% for i in range(40) %}"
    "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x > 1 }}",
}
PAYLOADS = {**SANDBOX_PAYLOADS, **ISSUE_PAYLOADS}


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """One played session for every payload (``report --templates DIR``)."""
    root = tmp_path_factory.mktemp("played")
    data = root / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXERCISE_DATA_DIR", str(data))
        assert main(["simulate", str(REPORT_PACK), "--session", "bounded"]) == 0
    return data


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_report_payload_exits_2_with_the_template_line(
    played, tmp_path, payload, capsys, monkeypatch
):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(played))
    templates = tmp_path / "templates"
    templates.mkdir()
    template = templates / "aar.md.j2"
    template.write_text(f"# Report\n{payload}\n", encoding="utf-8")
    capsys.readouterr()
    code = main(
        ["report", "bounded", "--templates", str(templates), "--out", str(tmp_path / "out.md")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{template}:2: "), err
    assert "Traceback" not in err
    assert not (tmp_path / "out.md").exists()
    # whatever the child tried, it stayed within its memory budget (1024 MB over its size)
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1400 * 1024  # KiB


@pytest.mark.parametrize("name", ["ljust", "tower of powers", "nested format"])
def test_brief_payload_exits_2(tmp_path, name, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(REPORT_PACK, pack)
    (pack / "reports").mkdir()
    template = pack / "reports" / "brief.md.j2"
    template.write_text(f"# Brief\n{ISSUE_PAYLOADS[name]}\n", encoding="utf-8")
    assert main(["briefs", str(pack), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{template}:2: ") and "Traceback" not in err


def test_memory_is_bounded_by_the_child(tmp_path):
    (tmp_path / "t.md.j2").write_text(
        "ok\n{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s|length }}{% endmacro %}"
        "{{ d('x' * 1000000, 40) }}\n",
        encoding="utf-8",
    )
    with pytest.raises(RenderError) as info:
        render(make_environment([tmp_path]), "t.md.j2", {}, timeout=20, max_memory_mb=200)
    assert "rendering stopped: it exceeded 200 MB" in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "t.md.j2"))
    # the child held the memory, not this process; and the child stayed near its budget
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # KiB
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 600 * 1024


def test_cpu_time_is_bounded_by_the_child(tmp_path):
    (tmp_path / "t.md.j2").write_text(
        "ok\n{% for i in range(10000) %}{% for j in range(10000) %}{{ '' }}{% endfor %}"
        "{% endfor %}\n",
        encoding="utf-8",
    )
    with pytest.raises(RenderError) as info:
        render(make_environment([tmp_path]), "t.md.j2", {}, timeout=1)
    assert str(info.value).startswith(str(tmp_path / "t.md.j2"))
    assert str(info.value).endswith("rendering stopped: it exceeded 1 s")


def test_a_pack_template_still_renders(tmp_path):
    (tmp_path / "t.md.j2").write_text(
        "{{ 'a'.ljust(5) }}|{{ '%5d' % 3 }}|{{ 2 ** 10 }}\n", encoding="utf-8"
    )
    assert render(make_environment([tmp_path]), "t.md.j2", {}) == "a    |    3|1024\n"
