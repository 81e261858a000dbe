"""The README is enough to write a pack and its script.

tests/data/readme-pack was written from the README's pack and script sections alone; it
must validate strictly (quotes checked against its sources_dir) and play end to end. The
README must also name every key a script may hold, so that it stays the whole story.
"""

from __future__ import annotations

import re

from engine_support import ROOT

from exercise.cli import main
from exercise.engine.script_format import _ACTIONS, AdhocSpec, MoveSpec, Script, TurnScript
from exercise.pack.errors import _field_names

README_PACK = ROOT / "tests" / "data" / "readme-pack"


def test_the_pack_written_from_the_readme_validates_strictly_and_plays(tmp_path, capsys):
    assert main(["validate", "--strict", str(README_PACK)]) == 0
    out = capsys.readouterr()
    assert out.err == "" and "valid — 3 roles, 6 injects, 3 turns, 0 warning(s)" in out.out
    session = tmp_path / "readme.session"
    assert main(["simulate", str(README_PACK), "--session", str(session)]) == 0
    assert "played 3 turns of Aegis Ashore in Europe: ended" in capsys.readouterr().out
    report = tmp_path / "report.md"
    assert main(["report", str(session), "--out", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert "Moscow summons the Polish ambassador" in text
    assert "Iskanders move to the Kaliningrad border" in text


def _section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end > 0 else None]


def test_the_readme_names_every_key_of_a_script():
    section = _section("Rehearsal scripts")
    named = set(re.findall(r"`([a-z_]+)", section))
    models = [Script, TurnScript, MoveSpec, AdhocSpec, *_ACTIONS.values()]
    keys = {name for model in models for name in _field_names(model)}
    assert keys - named == set()
    for action in _ACTIONS:
        assert f"`{action}" in section, action
