"""The adjudication dialog: facilitator ruling, matrix roll (visible dice) or a vote.

The result, dice included, is drawn from the move's recorded ruling after the engine
wrote it, so what the facilitator sees is exactly what the journal holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TabbedContent, TabPane

from exercise.engine.commands import Command, Narrate, OverrideRuling, RollMatrix, Rule, Vote
from exercise.ui.after_typing import after_typing
from exercise.ui.base import open_session, session_app
from exercise.ui.dialogs.modal import Dialog
from exercise.ui.format import DICE_FACES, parse_effects, role_name, ruling_line
from exercise.ui.plain import clean
from exercise.ui.widgets.show import show
from exercise.vocab import MATRIX_TARGET, Method, Outcome

if TYPE_CHECKING:
    from exercise.engine import MoveState
    from exercise.pack.models import Pack

OUTCOMES = [(outcome.value, outcome) for outcome in Outcome]


def move_summary(move: MoveState, pack: Pack) -> Text:
    """The move being ruled on, with its argument and reasons."""
    head = Text()
    head.append(f"Rule on {move.id}: {role_name(pack, move.role)} ({move.kind})", "bold")
    if move.secret:
        head.append("  SECRET", "bold red")
    head.append("\n" + move.text.strip())
    if move.intent:
        head.append("\nArgument: " + move.intent, "italic")
    for reason in move.reasons:
        head.append("\n • " + reason)
    return head


def _counts(*fields: tuple[str, str]) -> ComposeResult:
    """Whole numbers in one row, each after its label: a roll's pros and cons, a vote."""
    with Horizontal(classes="counts"):
        for label, field_id in fields:
            yield Label(label)
            yield Input("0", type="integer", id=field_id)


class AdjudicateDialog(Dialog[None]):
    CSS_PATH = "adjudicate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Rule", id="rule.submit", priority=True),
        Binding("escape", "close", "Close", id="rule.close"),
        Binding("ctrl+right", "method(1)", "Next method", id="rule.next_method", priority=True),
        Binding(
            "ctrl+left", "method(-1)", "Previous method", id="rule.previous_method", priority=True
        ),
    ]

    # on_mount focuses the method's first field: focusing the scroll container first and
    # then leaving it would style the whole dialog twice over
    AUTO_FOCUS = ""

    def __init__(self, move_id: str) -> None:
        super().__init__()
        self.move_id = move_id

    def compose(self) -> ComposeResult:
        session = open_session(self)
        move = session.state.move(self.move_id)
        assert move is not None, f"no move {self.move_id}"
        pack = session.pack
        ruled = move.ruling is not None
        with VerticalScroll(classes="dialog", id="adjudicate"):
            yield Static(clean(move_summary(move, pack)), id="move-summary")
            yield Label(
                "Effects: 'track +N, track -N' with tracks " + ", ".join(pack.tracks_by_id),
                classes="hint",
                markup=False,
            )
            yield from self._methods(move, ruled)
            yield Static(id="result")
            with Horizontal(classes="buttons"):
                yield Button("Rule (ctrl+s)", variant="primary", id="submit")
                yield Button("Close (esc)", id="close")

    def _methods(self, move: MoveState, ruled: bool) -> ComposeResult:
        """One tab per way of ruling; only an override once the move is ruled."""
        with TabbedContent(initial="override" if ruled else "facilitator", id="methods"):
            with TabPane("Facilitator", id="facilitator"):
                yield Select(OUTCOMES, value=Outcome.ACCEPTED, allow_blank=False, id="f-outcome")
                yield Input(placeholder="Narrative: what happens", id="f-narrative")
                yield Input(placeholder="Effects, e.g. tension +1", id="f-effects")
            with TabPane("Matrix roll", id="matrix"):
                yield from _counts(("Strong pros", "m-pros"), ("Strong cons", "m-cons"))
                yield Input(
                    placeholder=f"Effects if it succeeds ({MATRIX_TARGET}+)", id="m-effects"
                )
                yield Input(placeholder="Effects if it fails", id="m-fail")
                # written after the dice, with the result in view
                yield Static(id="m-dice")
                yield Input(
                    placeholder="Narrative: after the roll (ctrl+s saves it)",
                    id="m-narrative",
                    disabled=not self._narrate_next(move),
                )
            with TabPane("Vote", id="vote"):
                yield from _counts(
                    ("For", "v-for"), ("Against", "v-against"), ("Abstain", "v-abstain")
                )
                yield Input(placeholder="Narrative", id="v-narrative")
                yield Input(placeholder="Effects if carried", id="v-effects")
                yield Input(placeholder="Effects if it fails", id="v-fail")
            with TabPane("Override", id="override", disabled=not ruled):
                yield Select(OUTCOMES, value=Outcome.MODIFIED, allow_blank=False, id="o-outcome")
                yield Input(placeholder="Reason for the override", id="o-reason")
                yield Input(placeholder="New narrative (replaces it; optional)", id="o-narrative")
                yield Input(placeholder="Extra effects (added)", id="o-effects")

    @staticmethod
    def _narrate_next(move: MoveState | None) -> bool:
        return bool(
            move is not None
            and move.ruling is not None
            and move.ruling.method == Method.MATRIX
            and not move.ruling.narrative
        )

    def on_mount(self) -> None:
        self._show_result()
        self._focus_first()

    FIRST: ClassVar[dict[str, str]] = {
        "facilitator": "#f-outcome",
        "matrix": "#m-pros",
        "vote": "#v-for",
        "override": "#o-outcome",
    }

    def _focus_first(self) -> None:
        """Typing goes into the method's first field, never into the scroll container."""
        method = self.query_one(TabbedContent).active
        narrative = self.query_one("#m-narrative", Input)
        target = (
            "#m-narrative"
            if method == Method.MATRIX and not narrative.disabled
            else (self.FIRST.get(method, "#f-outcome"))
        )
        self.query_one(target).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.call_after_refresh(self._focus_first)

    def action_method(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = [p.id for p in tabs.query(TabPane) if not p.disabled and p.id]
        index = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(index + step) % len(panes)]
        self._focus_first()  # at once: a second quick press must find the focus moved

    def _show_result(self) -> None:
        move = open_session(self).state.move(self.move_id)
        result = self.query_one("#result", Static)
        if move is None or move.ruling is None:
            show(result, Text("Not ruled yet.", "dim"))
            return
        ruling = move.ruling
        text = Text()
        if ruling.method == Method.MATRIX and ruling.dice:
            a, b = ruling.dice
            text.append(f"  {DICE_FACES[a - 1]}  {DICE_FACES[b - 1]}  ", "bold reverse")
            text.append(
                f"  {a} + {b} + {ruling.pros} − {ruling.cons} = {ruling.total}  "
                f"(needs {MATRIX_TARGET})\n",
                "bold",
            )
            dice = text.copy()
            dice.append_text(ruling_line(ruling))
            show(self.query_one("#m-dice", Static), dice)
        text.append_text(ruling_line(ruling))
        if ruling.narrative:
            text.append("\n" + ruling.narrative, "italic")
        elif ruling.method == Method.MATRIX:
            text.append(
                "\nNow write the narrative, with the dice in view; ctrl+s saves it.", "yellow"
            )
        show(result, text)

    # ------------------------------------------------------------------ submitting

    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Select):
            return str(widget.value)
        assert isinstance(widget, Input)
        return widget.value.strip()

    def _count(self, widget_id: str) -> int:
        value = self._value(widget_id) or "0"
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a whole number") from None

    def _effects(self, widget_id: str) -> dict[str, int]:
        tracks = list(open_session(self).pack.tracks_by_id)
        return parse_effects(self._value(widget_id), tracks)

    def _command(self) -> Command:
        """The ruling the open tab describes (``ValueError`` says what is mistyped)."""
        method = self.query_one(TabbedContent).active
        move = self.move_id
        if method == Method.FACILITATOR:
            outcome = Outcome(self._value("f-outcome"))
            return Rule(move, outcome, self._value("f-narrative"), self._effects("f-effects"))
        if method == Method.MATRIX and not self.query_one("#m-narrative").disabled:
            return Narrate(move, self._value("m-narrative"))
        if method == Method.MATRIX:
            pros, cons = self._count("m-pros"), self._count("m-cons")
            return RollMatrix(
                move, pros, cons, "", self._effects("m-effects"), self._effects("m-fail")
            )
        if method == Method.VOTE:
            return Vote(
                move,
                self._count("v-for"),
                self._count("v-against"),
                self._count("v-abstain"),
                self._value("v-narrative"),
                self._effects("v-effects"),
                self._effects("v-fail"),
            )
        return OverrideRuling(
            move,
            Outcome(self._value("o-outcome")),
            self._value("o-reason"),
            self._effects("o-effects"),
            self._value("o-narrative"),
        )

    @after_typing
    def action_submit(self) -> None:
        try:
            command = self._command()
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        if session_app(self).act(command) is None:
            return
        self.query_one("#override", TabPane).disabled = False
        move = open_session(self).state.move(self.move_id)
        narrative = self.query_one("#m-narrative", Input)
        narrative.disabled = not self._narrate_next(move)
        self._show_result()
        if not narrative.disabled:
            narrative.focus()
        else:  # the result in view, even on a small screen
            self.query_one("#result").scroll_visible(animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
