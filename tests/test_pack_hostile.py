"""Hostile and random input: only ``path:line:col`` problems come out, never a traceback.

Random bytes, random YAML-like text, random data shaped like pack files and random edits
of valid files are fed to the loader; every outcome must be a list of well-formed
problems. Then the specific attacks: alias bombs, deep nesting, huge and odd files,
links out of the pack.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercise.pack.files import MAX_PACK_FILES
from exercise.pack.loader import load_pack
from exercise.pack.yamlpos import MAX_DEPTH, load_text
from exercise.problems import Problem, ProblemsError

MINI = Path(__file__).parent / "data" / "mini-pack"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _well_formed(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and "\n" not in problem.message
        assert "Traceback" not in problem.message


class _Pack:
    """A copy of the mini pack made once; one file is swapped per example."""

    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.root = Path(self.dir.name) / "pack"
        shutil.copytree(MINI, self.root)
        self.saved = {
            rel: (self.root / rel).read_bytes()
            for rel in ("scenario.yaml", "roles/usa.yaml", "injects/turn1.yaml")
        }

    def load_with(self, rel: str, content: bytes) -> list[Problem]:
        try:
            (self.root / rel).write_bytes(content)
            result = load_pack(self.root)
        finally:
            (self.root / rel).write_bytes(self.saved[rel])
        _well_formed(result.problems)
        return result.problems


@pytest.fixture(scope="module")
def pack():
    made = _Pack()
    yield made
    made.dir.cleanup()


FILES = st.sampled_from(["scenario.yaml", "roles/usa.yaml", "injects/turn1.yaml"])
YAMLISH = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?~ \n\t\u00a0abyesnoNO019.\\x")),
    max_size=200,
)
FIELD_NAMES = [
    "id",
    "name",
    "turn",
    "first",
    "last",
    "kind",
    "from",
    "audience",
    "title",
    "body",
    "condition",
    "all",
    "any",
    "not",
    "track",
    "op",
    "value",
    "released",
    "move",
    "role",
    "tag",
    "chance",
    "effects",
    "tension",
    "injects",
    "positions",
    "topic",
    "stance",
    "source",
    "quote",
    "views",
    "tracks",
    "min",
    "max",
    "scope",
    "levels",
    "objectives",
    "start_date",
    "turns",
    "played_by",
    "ruled",
    "x",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(
        ["public", "global", "usa", "rok", "tension", ">=", "2026-03-01", "control", "NO"]
    ),
)
DATA = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=5),
    ),
    max_leaves=25,
)


@FUZZ
@given(rel=FILES, content=st.binary(max_size=300))
def test_random_bytes_give_problems_only(pack, rel, content):
    pack.load_with(rel, content)


@FUZZ
@given(rel=FILES, text=YAMLISH)
def test_random_yaml_like_text_gives_problems_only(pack, rel, text):
    pack.load_with(rel, text.encode("utf-8"))


@FUZZ
@given(rel=FILES, data=DATA)
def test_random_data_shaped_like_pack_files_gives_problems_only(pack, rel, data):
    if rel == "injects/turn1.yaml":
        data = {"injects": [data]}
    text = yaml.safe_dump(data, allow_unicode=True)
    pack.load_with(rel, text.encode("utf-8"))


@FUZZ
@given(
    rel=FILES,
    cuts=st.lists(st.tuples(st.integers(0, 2000), st.text(max_size=3)), min_size=1, max_size=4),
)
def test_random_edits_of_valid_files_give_problems_only(pack, rel, cuts):
    text = pack.saved[rel].decode("utf-8")
    for at, insert in cuts:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + 1 :]
    pack.load_with(rel, text.encode("utf-8"))


def test_random_input_straight_to_the_yaml_reader():
    # load_text itself raises ProblemsError and nothing else, for text no file holds
    for text in ["\udcff", "\x85\u2028", "a: !<tag:x> 1", "? [a]\n: b", "- &a\n- *a", "%YAML 9"]:
        try:
            load_text(text, "x.yaml")
        except ProblemsError as exc:
            _well_formed(exc.problems)


@pytest.mark.parametrize("text", ['x: !!int ""', "x: !!int", 'x: !!float ""', "x: !!float"])
def test_an_explicit_number_tag_on_nothing_is_a_positioned_problem(text):
    with pytest.raises(ProblemsError) as caught:
        load_text(text, "x.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (1, 4)


def test_an_explicit_tag_on_quoted_text_gives_its_value():
    data, _ = load_text('a: !!int "5"\nb: !!bool "true"\nc: !!str "\\e[2J"\n', "x.yaml")
    assert data == {"a": 5, "b": True, "c": "[2J"}


# --------------------------------------------------------------------------- attacks


def _one_error(root: Path) -> Problem:
    result = load_pack(root)
    _well_formed(result.problems)
    errors = [p for p in result.problems if p.is_error]
    assert len(errors) == 1, errors
    return errors[0]


@pytest.fixture
def mini(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    return root


def test_billion_laughs_is_refused_without_expanding(mini):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    (mini / "roles" / "bomb.yaml").write_text("\n".join(lines) + "\n")
    problem = _one_error(mini)
    assert problem.path == "roles/bomb.yaml"
    assert "alias bomb" in problem.message


def test_small_aliases_are_fine(mini):
    text = (MINI / "roles" / "usa.yaml").read_text()
    text = text.replace("objectives: [Deploy THAAD]", "objectives: &goals [Deploy THAAD]")
    text = text.replace("red_lines: [No withdrawal of forces]", "red_lines: *goals")
    (mini / "roles" / "usa.yaml").write_text(text)
    result = load_pack(mini)
    assert result.ok
    assert result.pack.roles_by_id["usa"].red_lines == ["Deploy THAAD"]


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_at_the_limit(mini, style):
    depth = 10_000 if style == "flow" else MAX_DEPTH + 10
    if style == "flow":
        text = "id: deep\nvalue: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "x\n"
    (mini / "roles" / "deep.yaml").write_text(text)
    problem = _one_error(mini)
    assert problem.path == "roles/deep.yaml"
    assert "nested too deeply" in problem.message


def test_too_many_files_is_one_problem(mini):
    folder = mini / "injects" / "many"
    folder.mkdir()
    for n in range(MAX_PACK_FILES + 1):
        (folder / f"f{n:04d}.yaml").write_text("injects: []\n")
    result = load_pack(mini)
    _well_formed(result.problems)
    assert any("too many files" in p.message for p in result.problems if p.is_error)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: 1\n---\nb: 2\n", "one YAML document"),
        ("base: &b {id: usa}\n<<: *b\n", "merge keys"),
        ("id: !!binary aGVsbG8=\n", "'!!binary' is not allowed"),
        ("id: !custom usa\n", "'!custom' is not allowed"),
        ("[a, b]: c\n", "mapping keys must be plain text"),
        ("id: usa\nname: *missing\n", "unknown alias"),
        ("id: usa\x07\n", "control characters"),
        ("just a sentence\n", "not a single value"),
        ("", "the file is empty"),
    ],
)
def test_odd_yaml_is_one_clear_problem(mini, text, words):
    (mini / "roles" / "odd.yaml").write_text(text)
    problem = _one_error(mini)
    assert problem.path == "roles/odd.yaml"
    assert words in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_read(mini):
    os.mkfifo(mini / "roles" / "pipe.yaml")  # opening it would block forever
    problem = _one_error(mini)
    assert problem.path == "roles/pipe.yaml"
    assert "not a regular file" in problem.message


def test_links_out_of_the_pack_are_refused(mini, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text((MINI / "roles" / "rok.yaml").read_text().replace("rok", "japan"))
    (mini / "roles" / "japan.yaml").symlink_to(outside)
    problem = _one_error(mini)
    assert (problem.path, problem.message) == ("roles/japan.yaml", "file points outside the pack")


def test_template_links_out_of_the_pack_are_refused(mini, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the report")
    (mini / "reports").mkdir()
    (mini / "reports" / "brief.md.j2").symlink_to(secret)
    problem = _one_error(mini)
    assert problem.path == "reports/brief.md.j2"
    assert "outside the pack" in problem.message


def test_a_missing_or_wrong_pack_folder_is_one_problem(tmp_path):
    for root, words in [
        (tmp_path / "nope", "no such pack folder"),
        (MINI / "scenario.yaml", "is a file, not a pack folder"),
    ]:
        result = load_pack(root)
        assert result.pack is None
        assert [p.message for p in result.problems] == [words]


def test_link_loops_and_dangling_links_are_problems(mini):
    (mini / "roles" / "loop.yaml").symlink_to("loop.yaml")
    (mini / "roles" / "gone.yaml").symlink_to(mini / "nowhere.yaml")
    result = load_pack(mini)
    _well_formed(result.problems)
    assert sorted((p.path, p.message) for p in result.problems if p.is_error) == [
        ("roles/gone.yaml", "file is a link that leads nowhere (missing target or a loop)"),
        ("roles/loop.yaml", "file is a link that leads nowhere (missing target or a loop)"),
    ]


def test_a_pack_name_too_long_for_the_system_is_one_problem(tmp_path):
    result = load_pack(tmp_path / ("x" * 5000))
    assert [p.message for p in result.problems] == ["no such pack folder"]


def test_a_manifest_link_out_of_the_pack_is_refused(mini, tmp_path):
    outside = tmp_path / "elsewhere" / "scenario.yaml"
    outside.parent.mkdir()
    (mini / "scenario.yaml").rename(outside)
    (mini / "scenario.yaml").symlink_to(outside)
    problem = _one_error(mini)
    assert (problem.path, problem.message) == ("scenario.yaml", "file points outside the pack")


def test_a_manifest_link_inside_the_pack_is_read(mini):
    (mini / "scenario.yaml").rename(mini / "manifest.yaml")
    (mini / "scenario.yaml").symlink_to(mini / "manifest.yaml")
    assert load_pack(mini).ok


def test_a_rehearsal_link_out_of_the_pack_is_refused(tmp_path, capsys):
    from exercise.cli import main

    pack = tmp_path / "pack"
    shutil.copytree(MINI.parent / "report-pack", pack)
    outside = tmp_path / "rehearsal.yaml"
    (pack / "rehearsal.yaml").rename(outside)
    (pack / "rehearsal.yaml").symlink_to(outside)
    assert main(["simulate", str(pack), "--session", str(tmp_path / "s.session")]) == 2
    assert "points outside the pack" in capsys.readouterr().err
