"""Cross-file checks and lint: what ``exercise validate`` says about a whole pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exercise.cli import main
from exercise.pack.loader import load_pack

MINI = Path(__file__).parent / "data" / "mini-pack"
INJECTS = "injects/turn1.yaml"


@pytest.fixture
def pack(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def problems(root: Path, severity: str) -> list[str]:
    return [str(p) for p in load_pack(root).problems if p.severity == severity]


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_mini_pack_is_valid_without_warnings(capsys):
    assert main(["validate", "--strict", str(MINI)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "valid — 2 roles, 2 injects, 3 turns, 0 warning(s)" in out


def test_errors_point_at_the_offending_value(pack):
    edit(pack, INJECTS, "effects: {us-rok: -1}", "effects: {us-rok: -1, morale: 2}")
    line = line_of(pack, INJECTS, "morale")
    col = (pack / INJECTS).read_text().splitlines()[line - 1].index("morale") + 1
    assert problems(pack, "error") == [
        f"{INJECTS}:{line}:{col}: unknown track 'morale' (known: tension, us-rok)"
    ]


def test_turn_range_end_beyond_the_exercise(pack):
    edit(pack, INJECTS, "turn: {first: 2, last: 3}", "turn: {first: 2, last: 9}")
    (error,) = problems(pack, "error")
    assert error.endswith("last turn 9 is after the exercise's last turn (3)")


def test_pair_track_and_move_tag_roles_must_exist(pack):
    edit(pack, "scenario.yaml", "scope: [usa, rok]", "scope: [usa, japan]")
    edit(pack, "scenario.yaml", "    roles: [rok]", "    roles: [rok, prc]")
    messages = [e.split(": ", 1)[1] for e in problems(pack, "error")]
    assert messages == [
        "unknown role 'japan' (known: rok, usa)",
        "unknown role 'prc' (known: rok, usa)",
    ]


def test_from_accepts_roles_control_and_named_senders_only(pack):
    for sender, ok in [
        ("usa", True),
        ("control", True),
        ("KCNA", True),
        ("Yonhap News", True),
        ("kcna", False),
    ]:
        text = (MINI / INJECTS).read_text().replace("from: control", f"from: {sender}", 1)
        (pack / INJECTS).write_text(text)
        assert (problems(pack, "error") == []) is ok, sender


def test_duplicate_ids_inside_the_manifest(pack):
    edit(pack, "scenario.yaml", "  - id: us-rok", "  - id: tension")
    errors = problems(pack, "error")
    assert any("duplicate track id 'tension' (first defined on line" in e for e in errors)


def test_a_reserved_role_id_is_refused(pack):
    (pack / "roles" / "control.yaml").write_text(
        "id: control\nname: Control\nshort_name: C\nbackground: The white cell.\n"
        "positions:\n  - {topic: thaad, stance: neutral, summary: None., source: rose-2015}\n"
    )
    assert problems(pack, "error") == [
        "roles/control.yaml:1:5: 'control' is a reserved word; choose another role id"
    ]


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ('{track: tension, op: ">", value: 10}', "'tension' is never > 10 (its maximum is 10)"),
        ('{track: tension, op: "<", value: 0}', "'tension' is never < 0 (its minimum is 0)"),
        ("{chance: 0}", "a chance of 0 never comes up"),
        ("{released: protest}", "an inject cannot wait for its own release"),
        ("{move: {role: usa, tag: accept-thaad}}", "not offered to 'usa' (only to rok)"),
        ('{not: {track: tension, op: ">=", value: 0}}', "negates a condition that always"),
        ("{not: {chance: 1}}", "negates a condition that always holds"),
        (
            '{all: [{track: tension, op: ">=", value: 7}, {track: tension, op: "<", value: 5}]}',
            "it asks 'tension' to be >= 7 and < 5 at once",
        ),
        (
            '{any: [{chance: 0}, {track: us-rok, op: ">", value: 5}]}',
            "none of its alternatives can hold",
        ),
    ],
)
def test_conditions_that_can_never_hold_are_warned(pack, condition, words):
    text = (MINI / INJECTS).read_text()
    start = text.index("    condition:")
    end = text.index("    effects: {us-rok")
    (pack / INJECTS).write_text(text[:start] + f"    condition: {condition}\n" + text[end:])
    assert problems(pack, "error") == []
    (warning,) = problems(pack, "warning")
    assert warning.startswith(f"{INJECTS}:")
    assert "warning: condition can never hold: " in warning and words in warning


@pytest.mark.parametrize(
    "condition",
    [
        '{track: tension, op: ">=", value: 10}',
        '{track: tension, op: "!=", value: 3}',
        "{chance: 0.01}",
        "{released: launch-1}",
        '{any: [{chance: 0}, {track: us-rok, op: ">=", value: 5}]}',
        '{not: {track: tension, op: ">", value: 10}}',
        '{all: [{track: tension, op: ">=", value: 5}, {track: tension, op: "<=", value: 5}]}',
    ],
)
def test_conditions_that_may_hold_are_not_warned(pack, condition):
    text = (MINI / INJECTS).read_text()
    start = text.index("    condition:")
    end = text.index("    effects: {us-rok")
    (pack / INJECTS).write_text(text[:start] + f"    condition: {condition}\n" + text[end:])
    assert problems(pack, "error") == [] and problems(pack, "warning") == []


def test_released_inject_that_comes_too_late(pack):
    edit(pack, INJECTS, "turn: 1\n", "turn: 3\n")
    edit(pack, INJECTS, "turn: {first: 2, last: 3}", "turn: {first: 1, last: 2}")
    edit(
        pack,
        INJECTS,
        "        - move: {role: rok, tag: accept-thaad}",
        "        - released: launch-1",
    )
    (warning,) = problems(pack, "warning")
    assert "'launch-1' comes in turn 3 at the earliest, after this inject's last turn (2)" in (
        warning
    )


def test_lint_roles_objectives_tracks_and_private_injects(pack):
    edit(
        pack,
        "scenario.yaml",
        "objectives:\n",
        "objectives:\n  - id: obj-spare\n    title: Nobody tests this\n",
    )
    edit(pack, "scenario.yaml", "tracks:\n", "tracks:\n  - id: idle\n    name: Idle\n")
    (pack / "roles" / "rok.yaml").write_text(
        "id: rok\nname: Republic of Korea\nshort_name: ROK\nplayed_by: control\n"
        "background: Host nation.\n"
    )
    warnings = [w.split(": warning: ")[1] for w in problems(pack, "warning")]
    assert warnings == [
        "private inject addressed only to roles control plays (rok): no player will read it",
        "role 'rok' has no stated positions: its brief will have none to show",
        "no inject exercises objective 'obj-spare'",
        "no inject moves track 'idle' (only rulings can change it)",
    ]


def test_strict_turns_warnings_into_failure(pack, capsys):
    edit(pack, INJECTS, "effects: {tension: 1}", "effects: {}")
    assert main(["validate", str(pack)]) == 0
    assert main(["validate", "--strict", str(pack)]) == 2
    err = capsys.readouterr().err
    assert "warning: no inject moves track 'tension'" in err
    assert "0 error(s), 1 warning(s)" in err


@pytest.mark.parametrize(
    ("templates", "words"),
    [
        ("../elsewhere", "must be a folder inside the pack"),
        ("/etc", "must be a folder inside the pack"),
        ("scenario.yaml", "is not a folder"),
    ],
)
def test_template_folder_must_stay_in_the_pack(pack, templates, words):
    with (pack / "scenario.yaml").open("a") as handle:
        handle.write(f"templates: {templates}\n")
    (error,) = problems(pack, "error")
    assert error.startswith("scenario.yaml:") and words in error


def test_template_folder_linked_outside_is_refused(pack, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (pack / "reports").symlink_to(tmp_path / "elsewhere")
    (error,) = problems(pack, "error")
    assert "template folder 'reports' points outside the pack" in error
