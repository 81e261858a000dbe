"""Inline SVG charts for the report: each track over the turns, and the escalation path.

pygal with ``js=[]`` (otherwise the SVG links a script on the internet) and no XML
declaration, so the SVG can sit inside the HTML. Its comments (a date and links) and
its inline script (for tooltips, useless on paper) are removed and its random id is
replaced by a stable one, so the same session gives the same report and nothing in the
file points outside it.
"""

from __future__ import annotations

import re
from typing import Any

MAX_POINTS = 240
DOTS_UP_TO = 60  # beyond this many points, dots only clutter the line (and cost time)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#1d232b",
        foreground_strong="#1d232b",
        foreground_subtle="#8a939f",
        font_family="DejaVu Sans, Helvetica, Arial, sans-serif",
        colors=("#1f4e79", "#8a1c1c", "#1c6b2f", "#8a5a00", "#5b2c83", "#2b7a8a"),
        title_font_size=15,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        value_font_size=11,
        tooltip_font_size=11,
    )


def _finish(svg: str, chart_id: str) -> str:
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    return _CHART_ID.sub(f"chart-{chart_id}", svg)


def _thin(labels: list[str], values: list[int]) -> tuple[list[str], list[int]]:
    """At most MAX_POINTS points, keeping the first, the last and the highest."""
    if len(values) <= MAX_POINTS:
        return labels, values
    step = len(values) / MAX_POINTS
    keep = {int(i * step) for i in range(MAX_POINTS)} | {len(values) - 1}
    keep.add(max(range(len(values)), key=values.__getitem__))
    order = sorted(keep)
    return [labels[i] for i in order], [values[i] for i in order]


def _line(title: str, chart_id: str, labels: list[str], series: list[tuple[str, list[int], bool]],
          low: int, high: int) -> str:
    import pygal

    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=300,
        style=_style(),
        title=title,
        range=(low, high),
        min_scale=1,
        max_scale=12,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        truncate_label=-1,
        show_minor_x_labels=False,
        x_labels_major_count=min(len(labels), 20),
        dots_size=2.5,
        show_dots=len(labels) <= DOTS_UP_TO,
        show_y_guides=False,
        explicit_size=False,
    )
    chart.x_labels = labels
    span = high - low
    step = 1 if span <= 12 else (2 if span <= 24 else max(1, span // 10))
    chart.y_labels = list(range(low, high + 1, step))
    for name, values, dashed in series:
        if dashed:
            chart.add(name, values, show_dots=False, stroke_style={"width": 1, "dasharray": "4, 4"})
        else:
            chart.add(name, values, stroke_style={"width": 2.5})
    return _finish(chart.render(is_unicode=True), chart_id)


def track_chart(track: dict[str, Any]) -> str:
    """``track`` has id, name, min, max, values (start + end of each turn), labels, levels."""
    series: list[tuple[str, list[int], bool]] = [(track["name"], list(track["by_turn"]), False)]
    labels = list(track["labels"])
    for level in track.get("levels", []):
        if track["min"] < level["min"] <= track["max"]:
            series.append((f"{level['name']} ({level['min']})", [level["min"]] * len(labels), True))
    if len(labels) > MAX_POINTS:
        labels_t, values_t = _thin(labels, series[0][1])
        series = [(track["name"], values_t, False)] + [
            (name, [vals[0]] * len(labels_t), dashed) for name, vals, dashed in series[1:]
        ]
        labels = labels_t
    return _line(f"{track['name']} by turn", f"track-{track['id']}", labels, series,
                 track["min"], track["max"])


def escalation_chart(track: dict[str, Any], steps: list[dict[str, Any]]) -> str:
    """The tension track after every change, in the order the changes happened."""
    labels, previous = ["Start"], None
    for step in steps:  # label the first change of each turn only
        labels.append(f"T{step['turn']}" if step["turn"] != previous else "")
        previous = step["turn"]
    values = [track["initial"]] + [s["value"] for s in steps]
    labels, values = _thin(labels, values)
    series: list[tuple[str, list[int], bool]] = [("after each change", values, False)]
    for level in track.get("levels", []):
        if track["min"] < level["min"] <= track["max"]:
            series.append((f"{level['name']} ({level['min']})", [level["min"]] * len(values), True))
    return _line(f"Escalation path: {track['name']}", f"escalation-{track['id']}", labels, series,
                 track["min"], track["max"])


def comparison_chart(track: dict[str, Any]) -> str:
    """One track in two sessions (what-if comparison): a line per session, levels dashed.

    ``track`` has id, name, min, max, labels, levels and series (session, values); a
    session that stopped earlier has None for the turns it did not play.
    """
    labels = list(track["labels"])
    series: list[tuple[str, list[int], bool]] = [
        (item["session"], list(item["values"]), False) for item in track["series"]
    ]
    for level in track.get("levels", []):
        if track["min"] < level["min"] <= track["max"]:
            series.append((f"{level['name']} ({level['min']})", [level["min"]] * len(labels), True))
    return _line(f"{track['name']} by turn", f"compare-{track['id']}", labels, series,
                 track["min"], track["max"])
