"""Rendering one context to the requested formats (shared by briefs and reports)."""

from __future__ import annotations

from typing import Any

from exercise.render.jinja_env import ReportEnvironment, render


def render_format(
    env: ReportEnvironment,
    stem: str,
    fmt: str,
    context: dict[str, Any],
    *,
    timeout: float | None = None,
) -> str | bytes:
    """``stem.md.j2`` for md, ``stem.html.j2`` for html, the HTML through WeasyPrint for pdf."""
    kwargs: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    if fmt == "md":
        return render(env, f"{stem}.md.j2", context, **kwargs)
    html = render(env, f"{stem}.html.j2", context, **kwargs)
    if fmt == "html":
        return html
    if fmt == "pdf":
        from exercise.render.pdf import html_to_pdf

        return html_to_pdf(html)
    raise ValueError(f"unknown format {fmt}")
