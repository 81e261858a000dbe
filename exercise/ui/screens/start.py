"""Start: a new session (pack, players, control-played roles, PINs) or resume one.

The first frame (the title) shows at once; the form, the pack and the session list
come right after it, so starting the app never waits on widgets or pack validation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from exercise.problems import ProblemsError, UserError
from exercise.ui.after_typing import after_typing
from exercise.ui.base import session_app
from exercise.ui.messages import SessionOpened
from exercise.ui.plain import cell, clean, plain_text

if TYPE_CHECKING:
    from textual.widgets import Button, DataTable, Input

    from exercise.pack.models import Pack

TITLE = "exercise · tabletop crisis exercises at one terminal"


class StartScreen(Screen[None]):
    CSS_PATH = "start.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start session", id="start.start", priority=True),
        Binding(
            "ctrl+r", "resume", "Resume list / resume selected", id="start.resume", priority=True
        ),
        Binding("ctrl+n", "new", "New session", id="start.new", priority=True),
        # the resume list's own keys (only while it is shown)
        Binding("m", "rename", "Rename", id="start.rename"),
        Binding("a", "archive", "Archive", id="start.archive"),
        Binding("d", "delete", "Delete", id="start.delete"),
        Binding("b", "branch", "Branch at a turn", id="start.branch"),
    ]
    LIST_ACTIONS = ("rename", "archive", "delete", "branch")

    def __init__(self, pack: Path | None, session_name: str | None, resume: str | None) -> None:
        super().__init__()
        self.pack_arg = pack
        self.session_name = session_name
        self.resume_arg = resume
        self.pack: Pack | None = None
        self.accept_changed = False

    def compose(self) -> ComposeResult:
        yield Static(TITLE, id="title")
        yield Static("Loading…", id="loading")

    async def build(self) -> None:
        """The title is on screen: now build the form, load the pack, list sessions."""
        from textual.widgets import Input

        from exercise.ui.widgets.footer import KeyFooter
        from exercise.ui.widgets.start_form import StartForm

        await self.mount(StartForm(self.pack_arg, self.session_name, self.resume_arg), KeyFooter())
        await self.query_one("#loading").remove()
        if self.resume_arg:
            self.open_session(self.resume_arg)
        else:
            self.load_pack()
            self.query_one("#name", Input).focus()
        self.list_sessions()

    # ------------------------------------------------------------------ new session

    def _pack_root(self) -> Path:
        from textual.widgets import Input

        from exercise.paths import bundled_pack

        value = self.query_one("#pack", Input).value.strip()
        return Path(value).expanduser() if value else bundled_pack()

    def load_pack(self) -> None:
        from textual.containers import Vertical

        from exercise.pack.loader import load_pack
        from exercise.ui.widgets.start_form import role_row

        root = self._pack_root()
        problems = self.query_one("#problems", Static)
        roles = self.query_one("#roles", Vertical)
        roles.remove_children()
        self.pack = None
        if not (root / "scenario.yaml").is_file():
            problems.update(
                plain_text(f"{root}: no scenario.yaml here — not a scenario pack", "bold red")
            )
            return
        try:
            result = load_pack(root)
        except (UserError, OSError) as exc:  # a pack that cannot be read is a message
            problems.update(plain_text(f"{root}: cannot be read: {exc}", "bold red"))
            return
        text = Text()
        for problem in result.problems:
            text.append(str(problem) + "\n", "red" if problem.is_error else "yellow")
        if result.ok and result.pack is not None:
            self.pack = result.pack
            manifest = result.pack.manifest
            text.append(
                f"{manifest.title} — {manifest.turns} turns, "
                f"{len(result.pack.roles)} roles, {len(result.pack.injects)} injects",
                "green",
            )
            roles.mount_all(
                [role_row(role.id, role.name, role.played_by) for role in result.pack.roles]
            )
        else:
            text.append("Fix these problems, then press Load.", "bold red")
        problems.update(clean(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "pack":
            event.stop()
            self.load_pack()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "load":
            self.load_pack()
        elif button == "start":
            self.action_start()
        elif button == "resume-open":
            self.action_resume()
        elif button == "accept-changed":
            self.accept_changed = True
            self.action_resume()

    @after_typing
    def action_start(self) -> None:
        from textual.widgets import Input, Select

        from exercise.engine import Session, SessionSetup
        from exercise.engine.store import resolve_session

        if self.pack is None:
            self.notify("Load a pack without errors first", severity="error")
            return
        players, control, pins = self._who_plays()
        seed_text = self.query_one("#seed", Input).value.strip()
        missing = self._missing(players, control, pins, seed_text)
        if missing:
            self.notify(
                "Missing: " + "; ".join(missing) + ".",
                severity="error",
                title="Not started",
                timeout=12,
            )
            return
        name = self.query_one("#name", Input).value.strip()
        clock = session_app(self).clock
        seed = int(seed_text)
        target = self.session_name or name or f"session-{clock():%Y%m%d-%H%M}"
        path = resolve_session(target)
        if path.exists():
            self.notify(
                f"A session {path.name} already exists: choose another name, or resume it",
                severity="error",
            )
            return
        release = self.query_one("#release", Select).value
        setup = SessionSetup(
            players=players,
            control_roles=control,
            pins=pins,
            seed=seed,
            name=name or target,
            release=release if isinstance(release, str) else "",
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            session = Session.create(path, self.pack, setup, now=clock())
        except (UserError, OSError) as exc:
            self.notify(str(exc), severity="error", title="Cannot start")
            return
        self.app.post_message(SessionOpened(session, ask_pin=False))

    def _who_plays(self) -> tuple[dict[str, str], list[str], dict[str, str]]:
        """From the form: each player's name by role, the roles control plays, the PINs."""
        from textual.widgets import Input, Select

        assert self.pack is not None
        players: dict[str, str] = {}
        control: list[str] = []
        pins: dict[str, str] = {}
        for role in self.pack.roles:
            played = self.query_one(f"#as-{role.id}", Select).value
            if played == "control":
                control.append(role.id)
            elif played == "player":
                players[role.id] = self.query_one(f"#player-{role.id}", Input).value.strip()
            pin = self.query_one(f"#pin-{role.id}", Input).value.strip()
            if pin and played == "player":
                pins[role.id] = pin
        if self.query_one("#pin-control", Input).value.strip():
            pins["control"] = self.query_one("#pin-control", Input).value.strip()
        return players, control, pins

    def _missing(
        self, players: dict[str, str], control: list[str], pins: dict[str, str], seed: str
    ) -> list[str]:
        """What the form still needs before a session can start, in words."""
        assert self.pack is not None
        missing = [
            f"a player's name for {role.name}"
            for role in self.pack.roles
            if role.id in players and not players[role.id]
        ]
        if not players and not control:
            missing.insert(0, "at least one role played (by a player or by control)")
        if players and "control" not in pins:
            missing.append("a control PIN (without it any player can open Control)")
        if not seed.isdigit():
            missing.append("a seed: a whole number (it fixes every dice roll)")
        return missing

    # ------------------------------------------------------------------ resume

    def list_sessions(self) -> None:
        from textual.widgets import DataTable

        from exercise.engine.store import list_sessions

        table = self.query_one("#sessions", DataTable)
        table.clear(columns=True)
        for key, label in (
            ("name", "Session"),
            ("pack", "Pack"),
            ("where", "Turn"),
            ("last", "Last activity"),
            ("title", "Name"),
        ):
            table.add_column(label, key=key)
        for s in list_sessions():
            where = (
                "unreadable" if s.error else ("ended" if s.ended else f"turn {s.turn}, {s.phase}")
            )
            cells = (
                s.name,
                s.pack_id,
                where,
                s.last_activity[:16].replace("T", " "),
                s.title or s.error,
            )
            table.add_row(*(cell(c) for c in cells), key=str(s.path))

    def on_tabbed_content_tab_activated(self, event: object) -> None:
        self.refresh_bindings()

    def selected_session(self) -> Path | None:
        from textual.widgets import DataTable

        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            self.notify("No session in the list", severity="warning")
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return Path(str(key.value))

    def _open_here(self, path: Path) -> bool:
        session = session_app(self).session
        if (
            session is not None
            and session.path is not None
            and (session.path.resolve() == path.resolve())
        ):
            self.notify(f"{path.name} is open in this app: close it first", severity="error")
            return True
        return False

    def _housekeeping(self, what: str, run: Callable[[], object]) -> bool:

        try:
            run()
        except (UserError, OSError) as exc:
            self.notify(str(exc), severity="error", title=f"Not {what}")
            return False
        self.list_sessions()
        return True

    def _after_yes(self, yes: bool | None, what: str, run: Callable[[], object]) -> None:
        if yes:
            self._housekeeping(what, run)

    def action_rename(self) -> None:
        from exercise.engine.store import rename_session
        from exercise.ui.dialogs.form import Field, FormDialog

        path = self.selected_session()
        if path is None or self._open_here(path):
            return
        self.app.push_screen(
            FormDialog(
                f"Rename {path.name}",
                [Field("name", "New name", value=path.stem)],
                lambda v: self._housekeeping("renamed", lambda: rename_session(path, v["name"])),
                ok="Rename",
            )
        )

    def action_archive(self) -> None:
        from exercise.engine.store import archive_session
        from exercise.ui.dialogs.confirm import ConfirmDialog

        path = self.selected_session()
        if path is None or self._open_here(path):
            return
        self.app.push_screen(
            ConfirmDialog(
                f"Archive {path.name}?",
                "It moves to the archive folder beside the sessions and leaves this list.",
            ),
            lambda yes: self._after_yes(yes, "archived", lambda: archive_session(path)),
        )

    def action_delete(self) -> None:
        from exercise.engine.store import delete_session
        from exercise.ui.dialogs.confirm import ConfirmDialog

        path = self.selected_session()
        if path is None or self._open_here(path):
            return

        def again(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(
                    ConfirmDialog(
                        f"Really delete {path.name}?",
                        "Every move, ruling and note in it is lost for good.",
                    ),
                    lambda sure: self._after_yes(sure, "deleted", lambda: delete_session(path)),
                )

        self.app.push_screen(
            ConfirmDialog(f"Delete {path.name}?", "You will be asked again."), again
        )

    def action_branch(self) -> None:
        """What if: copy the session up to the start of a turn, then open the copy."""
        from exercise.ui.dialogs.form import Field, FormDialog

        path = self.selected_session()
        if path is None:
            return

        def submit(values: dict[str, str]) -> bool:
            from exercise.engine.store import resolve_session
            from exercise.engine.transfer import branch_session

            turn_text, name = values["turn"].strip(), values["name"].strip()
            if not turn_text.isdigit() or not name:
                self.notify("Give the turn (a number) and a name for the branch", severity="error")
                return False
            out = resolve_session(name)
            if out.exists():
                self.notify(f"A session {out.name} already exists", severity="error")
                return False
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                branch_session(path, int(turn_text), out)
            except (UserError, OSError) as exc:
                self.notify(str(exc), severity="error", title="Not branched")
                return False
            self.list_sessions()
            self.call_later(self.open_session, str(out))
            return True

        self.app.push_screen(
            FormDialog(
                f"Branch {path.stem} at the beginning of a turn",
                [
                    Field("turn", "Turn", "number", "1"),
                    Field("name", "Name of the branch", placeholder="e.g. what-if Seoul refused"),
                ],
                submit,
                ok="Branch and open",
            )
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.accept_changed = False
        self.open_session(str(event.row_key.value))

    def _list_shown(self) -> bool:
        from textual.widgets import TabbedContent

        tabs = self.query(TabbedContent)
        return bool(tabs) and tabs.first().active == "resume"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rename, archive, delete and branch belong to the resume list."""
        if action in self.LIST_ACTIONS:
            return self._list_shown()
        return True

    def action_new(self) -> None:
        from textual.widgets import Input, TabbedContent

        self.query_one(TabbedContent).active = "new"
        self.query_one("#name", Input).focus()
        self.refresh_bindings()

    def action_resume(self) -> None:
        """From the new-session tab: show the list (never resume blind); on the list:
        resume the selected session."""
        from textual.widgets import DataTable, TabbedContent

        table = self.query_one("#sessions", DataTable)
        if not self._list_shown() and not (self.resume_arg and not table.row_count):
            self.query_one(TabbedContent).active = "resume"
            table.focus()
            self.refresh_bindings()
            return
        if self.resume_arg and not table.row_count:
            self.open_session(self.resume_arg)
            return
        if not table.row_count:
            self.notify("No sessions to resume", severity="warning")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        self.open_session(str(key.value))

    def open_session(self, name_or_path: str) -> None:
        from textual.widgets import TabbedContent

        from exercise.engine import Session
        from exercise.engine.errors import PackChangedError
        from exercise.engine.store import resolve_session
        from exercise.pack.loader import require_pack

        self.resume_arg = name_or_path
        message = self.query_one("#resume-message", Static)
        self.query_one(TabbedContent).active = "resume"
        try:
            pack = require_pack(self.pack_arg) if self.pack_arg else None
            session = Session.open(
                resolve_session(name_or_path), pack, accept_changed_pack=self.accept_changed
            )
        except ProblemsError as exc:
            message.update(plain_text("\n".join(str(p) for p in exc.problems), "red"))
            return
        except (UserError, OSError) as exc:  # a bad file must not take the app down
            said = str(exc)  # a session error already names the file
            text = Text(
                said
                if said.startswith(str(resolve_session(name_or_path)))
                else f"{name_or_path}: {said}",
                "bold red",
            )
            changed = isinstance(exc, PackChangedError)
            if changed:
                text.append(
                    "\nPress 'Open with the changed pack' to go on with the pack as it "
                    "is now (the change is recorded), or restore the pack first.",
                    "yellow",
                )
            self.query_one("#accept-changed").set_class(not changed, "hidden")
            message.update(clean(text))
            return
        message.update("")
        self.app.post_message(SessionOpened(session, ask_pin=True))
