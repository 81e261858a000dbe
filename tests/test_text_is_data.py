"""Pack and journal text is data: control characters are stripped where text comes in
(with a warning for packs), and no command prints an escape sequence."""

from __future__ import annotations

import json
import re

import pytest
from hostile_text import (
    CONTROL_BYTES,
    ESCAPES,
    MOVE_TEXT,
    PACK_TEXT,
    SESSION_NAME,
    hostile_pack,
    literal,
    planted_session,
)

from exercise.cli import main
from exercise.pack.loader import load_pack
from exercise.text import one_line, printable, printable_data


def _clean(text: str) -> bool:
    return not any(byte in text for byte in CONTROL_BYTES)


def test_printable_keeps_newline_and_tab_only():
    assert (
        printable("a\tb\nc" + "".join(ESCAPES) + "\x00\x7f\x85d") == "a\tb\nc]0;PWNED-TITLE"
        "]52;c;cm0gLXJmIH4=[2J31md"
    )
    assert printable_data({"k\x1b": ["x\x9by", ("z\x07",)]}) == {"k": ["xy", ("z",)]}
    assert one_line("Alice\n# Heading\r\n\tB") == "Alice # Heading B"


def test_pack_load_strips_escapes_and_warns_where(tmp_path):
    pack_dir = hostile_pack(tmp_path)
    result = load_pack(pack_dir)
    assert result.ok, [str(p) for p in result.problems]
    warnings = [p for p in result.problems if not p.is_error and "control characters" in p.message]
    places = {(p.path, p.line) for p in warnings}
    for rel, old, _ in PACK_TEXT.values():
        lines = (pack_dir / rel).read_text(encoding="utf-8").splitlines()
        key = old.split(":")[0] + ": "
        line = next(
            n
            for n, text in enumerate(lines, 1)
            if text.strip().startswith(key) and "\\u001b" in text
        )
        assert (rel, line) in places
    pack = result.pack
    dumped = json.dumps(
        [
            pack.manifest.model_dump(mode="json"),
            [r.model_dump(mode="json") for r in pack.roles],
            [i.model_dump(mode="json") for i in pack.injects],
        ],
        ensure_ascii=False,
    )
    assert _clean(dumped)
    assert pack.roles_by_id["usa"].name == literal(PACK_TEXT["name"][2])
    assert "[/x]" in pack.roles_by_id["usa"].name  # markup stays as written


def test_commands_print_no_escape_bytes(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    pack_dir = hostile_pack(tmp_path)
    outputs = []
    for argv in (
        ["validate", str(pack_dir)],
        ["preview", str(pack_dir)],
        ["simulate", str(pack_dir), "--session", "hostile"],
        ["session", "list"],
        ["session", "info", "hostile"],
        ["briefs", str(pack_dir), "--out", str(tmp_path / "briefs")],
    ):
        assert main(argv) == 0, argv
        out, err = capfd.readouterr()
        outputs.append(out + err)
        assert _clean(out + err), (argv, out + err)
    assert "[/x]" in "".join(outputs)  # shown, literally


def test_planted_journal_text_never_reaches_the_terminal(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    planted_session(sessions / "planted.session")
    for argv in (
        ["session", "list"],
        ["session", "info", "planted"],
        ["report", "planted", "--out", str(tmp_path / "r.md")],
    ):
        assert main(argv) == 0, argv
        out, err = capfd.readouterr()
        assert _clean(out + err), (argv, out + err)
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\n# Heading" not in report and "\n\\# Heading" not in report  # one line


def test_import_strips_escapes_and_keeps_markup_as_text(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    source = planted_session(tmp_path / "planted.session")
    dump = tmp_path / "dump.jsonl"
    assert main(["session", "export", str(source), "--out", str(dump)]) == 0
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    lines[0]["meta"]["pack_id"] = "[/x] evil" + ESCAPES[0]
    lines[1]["body"]["pack_id"] = "[/x] evil" + ESCAPES[1]
    dump.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert main(["session", "import", str(dump), "--out", "evil"]) == 0
    capfd.readouterr()
    imported = tmp_path / "data" / "sessions" / "evil.session"
    assert main(["session", "export", str(imported), "--out", "-"]) == 0
    out, _ = capfd.readouterr()
    assert _clean(out.encode().decode("unicode_escape", "ignore"))  # not even as \\u001b
    assert "[/x] evil" in out
    assert (
        literal(MOVE_TEXT) in json.loads(out.splitlines()[-2])["body"].get("text", "")
        or literal(MOVE_TEXT) in out
    )
    assert main(["session", "list"]) == 0
    out, err = capfd.readouterr()
    assert "[/x] evil" in out and _clean(out + err)


@pytest.mark.parametrize("field", ["name", "player"])
def test_names_are_single_line_in_reports(tmp_path, monkeypatch, field):
    import datetime as dt

    from hostile_text import REPORT_PACK

    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path))
    name = "Team\n# Injected heading\n![x](http://tracker.example/p.png)"
    setup = SessionSetup(
        players={"usa": name if field == "player" else "A", "rok": "B"},
        control_roles=["dprk"],
        name=name if field == "name" else "plain",
    )
    path = tmp_path / "names.session"
    now = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
    Session.create(path, require_pack(REPORT_PACK), setup, now=now).close()
    assert main(["report", str(path), "--out", str(tmp_path / "r.md")]) == 0
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\n# Injected heading" not in report
    assert "![x](http" not in report


def test_markdown_report_escapes_player_markdown(tmp_path, monkeypatch):
    from exercise.render.markdown import md_cell, md_quote, md_text

    assert "![" not in md_text("look ![x](http://tracker.example/p.png)")
    assert "](" not in md_cell("[click](http://evil.example)").replace("\\](", "")
    assert md_text("# not a heading").startswith("\\#")
    assert md_text("*not bold*") == "\\*not bold\\*"
    assert not re.search(r"(?<!\\)!\[", md_quote("pack ![img](http://tracker.example/p.png)"))


def test_session_name_with_newlines_is_folded(tmp_path):
    import datetime as dt

    from hostile_text import REPORT_PACK

    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    setup = SessionSetup(players={"usa": "Ann\nLee", "rok": "B"}, name="Two\nlines" + SESSION_NAME)
    session = Session.memory(
        require_pack(REPORT_PACK), setup, now=dt.datetime(2026, 3, 12, tzinfo=dt.UTC)
    )
    assert "\n" not in session.state.setup.name
    assert session.state.setup.players["usa"] == "Ann Lee"
    assert _clean(session.state.setup.name)


def test_export_to_standard_output_is_the_same_data_without_raw_controls(
    tmp_path, monkeypatch, capfd
):
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    source = planted_session(tmp_path / "planted.session")
    assert main(["session", "export", str(source), "--out", str(tmp_path / "file.jsonl")]) == 0
    capfd.readouterr()
    assert main(["session", "export", str(source), "--out", "-"]) == 0
    out, _ = capfd.readouterr()
    assert _clean(out)
    from_file = (tmp_path / "file.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in out.splitlines()] == [json.loads(x) for x in from_file]
    bodies = [json.loads(line).get("body", {}) for line in out.splitlines()]
    assert MOVE_TEXT in [body.get("text") for body in bodies]  # exactly as recorded


def test_pack_tables_render_as_tables_and_their_cells_stay_text():
    """A pack's hand-out table (the bundled setting's order of battle) is a table in
    HTML and PDF, not pipes; markup in a cell is still text."""
    from exercise.render.markdown import markdown_html

    html = markdown_html("| Actor | Forces |\n|---|---|\n| Japan | <b>Aegis</b> [x](http://e) |\n")
    assert "<table>" in html and "<th>Actor</th>" in html
    assert "<td>Japan</td>" in html and "&lt;b&gt;Aegis&lt;/b&gt;" in html
    assert "href" not in html and "|" not in html


def test_the_control_brief_prints_the_order_of_battle_as_a_table(tmp_path):
    assert main(["briefs", "--out", str(tmp_path), "--format", "html"]) == 0
    html = (tmp_path / "control-brief.html").read_text(encoding="utf-8")
    assert "<th>Actor</th>" in html
    assert "|---|" not in html
