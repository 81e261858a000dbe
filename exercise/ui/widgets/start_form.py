"""The start screen's form: a new session (pack, players, PINs) or one to resume.

Mounted after the first frame; the start screen owns the logic and reads these fields.
"""

from __future__ import annotations

import random
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from exercise.ui.plain import plain
from exercise.vocab import ReleaseMode

RELEASE_OPTIONS = [
    ("as the pack says", ""),
    ("staged: control releases each", ReleaseMode.STAGED),
    ("released when due", ReleaseMode.AUTOMATIC),
]

PLAY_OPTIONS = [("player", "player"), ("control", "control"), ("not played", "out")]


def role_row(role_id: str, name: str, played_by: str) -> Horizontal:
    """One role: who plays it (a player, control, or nobody), the player's name, a PIN."""
    return Horizontal(
        Label(plain(name), classes="role-name"),
        Select(
            PLAY_OPTIONS,
            value="control" if played_by == "control" else "player",
            allow_blank=False,
            id=f"as-{role_id}",
        ),
        Input(placeholder="player's name", id=f"player-{role_id}"),
        Input(password=True, placeholder="PIN", id=f"pin-{role_id}", classes="pin"),
        classes="role-row",
    )


class StartForm(Vertical):
    def __init__(self, pack: Path | None, session_name: str | None, resume: str | None) -> None:
        super().__init__(id="start-form")
        self.pack_arg = pack
        self.session_name = session_name
        self.resume_arg = resume

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs", initial="resume" if self.resume_arg else "new"):
            with TabPane("New session", id="new"), VerticalScroll(id="new-form"):
                yield Label("Scenario pack (a folder; empty for the bundled pack)")
                with Horizontal(classes="row"):
                    yield Input(str(self.pack_arg or ""), placeholder="bundled pack", id="pack")
                    yield Button("Load", id="load")
                yield Static("Loading the pack…", id="problems")
                yield Label("Session name")
                yield Input(self.session_name or "", placeholder="e.g. Seminar 12 March", id="name")
                yield Label("Who plays each role (name the player; PINs are optional)")
                yield Vertical(id="roles")
                with Horizontal(classes="row"):
                    yield Label("Control PIN", classes="inline")
                    yield Input(password=True, placeholder="optional", id="pin-control")
                    yield Label("Seed", classes="inline")
                    yield Input(str(random.randrange(1, 10**6)), type="integer", id="seed")
                with Horizontal(classes="row"):
                    yield Label("Injects", classes="inline")
                    yield Select(RELEASE_OPTIONS, value="", allow_blank=False, id="release")
                yield Button("Start the session (ctrl+s)", variant="primary", id="start")
            with TabPane("Resume", id="resume"), Vertical():
                yield Static(
                    "Enter resumes · m rename · a archive · d delete · b branch at a "
                    "turn · ctrl+n new session",
                    id="resume-keys",
                )
                yield DataTable(id="sessions", cursor_type="row")
                yield Static(
                    plain(f"Opening {self.resume_arg}…" if self.resume_arg else ""),
                    id="resume-message",
                )
                with Horizontal(classes="row"):
                    yield Button("Resume (Enter)", variant="primary", id="resume-open")
                    yield Button(
                        "Open with the changed pack", id="accept-changed", classes="hidden"
                    )
