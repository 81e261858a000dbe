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

from exercise.pack.files import path_is
from exercise.pack.yamlpos import decode, read_bytes
from exercise.problems import Problem, ProblemsError

if TYPE_CHECKING:
    from exercise.pack.locations import Locations
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
    shelf = _Corpus(pack, locations, corpus)
    for source in pack.manifest.sources:
        shelf.text(source.id)  # a missing file is an error at its place, cited or not
    quotes = 0
    for role in pack.roles:
        for index, position in enumerate(role.positions):
            if position.quote is None or position.source not in shelf.sources:
                continue
            quotes += 1
            message = shelf.misquoted(position.source, position.quote)
            if message is not None:
                shelf.problems.append(
                    locations.role_problem(role.id, ("positions", index, "quote"), message)
                )
    found = len([t for t in shelf.texts.values() if t is not None])
    return Report(quotes, found, shelf.problems)


class _Corpus:
    """The corpus's texts of a pack's sources, each read once when first needed."""

    def __init__(self, pack: Pack, locations: Locations, corpus: Path) -> None:
        self.locations = locations
        self.corpus = corpus
        self.corpus_root = corpus.resolve()
        self.sources = pack.sources_by_id
        self.index_of = {source.id: i for i, source in enumerate(pack.manifest.sources)}
        self.texts: dict[str, SourceText | None] = {}
        self.problems: list[Problem] = []

    def text(self, source_id: str) -> SourceText | None:
        """The source's text; None (with a problem at its entry) when it cannot be read."""
        if source_id not in self.texts:
            self.texts[source_id] = self._read(source_id)
        return self.texts[source_id]

    def _read(self, source_id: str) -> SourceText | None:
        source = self.sources[source_id]
        path = self.corpus / source.file
        try:
            inside = path.resolve().is_relative_to(self.corpus_root)
        except (OSError, RuntimeError):
            inside = False
        if not inside or Path(source.file).is_absolute():
            problem = f"source file '{source.file}' must be a file inside the corpus folder"
        elif not path_is(path, "is_file"):
            problem = f"source file '{source.file}' is not in the corpus folder {self.corpus}"
        else:
            try:
                raw = read_bytes(path, source.file, max_bytes=MAX_SOURCE_BYTES)
                return SourceText.from_text(decode(raw, source.file))
            except ProblemsError as exc:
                problem = f"source file '{source.file}': {exc.problems[0].message}"
        where = ("sources", self.index_of[source_id], "file")
        self.problems.append(self.locations.manifest_problem(where, problem))
        return None

    def misquoted(self, source_id: str, quote: str) -> str | None:
        """Why ``quote`` is not in its source (None when it is, or the source is missing):
        found in another source instead, or where it stops matching."""
        text = self.text(source_id)
        if text is None or text.contains(quote):
            return None
        file = self.sources[source_id].file
        elsewhere = next(
            (
                other
                for other, found in self.texts.items()
                if found is not None and other != source_id and found.contains(quote)
            ),
            None,
        )
        if elsewhere is not None:
            return (
                f"quote not found in {file}: found in {self.sources[elsewhere].file} instead "
                f"(source '{elsewhere}')"
            )
        message = f"quote not found in {file}"
        prefix = text.longest_prefix(quote)
        if prefix:
            shown = prefix if len(prefix) <= 40 else "..." + prefix[-37:]
            message += f" (it matches up to '{shown}', then differs)"
        return message
