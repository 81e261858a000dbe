"""Schema errors read like advice to an author: the field, what it must be, and where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exercise.pack.loader import load_pack

MINI = Path(__file__).parent / "data" / "mini-pack"
ROLE = "roles/usa.yaml"
INJECTS = "injects/turn1.yaml"


def errors_after(tmp_path: Path, rel: str, old: str, new: str) -> list[str]:
    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return [str(p) for p in load_pack(root).problems if p.is_error]


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            ROLE,
            "short_name: US\n",
            "short_name: US\nplayed_by: NO\n",
            "roles/usa.yaml:4:12: field 'played_by' must be 'player' or 'control', not false "
            "(YAML reads unquoted yes/no/on/off as true/false: put the word in quotes)",
        ),
        (
            ROLE,
            "name: United States",
            "name: yes",
            "roles/usa.yaml:2:7: field 'name' must be text, not true (YAML reads unquoted "
            "yes/no/on/off as true/false: put the word in quotes)",
        ),
        (
            INJECTS,
            "turn: 1",
            "turn: soon",
            "injects/turn1.yaml:3:11: field 'turn' must be a turn number or a range "
            "{first: N, last: M}, not 'soon'",
        ),
        (
            INJECTS,
            "turn: {first: 2, last: 3}",
            "turn: {first: 2, lst: 3}",
            "injects/turn1.yaml:11:22: unknown field 'lst' (did you mean 'last'?)",
        ),
        (
            INJECTS,
            "turn: {first: 2, last: 3}",
            "turn: {first: 2}",
            "injects/turn1.yaml:11:11: missing required field 'last'",
        ),
        (
            INJECTS,
            "audience: [rok]",
            "audience: everyone",
            "injects/turn1.yaml:14:15: field 'audience' must be 'public' or a list of role ids, "
            "not 'everyone'",
        ),
        (ROLE, "short_name: US\n", "", "roles/usa.yaml:1:1: missing required field 'short_name'"),
        (
            ROLE,
            "    stance: supports",
            "    stance: for",
            "roles/usa.yaml:7:13: field 'stance' must be one of 'supports', 'opposes', "
            "'ambivalent', 'conditional' or 'neutral', not 'for'",
        ),
        (
            INJECTS,
            "        - track: tension",
            "        - trak: tension",
            "injects/turn1.yaml:19:11: a condition needs one of the keys all, any, not, track, "
            "released, move, chance (did you mean 'track' for 'trak'?)",
        ),
        (
            INJECTS,
            "        - move: {role: rok, tag: accept-thaad}",
            "        - {chance: 0.5, released: launch-1}",
            "injects/turn1.yaml:22:12: a condition takes exactly one of all, any, not, track, "
            "released, move, chance (this one has released, chance): combine them with all: "
            "or any:",
        ),
        (
            INJECTS,
            "effects: {tension: 1}",
            "effects: {tension: high}",
            "injects/turn1.yaml:9:24: field 'effects.tension' must be an integer, not 'high'",
        ),
        (
            "scenario.yaml",
            "    initial: 3",
            "    initial: 30",
            "scenario.yaml:21:14: initial 30 is outside the range 0..10",
        ),
        (
            "scenario.yaml",
            "start_date: 2026-03-01",
            "start_date: 1 March 2026",
            "scenario.yaml:6:13: field 'start_date' must be a date written YYYY-MM-DD, "
            "not '1 March 2026'",
        ),
        (
            "scenario.yaml",
            "scope: [usa, rok]",
            "scope: [usa]",
            "scenario.yaml:29:12: field 'scope' must have at least 2 items (it has 1)",
        ),
        (
            INJECTS,
            "        - move: {role: rok, tag: accept-thaad}",
            "        - {chance: 2}",
            "injects/turn1.yaml:22:20: field 'chance' must be at most 1.0 (got 2.0)",
        ),
    ],
)
def test_schema_error_messages(tmp_path, rel, old, new, expected):
    assert errors_after(tmp_path, rel, old, new) == [expected]


def test_one_bad_inject_does_not_hide_the_others(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    path = root / INJECTS
    text = (
        path.read_text()
        .replace("turn: 1", "turn: soon")
        .replace("        - move: {role: rok, tag: accept-thaad}", "        - released: launch-1")
    )
    path.write_text(text)
    result = load_pack(root)
    errors = [str(p) for p in result.problems if p.is_error]
    # the broken inject is reported once; the reference to it is not an extra error
    assert errors == [
        "injects/turn1.yaml:3:11: field 'turn' must be a turn number or a range "
        "{first: N, last: M}, not 'soon'"
    ]
    assert [inject.id for inject in result.pack.injects] == ["protest"]


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            ROLE,
            "  - topic: thaad",
            "\t- topic: thaad",
            "roles/usa.yaml:6:1: invalid YAML: a tab character: indent YAML with spaces, not tabs",
        ),
        (
            ROLE,
            "name: United States",
            'name: "United States',
            "roles/usa.yaml:19:1: invalid YAML: found unexpected end of stream (in quoted text "
            "that starts on line 2)",
        ),
        (
            INJECTS,
            "title: KN-23 launch",
            "title: [KN-23 launch",
            "injects/turn1.yaml:7:9: invalid YAML: did not find expected ',' or ']' (in a [...] "
            "list that starts on line 6)",
        ),
        (
            INJECTS,
            "title: KN-23 launch",
            "title: Launch: KN-23",
            "injects/turn1.yaml:6:18: invalid YAML: unexpected ':' (put text that contains ': ' "
            "in quotes)",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem_not_a_cascade(tmp_path, rel, old, new, expected):
    # the other files refer to the role or injects of the broken file: no 'unknown' errors,
    # and no guesses about objectives or tracks that its injects might have used
    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    path = root / rel
    path.write_text(path.read_text().replace(old, new, 1))
    assert [str(p) for p in load_pack(root).problems] == [expected]
