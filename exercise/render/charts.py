"""Inline SVG charts for the report, drawn by pygal: a track's value at the end of each
turn, T1 to the last, over shaded bands for its levels.

pygal with ``js=[]`` (otherwise the SVG links a script on the internet) and no XML
declaration, so the SVG can sit inside the HTML. Its comments (a date and links) and
its inline script (for tooltips, useless on paper) are removed, and its random chart id
is replaced by one made from the track id, so each chart's ids are unique in the
document and the same session gives the same report.

Level bands are pygal's own filled series: each band is a constant line at the band's
top, filled down to the track's minimum, drawn from the highest band down so each
lower one covers the part below it. Sizes are chosen so that at the width of a printed
page (about 170 mm) tick labels are at least 8 pt.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from typing import Any

from exercise.pack.models import level_bands

MAX_POINTS = 240
DOTS_UP_TO = 60  # beyond this many points, dots only clutter the line (and cost time)
WIDTH = 640  # px; printed about 170 mm wide: 1 px ≈ 0.75 pt, so 12 px labels ≈ 9 pt
HEIGHT = 270

LINE_COLOUR = "#8a1c1c"
#: Level bands, lowest first: one light hue getting darker, so no band reads as good or bad.
BAND_COLOURS = ("#f3f6fa", "#e3eaf3", "#d2deec", "#c1d1e5", "#b0c5de", "#9fb8d6")

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
#: pygal's tooltip data: a <desc> per value and a <title> per tick, useless on paper and
#: costly to print (the chart's own <title> comes first and stays)
_TOOLTIP = re.compile(r"<desc\b[^>]*>.*?</desc>|(?<!</defs>)<title>.*?</title>", re.S)
_FIRST_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _style(colours: tuple[str, ...]) -> Any:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#1d232b",
        foreground_strong="#1d232b",
        foreground_subtle="#8a939f",
        font_family="DejaVu Sans, Noto Sans CJK KR, Noto Sans CJK JP, Noto Sans CJK SC, "
        "Noto Sans CJK TC, Helvetica, Arial, sans-serif",
        colors=colours,
        opacity="1",
        opacity_hover="1",
        title_font_size=15,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=12,
        tooltip_font_size=12,
    )


def _by_turn(colours: tuple[str, ...], y_title: str) -> dict[str, Any]:
    """pygal options every chart here shares: a value by turn, printed at one size, no
    script, no legend (the legend is page text under the chart) and no horizontal guides."""
    return {
        "js": [],
        "disable_xml_declaration": True,
        "width": WIDTH,
        "height": HEIGHT,
        "style": _style(colours),
        "show_legend": False,
        "x_title": "Turn",
        "y_title": y_title,
        "show_y_guides": False,
        "explicit_size": False,
    }


_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
#: pygal's CSS rules for screens (hover, transitions, tooltips) and for parts these
#: charts never draw (legends, which are page text, gauges, maps, value labels) are
#: dropped: WeasyPrint parses each rule and matches it against every node of a chart.
_SCREEN_ONLY = (
    ":hover",
    "transition",
    ".tooltip",
    ".active",
    "no_data",
    "text-overlay",
    "-webkit-",
    ".ci",
    "guides:hover",
    "user-select",
    ".dot.reactive",
    ".bound",
    ".max-value",
    ".map-element",
    ".series text",
    ".legend",
    "backwards",
    ".gauge",
    ".bg-lines",
    ".showable",
    ".subtle-fill",
    ".dot.negative",
    "{}",
)
#: groups pygal leaves empty, and its overlays for tooltips and value labels
_EMPTY_GROUP = re.compile(r'<g(?: transform="[^"]*")? class="[^"]*"\s*/>')
_OVERLAYS = re.compile(
    r'<g transform="[^"]*" class="plot text-overlay"></g>'
    r'|<g transform="[^"]*" class="plot tooltip-overlay"><g [^>]*class="tooltip">'
    r"<rect [^>]*/></g></g>"
)


def _slim_css(match: re.Match[str]) -> str:
    rules = [rule.strip() + "}" for rule in match.group(2).split("}") if rule.strip()]
    kept = [rule for rule in rules if not any(token in rule for token in _SCREEN_ONLY)]
    return match.group(1) + "".join(kept) + match.group(3)


def _finish(svg: str, chart_id: str, title: str | None = None) -> str:
    """Clean pygal's SVG; ``title`` (when the chart draws none) becomes its ``<title>``."""
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    if title is not None:
        svg = _FIRST_TITLE.sub(lambda _: f"<title>{html.escape(title)}</title>", svg, count=1)
    svg = _TOOLTIP.sub("", svg)
    svg = _STYLE.sub(_slim_css, svg)
    svg = _OVERLAYS.sub("", _EMPTY_GROUP.sub("", svg))
    svg = svg.replace('id="activate-serie-', f'id="chart-{chart_id}-serie-')
    return _CHART_ID.sub(f"chart-{chart_id}", svg)


def legend_entry(label: str, colour: str, *, line: bool = False) -> dict[str, Any]:
    """One key of a chart's legend: a series' name and colour (a line or a filled band)."""
    return {"label": label, "colour": colour, "line": line}


NBSP = "\u00a0"


def _swatch(key: dict[str, Any]) -> Any:
    """A line series' key is a short line in its colour; a band's, a small filled box.
    Both are inline text, which a PDF renderer lays out far faster than inline blocks."""
    from markupsafe import Markup, escape

    colour = escape(key["colour"])
    if key["line"]:
        return Markup(f'<span class="swatch-line" style="color:{colour}">━━</span>')
    return Markup(f'<span class="swatch" style="background:{colour}">{NBSP * 3}</span>')


def chart_img(svg: str, legend: Sequence[dict[str, Any]] = ()) -> Any:
    """The chart as ``<img src="data:image/svg+xml;base64,...">``, its title as ``alt``
    and as a ``<figcaption>`` above it, and its legend as a line of text below it.

    A chart printed as an image, not inline SVG, is cheaper for WeasyPrint: its nodes
    and its stylesheet stay out of the HTML's cascade (5 % of the rehearsal report's
    PDF time). Browsers show both alike, and an SVG in ``<img>`` runs no script and
    loads nothing. The title is the caption, not text drawn inside the SVG: WeasyPrint
    lays out SVG text one letter at a time, so a caption in the page costs far less. The
    legend is page text for the same reason, and a legend in the page is never cut.
    """
    from markupsafe import Markup, escape

    title = _FIRST_TITLE.search(svg)
    alt = escape(html.unescape(title.group(1))) if title else ""
    data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
    caption = Markup(f"<figcaption>{alt}</figcaption>") if alt else ""
    # no-break spaces keep each key on one line; an em space (where a line may break)
    # parts one key from the next
    keys = "\u2003".join(
        _swatch(key) + NBSP + escape(key["label"].replace(" ", NBSP)) for key in legend
    )
    return Markup(
        f'{caption}<img class="chart-img" alt="{alt}" src="data:image/svg+xml;base64,{data}">'
        + (f'<p class="chart-legend">{keys}</p>' if keys else "")
    )


def _thin(labels: list[str], values: list[int]) -> tuple[list[str], list[int]]:
    """At most MAX_POINTS points, keeping the first, the last and the highest."""
    if len(values) <= MAX_POINTS:
        return labels, values
    step = len(values) / MAX_POINTS
    keep = {int(i * step) for i in range(MAX_POINTS)} | {len(values) - 1}
    keep.add(max(range(len(values)), key=values.__getitem__))
    order = sorted(keep)
    return [labels[i] for i in order], [values[i] for i in order]


def _bands(track: dict[str, Any]) -> list[tuple[str, int]]:
    """(legend name, top value) for each level, highest first."""
    levels = [(lv["name"], lv["min"]) for lv in track.get("levels", [])]
    bands = []
    for band in level_bands(levels, track["min"], track["max"]):
        top = band.high if band.high == track["max"] else band.high + 1
        span = f"{band.low} to {band.high}" if band.high > band.low else f"{band.low}"
        bands.append((f"{band.name} ({span})", top))
    return list(reversed(bands))


#: A chart's SVG and the legend printed below it.
Drawn = tuple[str, list[dict[str, Any]]]


def track_chart(track: dict[str, Any]) -> Drawn:
    """``track`` has id, name, min, max, by_turn (start + end of each turn), levels."""
    labels = list(track["labels"][1:]) or ["Start"]
    values = list(track["by_turn"][1:]) or [track["initial"]]
    labels, values = _thin(labels, values)
    return _banded_line(
        track,
        f"{track['name']} at the end of each turn",
        f"track-{track['id']}",
        labels,
        [(track["name"], values)],
    )


def comparison_chart(track: dict[str, Any]) -> Drawn:
    """One track in two sessions (what-if comparison): a line per session over the bands.

    ``track`` has id, name, min, max, labels, levels and series (session, values); a
    session that stopped earlier has None for the turns it did not play.
    """
    series = [(item["session"], list(item["values"])) for item in track["series"]]
    return _banded_line(
        track, f"{track['name']} by turn", f"compare-{track['id']}", list(track["labels"]), series
    )


SESSION_COLOURS = (LINE_COLOUR, "#1f5fa8", "#2e7d32")


def _banded_line(
    track: dict[str, Any],
    title: str,
    chart_id: str,
    labels: list[str],
    lines: Sequence[tuple[str, Sequence[int | None]]],
) -> Drawn:
    """Lines over the track's level bands; the legend (lines first, then the bands from
    the highest down) goes below the chart, in the page."""
    import pygal

    bands = _bands(track)
    shades = [BAND_COLOURS[(len(bands) - 1 - i) % len(BAND_COLOURS)] for i in range(len(bands))]
    colours = (*shades, *SESSION_COLOURS[: len(lines)])
    chart = pygal.Line(
        **_by_turn(colours, track["name"] if len(track["name"]) <= 28 else "Value"),
        range=(track["min"], track["max"]),
        zero=track["min"],
        min_scale=1,
        max_scale=12,
        truncate_label=-1,
        show_minor_x_labels=False,
        x_labels_major_count=min(len(labels), 16),
        dots_size=3,
        show_dots=len(labels) <= DOTS_UP_TO,
    )
    chart.x_labels = labels
    span = track["max"] - track["min"]
    step = 1 if span <= 6 else (2 if span <= 24 else max(1, span // 10))
    # multiples of the step, so 0 is a tick whenever the range holds it
    chart.y_labels = [v for v in range(track["min"], track["max"] + 1) if v % step == 0]
    for name, top in bands:
        chart.add(name, [top] * len(labels), fill=True, show_dots=False, stroke_style={"width": 0})
    for name, values in lines:
        chart.add(name, values, stroke_style={"width": 3})
    legend = [
        legend_entry(name, colour, line=True)
        for (name, _), colour in zip(lines, SESSION_COLOURS, strict=False)
    ] + [legend_entry(name, shade) for (name, _), shade in zip(bands, shades, strict=True)]
    return _finish(chart.render(is_unicode=True), chart_id, title), legend


#: One hue per series of a stacked bar chart (repeated past six).
BAR_COLOURS = ("#1f4e79", "#8a1c1c", "#1c6b2f", "#8a5a00", "#5b2c83", "#2b7a8a")


def stacked_bar_chart(
    title: str,
    chart_id: str,
    labels: list[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    y_title: str,
) -> Drawn:
    """Whole counts per turn, stacked by series; the legend goes below it, in the page.

    As wide as the track charts, so its labels print as large. At most about 12 ticks of
    whole numbers: pygal's own scale would print fractions.
    """
    import pygal

    top = max((sum(col) for col in zip(*(v for _, v in series), strict=True)), default=1)
    step = 1 if top <= 12 else -(-top // 12)
    chart = pygal.StackedBar(
        **_by_turn(BAR_COLOURS, y_title), y_labels=list(range(0, max(top, 1) + step, step))
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    legend = [
        legend_entry(name, BAR_COLOURS[i % len(BAR_COLOURS)]) for i, (name, _) in enumerate(series)
    ]
    return _finish(chart.render(is_unicode=True), chart_id, title), legend
