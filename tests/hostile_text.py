"""Hostile text for the 'text is data' tests: markup, click actions and escape
sequences planted in a pack and in a session journal.

(No tests here; the test modules import it.)
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

from exercise.engine.commands import AdvancePhase, Observe, RecordMove, StartExercise

ROOT = Path(__file__).resolve().parent.parent
REPORT_PACK = ROOT / "tests" / "data" / "report-pack"
MINI = ROOT / "tests" / "data" / "mini-pack"

OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"  # sets the terminal's title
OSC_CLIP = "\x1b]52;c;cm0gLXJmIH4=\x07"  # sets the clipboard
CSI = "\x1b[2J\x9b31m"  # clears the screen; C1 CSI
CLICK = "[@click=app.quit]here[/]"
ESCAPES = (OSC_TITLE, OSC_CLIP, CSI)
#: bytes that must never reach a terminal from pack or journal text
CONTROL_BYTES = ("\x1b", "\x9b", "\x07")

#: (file, original line, hostile value) — every visible name a pack has
PACK_TEXT = {
    "name": ("roles/usa.yaml", "name: United States", "United States [/x] " + OSC_TITLE),
    "short": ("roles/usa.yaml", "short_name: US", "US " + CLICK + OSC_CLIP),
    "inject": ("injects/all.yaml", "title: KN-23 launch", "KN-23 [/x] launch" + CSI),
    "tag": ("scenario.yaml", "title: Offer a THAAD battery", "Offer [/x] THAAD" + OSC_TITLE),
    "title": ("scenario.yaml", "title: Engine test exercise", "Engine [b]test" + OSC_CLIP),
}


def literal(value: str) -> str:
    """What a value reads like once its control characters are gone."""
    from exercise.text import printable

    return printable(value)


def hostile_pack(tmp_path: Path, source: Path = REPORT_PACK) -> Path:
    """A copy of the report pack whose names hold markup and escapes (written as YAML
    double-quoted escapes, the only way a YAML file can carry them)."""
    pack = tmp_path / "hostile-pack"
    shutil.copytree(source, pack)
    for rel, old, new in PACK_TEXT.values():
        path = pack / rel
        text = path.read_text(encoding="utf-8")
        key = old.split(":")[0]
        assert old in text, (rel, old)
        path.write_text(text.replace(old, f"{key}: {json.dumps(new)}", 1), encoding="utf-8")
    return pack


MOVE_TEXT = "Seoul says [/x] and " + CLICK + OSC_TITLE + " then " + OSC_CLIP
NOTE_TEXT = "Watch [b]this" + CSI
SESSION_NAME = "Evil [/x] " + OSC_CLIP + "\n# Heading"
PLAYER_NAME = "Alice [/x]" + OSC_TITLE


def planted_session(path: Path, pack_root: Path = REPORT_PACK):
    """A session file holding escapes and markup in its name, player names, moves and
    notes: written with the engine directly, as an old version or an editor could."""
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack

    pack = require_pack(pack_root)
    now = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
    setup = SessionSetup(
        players={"usa": "Alice", "rok": "Bo"}, control_roles=["dprk"], seed=3, name="Evil"
    )
    session = Session.create(path, pack, setup, now=now)
    session.execute(StartExercise(), now=now)
    session.execute(AdvancePhase(), now=now)
    session.execute(AdvancePhase(), now=now)
    session.execute(RecordMove("usa", "statement", MOVE_TEXT), now=now)
    session.execute(RecordMove("rok", "statement", "Secret " + CSI, secret=True), now=now)
    session.execute(Observe(NOTE_TEXT), now=now)
    session.close()
    conn = sqlite3.connect(path)
    with conn:  # names as Session.create would no longer write them
        body = json.loads(conn.execute("SELECT body FROM events WHERE seq = 1").fetchone()[0])
        body["setup"]["name"] = SESSION_NAME
        body["setup"]["players"]["usa"] = PLAYER_NAME
        conn.execute("UPDATE events SET body = ? WHERE seq = 1", (json.dumps(body),))
    conn.close()
    return path
