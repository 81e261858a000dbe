"""Hotwash: the debrief at the end — what worked, what did not, what each role would
change — then the after-action report (or, without the report module, the journal).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from exercise.ui.format import role_name
from exercise.ui.plain import plain
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar


def report_available() -> bool:
    """True once the report renderer and its command are installed."""
    try:
        return (importlib.util.find_spec("exercise.render.report") is not None
                and importlib.util.find_spec("exercise.commands.report") is not None)
    except ModuleNotFoundError:
        return False


class HotwashScreen(Screen[None]):
    CSS_PATH = "hotwash.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "add", "Add entry", id="hotwash.add", priority=True),
        Binding("ctrl+r", "report", "Report / export", id="hotwash.report"),
    ]

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        pack = session.pack
        setup = session.state.setup
        roles = [(plain(r.name), r.id) for r in pack.roles
                 if r.id in setup.players or r.id in setup.control_roles] or [
                     (plain(r.name), r.id) for r in pack.roles]
        yield StatusBar("HOTWASH", id="status")
        with VerticalScroll(id="body"):
            yield Label("Role")
            yield Select(roles, value=roles[0][1] if roles else Select.NULL,
                         allow_blank=not roles, id="role")
            yield Label("What worked")
            yield Input(id="worked")
            yield Label("What did not")
            yield Input(id="did_not")
            yield Label("What would you change")
            yield Input(id="change")
            with Horizontal(classes="buttons"):
                yield Button("Add entry (ctrl+s)", variant="primary", id="add")
                label = ("Write the after-action report (ctrl+r)" if report_available()
                         else "Export the journal (ctrl+r)")
                yield Button(label, id="report")
            yield Static(id="entries")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        if session is None:
            return
        self.query_one(StatusBar).redraw()
        state, pack = session.state, session.pack
        text = Text()
        text.append("Entries\n", "bold underline")
        if not state.hotwash:
            text.append("None yet: ask each role what worked, what did not, what it would "
                        "change.\n", "dim")
        by_role: dict[str, list[object]] = {}
        for entry in state.hotwash:
            by_role.setdefault(entry.role, []).append(entry)
        for role, entries in by_role.items():
            text.append(f"\n{role_name(pack, role)}\n", "bold cyan")
            for entry in entries:
                for label, value in (("worked", entry.worked), ("did not", entry.did_not),  # type: ignore[attr-defined]
                                     ("change", entry.change)):  # type: ignore[attr-defined]
                    if value:
                        text.append(f"  {label}: ", "dim")
                        text.append(value + "\n")
        show(self.query_one("#entries", Static), text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self.action_add()
        else:
            self.action_report()

    def action_add(self) -> None:
        from exercise.ui.app import FAILED

        role = self.query_one("#role", Select).value
        inputs = {name: self.query_one(f"#{name}", Input) for name in
                  ("worked", "did_not", "change")}
        if role is Select.NULL:
            self.notify("Choose a role", severity="error")
            return
        result = self.app.act(  # type: ignore[attr-defined]
            "add_hotwash", str(role), *(i.value for i in inputs.values()))
        if result is FAILED:
            return
        for widget in inputs.values():
            widget.value = ""
        self.notify(f"Hotwash entry added for {role_name(self.app.session.pack, str(role))}")  # type: ignore[attr-defined]

    def action_report(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        if session is None or session.path is None:
            self.notify("This session has no file to export", severity="error")
            return
        self._write(Path(session.path))

    @work(thread=True, exclusive=True)
    def _write(self, path: Path) -> None:
        """Report or export in a thread: templates and charts load only now."""
        stem = path.with_suffix("")
        try:
            if report_available():
                import importlib

                from exercise.cli import build_parser

                command = importlib.import_module("exercise.commands.report")
                out = Path(f"{stem}-report")
                # the command's own parser, so its arguments and defaults stay in one place
                args = build_parser().parse_args(["report", str(path), "--format", "md",
                                                  "--format", "html", "--out", str(out)])
                if command.run(args):
                    raise RuntimeError("the report command failed; run: exercise report "
                                       f"{path}")
                message = f"After-action report written to {out}.md and {out}.html"
            else:
                from exercise.engine import transfer

                out = Path(f"{stem}.jsonl")
                count = transfer.export_session(path, out)
                message = (f"Journal exported ({count} events) to {out}; write the report "
                           f"later with: exercise report {path}")
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Could not write: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, message, timeout=15)
