"""The inject-file writers: whatever text a cell holds comes back from the YAML exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exercise.msel.flow import dump_injects
from exercise.msel.yamlout import dump_injects_fast
from exercise.pack.yamlpos import load_text

# Control characters other than newline and tab are stripped when a pack is loaded (they
# could drive the terminal), so the round trip is exact for every other character.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
    max_size=120,
)
ITEM = st.fixed_dictionaries(
    {"id": st.just("x-1"), "turn": st.integers(1, 9), "title": TEXT, "body": TEXT},
    optional={
        "byline": TEXT,
        "expected_actions": st.lists(TEXT, max_size=3),
        "questions": st.lists(TEXT, max_size=3),
        "audience": st.lists(
            st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True), min_size=1, max_size=3
        ),
        "effects": st.dictionaries(
            st.sampled_from(["tension", "yes", "on", "1"]), st.integers(-9, 9), max_size=2
        ),
        "condition": st.sampled_from(
            [
                {"track": "tension", "op": ">=", "value": 5},
                {"all": [{"released": "no"}, {"chance": 0.25}]},
                {"not": {"move": {"role": "rok", "ruled": ["accepted"]}}},
            ]
        ),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ITEM, min_size=1, max_size=3))
def test_fast_writer_reads_back_exactly(items):
    data, _ = load_text(dump_injects_fast(items, "comment"), "x")
    assert data == {"injects": items}


@settings(max_examples=40, deadline=None)
@given(st.lists(ITEM, min_size=1, max_size=2))
def test_careful_writer_reads_back_exactly(items):
    data, _ = load_text(dump_injects(items, "comment"), "x")
    assert data == {"injects": items}


def test_bodies_are_literal_blocks_and_long_lines_fold():
    text = dump_injects_fast(
        [
            {"id": "x", "body": "# Title\n\n- **a**\n- b\n", "title": "plain words"},
            {"id": "y", "body": "word " * 40 + "end", "title": "a: colon"},
        ],
    )
    assert "    body: |\n      # Title\n\n      - **a**\n" in text
    assert "    body: >-\n      word word" in text
    assert "    title: plain words\n" in text and "    title: 'a: colon'\n" in text
