"""Hotwash: the debrief at the end — what worked, what did not, what each role would
change — then control's review (a rating per objective with its analysis, and the
executive summary in control's own words), then the after-action report, written from
the session already open through the same report service as ``exercise report``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from exercise.engine.commands import AddHotwash, RateObjective, WriteSummary
from exercise.ui.after_typing import after_typing
from exercise.ui.base import SessionScreen
from exercise.ui.format import played_roles, role_name
from exercise.ui.messages import ReportFailed, ReportWritten
from exercise.ui.plain import plain
from exercise.ui.widgets.footer import KeyFooter
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.vocab import Rating

if TYPE_CHECKING:
    from exercise.engine import HotwashEntry
    from exercise.pack.models import Pack
    from exercise.services.reports import ReportRequest


class HotwashScreen(SessionScreen):
    CSS_PATH = "hotwash.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "add", "Add entry", id="hotwash.add", priority=True),
        Binding("ctrl+r", "report", "Write report", id="hotwash.report"),
        Binding("ctrl+d", "report_pdf", "Write PDF", id="hotwash.pdf"),
        Binding("ctrl+g", "rate", "Rate objective", id="hotwash.rate", priority=True),
        Binding("ctrl+t", "summary", "Save summary", id="hotwash.summary", priority=True),
    ]

    def compose(self) -> ComposeResult:
        session = self.session
        pack = session.pack
        roles = [
            (plain(r.name), r.id) for r in played_roles(pack, session.state.setup) or pack.roles
        ]
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
            yield Label("Control's review", classes="heading")
            yield Label("Objective")
            objectives = [(Text(o.title), o.id) for o in pack.manifest.objectives]
            yield Select(objectives, value=objectives[0][1], allow_blank=False, id="objective")
            yield Label("Rating")
            yield Select(
                [(f"{rating} — {rating.label}", rating) for rating in Rating],
                value="S",
                allow_blank=False,
                id="rating",
            )
            yield Label("Analysis: why it went as it did (root causes)")
            yield Input(id="analysis")
            with Horizontal(classes="buttons"):
                yield Button("Rate the objective (ctrl+g)", id="rate")
            yield Label("Executive summary in your own words (empty: the report drafts one)")
            yield TextArea(session.state.summary_text, id="summary", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Save the summary (ctrl+t)", id="save-summary")
            yield Static(id="review")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.draw()

    def redraw(self) -> None:
        session = self.session
        self.query_one(StatusBar).redraw()
        state, pack = session.state, session.pack
        text = Text()
        text.append("Entries\n", "bold underline")
        if not state.hotwash:
            text.append(
                "None yet: ask each role what worked, what did not, what it would change.\n", "dim"
            )
        by_role: dict[str, list[HotwashEntry]] = {}
        for entry in state.hotwash:
            by_role.setdefault(entry.role, []).append(entry)
        for role, entries in by_role.items():
            text.append(f"\n{role_name(pack, role)}\n", "bold cyan")
            for entry in entries:
                for label, value in (
                    ("worked", entry.worked),
                    ("did not", entry.did_not),
                    ("change", entry.change),
                ):
                    if value:
                        text.append(f"  {label}: ", "dim")
                        text.append(value + "\n")
        show(self.query_one("#entries", Static), text)
        review = Text()
        review.append("Ratings\n", "bold underline")
        for objective in pack.manifest.objectives:
            rated = state.ratings.get(objective.id)
            review.append(f"{objective.title}: ", "bold")
            if rated is None:
                review.append("not rated\n", "dim")
            else:
                review.append(f"{rated.rating} — {rated.label}\n")
                if rated.analysis:
                    review.append(f"  {rated.analysis}\n", "dim")
        review.append("\nExecutive summary: ", "bold")
        review.append("control's own\n" if state.summary_text else "drafted by the report\n")
        show(self.query_one("#review", Static), review)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "add": self.action_add,
            "rate": self.action_rate,
            "save-summary": self.action_summary,
        }
        actions.get(event.button.id or "", self.action_report)()

    @after_typing
    def action_rate(self) -> None:
        objective = str(self.query_one("#objective", Select).value)
        rating = Rating(str(self.query_one("#rating", Select).value))
        analysis = self.query_one("#analysis", Input)
        if self.host.act(RateObjective(objective, rating, analysis.value)) is None:
            return
        analysis.value = ""
        self.notify(f"Rated {rating}: {rating.label}")

    @after_typing
    def action_summary(self) -> None:
        text = self.query_one("#summary", TextArea).text
        if self.host.act(WriteSummary(text)) is None:
            return
        self.notify(
            "Executive summary saved"
            if text.strip()
            else "The report will draft the executive summary"
        )

    @after_typing
    def action_add(self) -> None:
        role = self.query_one("#role", Select).value
        inputs = {
            name: self.query_one(f"#{name}", Input) for name in ("worked", "did_not", "change")
        }
        if role is Select.NULL:
            self.notify("Choose a role", severity="error")
            return
        entry = AddHotwash(str(role), *(i.value for i in inputs.values()))
        if self.host.act(entry) is None:
            return
        for widget in inputs.values():
            widget.value = ""
        self.notify(f"Hotwash entry added for {role_name(self.session.pack, str(role))}")

    def action_report(self, formats: tuple[str, ...] = ("md", "html", "json")) -> None:
        """Write the report of the open session: its data now, the files in a worker."""
        from exercise.problems import UserError
        from exercise.services.reports import ReportRequest, report_context

        session = self.session
        if session.path is None:
            self.notify("This session has no file beside which to write", severity="error")
            return
        path = Path(session.path)
        stem = path.name.removesuffix(".session")
        out = str(path.with_suffix("")) + "-report"
        request = ReportRequest(formats=list(formats), out=out)
        try:
            context = report_context(
                session.state, session.pack, request, session_name=stem, now=self.host.now()
            )
        except UserError as exc:
            self.post_message(ReportFailed(str(exc)))
            return
        self._write(context, session.pack, request, stem)

    def action_report_pdf(self) -> None:
        """The PDF, for print (WeasyPrint, the ``[pdf]`` extra; a few seconds)."""
        self.action_report(("pdf",))

    @work(thread=True, exclusive=True, group="report")
    def _write(
        self, context: dict[str, Any], pack: Pack, request: ReportRequest, stem: str
    ) -> None:
        """Render and write in a thread (templates and charts load only now); the worker
        touches no widget: it posts what came of it."""
        from exercise.problems import UserError
        from exercise.services.reports import write_report

        try:
            written = write_report(context, pack, request, session_stem=stem)
        except UserError as exc:
            self.post_message(ReportFailed(str(exc)))
            return
        self.post_message(ReportWritten(written))

    @on(ReportWritten)
    def _written(self, message: ReportWritten) -> None:
        message.stop()
        names = " and ".join(str(p) for p in message.paths)
        self.notify(f"After-action report written to {names}", timeout=15)

    @on(ReportFailed)
    def _failed(self, message: ReportFailed) -> None:
        message.stop()
        self.notify(f"Could not write: {message.reason}", severity="error", title="No report")
