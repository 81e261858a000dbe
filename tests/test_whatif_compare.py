"""What-if: continue a branch with ``simulate --resume``, compare it with ``report --compare``.

The bundled rehearsal is played, branched at turn 3 and continued with a different
script (Beijing holds back instead of retaliating; Tokyo does not intercept), and the
comparison must show where the two part, the decisions and injects that differ and
both sessions' tracks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from report_support import chart_legends, chart_svgs

from exercise.cli import main

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PACK = ROOT / "tests" / "data" / "engine-pack"

WHAT_IF = """\
name: What if Beijing holds back
turns:
  - turn: 3
    moves:
      - move:
          role: china
          kind: diplomatic
          label: cn-restraint
          text: Protests the deployment but keeps trade and tourism open.
          tags: [de-escalation-hotline]
          targets: [rok]
      - move:
          role: usa
          kind: proposal
          text: Offers Beijing a technical briefing on the THAAD radar's terminal mode.
          tags: [reassure-china]
          targets: [china]
    adjudication:
      - rule: cn-restraint
        outcome: accepted
        narrative: Seoul's markets steady; the pressure campaign never comes.
        effects: {china-rok: 1}
      - rule: usa
        outcome: rejected
        narrative: Beijing declines the briefing.
        effects: {tension: 1}
  - turn: 4
    moves:
      - move:
          role: japan
          kind: statement
          text: Tracks the overflight but does not try to intercept.
"""


def need_pdf() -> None:
    from exercise.render.pdf import INSTALL_HINT, pdf_available

    if not pdf_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PDF output is not available on CI: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """The rehearsal ('orig') and its branch at turn 3 continued with WHAT_IF ('wif')."""
    folder = tmp_path_factory.mktemp("whatif")
    orig, wif = folder / "orig.session", folder / "wif.session"
    assert main(["simulate", "--session", str(orig)]) == 0
    assert main(["session", "branch", str(orig), "--turn", "3", "--out", str(wif)]) == 0
    script = folder / "what-if.yaml"
    script.write_text(WHAT_IF, encoding="utf-8")
    assert main(["simulate", "--resume", str(wif), "--script", str(script)]) == 0
    return folder


@pytest.fixture(scope="module")
def report(played):
    out = played / "wif-report"
    code = main(
        [
            "report",
            str(played / "wif.session"),
            "--compare",
            str(played / "orig.session"),
            "--format",
            "json",
            "--format",
            "md",
            "--format",
            "html",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return {
        fmt: (played / f"wif-report.{fmt}").read_text(encoding="utf-8")
        for fmt in ("json", "md", "html")
    }


def test_the_comparison_says_where_the_branch_parts_from_the_rehearsal(report):
    c = json.loads(report["json"])["comparison"]
    assert (c["a"], c["b"]) == ("orig", "wif")
    assert c["relation"] == "“wif” is a branch of “orig” from the beginning of turn 3."
    part = c["parting"]
    assert (part["turn"], part["phase"], part["same"]) == (3, "moves", False)
    assert part["b"] == "China moved: Protests the deployment but keeps trade and tourism open."
    assert part["a"].startswith("China moved: Halts group tours to Korea")


def test_the_decisions_that_differ_are_listed_per_turn_and_role(report):
    c = json.loads(report["json"])["comparison"]
    by_key = {(d["turn"], d["role_id"]): d for d in c["decisions"]}
    china = by_key[(3, "china")]
    assert [m["text"] for m in china["b"]] == [
        "Protests the deployment but keeps trade and tourism open."
    ]
    assert china["a"][0]["text"].startswith("Halts group tours")
    assert china["a"][0]["effects"] == "China–ROK relations -1"
    assert china["b"][0]["effects"] == "China–ROK relations +1"
    japan = by_key[(4, "japan")]
    assert japan["b"][0]["outcome"] == "not ruled"
    assert japan["a"][0]["outcome"] == "modified"
    assert (3, "dprk") not in by_key  # nothing differed for North Korea in turn 3
    assert min(turn for turn, _ in by_key) == 3  # turns 1-2 are shared


def test_injects_fired_in_one_only_come_with_why(report):
    c = json.loads(report["json"])["comparison"]
    only = {i["id"]: i for i in c["injects"]["only"]}
    fallout = only["c-retaliation-fallout"]
    assert (fallout["in"], fallout["not_in"]) == ("orig", "wif")
    assert "“Impose economic measures" in fallout["why"]  # the tag, spoken
    assert fallout["other_status"] == "never fired"
    assert "condition did not hold" in fallout["other_why"]
    unopposed = only["c-overflight-unopposed"]
    assert unopposed["in"] == "wif" and "flies over northern Japan" in unopposed["why"]
    assert only["c-intercept-success"]["in"] == "orig"
    timing = {i["id"]: i for i in c["injects"]["timing"]}
    assert (timing["c-hotline-used"]["b_turn"], timing["c-hotline-used"]["a_turn"]) == (3, 6)


def test_both_sessions_tracks_by_turn_and_final_state(report):
    c = json.loads(report["json"])["comparison"]
    tension = next(t for t in c["tracks"] if t["id"] == "tension")
    assert tension["labels"][0] == "Start" and tension["labels"][-1] == "T8"
    series = {s["session"]: s["values"] for s in tension["series"]}
    assert set(series) == {"orig", "wif"}
    assert series["orig"][:4] == series["wif"][:4]  # start, turns 1 and 2 are shared...
    assert series["orig"] != series["wif"]  # ...and the branch goes elsewhere after
    final = {t["id"]: t for t in c["final"]["tracks"]}
    assert final["tension"]["a"] == series["orig"][-1]
    assert final["tension"]["b"] == series["wif"][-1]
    assert c["final"]["a"]["moves"] > c["final"]["b"]["moves"]
    # the rehearsal rates every objective; the branch's script rates none
    assert len(c["ratings"]) == 5
    assert all(r["a"] in "PSMU" and r["b"] == "—" for r in c["ratings"])
    assert len(c["charts"]) == len(c["tracks"])


def test_json_written_beside_html_holds_no_drawing(report):
    """Charts are for the documents: JSON written in the same run as HTML (whose context
    holds the report's, the comparison's and the messages' charts) has none of them."""
    assert "<svg" not in report["json"] and "swatch" not in report["json"]
    data = json.loads(report["json"])
    assert all(set(chart) == {"track"} for chart in data["comparison"]["charts"])
    assert "chart" not in data["communication"]


def test_markdown_and_html_have_the_section_and_one_chart_per_track(report):
    md, html = report["md"], report["html"]
    assert "## What-if comparison: wif and orig" in md
    assert "- **wif**: China moved: Protests the deployment" in md
    assert "| orig | 3 | 4 | 4 |" in md  # the tension table's first cells
    section = html[html.index('<section class="chapter" id="what-if">') :]
    section = section[: section.index("</section>")]
    charts = chart_svgs(section)
    assert len(charts) == 5  # the bundled pack has five tracks
    assert 'alt="Regional tension by turn"' in section
    legends = chart_legends(section)
    assert len(legends) == 5  # each chart's legend is page text below it, never cut
    assert all(keys[:2] == ["orig", "wif"] for keys in legends), legends
    drawn = "".join(charts)
    assert "http://" not in (section + drawn).replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Where they part" in section and "Decisions that differ" in section


@pytest.mark.slow
def test_the_pdf_has_the_comparison(tmp_path):
    need_pdf()
    import pypdf
    from report_support import play

    seminar, branch = tmp_path / "seminar.session", tmp_path / "branch.session"
    play(seminar).close()  # the small report pack's rehearsal: a short PDF
    assert main(["session", "branch", str(seminar), "--turn", "2", "--out", str(branch)]) == 0
    out = tmp_path / "compare.pdf"
    assert (
        main(
            ["report", str(branch), "--compare", str(seminar), "--format", "pdf", "--out", str(out)]
        )
        == 0
    )
    text = " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(out)).pages
    )
    assert "What-if comparison: branch and seminar" in text
    assert "“branch” is a branch of “seminar” from the beginning of turn 2." in text
    assert "Where they part" in text and "Final state" in text


def test_two_branches_of_one_session_compare(played, capsys):
    sibling = played / "sibling.session"
    assert (
        main(
            [
                "session",
                "branch",
                str(played / "orig.session"),
                "--turn",
                "5",
                "--out",
                str(sibling),
            ]
        )
        == 0
    )
    out = played / "siblings.json"
    assert (
        main(
            [
                "report",
                str(played / "wif.session"),
                "--compare",
                str(sibling),
                "--format",
                "json",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    c = json.loads(out.read_text(encoding="utf-8"))["comparison"]
    assert "both branches of “orig”" in c["relation"]


def test_sessions_without_a_common_parent_are_refused(played, capsys):
    stranger = played / "stranger.session"
    assert main(["simulate", "--session", str(stranger)]) == 0
    capsys.readouterr()
    code = main(["report", str(played / "wif.session"), "--compare", str(stranger)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "no common parent" in err
    assert "stranger.session is not a branch" in err


def test_sessions_of_different_packs_are_refused(played, capsys):
    other = played / "other-pack.session"
    assert main(["simulate", str(ENGINE_PACK), "--session", str(other)]) == 0
    capsys.readouterr()
    code = main(["report", str(played / "wif.session"), "--compare", str(other)])
    err = capsys.readouterr().err
    assert code == 2
    assert "different packs" in err


def test_resuming_with_turns_already_over_is_an_error_with_its_position(played, capsys):
    from exercise.engine.transfer import journal_info

    branch = played / "again.session"
    assert (
        main(
            ["session", "branch", str(played / "orig.session"), "--turn", "3", "--out", str(branch)]
        )
        == 0
    )
    events = journal_info(branch).events
    script = played / "late.yaml"
    script.write_text(
        WHAT_IF.replace("  - turn: 3\n", "  - turn: 2\n    moves: []\n  - turn: 3\n", 1),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["simulate", "--resume", str(branch), "--script", str(script)]) == 2
    err = capsys.readouterr().err
    assert (
        f"{script}:3:11: turn 2 is already over: the session stands in turn 3, injects phase" in err
    )
    assert journal_info(branch).events == events  # nothing was written


def test_a_refusal_mid_script_leaves_the_branch_as_it_was(played, capsys):
    from exercise.engine.transfer import journal_info

    branch = played / "refused.session"
    assert (
        main(
            ["session", "branch", str(played / "orig.session"), "--turn", "3", "--out", str(branch)]
        )
        == 0
    )
    events = journal_info(branch).events
    script = played / "bad-tag.yaml"
    script.write_text(
        WHAT_IF.replace("[de-escalation-hotline]", "[reassure-china]"), encoding="utf-8"
    )
    assert main(["simulate", "--resume", str(branch), "--script", str(script)]) == 2
    assert "is not offered to china" in capsys.readouterr().err
    assert journal_info(branch).events == events


def test_phases_already_over_in_the_current_turn_are_errors(played, capsys):
    branch = played / "mid-turn.session"
    assert (
        main(
            ["session", "branch", str(played / "orig.session"), "--turn", "3", "--out", str(branch)]
        )
        == 0
    )
    first = played / "first.yaml"
    first.write_text("end: false\nturns:\n  - turn: 3\n    moves: []\n", encoding="utf-8")
    assert main(["simulate", "--resume", str(branch), "--script", str(first)]) == 0
    capsys.readouterr()
    script = played / "what-if-again.yaml"
    script.write_text(WHAT_IF, encoding="utf-8")
    assert main(["simulate", "--resume", str(branch), "--script", str(script)]) == 2
    err = capsys.readouterr().err
    assert (
        f"{script}:5:7: the moves phase of turn 3 is already over: the session stands in "
        "turn 3, consequences phase" in err
    )
    assert f"{script}:19:7: the adjudication phase of turn 3 is already over" in err
