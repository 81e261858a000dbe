"""The after-action report of a scripted session: golden Markdown and HTML, safety of the
HTML (no external references, escaped player text), JSON, anonymising, unfinished play."""

from __future__ import annotations

import json
import re

import pytest
from report_support import (
    GENERATED,
    GOLDEN,
    chart_svgs,
    context,
    environment,
    normalise,
    play,
)

from exercise.engine.commands import WriteSummary
from exercise.render.jinja_env import render


@pytest.fixture(scope="module")
def finished():
    session = play()
    yield session
    session.close()


@pytest.fixture(scope="module")
def rendered(finished):
    env = environment()
    ctx = context(finished)
    return {
        "ctx": ctx,
        "md": render(env, "aar.md.j2", ctx),
        "html": render(env, "aar.html.j2", ctx),
    }


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_matches_the_golden_file(rendered, fmt):
    golden = GOLDEN / f"aar.{fmt}"
    text = normalise(rendered[fmt])
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, review it and run "
        "python tests/update_golden.py"
    )


def test_html_loads_nothing_from_outside(rendered):
    html = rendered["html"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    charts = chart_svgs(html)
    assert len(charts) == 2  # tension by turn, and the one pair track
    assert "<svg" not in html  # charts are images: their nodes stay out of the page's CSS
    ids = re.findall(r'\bid="([^"]+)"', html + "".join(charts))
    assert len(ids) == len(set(ids)), "ids must be unique, charts' included"
    for svg in charts:
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", svg, re.I)
        assert "<script" not in svg.lower()


def test_player_text_is_escaped_in_html(rendered):
    html = rendered["html"]
    assert "We will study the offer &lt;script&gt;alert(1)&lt;/script&gt;." in html


def test_player_text_cannot_open_html_in_markdown(rendered):
    assert "offer &lt;script>alert(1)&lt;/script>." in rendered["md"]


def test_report_covers_what_happened(rendered):
    md = rendered["md"]
    # the conditional inject says why it fired, a matrix roll shows its dice
    assert (
        "turn 2: condition held — the ROK's move “Accept a THAAD battery” was accepted or "
        "modified |"
    ) in md
    assert "rok made" not in md and "'protest-rok'" not in md  # no raw ids in sentences
    assert "2d6 rolled 3+3, +2 for, −0 against = 8 (needs 7)" in md
    # a departure from a stated position is marked in the role's section
    assert (
        "**departure:** “Pause the THAAD deployment” opposes THAAD in Korea, where the "
        "stated position of 2015 supports it."
    ) in md
    assert "*shift:* “Accept a THAAD battery” supports THAAD in Korea" in md
    # the improvement plan and injects as played
    assert (
        "| Coordinate allied responses / Operational Coordination | Allies did not share "
        "warning quickly. | Set up a trilateral warning line | Planning | Joint staff | "
        "Col. Park | 2026-04-01 | 2026-09-30 | open |"
    ) in md
    assert (
        "| Rehearse the launch drill | Training | Exercise cell | — | — | 2026-03-15 | open "
        "— **overdue** |" in md
    )
    assert "| Calm returns (`calm`) | turn 4 | skipped | Not needed in this rehearsal. |" in md
    # injects released as scheduled, which the timeline tells in full, are named, not tabled
    assert "| KN-23 launch (`launch-1`) |" not in md
    assert "- **Turn 1:** “KN-23 launch” (`launch-1`); “A private warning” (`intel-rok`)." in md
    assert "| THAAD battery offered (`offer`) | turn 2 | released |" in md  # edited: tabled


def test_json_is_the_template_context(finished, rendered):
    from exercise.commands.report import to_json

    data = json.loads(to_json(rendered["ctx"]))
    assert data["summary"]["moves"] == len(finished.state.moves)
    assert [t["number"] for t in data["turns"]] == [1, 2, 3, 4]
    assert data["overview"]["participants"][1]["player"] == "Bo"
    assert data["schema_version"] == 2
    assert data["charts"][0] == {
        "kind": "tension",
        "track_id": "tension",
        "track": "Regional tension",
    }  # no SVG in JSON
    assert data["overview"]["generated"] == "2026-03-20"
    first = data["turns"][0]["moves"][0]
    assert first["role_id"] == "usa" and first["ruling"]["effects_applied"] == {"cohesion": 1}
    clamped = data["turns"][3]["changes"][0]
    assert (clamped["delta"], clamped["asked"], clamped["value"]) == (4, 9, 10)


def test_json_matches_its_schema(rendered):
    import jsonschema

    from exercise.commands.report import to_json
    from exercise.render.report_schema import REPORT_SCHEMA

    jsonschema.validate(json.loads(to_json(rendered["ctx"])), REPORT_SCHEMA)


def test_hseep_analysis_ratings_and_summary(rendered):
    md = rendered["md"]
    assert (
        "**Rating: Performed with Some Challenges (S).** Allies coordinated their statements"
    ) in md
    assert "**Rating: Performed with Major Challenges (M).**" in md
    assert "  - *Analysis (root cause):* No agreed channel for launch data" in md
    assert "**Major strengths**\n\n- Room set up early; briefs read." in md
    assert "Regional tension began at 3 (stable), peaked at 8 (crisis) in turn 1" in md
    assert "*Drafted from the session's journal" in md


def test_timeline_shows_applied_deltas_holds_and_overrides(rendered):
    md = rendered["md"]
    assert (
        "| control adjustment: Allies close ranks. | player-driven | Alliance cohesion +4 "
        "(asked +9) → 10 |"
    ) in md
    assert "| inject “KN-23 launch” | scripted | Regional tension +2 → 5 |" in md
    assert "- Held “THAAD battery offered”: Wait for Seoul's answer." in md
    assert "- Skipped “Calm returns”: Not needed in this rehearsal." in md
    assert "**Before play:** Edited “THAAD battery offered” before its release." in md
    # an override speaks with its own narrative, not the first ruling's
    override = md.split("Accept the battery. `accept-thaad`")[1].split("\n- ")[0]
    assert "**overridden by control: accepted**. Control rules the deal goes through" in override
    assert "Seoul agrees." not in override
    # full inject texts only in the appendix
    timeline = md.split("## 4. Timeline")[1].split("## 5.")[0]
    assert "Two missiles fall into the sea." not in timeline
    assert "> Two missiles fall into the sea." in md.split("## Appendix B")[1]


def test_control_summary_replaces_the_drafted_one(finished):
    from report_support import play

    session = play()
    try:
        session.execute(WriteSummary("We met.\n\nWe argued; we agreed."), now=GENERATED)
        md = render(environment(), "aar.md.j2", context(session))
    finally:
        session.close()
    assert "## 2. Executive summary\n\nWe met.\n\nWe argued; we agreed.\n\n**Major" in md
    assert "Drafted from the session's journal" not in md


def test_anonymised_report_has_no_player_names_or_control_notes(finished):
    ctx = context(finished, anonymise=True)
    md = render(environment(), "aar.md.j2", ctx)
    assert "Alice" not in md and "| Bo |" not in md
    assert "| United States (US) | United States |" in md
    assert "### United States\n" in md and "United States — United States" not in md
    assert "Turn 1 (secret): We will study the offer" in md
    assert "Quiet diplomacy calms the markets" not in md  # control's adjustment reason
    assert "Not needed in this rehearsal" not in md  # control's skip reason
    assert "*Anonymised*" in md


def test_unfinished_session_is_labelled():
    session = play(stop_after=25)
    try:
        ctx = context(session)
        md = render(environment(), "aar.md.j2", ctx)
        html = render(environment(), "aar.html.j2", ctx)
    finally:
        session.close()
    assert ctx["overview"]["status"] == "unfinished"
    assert "> **Unfinished: stopped in turn" in md
    assert 'class="banner">Unfinished: stopped in turn' in html
    assert "never fired" in md


def test_departures_come_only_from_declared_tag_stances():
    """Words in a move ("offer", "THAAD") are never read as a stance."""
    from report_support import report_pack

    from exercise.engine.state import MoveState
    from exercise.render.departures import assess_move

    pack = report_pack()
    briefing = MoveState(
        "m1",
        1,
        "usa",
        "diplomatic",
        "Briefs the Chinese ambassador that no THAAD decision has been taken and no offer stands.",
        tags=["protest"],
    )
    assert assess_move(pack, briefing)["mark"] == ""
    offer = MoveState(
        "m2", 1, "usa", "diplomatic", "Withdraw, reject, cancel.", tags=["offer-thaad"]
    )
    assert assess_move(pack, offer)["mark"] == ""  # supports, as the U.S. position does
    pause = MoveState("m3", 1, "usa", "statement", "Accept and support.", tags=["pause-thaad"])
    assert assess_move(pack, pause)["mark"] == "departure"


def test_schema_command_prints_the_report_schema(capsys):
    from exercise.cli import main

    assert main(["schema", "--file", "report"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "After-action report"
    assert schema["properties"]["schema_version"] == {"const": 2}


def test_typed_text_keeps_its_line_breaks_and_stays_text():
    from exercise.render.jinja_env import make_environment, template_folders

    env = make_environment(template_folders(None, None, None))
    html = env.from_string("{{ text|lines }}").render(text="Hold.\nThen <b>strike</b> & wait")
    assert html == "Hold.<br>Then &lt;b&gt;strike&lt;/b&gt; &amp; wait"
