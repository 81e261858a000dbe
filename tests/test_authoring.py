"""Writing a pack from scratch: the starter pack, script errors, schema, sources, hints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from engine_support import ENGINE_PACK, ROOT

from exercise.cli import main
from exercise.engine.script import parse_script, plan
from exercise.pack.loader import require_pack
from exercise.pack.yamlpos import load_file
from exercise.problems import ProblemsError
from exercise.render.describe import citation

BASE = ROOT / "tests" / "data" / "bad-packs" / "_base"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- exercise new


def test_new_writes_a_pack_that_validates_strictly_simulates_and_checks_its_quotes(
    tmp_path, capsys
):
    pack = tmp_path / "My Pack"
    code, out, _ = run(capsys, "new", str(pack))
    assert code == 0 and "2 roles, 3 turns" in out
    assert (pack / "rehearsal.yaml").is_file() and (pack / "sources" / "example.txt").is_file()
    assert "# " in (pack / "scenario.yaml").read_text(encoding="utf-8")  # commented
    assert run(capsys, "validate", "--strict", str(pack)) == (
        0,
        f"{pack}: valid — 2 roles, 2 injects, 3 turns, 0 warning(s)\n",
        "",
    )
    session = tmp_path / "s.session"
    code, out, err = run(capsys, "simulate", str(pack), "--session", str(session))
    assert code == 0, err
    assert "2 released (1 on conditions" in out
    # the quotes are really checked against sources_dir
    role = pack / "roles" / "red.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("talk to any", "talk with any"), encoding="utf-8"
    )
    code, _, err = run(capsys, "validate", str(pack))
    assert code == 2 and "roles/red.yaml:11:12: quote not found in example.txt" in err


def test_new_takes_roles_and_turns_and_refuses_a_folder_in_use(tmp_path, capsys):
    pack = tmp_path / "big"
    assert run(capsys, "new", str(pack), "--roles", "5", "--turns", "1")[0] == 0
    assert len(list((pack / "roles").glob("*.yaml"))) == 5
    assert run(capsys, "validate", "--strict", str(pack))[0] == 0
    code, _, err = run(capsys, "new", str(pack))
    assert code == 2 and "not an empty folder" in err
    code, _, err = run(capsys, "new", str(tmp_path / "x"), "--roles", "1")
    assert code == 2 and "--roles must be between 2 and 8" in err


# --------------------------------------------------------------------------- the script


def test_script_schema_accepts_every_shipped_script_and_rejects_an_unknown_key(tmp_path, capsys):
    assert main(["schema", "--file", "script"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert main(["new", str(tmp_path / "p")]) == 0
    capsys.readouterr()
    scripts = [
        ROOT / "rehearsal.yaml",
        ENGINE_PACK / "rehearsal.yaml",
        tmp_path / "p" / "rehearsal.yaml",
    ]
    for path in scripts:
        data, _ = load_file(path, path.name)
        jsonschema.validate(data, schema)
    data, _ = load_file(scripts[0], "r")
    data["turns"][0]["moves"][0]["move"]["tag"] = ["x"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    assert main(["schema"]) == 0
    assert "script" in json.loads(capsys.readouterr().out)["$defs"]


def problems_of(text: str, pack_dir: Path = ENGINE_PACK) -> list[str]:
    with pytest.raises(ProblemsError) as info:
        plan(parse_script(text, "s.yaml"), require_pack(pack_dir))
    return [str(p) for p in info.value.problems]


def test_an_unknown_field_lists_the_fields_of_its_action_with_a_did_you_mean():
    text = (
        "turns:\n"
        "  - turn: 1\n"
        "    moves:\n"
        "      - move: {role: usa, kind: statement, text: Hi, tag: [protest]}\n"
        "    adjudication:\n"
        "      - rule: usa\n"
        "        outcome: accepted\n"
        "        reason: x\n"
        "      - roll: usa\n"
        "        reason: x\n"
        "      - vote: usa\n"
        "        for: 1\n"
        "        against: 0\n"
        "        reason: x\n"
        "    consequences:\n"
        "      - release: offer\n"
        "        reason: x\n"
        "      - edit: offer\n"
        "        reason: x\n"
        "      - hold: offer\n"
        "        reson: x\n"
    )
    with pytest.raises(ProblemsError) as info:
        parse_script(text, "s.yaml")
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:4:54: unknown field 'tag' (did you mean 'tags'?); 'move' takes: role, kind, "
        "text, label, targets, secret, tags, intent, reasons, actor",
        "s.yaml:8:9: unknown field 'reason'; 'rule' takes: rule, outcome, narrative, effects",
        "s.yaml:10:9: unknown field 'reason'; 'roll' takes: roll, pros, cons, narrative, "
        "effects, fail_effects",
        "s.yaml:14:9: unknown field 'reason'; 'vote' takes: vote, for, against, abstain, "
        "narrative, effects",
        "s.yaml:17:9: unknown field 'reason'; 'release' takes: release",
        "s.yaml:19:9: unknown field 'reason'; 'edit' takes: edit, title, body",
        "s.yaml:21:9: unknown field 'reson' (did you mean 'reason'?); 'hold' takes: hold, reason",
    ]


def test_references_are_checked_before_play_at_the_bad_value_with_a_did_you_mean():
    text = (
        "players: {usa: A, rok: B}\n"
        "control_roles: []\n"
        "turns:\n"
        "  - turn: 1\n"
        "    injects:\n"
        "      - hold: ofer\n"
        "    moves:\n"
        "      - move:\n"
        "          role: usaa\n"
        "          kind: statement\n"
        "          text: Hi\n"
        "      - move: {role: rok, kind: statment, text: Hi, tags: [accept-thad]}\n"
        "      - move: {role: dprk, kind: military, text: Launch}\n"
        "    consequences:\n"
        "      - track: tensoin\n"
        "        delta: 1\n"
        "        reason: x\n"
        "      - observe: Seen\n"
        "        objective: obj-cord\n"
    )
    assert problems_of(text) == [
        "s.yaml:6:15: unknown inject 'ofer' (did you mean 'offer'?)",
        "s.yaml:9:17: unknown role 'usaa' (did you mean 'usa'?)",
        "s.yaml:12:33: unknown move kind 'statment' (did you mean 'statement'?) — add your "
        "own kinds to move_kinds in scenario.yaml",
        "s.yaml:12:60: unknown move tag 'accept-thad' (did you mean 'accept-thaad'?)",
        "s.yaml:13:22: role 'dprk' is not played in this session (played: rok, usa); add it "
        "to players or control_roles",
        "s.yaml:15:16: unknown track 'tensoin' (did you mean 'tension'?)",
        "s.yaml:19:20: unknown objective 'obj-cord' (did you mean 'obj-coord'?)",
    ]


def test_control_roles_without_players_is_reported_at_its_place():
    problems = problems_of("seed: 2\ncontrol_roles: [dprk]\n")
    assert problems == [
        "s.yaml:2:1: control_roles needs players: list who plays each role under players "
        "(role: player name); every role not listed in players is played by control"
    ]


def test_players_alone_leave_every_other_role_to_control():
    from exercise.engine.script import setup_for

    loaded = parse_script("players: {usa: A}\n")
    setup = setup_for(loaded, require_pack(ENGINE_PACK))
    assert setup.players == {"usa": "A"} and sorted(setup.control_roles) == ["dprk", "rok"]


# --------------------------------------------------------------------------- validate


def _pack(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(BASE, root)
    for rel, text in files.items():
        path = root / rel.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


ROK_QUOTE = """\
id: rok
name: Republic of Korea
short_name: Korea
background: Host nation.
positions:
  - topic: thaad
    stance: conditional
    summary: Terminal mode only.
    quote: "only in terminal mode"
    voice: own
    source: src
"""


def test_validate_checks_quotes_against_sources_dir_and_names_the_other_source(tmp_path, capsys):
    manifest = (BASE / "scenario.yaml").read_text(encoding="utf-8")
    manifest = (
        manifest.replace(
            "    title: A source\n",
            "    title: A source\n  - id: other\n    file: other.txt\n    title: Another\n",
        )
        + "sources_dir: texts\n"
    )
    root = _pack(tmp_path, **{"scenario.yaml": manifest, "roles__rok.yaml": ROK_QUOTE})
    # the folder is not shipped: a note, not counted by --strict
    code, out, err = run(capsys, "validate", "--strict", str(root))
    assert code == 0 and "valid" in out
    assert err == (
        f"scenario.yaml:32:14: note: quotes were not checked: the folder of source "
        f"texts {root / 'texts'} is not there (give it with --corpus)\n"
    )
    (root / "texts").mkdir()
    (root / "texts" / "src.txt").write_text("Nothing about it.\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(root))
    assert code == 2
    assert "scenario.yaml:26:11: source file 'other.txt' is not in the corpus folder" in err
    (root / "texts" / "other.txt").write_text(
        "Deployed only in\nterminal mode.\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "validate", str(root))
    assert code == 2
    assert err.splitlines()[0] == (
        "roles/rok.yaml:9:12: quote not found in src.txt: found in other.txt instead "
        "(source 'other')"
    )
    # --corpus names another folder, for a pack without sources_dir too
    corpus = tmp_path / "corpus"
    shutil.copytree(root / "texts", corpus)
    (corpus / "src.txt").write_text("It runs only in terminal mode.\n", encoding="utf-8")
    assert run(capsys, "validate", "--strict", str(root), "--corpus", str(corpus))[0] == 0


def test_validate_reports_the_rehearsal_scripts_problems(tmp_path, capsys):
    root = _pack(
        tmp_path, **{"rehearsal.yaml": "turns:\n  - turn: 1\n    injects:\n      - hold: lanch\n"}
    )
    code, _, err = run(capsys, "validate", str(root))
    assert code == 2
    assert "rehearsal.yaml:4:15: unknown inject 'lanch' (did you mean 'launch'?)" in err


def test_an_undated_position_cites_its_sources_date_text_whole(tmp_path, capsys):
    manifest = (
        (BASE / "scenario.yaml")
        .read_text(encoding="utf-8")
        .replace("    title: A source\n", "    title: A source\n    date: c. 2000–2001\n")
    )
    root = _pack(tmp_path, **{"scenario.yaml": manifest, "roles__rok.yaml": ROK_QUOTE})
    assert run(capsys, "validate", "--strict", str(root))[0] == 0  # no year: fine
    pack = require_pack(root)
    cited = citation(pack, pack.roles_by_id["rok"].positions[0])
    assert cited["year"] is None and cited["date"] == "c. 2000–2001"
    assert cited["text"] == "“A source”, c. 2000–2001"


# --------------------------------------------------------------------------- preview


def test_preview_plays_the_packs_rehearsal_by_default(capsys):
    code, out, _ = run(capsys, "preview", str(ENGINE_PACK))
    assert code == 0 and "(playing" in out and "rehearsal.yaml" in out
    with_script = out
    code, out, _ = run(capsys, "preview", str(ENGINE_PACK), "--no-script")
    assert code == 0 and "(no script: nobody moves" in out and out != with_script


# --------------------------------------------------------------------------- YAML hints


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["    condition: {track: tension, op: >=, value: 5}"],
            "injects/base.yaml:25:37: invalid YAML: put the operator in quotes: op: '>='",
        ),
        (
            [
                "    title: Hot",
                "    condition:",
                "      track: tension",
                "      op: >",
                "      value: 5",
            ],
            "injects/base.yaml:28:11: field 'op' must be one of '>=', '>', '<=', '<', "
            "'==' or '!=', not '' "
            "(an unquoted > starts a YAML block: put the operator in quotes: op: '>')",
        ),
        (
            ["    condition: {track: tension, op: !=, value: 5}"],
            "injects/base.yaml:25:37: put the operator in quotes: op: '!='",
        ),
        (
            ["     title: Hot"],
            "injects/base.yaml:25:6: invalid YAML: the indentation of line 25 (5 spaces) does not "
            "match line 24 above it: expected 4 spaces, so that the keys of one mapping line up",
        ),
        (
            ["   title: Hot"],
            "injects/base.yaml:25:4: invalid YAML: the indentation of line 25 (3 spaces) does not "
            "match line 24 above it: expected 4 spaces, so that the keys of one mapping line up",
        ),
        (
            ["    effects:", "      tension: 1", "     cohesion: 1"],
            "injects/base.yaml:27:6: invalid YAML: the indentation of line 27 (5 spaces) does not "
            "match line 26 above it: expected 6 spaces, so that the keys of one mapping line up",
        ),
    ],
)
def test_weak_yaml_errors_get_a_hint(tmp_path, capsys, lines, expected):
    injects = (BASE / "injects" / "base.yaml").read_text(encoding="utf-8")
    injects += "  - id: hot\n    turn: 2\n    kind: statement\n    from: control\n"
    injects += "\n".join(lines) + "\n    body: Hot.\n"
    root = _pack(tmp_path, **{"injects__base.yaml": injects})
    code, _, err = run(capsys, "validate", str(root))
    assert code == 2 and err.splitlines()[0] == expected


def test_a_ruling_on_a_misspelt_label_points_at_it_with_a_did_you_mean():
    text = (
        "turns:\n"
        "  - turn: 1\n"
        "    moves:\n"
        "      - move: {role: usa, kind: statement, label: us-offer, text: Hi}\n"
        "      - move: {role: rok, kind: statement, label: us-offer, text: Hi}\n"
        "    adjudication:\n"
        "      - rule: us-ofer\n"
        "        outcome: accepted\n"
    )
    assert problems_of(text) == [
        "s.yaml:5:51: the label 'us-offer' is used twice",
        "s.yaml:7:15: no move labelled 'us-ofer' and no move by a role 'us-ofer' this turn "
        "(did you mean 'us-offer'?)",
    ]


def test_unknown_keys_at_the_top_and_in_a_turn_list_what_they_take():
    with pytest.raises(ProblemsError) as info:
        parse_script("step_minute: 3\nturns:\n  - turn: 1\n    adjudicate: []\n", "s.yaml")
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:1:1: unknown field 'step_minute' (did you mean 'step_minutes'?); the "
        "document takes: name, seed, start, step_minutes, players, control_roles, observers, "
        "before, turns, after, end",
        "s.yaml:4:5: unknown field 'adjudicate' (did you mean 'adjudication'?); 'turn' "
        "takes: turn, injects, deliberation, moves, adjudication, consequences",
    ]
