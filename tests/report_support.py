"""Shared helpers for the brief and report tests: the scripted session and rendering."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html as html_lib
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORT_PACK = ROOT / "tests" / "data" / "report-pack"
MINI_PACK = ROOT / "tests" / "data" / "mini-pack"
GOLDEN = ROOT / "tests" / "data" / "golden"
GENERATED = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@functools.cache
def report_pack() -> Any:
    from exercise.pack.loader import require_pack

    return require_pack(REPORT_PACK)


def play(path: Path | None = None, *, stop_after: int | None = None) -> Any:
    """The report pack's rehearsal played through the engine (fixed times and seed).

    ``stop_after`` plays only that many steps (an unfinished session); ``path`` None keeps
    the journal in memory.
    """
    from exercise.engine import Session
    from exercise.engine.script import load_script, plan, run_steps, setup_for

    pack = report_pack()
    loaded = load_script(REPORT_PACK / "rehearsal.yaml")
    steps = plan(loaded, pack)
    setup = setup_for(loaded, pack)
    if path is None:
        session = Session.memory(pack, setup, now=steps[0].now)
    else:
        session = Session.create(path, pack, setup, now=steps[0].now)
    run_steps(session, steps[:stop_after] if stop_after is not None else steps, loaded)
    return session


def context(session: Any, **kwargs: Any) -> dict[str, Any]:
    from exercise.render.report import build_report_context

    return build_report_context(
        session.state, session.pack, session_name="rehearsal", generated=GENERATED, **kwargs
    )


def environment(templates: Path | None = None, pack: Any = None) -> Any:
    from exercise.render.jinja_env import make_environment, template_folders

    pack = pack or report_pack()
    return make_environment(template_folders(templates, pack.root, pack.manifest.templates))


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_CHART_IMG = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def chart_svgs(html: str) -> list[str]:
    """The SVG of each chart the HTML shows as an ``<img>`` data URI."""
    return [base64.b64decode(data).decode("utf-8") for data in _CHART_IMG.findall(html)]


_LEGEND = re.compile(r'<p class="chart-legend">(.*?)</p>', re.S)
_SWATCH = re.compile(r"<span[^>]*>.*?</span>")


def chart_legends(html: str) -> list[list[str]]:
    """The names in each chart's legend (page text under the chart, each after its
    swatch), in order."""
    return [
        [
            html_lib.unescape(_SWATCH.sub("", key)).replace("\u00a0", " ").strip()
            for key in keys.split("\u2003")
        ]
        for keys in _LEGEND.findall(html)
    ]


def normalise(text: str) -> str:
    """Golden form: each chart reduced to its title (pygal's markup is not ours to pin)."""

    def chart(match: re.Match[str]) -> str:
        title = _TITLE.search(match.group(0))
        return f"<svg>[chart: {title.group(1) if title else ''}]</svg>"

    text = _SVG.sub(chart, text)
    text = _CHART_IMG.sub('src="data:image/svg+xml;base64,[chart]"', text)
    text = re.sub(r"chart-[0-9a-f-]{36}", "chart-ID", text)
    return re.sub(r"report generated \d{1,2} \w+ \d{4}", "report generated DATE", text)
