"""``exercise briefs``: one brief per role and a control brief, from the pack alone."""

from __future__ import annotations

import re
import shutil

import pytest
from report_support import MINI_PACK, REPORT_PACK

from exercise.cli import main


def brief(out, name):
    return (out / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefs")
    assert (
        main(["briefs", str(REPORT_PACK), "--out", str(out), "--format", "md", "--format", "html"])
        == 0
    )
    return out


def test_one_brief_per_role_and_one_for_control(briefs):
    names = sorted(p.name for p in briefs.iterdir())
    assert names == sorted(
        f"{stem}.{ext}"
        for stem in ("brief-usa", "brief-rok", "brief-dprk", "control-brief")
        for ext in ("md", "html")
    )


def test_role_brief_has_positions_with_citations_and_friction(briefs):
    md = brief(briefs, "brief-usa.md")
    assert md.startswith("# Role brief: United States")
    assert "### THAAD in Korea" in md
    assert "  > this system is a purely defensive system" in md
    assert (
        "*Source: D-Bo, “United States Hopes to Deploy Missile Defense in South Korea”, "
        "Tokyo speech, 2015.*"
    ) in md
    # every other actor appears in the friction table, with its stance
    assert "| ROK | Ambivalent | No negotiations on THAAD are under way. |" in md
    assert "| DPRK | Opposes | THAAD is a provocation. |" in md
    assert "## Your red lines\n\n- No withdrawal of forces" in md
    assert "- **ROK:** A hesitant ally." in md


def test_private_section_is_marked_and_never_leaks(briefs):
    usa = brief(briefs, "brief-usa.md")
    rok = brief(briefs, "brief-rok.md")
    assert "## Private — for United States only" in usa
    assert "The battery could be ready within weeks." in usa
    assert "The battery could be ready within weeks." not in rok
    assert "Seoul fears Chinese retaliation" not in usa
    assert "Deploy THAAD with Seoul's consent" not in rok  # objectives stay private too


def test_html_brief_escapes_pack_text(briefs):
    html = brief(briefs, "brief-rok.html")
    assert "Private — for Republic of Korea only" in html
    assert "retaliation &lt;script&gt;alert(1)&lt;/script&gt;." in html
    assert "<script" not in html
    assert not re.search(r"""(?:src|href)\s*=|url\(""", html, re.I)


def test_control_brief_lists_injects_by_turn_with_readable_conditions(briefs):
    md = brief(briefs, "control-brief.md")
    assert "### Turn 2 — April 2026 (09:40–10:00)" in md
    assert (
        "**Release in turns 2–4 if** the ROK's move “Accept a THAAD battery” was accepted "
        "or modified."
    ) in md
    assert "**Release in turns 1–3 if** Regional tension is at least 6." in md
    assert (
        "**Release in turn 4 if** either Regional tension is below 5 or the “Beijing warns” "
        "diplomatic protest has not gone out."
    ) not in md  # a top-level 'any' needs no 'either'
    assert (
        "**Release in turn 4 if** Regional tension is below 5 or the “Beijing warns” "
        "diplomatic protest has not gone out."
    ) in md
    assert "Control plays **DPRK** unless the room decides otherwise." in md
    assert "| crisis | 7 | 10 |" in md
    assert "- D-Bo, *United States Hopes to Deploy Missile Defense in South Korea*" in md


def test_control_brief_is_a_timed_script(briefs):
    md = brief(briefs, "control-brief.md")
    assert "| 09:00–09:10 | Opening and the situation | 10 |" in md
    assert "| 09:15–09:40 | Turn 1 — March 2026 | 25 |" in md
    assert "| 10:35–10:55 | Hotwash | 20 |" in md
    assert "## Opening (read aloud)\n\nWelcome. This is a *seminar*, not a test" in md
    assert "## Ground rules (read aloud)\n\nSpeak for your government" in md
    assert "**Key question:** Does Seoul take the battery?" in md
    # the one-page MSEL: every inject on one line, core before optional within a turn,
    # each condition as a short cue
    sheet = md.split("## Annex: the MSEL on one sheet")[1]
    assert "| 1–4 | `rumour` | opt. | Press | Control | All | A rumour | 50% chance |" in sheet
    assert "| 2 | `offer` | core | Basing | US | All | THAAD offered | scheduled |" in sheet
    assert "| `protest-rok` | core | Protest | Control | ROK | Ambassador summoned | " in sheet
    assert "| Ambassador summoned | ROK accept-thaad |" in sheet
    assert "| Calm returns | Regional tension < 5 or china-warns not out |" in sheet
    assert sheet.index("`china-warns`") < sheet.index("`rumour`") < sheet.index("`offer`")
    # what +1 means, and the private material of the roles control plays
    assert "+1 moves Regional tension one step up, towards 'crisis' (from 7)" in md
    assert "relations between the US and the ROK" in md
    assert "## The roles control plays: their private material\n\n### North Korea" in md
    assert "- **KN-23** — A North Korean short-range ballistic missile." in md


def test_briefs_start_time_and_a_bad_one(tmp_path, capsys):
    assert main(["briefs", str(REPORT_PACK), "--out", str(tmp_path), "--start", "13:30"]) == 0
    assert "| 13:30–13:40 | Opening and the situation | 10 |" in brief(tmp_path, "control-brief.md")
    assert main(["briefs", str(REPORT_PACK), "--out", str(tmp_path), "--start", "9h"]) == 2
    assert "--start must be a time such as 09:00" in capsys.readouterr().err


def test_pack_templates_override_the_bundled_ones_file_by_file(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(MINI_PACK, pack)
    (pack / "reports").mkdir(exist_ok=True)
    (pack / "reports" / "brief.md.j2").write_text(
        "Custom brief for {{ role.name }}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["briefs", str(pack), "--out", str(out)]) == 0
    assert brief(out, "brief-usa.md") == "Custom brief for United States\n"
    assert brief(out, "control-brief.md").startswith("# Control brief: Mini exercise")
    override = tmp_path / "mine"
    override.mkdir()
    (override / "brief.md.j2").write_text("Mine: {{ role.short_name }}\n", encoding="utf-8")
    assert main(["briefs", str(pack), "--out", str(out), "--templates", str(override)]) == 0
    assert brief(out, "brief-rok.md") == "Mine: ROK\n"


def test_broken_brief_template_is_exit_2_with_its_line(tmp_path, capsys):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.md.j2").write_text(
        "# {{ role.name }}\n{{ role.secret_plan }}\n", encoding="utf-8"
    )
    code = main(
        ["briefs", str(MINI_PACK), "--out", str(tmp_path / "out"), "--templates", str(folder)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{folder / 'brief.md.j2'}:2: ")
    assert "secret_plan" in err and "Traceback" not in err


@pytest.mark.slow
def test_pdf_briefs(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from exercise.render.pdf import pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint or Pango is not installed")
    assert main(["briefs", str(MINI_PACK), "--out", str(tmp_path), "--format", "pdf"]) == 0
    reader = pypdf.PdfReader(str(tmp_path / "brief-rok.pdf"))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.startswith("Role brief · Mini exercise Republic of Korea")
    assert "Private — for Republic of Korea only" in text


def test_role_brief_reads_in_a_player_order(briefs):
    md = brief(briefs, "brief-usa.md")
    order = [
        "## The situation",
        "## Who you are",
        "## Your objectives",
        "## Your red lines",
        "## The decisions you can take",
        "## Your positions by topic",
        "## Where the others stand",
        "## Capabilities and assets",
        "## Glossary",
        "## Private — for United States only",
    ]
    places = [md.index(heading) for heading in order]
    assert places == sorted(places)
    # the move tags open to the role, with what they decide
    assert "| `offer-thaad` | Offer a THAAD battery | THAAD in Korea (supports) |" in md
    assert "`accept-thaad`" not in md.split("## Your positions")[0]  # ROK's decision only
    assert "- **THAAD** — Terminal High Altitude Area Defense" in md


def test_positions_are_dated_and_voiced(briefs):
    md = brief(briefs, "brief-usa.md")
    assert "*These are historical statements (2015), with the year each was made" in md
    assert "**What US has said**\n\n- **Supports (2015).** THAAD is purely defensive" in md
    rok = brief(briefs, "brief-rok.md")
    assert "**How others read ROK's position**" in rok
    assert "- *Voice not stated* — **Ambivalent.** No negotiations on THAAD" in rok


def test_friction_counts_the_silent_and_shows_every_stance(briefs):
    rok = brief(briefs, "brief-rok.md")
    section = rok.split("### Where the others stand on missile launches")[1].split("##")[0]
    assert "| US |" not in section and "No stated position" not in section.split("*No")[0]
    assert "*No stated position: 2 other actors (DPRK, US).*" in section
    assert "### Where the others stand on THAAD in Korea" in rok


def test_pair_tracks_name_their_roles_in_english(briefs):
    usa = brief(briefs, "brief-usa.md")
    assert "between the US and the ROK" in usa
    assert "usa and rok" not in usa and "usa" not in usa.split("## How the crisis is scored")[1]


def test_several_stances_of_one_role_each_get_a_row(tmp_path):
    from exercise.pack.loader import require_pack
    from exercise.render.briefs import friction

    pack = require_pack(REPORT_PACK)
    usa = pack.roles_by_id["usa"]
    extra = usa.positions[0].model_copy(
        update={"stance": "conditional", "summary": "Only with Seoul's consent."}
    )
    rok = pack.roles_by_id["rok"].model_copy(
        update={"positions": [*pack.roles_by_id["rok"].positions, extra]}
    )
    pack.roles[pack.roles.index(pack.roles_by_id["rok"])] = rok
    rows = friction(pack, usa, "thaad")["rows"]
    assert [(r["role"], r["stance"]) for r in rows] == [
        ("DPRK", "opposes"),
        ("ROK", "ambivalent"),
        ("ROK", "conditional"),
    ]


def test_friction_summaries_are_cut_between_words():
    from exercise.render.briefs import first_sentence

    text = "word " * 60 + "longwordattheend"
    cut = first_sentence(text, limit=200)
    assert cut.endswith("word…") and len(cut) <= 200


def _condition(data):
    from pydantic import TypeAdapter

    from exercise.pack.models import Condition

    return TypeAdapter(Condition).validate_python(data)


def test_msel_cues_merge_roles_and_negate_like_a_person_would():
    from exercise.pack.loader import require_pack
    from exercise.render.msel_sheet import abbreviations, cue

    pack = require_pack(REPORT_PACK)
    names = abbreviations(pack)
    offer = [{"move": {"role": r, "tag": "offer-thaad"}} for r in ("usa", "rok")]
    pause = [
        {"move": {"role": r, "tag": "pause-thaad", "ruled": "rejected"}} for r in ("usa", "dprk")
    ]
    assert cue(_condition({"any": offer}), pack, names) == "US/ROK offer-thaad"
    assert cue(_condition({"all": offer}), pack, names) == "US offer-thaad and ROK offer-thaad"
    assert (
        cue(_condition({"not": {"any": pause}}), pack, names) == "no US/DPRK pause-thaad (rejected)"
    )
    assert (
        cue(_condition({"not": {"all": offer}}), pack, names)
        == "no US offer-thaad or no ROK offer-thaad"
    )
    mixed = {"all": [{"any": [offer[0], {"track": "tension", "op": ">=", "value": 6}]}]}
    mixed["all"].append({"not": {"released": "calm"}})
    assert (
        cue(_condition(mixed), pack, names)
        == "(US offer-thaad or Regional tension ≥ 6) and calm not out"
    )
    message = {"message": {"channel": "usa+rok", "turn": "this"}}
    talk = {"any": [{"exchanged": ["usa", "rok"]}, message]}
    assert (
        cue(_condition(talk), pack, names)
        == "US and ROK talked this turn or message from anyone on the US–ROK channel this turn"
    )


def test_long_role_names_go_by_their_initials_with_a_key():
    from exercise.pack.loader import require_pack
    from exercise.render.msel_sheet import abbreviations, msel_key

    pack = require_pack(REPORT_PACK)
    roles = {role.id: role for role in pack.roles}
    renamed = {"usa": "United States", "dprk": "North Korea"}
    pack.roles[:] = [
        role.model_copy(update={"short_name": renamed.get(role.id, role.short_name)})
        for role in roles.values()
    ]
    names = abbreviations(pack)
    assert names == {"usa": "US", "rok": "ROK", "dprk": "NK"}
    assert msel_key(pack, names) == ["NK: North Korea", "US: United States"]  # pack order
    # two long names with the same initials keep their names, so no "US" is ambiguous
    pack.roles[:] = [
        role.model_copy(update={"short_name": "Upper Silesia"}) if role.id == "dprk" else role
        for role in pack.roles
    ]
    assert abbreviations(pack) == {
        "usa": "United States",
        "rok": "ROK",
        "dprk": "Upper Silesia",
    }


def test_channel_conditions_read_aloud_as_sentences():
    from exercise.pack.loader import require_pack
    from exercise.render.describe import read_aloud

    pack = require_pack(REPORT_PACK)
    talked = _condition({"any": [{"exchanged": ["usa", "rok"]}, {"message": {"from": "rok"}}]})
    assert read_aloud(talked, pack) == (
        "the US and the ROK have both written, this turn, on a channel they share or "
        "the ROK has written on any channel"
    )
    silent = _condition({"not": {"message": {"channel": "usa+rok", "turn": "this"}}})
    assert read_aloud(silent, pack) == (
        "no message has been posted on the direct channel between the US and the ROK this turn"
    )


def test_bundled_control_brief_prints_its_msel_on_one_landscape_page():
    """The facilitator's one sheet: landscape, one page, every inject on one line.

    The sheet is a named page of its own (CSS ``page: msel``), so nothing before it
    changes its layout: the brief's HTML is printed with only that section in its body.
    """
    import io

    pypdf = pytest.importorskip("pypdf")
    from system_deps import need_pdf

    need_pdf()
    from exercise.pack.loader import require_pack
    from exercise.paths import bundled_pack
    from exercise.render.control_brief import control_brief_context
    from exercise.render.jinja_env import make_environment, template_folders
    from exercise.render.output import render_format
    from exercise.render.pdf import html_to_pdf

    pack = require_pack(bundled_pack())
    context = control_brief_context(pack)
    env = make_environment(template_folders(None, pack.root, pack.manifest.templates))
    html = str(render_format(env, "control_brief", "html", context))
    head, body = html.split("<body>", 1)
    annex = body[body.index('<section class="msel"') :]
    assert annex.count("<section") == 1, "the sheet is the brief's last section"
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(f"{head}<body>{annex}")))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height
    text = reader.pages[0].extract_text()
    assert "Annex: the MSEL on one sheet" in text
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert len(context["msel"]) == len(pack.injects)
    for row in context["msel"]:
        cells = ("turns", "id", "priority_short", "kind", "from", "to", "title")
        line = " ".join([*(row[key] for key in cells), row["cue"] or "scheduled"])
        assert line in lines, f"{row['id']} is not on one line of the sheet"
