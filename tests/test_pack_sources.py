"""``exercise sources check``: quotes must appear verbatim in the cited source text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exercise.cli import main
from exercise.pack.sources import normalise

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini-pack"
CORPUS = DATA / "corpus"
ROLE = "roles/usa.yaml"
QUOTE = "    quote: this system is a purely defensive system\n"


@pytest.fixture
def pack(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    return root


def with_quote(root: Path, quote: str) -> Path:
    path = root / ROLE
    text = path.read_text()
    assert QUOTE in text
    path.write_text(text.replace(QUOTE, f"    quote: {quote}\n"))
    return root


def check(root: Path, capsys, corpus: Path = CORPUS) -> tuple[int, str, str]:
    code = main(["sources", "check", str(root), "--corpus", str(corpus)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "quote",
    [
        "this system is a purely defensive system",
        # straight quotes in the pack, curly ones in the source
        "'\"Let me be clear, this system is a purely defensive system'",
        # a line break and indentation in the source, a space in the quote
        "a THAAD deployment would inflame tensions",
        # a word hyphenated across a line break
        "call the question one of national relevance.",
        # a real hyphen that happens to end a line
        "Critics call it a short-range fix.",
        # a curly apostrophe in the source, a straight one in the quote
        "Seoul's officials",
        # a non-breaking space in the source
        "no negotiations ongoing between the U.S. and the Republic of Korea",
        # words left out with an ellipsis
        "Let me be clear ... It does not and cannot impact broader strategic stability",
        '"It does not and cannot impact broader strategic stability with Russia and China,"',
    ],
)
def test_quotes_found_after_normalising(pack, capsys, quote):
    with_quote(pack, quote)
    code, out, err = check(pack, capsys)
    assert (code, err) == (0, "")
    assert "all 1 quote(s) found in 1 source(s)" in out


@pytest.mark.parametrize(
    "quote",
    [
        "this system is a purely offensive system",  # a changed word
        "This system is a purely defensive system",  # case matters
        "Let me be clear ... Beijing agrees",  # each part of an ellipsis must be there
        "It does not and cannot impact ... Let me be clear",  # and in order
    ],
)
def test_a_quote_not_in_the_source_is_reported_at_the_quote(pack, capsys, quote):
    with_quote(pack, quote)
    code, _, err = check(pack, capsys)
    assert code == 2
    line = next(
        i for i, text in enumerate((pack / ROLE).read_text().splitlines(), 1) if "quote:" in text
    )
    first = err.splitlines()[0]
    assert first.startswith(f"{ROLE}:{line}:12: quote not found in 002_fe241457b2a11086.txt")
    assert "Traceback" not in err


def test_the_hint_says_how_far_the_quote_matched(pack, capsys):
    with_quote(pack, "this system is a purely offensive system")
    _, _, err = check(pack, capsys)
    assert "(it matches up to 'this system is a purely', then differs)" in err


def test_a_source_missing_from_the_corpus_is_reported_at_its_entry(pack, capsys, tmp_path):
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    code, _, err = check(pack, capsys, corpus=empty)
    assert code == 2
    line = next(
        i
        for i, text in enumerate((pack / "scenario.yaml").read_text().splitlines(), 1)
        if "file: 002_" in text
    )
    assert err.splitlines()[0] == (
        f"scenario.yaml:{line}:11: source file '002_fe241457b2a11086.txt' is not in the "
        f"corpus folder {empty}"
    )


def test_a_source_file_outside_the_corpus_is_refused(pack, capsys):
    path = pack / "scenario.yaml"
    path.write_text(
        path.read_text().replace(
            "file: 002_fe241457b2a11086.txt", "file: ../mini-pack/scenario.yaml"
        )
    )
    code, _, err = check(pack, capsys)
    assert code == 2
    assert "must be a file inside the corpus folder" in err


def test_a_binary_source_file_is_one_clear_problem(pack, capsys, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "002_fe241457b2a11086.txt").write_bytes(b"\x00\x01PDF")
    code, _, err = check(pack, capsys, corpus=corpus)
    assert code == 2
    assert "source file '002_fe241457b2a11086.txt': not a text file" in err


def test_a_missing_corpus_folder_is_a_clear_error(pack, capsys, tmp_path):
    code, _, err = check(pack, capsys, corpus=tmp_path / "nowhere")
    assert code == 2
    assert err.startswith("exercise: error: corpus folder ")
    assert "does not exist" in err


def test_a_broken_pack_reports_its_errors_first(pack, capsys):
    with_quote(pack, "[unclosed")
    code, _, err = check(pack, capsys)
    assert code == 2
    assert err.startswith(f"{ROLE}:")
    assert "invalid YAML" in err


def test_normalise():
    assert normalise("a\u00a0 b\n\t c") == "a b c"
    assert normalise("\u201cquoted\u201d \u2018single\u2019") == "\"quoted\" 'single'"
    assert normalise("relev-\n   ance") == "relevance"
    assert normalise("short-\n   range", join_hyphens=False) == "short-range"
    assert normalise("soft\u00adhyphen") == "softhyphen"
