"""Pack and player text for the two output languages: HTML and Markdown.

Inject bodies and the setting are written in Markdown; in HTML they are converted with
markdown-it-py with raw HTML turned off, so ``<script>`` in a pack or a move stays text.
Links and images never become ``href``/``src`` attributes: a report must work offline
and must not fetch anything, so a link keeps its text and shows its address as text.
In Markdown output, what players and the facilitator wrote is plain text: its
Markdown syntax is escaped, so ``![x](http://…)`` cannot become a tracking pixel, nor a
line break a heading; pack Markdown keeps its syntax but loads no image.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup, escape


@functools.cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")  # a pack's hand-out tables (the order of battle in the setting)

    def link_open(
        renderer: Any, tokens: list[Any], idx: int, options: Any, env: dict[str, Any]
    ) -> str:
        env.setdefault("hrefs", []).append(str(tokens[idx].attrGet("href") or ""))
        return '<span class="link">'

    def link_close(
        renderer: Any, tokens: list[Any], idx: int, options: Any, env: dict[str, Any]
    ) -> str:
        hrefs = env.get("hrefs") or [""]
        href = hrefs.pop()
        return "</span>" + (f' <span class="url">({escape(href)})</span>' if href else "")

    def image(renderer: Any, tokens: list[Any], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        alt = "".join(child.content for child in token.children or [])
        return f'<span class="image">[image: {escape(alt or token.attrGet("src") or "")}]</span>'

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("link_close", link_close)
    md.add_render_rule("image", image)
    return md


@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> Markup:
    """Markdown to safe HTML (raw HTML escaped, no links that load or leave)."""
    if not text:
        return Markup("")
    return Markup(_parser().render(str(text), {}))


_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
#: Inline Markdown marks, each escaped with a backslash (str.translate: reports call
#: this hundreds of thousands of times, so it must be cheap).
_MD_INLINE = str.maketrans({mark: "\\" + mark for mark in "\\`*_[]~|"})
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+=-])", re.M)
_MD_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])", re.M)
_IMAGE = re.compile(r"!(?=\[)")


def _no_html(text: str) -> str:
    return _TAG_OPEN.sub("&lt;", text) if "<" in text else text


def _escape_mark(match: re.Match[str]) -> str:
    return match.group(1) + "\\" + match.group(2)


def md_text(text: object) -> str:
    """Plain text for a Markdown document: no HTML, no link, image, emphasis or heading
    (their marks are escaped and read as the characters they are)."""
    text = str(text).translate(_MD_INLINE)
    text = _MD_LINE_START.sub(_escape_mark, text)
    return _no_html(_MD_NUMBERED.sub(_escape_mark, text))


def md_markdown(text: object) -> str:
    """Markdown written by a pack author, kept as Markdown but with no HTML, and with
    images shown as links (a viewer would fetch them)."""
    return _IMAGE.sub("\\\\!", _no_html(str(text)))


def md_block(text: object) -> str:
    """Markdown written by a pack author (inject bodies), kept as Markdown but HTML-free."""
    return md_markdown(str(text).strip())


def md_cell(text: object) -> str:
    """Text for one Markdown table cell: one line, no pipes, no HTML, no Markdown."""
    return md_text(" ".join(str(text).split()))


def md_quote(text: object) -> str:
    """Text as a Markdown block quote (every line prefixed with '> ')."""
    lines = md_markdown(str(text).strip()).splitlines() or [""]
    return "\n".join(f"> {line}" if line else ">" for line in lines)
