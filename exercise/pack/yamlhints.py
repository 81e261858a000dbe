"""Plain-words hints for two YAML mistakes whose parser messages do not say what to do.

An unquoted comparison operator (``op: >=``) starts a YAML block scalar or a tag, and the
parser complains about something else entirely. A line indented one space too far or too
little gives "did not find expected key". Both are recognised from the text around the
parser's mark and reported at the line to fix.
"""

from __future__ import annotations

import re

# Only '>' and '>=' break the YAML ('>' starts a folded block); '!=' is a tag (below).
_OP = re.compile(r"(?:^|[\s{,])op:\s*(>=|>)(?=\s|,|}|$)")
_KEY = re.compile(r"^(\s*)(?:- )?[^\s#'\"-][^:#]*:(?:\s|$)")
_INDENT_ERRORS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "mapping values are not allowed",
    "unexpected ':'",
)


def operator_hint(text: str, candidates: list[int]) -> tuple[int, int, str] | None:
    """An unquoted ``op: >=`` on one of the ``candidates`` lines (0-based), if any."""
    lines = text.splitlines()
    for number in candidates:
        if not 0 <= number < len(lines):
            continue
        found = _OP.search(lines[number])
        if found:
            op = found.group(1)
            return number + 1, found.start(1) + 1, f"put the operator in quotes: op: '{op}'"
    return None


def tag_operator_hint(tag: str) -> str | None:
    """``op: !=`` reads as a YAML tag ``!=``: say to quote the operator instead."""
    if tag == "!=":
        return "put the operator in quotes: op: '!='"
    return None


def indent_hint(text: str, line: int, reason: str) -> tuple[int, int, str] | None:
    """A key line whose indentation differs from the key line above it (0-based ``line``)."""
    if not any(reason.startswith(words) for words in _INDENT_ERRORS):
        return None
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return None
    here = _KEY.match(lines[line])
    if here is None:
        return None
    for above in range(line - 1, -1, -1):
        stripped = lines[above].strip()
        if not stripped or stripped.startswith("#"):
            continue
        prev = _KEY.match(lines[above])
        if prev is None:
            return None
        want = len(prev.group(1)) + (2 if lines[above].lstrip().startswith("- ") else 0)
        have = len(here.group(1))
        if have == want or lines[above].rstrip().endswith(":"):
            return None
        return (
            line + 1,
            have + 1,
            f"the indentation of line {line + 1} ({have} spaces) does not match line "
            f"{above + 1} above it: expected {want} spaces, so that the keys of one "
            "mapping line up",
        )
    return None
