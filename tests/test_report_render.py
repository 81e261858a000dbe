"""The after-action report of a scripted session: golden Markdown and HTML, safety of the
HTML (no external references, escaped player text), JSON, anonymising, unfinished play."""

from __future__ import annotations

import json
import re

import pytest
from report_support import GOLDEN, context, environment, normalise, play

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
    return {"ctx": ctx, "md": render(env, "aar.md.j2", ctx),
            "html": render(env, "aar.html.j2", ctx)}


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
    assert html.count("<svg") == 4  # the escalation path and one chart per track


def test_player_text_is_escaped_in_html(rendered):
    html = rendered["html"]
    assert "We will study the offer &lt;script&gt;alert(1)&lt;/script&gt;." in html


def test_player_text_cannot_open_html_in_markdown(rendered):
    assert "offer &lt;script>alert(1)&lt;/script>." in rendered["md"]


def test_report_covers_what_happened(rendered):
    md = rendered["md"]
    # the conditional inject says why it fired, a matrix roll shows its dice
    assert "Fired because rok made a move tagged accept-thaad" in md
    assert "2d6 rolled 3+3, +2 for, −0 against = 8 (needs 7)" in md
    # a departure from a stated position is marked in the role's section
    assert ("**departure:** “Pause the THAAD deployment” opposes THAAD in Korea, where the "
            "stated position supports it") in md
    assert "*shift:* “Accept a THAAD battery” supports THAAD in Korea" in md
    # the improvement plan and injects as played
    assert "| Set up a trilateral warning line | Coordinate allied responses | Joint staff |" in md
    assert "| Calm returns (`calm`) | turn 4 | skipped | Not needed in this rehearsal. |" in md


def test_json_is_the_template_context(finished, rendered):
    from exercise.commands.report import to_json

    data = json.loads(to_json(rendered["ctx"]))
    assert data["summary"]["moves"] == len(finished.state.moves)
    assert [t["number"] for t in data["turns"]] == [1, 2, 3, 4]
    assert data["overview"]["participants"][1]["player"] == "Bo"
    assert data["charts"][0]["kind"] == "escalation"


def test_anonymised_report_has_no_player_names_or_control_notes(finished):
    ctx = context(finished, anonymise=True)
    md = render(environment(), "aar.md.j2", ctx)
    assert "Alice" not in md and "| Bo |" not in md
    assert "| United States (US) | United States |" in md
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
    briefing = MoveState("m1", 1, "usa", "diplomatic",
                         "Briefs the Chinese ambassador that no THAAD decision has been taken "
                         "and no offer stands.", tags=["protest"])
    assert assess_move(pack, briefing)["mark"] == ""
    offer = MoveState("m2", 1, "usa", "diplomatic", "Withdraw, reject, cancel.",
                      tags=["offer-thaad"])
    assert assess_move(pack, offer)["mark"] == ""  # supports, as the U.S. position does
    pause = MoveState("m3", 1, "usa", "statement", "Accept and support.", tags=["pause-thaad"])
    assert assess_move(pack, pause)["mark"] == "departure"
