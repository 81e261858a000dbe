"""Source fidelity: every quoted position must appear verbatim in its source text.

Both the quote and the source are normalised the same way before comparing, so that
what differs only in typesetting still matches: runs of whitespace (and non-breaking
spaces) become one space, curly quotes and apostrophes become straight ones, soft
hyphens vanish, and a word hyphenated across a line break ("relev-\\n  ance") is joined.
Case, spelling, punctuation and dashes must match. A quote may leave words out with an
ellipsis ("..." or "…"): each part must then appear, in order. A quote found in another
source of the pack than the one cited is reported as found there instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exercise.pack.loader import path_is
from exercise.pack.yamlpos import decode, read_bytes
from exercise.problems import Problem, ProblemsError

if TYPE_CHECKING:
    from exercise.pack.loader import Locations
    from exercise.pack.models import Pack

MAX_SOURCE_BYTES = 32 * 1024 * 1024

_CHARS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u00ad": None,
        "\u200b": None,
        "\ufeff": None,
    }
)
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\r?\n\s*(\w)")
_SPACES = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")


def normalise(text: str, *, join_hyphens: bool = True) -> str:
    """Text with typesetting differences removed (see the module docstring).

    A hyphen before a line break is dropped ("relev-/ance") or, with ``join_hyphens``
    false, kept ("short-/range"); the source is searched both ways.
    """
    text = text.translate(_CHARS)
    text = _HYPHEN_BREAK.sub(r"\1\2" if join_hyphens else r"\1-\2", text)
    return _SPACES.sub(" ", text).strip()


@dataclass
class SourceText:
    """A source file, normalised twice: hyphens at line breaks dropped, and kept."""

    joined: str
    kept: str

    @classmethod
    def from_text(cls, text: str) -> SourceText:
        return cls(normalise(text), normalise(text, join_hyphens=False))

    def contains(self, quote: str) -> bool:
        parts = [p for p in (normalise(s) for s in _ELLIPSIS.split(quote)) if p]
        return bool(parts) and any(_in_order(parts, text) for text in (self.joined, self.kept))

    def longest_prefix(self, quote: str) -> str:
        """The longest run of the quote's first words found in the source (for hints)."""
        words = normalise(quote).split(" ")
        lo, hi = 0, len(words)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            probe = " ".join(words[:mid])
            if probe in self.joined or probe in self.kept:
                lo = mid
            else:
                hi = mid - 1
        return " ".join(words[:lo])


def _in_order(parts: list[str], text: str) -> bool:
    start = 0
    for part in parts:
        found = text.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


@dataclass
class Report:
    quotes: int
    sources: int
    problems: list[Problem]


def check_sources(pack: Pack, locations: Locations, corpus: Path) -> Report:
    """Check every quote of ``pack`` against the source texts in ``corpus``."""
    problems: list[Problem] = []
    texts: dict[str, SourceText | None] = {}
    sources = pack.sources_by_id
    index_of = {source.id: i for i, source in enumerate(pack.manifest.sources)}
    corpus_root = corpus.resolve()
    quotes = 0

    def load(source_id: str) -> SourceText | None:
        if source_id in texts:
            return texts[source_id]
        source = sources[source_id]
        where = ("sources", index_of[source_id], "file")
        texts[source_id] = None
        path = corpus / source.file
        try:
            inside = path.resolve().is_relative_to(corpus_root)
        except (OSError, RuntimeError):
            inside = False
        if not inside or Path(source.file).is_absolute():
            problems.append(
                locations.manifest_problem(
                    where, f"source file '{source.file}' must be a file inside the corpus folder"
                )
            )
            return None
        if not path_is(path, "is_file"):
            problems.append(
                locations.manifest_problem(
                    where, f"source file '{source.file}' is not in the corpus folder {corpus}"
                )
            )
            return None
        try:
            raw = read_bytes(path, source.file, max_bytes=MAX_SOURCE_BYTES)
            text = decode(raw, source.file)
        except ProblemsError as exc:
            message = exc.problems[0].message
            problems.append(
                locations.manifest_problem(where, f"source file '{source.file}': {message}")
            )
            return None
        texts[source_id] = SourceText.from_text(text)
        return texts[source_id]

    for source in pack.manifest.sources:
        load(source.id)  # a missing file is an error at its place, cited or not
    for role in pack.roles:
        for index, position in enumerate(role.positions):
            if position.quote is None or position.source not in sources:
                continue
            quotes += 1
            text = load(position.source)
            if text is None:
                continue
            if text.contains(position.quote):
                continue
            file = sources[position.source].file
            elsewhere = next(
                (
                    other
                    for other, found in texts.items()
                    if found is not None
                    and other != position.source
                    and found.contains(position.quote)
                ),
                None,
            )
            if elsewhere is not None:
                problems.append(
                    locations.role_problem(
                        role.id,
                        ("positions", index, "quote"),
                        f"quote not found in {file}: found in {sources[elsewhere].file} instead "
                        f"(source '{elsewhere}')",
                    )
                )
                continue
            message = f"quote not found in {file}"
            prefix = text.longest_prefix(position.quote)
            if prefix:
                shown = prefix if len(prefix) <= 40 else "..." + prefix[-37:]
                message += f" (it matches up to '{shown}', then differs)"
            problems.append(locations.role_problem(role.id, ("positions", index, "quote"), message))
    return Report(quotes, len([t for t in texts.values() if t is not None]), problems)
