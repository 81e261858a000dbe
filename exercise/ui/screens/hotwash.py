"""Hotwash: the debrief at the end — what worked, what did not, what each role would
change — then the after-action report, written from the session already open through
the same report service as ``exercise report``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from exercise.ui.format import role_name
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar

if TYPE_CHECKING:
    from exercise.pack.models import Pack
    from exercise.services.reports import ReportRequest


def report_available() -> bool:
    """True once the report renderer and its service are installed."""
    try:
        return (
            importlib.util.find_spec("exercise.render.report") is not None
            and importlib.util.find_spec("exercise.services.reports") is not None
        )
    except ModuleNotFoundError:
        return False


class HotwashScreen(Screen[None]):
    CSS_PATH = "hotwash.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "add", "Add entry", id="hotwash.add", priority=True),
        Binding("ctrl+r", "report", "Write report", id="hotwash.report"),
    ]

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        pack = session.pack
        setup = session.state.setup
        roles = [
            (r.name, r.id)
            for r in pack.roles
            if r.id in setup.players or r.id in setup.control_roles
        ] or [(r.name, r.id) for r in pack.roles]
        yield StatusBar("HOTWASH", id="status")
        with VerticalScroll(id="body"):
            yield Label("Role")
            yield Select(
                roles, value=roles[0][1] if roles else Select.NULL, allow_blank=not roles, id="role"
            )
            yield Label("What worked")
            yield Input(id="worked")
            yield Label("What did not")
            yield Input(id="did_not")
            yield Label("What would you change")
            yield Input(id="change")
            with Horizontal(classes="buttons"):
                yield Button("Add entry (ctrl+s)", variant="primary", id="add")
                yield Button("Write the after-action report (ctrl+r)", id="report")
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
            text.append(
                "None yet: ask each role what worked, what did not, what it would change.\n", "dim"
            )
        by_role: dict[str, list[object]] = {}
        for entry in state.hotwash:
            by_role.setdefault(entry.role, []).append(entry)
        for role, entries in by_role.items():
            text.append(f"\n{role_name(pack, role)}\n", "bold cyan")
            for entry in entries:
                for label, value in (
                    ("worked", entry.worked),
                    ("did not", entry.did_not),  # type: ignore[attr-defined]
                    ("change", entry.change),
                ):  # type: ignore[attr-defined]
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
        inputs = {
            name: self.query_one(f"#{name}", Input) for name in ("worked", "did_not", "change")
        }
        if role is Select.NULL:
            self.notify("Choose a role", severity="error")
            return
        result = self.app.act(  # type: ignore[attr-defined]
            "add_hotwash", str(role), *(i.value for i in inputs.values())
        )
        if result is FAILED:
            return
        for widget in inputs.values():
            widget.value = ""
        self.notify(f"Hotwash entry added for {role_name(self.app.session.pack, str(role))}")  # type: ignore[attr-defined]

    def action_report(self) -> None:
        """Write the report of the open session: its data now, the files in a worker."""
        from exercise.problems import UserError
        from exercise.services.reports import ReportRequest, report_context

        session = self.app.session  # type: ignore[attr-defined]
        if session is None or session.path is None:
            self.notify("This session has no file beside which to write", severity="error")
            return
        path = Path(session.path)
        stem = path.name.removesuffix(".session")
        request = ReportRequest(formats=["md", "html"], out=str(path.with_suffix("")) + "-report")
        try:
            context = report_context(
                session.state, session.pack, request, session_name=stem, now=self.app.clock()
            )  # type: ignore[attr-defined]
        except UserError as exc:
            self.notify(str(exc), severity="error", title="No report", markup=False)
            return
        self._write(context, session.pack, request, stem)

    @work(thread=True, exclusive=True)
    def _write(
        self, context: dict[str, Any], pack: Pack, request: ReportRequest, stem: str
    ) -> None:
        """Render and write in a thread (templates and charts load only now)."""
        from exercise.problems import UserError
        from exercise.services.reports import write_report

        try:
            written = write_report(context, pack, request, session_stem=stem)
        except UserError as exc:
            self.app.call_from_thread(
                self.notify, f"Could not write: {exc}", severity="error", markup=False
            )
            return
        names = " and ".join(str(p) for p in written)
        self.app.call_from_thread(
            self.notify, f"After-action report written to {names}", timeout=15, markup=False
        )
