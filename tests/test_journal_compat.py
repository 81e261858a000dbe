"""Journals written by earlier versions open, replay, export and report as before.

``tests/data/journals/main-report-rehearsal.jsonl`` was exported by the version before
the typed event bodies (the report pack's rehearsal, played by ``exercise simulate``);
``.info.txt`` is what that version's ``session info`` printed for it.
``main-staged.jsonl`` was exported by the version before releases recorded their cause
as data (the same rehearsal with staged release, control releasing each queued inject
at once). Each ``.report-facts.json`` holds what that version's report said about the
journal: its decisive moves and the injects each one set off, the inject counts and the
releases. Nothing here may ever regenerate them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_support import GENERATED, report_pack

from exercise.cli import main
from exercise.engine import Session
from exercise.render.report import build_report_context
from exercise.vocab import ConditionKind

JOURNALS = Path(__file__).parent / "data" / "journals"
FIXTURE = JOURNALS / "main-report-rehearsal.jsonl"
STAGED = JOURNALS / "main-staged.jsonl"
INFO = FIXTURE.with_suffix(".info.txt")


def imported(tmp_path: Path, capsys, *, here: bool = False, fixture: Path = FIXTURE) -> Path:
    """The fixture imported; ``here`` points its meta at this checkout's report pack."""
    source = fixture
    if here:
        lines = FIXTURE.read_text(encoding="utf-8").splitlines()
        head = json.loads(lines[0])
        pack = report_pack()
        head["meta"].update(pack_path=str(pack.root.resolve()), pack_hash=pack.content_hash)
        source = tmp_path / "here.jsonl"
        source.write_text("\n".join([json.dumps(head), *lines[1:]]) + "\n", encoding="utf-8")
    path = tmp_path / "old.session"
    assert main(["session", "import", str(source), "--out", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("fixture", [FIXTURE, STAGED], ids=lambda p: p.stem)
def test_an_old_journal_exports_byte_for_byte_as_it_was(tmp_path, capsys, fixture):
    path = imported(tmp_path, capsys, fixture=fixture)
    out = tmp_path / "again.jsonl"
    assert main(["session", "export", str(path), "--out", str(out)]) == 0
    assert out.read_bytes() == fixture.read_bytes()


@pytest.mark.parametrize("fixture", [FIXTURE, STAGED], ids=lambda p: p.stem)
def test_an_old_journal_reports_the_same_facts(tmp_path, capsys, fixture):
    path = imported(tmp_path, capsys, fixture=fixture)
    with Session.open(path, report_pack(), accept_changed_pack=True, readonly=True) as session:
        context = build_report_context(
            session.state, session.pack, session_name="rehearsal", generated=GENERATED
        )
    summary = context["summary"]
    facts = {
        "decisive_moves": [[m["id"], m["triggered"]] for m in summary["decisive_moves"]],
        "injects": summary["injects"],
        "released": [
            [i["id"], i["cause"], i["turn"]] for t in context["turns"] for i in t["injects"]
        ],
    }
    expected = fixture.with_suffix(".report-facts.json").read_text(encoding="utf-8")
    assert facts == json.loads(expected)
    assert ["m4", ["Ambassador summoned"]] in facts["decisive_moves"]


@pytest.mark.parametrize("fixture", [FIXTURE, STAGED], ids=lambda p: p.stem)
def test_the_cause_of_an_old_release_is_worked_out_on_replay(tmp_path, capsys, fixture):
    """These journals hold no ``condition`` facts (and the first no ``moves``): replay
    judges the condition again, against the state just before the release."""
    path = imported(tmp_path, capsys, fixture=fixture)
    with Session.open(path, report_pack(), accept_changed_pack=True, readonly=True) as session:
        injects = session.state.injects
    causes = {
        i: (injects[i].cause_moves, [(f.kind, f.ref) for f in injects[i].cause_facts])
        for i in ("protest-rok", "follow-up", "china-warns", "launch-1")
    }
    assert causes == {
        "protest-rok": (("m4",), [(ConditionKind.MOVE, "m4")]),
        "follow-up": ((), [(ConditionKind.RELEASED, "protest-rok")]),
        "china-warns": ((), [(ConditionKind.TRACK, "tension")]),
        "launch-1": ((), []),
    }


def test_an_old_journal_replays_to_the_same_facts(tmp_path, capsys):
    path = imported(tmp_path, capsys)
    with Session.open(path, report_pack(), accept_changed_pack=True, readonly=True) as session:
        state = session.state
    assert [(m.id, m.ruling.outcome, m.ruling.dice) for m in state.moves if m.ruling] == [
        ("m1", "accepted", None),
        ("m2", "accepted", None),
        ("m3", "accepted", (6, 2)),
        ("m4", "accepted", (3, 3)),
        ("m5", "modified", None),
        ("m6", "accepted", None),
    ]
    tracks = {
        k: (t.value, [(c.turn, c.delta, c.value, c.cause, c.ref) for c in t.changes])
        for k, t in state.tracks.items()
    }
    assert tracks == {
        "tension": (
            7,
            [
                (1, 2, 5, "inject", "launch-1"),
                (1, 2, 7, "ruling", "m3"),
                (1, 1, 8, "inject", "china-warns"),
                (1, -1, 7, "control", "Quiet diplomacy calms the markets."),
                (2, 1, 8, "inject", "protest-rok"),
                (3, -1, 7, "ruling", "m6"),
            ],
        ),
        "cohesion": (
            6,
            [
                (1, -1, 4, "inject", "adhoc-1"),
                (1, 1, 5, "ruling", "m1"),
                (2, 1, 6, "inject", "offer"),
            ],
        ),
        "us-rok": (3, [(2, 1, 2, "ruling", "m4"), (2, 1, 3, "inject", "protest-rok")]),
    }
    assert [(i.inject_id, i.status, i.cause, i.turn_released) for i in state.injects.values()] == [
        ("launch-1", "released", "scheduled", 1),
        ("intel-rok", "released", "scheduled", 1),
        ("offer", "released", "control", 2),
        ("china-warns", "released", "condition", 1),
        ("protest-rok", "released", "condition", 2),
        ("follow-up", "released", "condition", 2),
        ("rumour", "released", "condition", 1),
        ("calm", "skipped", "", None),
        ("adhoc-1", "released", "adhoc", 1),
    ]


def test_session_info_of_an_old_journal_reads_as_before(tmp_path, capsys):
    path = imported(tmp_path, capsys, here=True)
    assert main(["session", "info", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "\n".join(lines[2:]) + "\n" == INFO.read_text(encoding="utf-8")
