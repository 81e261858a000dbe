"""The pack fields the documents need: voice, tag topic and stance, glossary, turn plan,
agenda, inject priority, objective capability and source dates. All optional."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from report_support import REPORT_PACK

from exercise.pack.loader import load_pack

MINI = Path(__file__).parent / "data" / "mini-pack"


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


def test_a_pack_without_the_new_fields_stays_valid(pack):
    edit(pack, "roles/usa.yaml", "    voice: own\n", "")
    loaded = load_pack(pack)
    assert not [p for p in loaded.problems if p.severity == "error"]
    assert loaded.pack.manifest.glossary == [] and loaded.pack.manifest.agenda is None
    assert all(i.priority == "core" for i in loaded.pack.injects)


def test_a_quote_without_a_voice_is_a_warning_at_the_quote(pack):
    edit(pack, "roles/usa.yaml", "    voice: own\n", "")
    (warning,) = problems(pack, "warning")
    assert warning.startswith("roles/usa.yaml:9:12: warning: quote without a voice")


def test_a_voice_must_be_one_of_four(pack):
    edit(pack, "roles/usa.yaml", "voice: own", "voice: mine")
    (error,) = problems(pack, "error")
    assert error.startswith("roles/usa.yaml:10:12: ")
    assert "'own'" in error and "'recommendation'" in error


def test_tag_topic_must_exist_and_come_with_a_stance(pack):
    edit(pack, "scenario.yaml", "    roles: [rok]\n", "    roles: [rok]\n    topic: thad\n")
    (error,) = problems(pack, "error")
    assert "unknown topic 'thad'" in error and "thaad" in error
    edit(pack, "scenario.yaml", "topic: thad", "topic: thaad")
    (warning,) = problems(pack, "warning")
    assert "declares a topic but no stance" in warning


def test_turn_plan_turns_exist_once(pack):
    edit(
        pack,
        "scenario.yaml",
        "turns: 3\n",
        "turns: 3\nturn_plan:\n  - {turn: 1, minutes: 20}\n  - {turn: 1, minutes: 20}\n"
        "  - {turn: 4, minutes: 20}\n",
    )
    errors = problems(pack, "error")
    assert errors == [
        "scenario.yaml:10:12: turn 1 is planned twice",
        "scenario.yaml:11:12: turn 4 is beyond the exercise's 3 turns",
    ]


def test_report_pack_uses_every_new_field():
    loaded = load_pack(REPORT_PACK)
    pack = loaded.pack
    assert pack.manifest.glossary[0].term == "THAAD"
    assert [t.turn for t in pack.manifest.turn_plan] == [1, 2, 3, 4]
    assert pack.manifest.agenda.opening.minutes == 10
    assert pack.injects_by_id["rumour"].priority == "optional"
    assert pack.objectives_by_id["obj-coord"].capability == "Operational Coordination"
    assert pack.move_tags_by_id["pause-thaad"].stance == "opposes"


def test_citation_keeps_the_source_date_whole_and_marks_supplied_titles():
    from exercise.render.describe import citation

    pack = load_pack(REPORT_PACK).pack
    dprk = pack.roles_by_id["dprk"].positions[0]  # no year: the source's date is used
    cited = citation(pack, dprk)
    assert cited["text"] == "J. Kim, “Seoul Weighs the Battery [title supplied]”, mid-2010s"
    usa = pack.roles_by_id["usa"].positions[0]
    assert citation(pack, usa)["text"].endswith("Tokyo speech, 2015")
