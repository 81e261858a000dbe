"""Control: the facilitator's view. Players never see it (PIN when one is set).

Tabs: injects (pending, held, conditional with why, released), moves and rulings,
tracks, notes (observations and improvement items), and a log of any turn. Each key
runs one Session operation through ``app.act``; dialogs collect what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from exercise.ui import control_forms as forms
from exercise.ui.control_commands import ControlCommands
from exercise.ui.control_text import inject_detail, move_detail, notes_text
from exercise.ui.format import (
    STATUS_STYLE,
    audience_label,
    role_short,
)
from exercise.ui.widgets.messages import MessagesPanel, messages_tab
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.table_sync import sync_table
from exercise.ui.widgets.timer import DeliberationTimer
from exercise.ui.widgets.tracks import TracksPanel

if TYPE_CHECKING:
    from exercise.engine import ExerciseState, MoveState, Session

TABS = ("injects", "moves", "tracks", "notes", "log", "messages")
MAX_RULED_ROWS = 150  # older ruled moves of the turn are in the Log tab


class ControlScreen(Screen[None]):
    CSS_PATH = "control.tcss"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ControlCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_phase", "Next phase", id="control.next"),
        Binding("r", "release", "Release", id="control.release"),
        Binding("h", "hold", "Hold", id="control.hold"),
        Binding("s", "skip", "Skip", id="control.skip"),
        Binding("e", "edit", "Edit", id="control.edit"),
        Binding("a", "adhoc", "Ad hoc", id="control.adhoc"),
        Binding("j", "adjudicate", "Rule", id="control.rule"),
        Binding("t", "track", "Track", id="control.track"),
        Binding("o", "observation", "Observe", id="control.observation"),
        Binding("i", "improvement", "Improve", id="control.improvement", show=False),
        Binding("p", "timer_pause", "Pause/resume", id="control.timer_pause"),
        Binding("x", "timer_extend", "Extend", id="control.timer_extend", show=False),
        Binding("k", "timer_skip", "Skip timer", id="control.timer_skip", show=False),
        Binding("w", "hotwash", "Hotwash", id="control.hotwash", show=False),
        Binding("ctrl+e", "end", "End exercise", id="control.end", show=False),
        Binding("c", "channel_switch", "Close/open channel", id="control.channel", show=False),
        Binding("v", "add_observer", "Observer", id="control.observer", show=False),
        *[Binding(str(n + 1), f"tab('{tab}')", tab.title(), id=f"control.tab_{tab}", show=False)
          for n, tab in enumerate(TABS)],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.log_turn: int | None = None  # None: the current turn
        self._conditional_cache: dict[str, tuple[str, str]] = {}
        self._conditional_seq: int | None = None
        self._move_rows: dict[tuple[str, int, str], tuple[object, ...]] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield StatusBar("CONTROL", id="status")
            yield DeliberationTimer(id="timer")
        with TabbedContent(id="tabs", initial="injects"):
            with TabPane("Injects", id="injects"), Vertical():
                yield DataTable(id="inject-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="inject-detail-scroll", classes="detail"):
                    yield Static(id="inject-detail")
            with TabPane("Moves", id="moves"), Vertical():
                yield DataTable(id="move-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="move-detail-scroll", classes="detail"):
                    yield Static(id="move-detail")
            with TabPane("Tracks", id="tracks"), VerticalScroll():
                yield TracksPanel(changes=6, id="tracks-panel")
            with TabPane("Notes", id="notes"), VerticalScroll():
                yield Static(id="notes-text")
            with TabPane("Log", id="log"), VerticalScroll():
                yield Static(id="log-text")
            with TabPane("Messages", id="messages"):
                yield MessagesPanel("control", id="messages-panel")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#inject-table", DataTable)
        for key, label in (("id", "Inject"), ("turn", "Turn"), ("status", "Status"),
                           ("audience", "To"), ("title", "Title")):
            table.add_column(label, key=key)
        moves = self.query_one("#move-table", DataTable)
        for key, label in (("id", "Move"), ("role", "Role"), ("kind", "Kind"),
                           ("secret", "Secret"), ("ruling", "Ruling"), ("text", "Text")):
            moves.add_column(label, key=key)
        self.redraw()

    # ------------------------------------------------------------------ drawing

    @property
    def session(self) -> Session:
        return self.app.session  # type: ignore[attr-defined,no-any-return]

    def redraw(self) -> None:
        if self.app.session is None:  # type: ignore[attr-defined]
            return
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        state = self.session.state
        waiting = 0
        for move in reversed(state.moves):  # this turn's moves are the last ones
            if move.turn != state.turn:
                break
            waiting += move.ruling is None
        tabs = self.query_one(TabbedContent)
        label = f"Moves ({waiting} to rule)" if waiting else "Moves"
        tab = tabs.get_tab("moves")
        if str(tab.label) != label:
            tab.label = label
        active = tabs.active
        if active == "injects":
            self._draw_injects(state)
        elif active == "moves":
            self._draw_moves(state)
        elif active == "tracks":
            self.query_one(TracksPanel).redraw()
        elif active == "notes":
            self._draw_notes(state)
        elif active == "log":
            self._draw_log(state)
        messages_tab(self, tabs)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.redraw()

    def _conditional(self, state: ExerciseState) -> dict[str, tuple[str, str]]:
        """Conditional injects' status and why, as of the last check.

        Checking every condition against a long session takes a while, so after an
        action the table first shows what the action changed, and the conditional
        statuses follow one frame later.
        """
        if self._conditional_seq is None:
            self._check_conditions()
        elif self._conditional_seq != state.last_seq:
            self.set_timer(0.1, self._recheck_conditions)
        return self._conditional_cache

    def _check_conditions(self) -> None:
        state = self.session.state
        self._conditional_cache = {c.inject_id: (c.status, c.explanation)
                                   for c in state.conditional_status(self.session.pack)}
        self._conditional_seq = state.last_seq

    def _recheck_conditions(self) -> None:
        if self._conditional_seq == self.session.state.last_seq:
            return
        self._check_conditions()
        if self.query_one(TabbedContent).active == "injects":
            self._draw_injects(self.session.state)

    def _inject_rows(self, state: ExerciseState) -> list[tuple[str, str, str]]:
        """(inject id, status shown, why) for every inject, in the order control needs."""
        conditional = self._conditional(state)
        rows = []
        for inj in state.injects.values():
            status, why = inj.status, inj.reason or inj.why
            if inj.inject_id in conditional and inj.status in ("pending",):
                status, why = conditional[inj.inject_id]
            rows.append((inj.inject_id, status, why))
        # the schedule's order, which a release does not change: one cell updates, not
        # the table
        order = {inject_id: n for n, inject_id in enumerate(state.injects)}
        rows.sort(key=lambda r: (state.injects[r[0]].first_turn, state.injects[r[0]].conditional,
                                 order[r[0]]))
        return rows

    def _draw_injects(self, state: ExerciseState) -> None:
        table = self.query_one("#inject-table", DataTable)
        selected = self.selected_inject()
        pack = self.session.pack
        self._why: dict[str, str] = {}
        rows = []
        for inject_id, status, why in self._inject_rows(state):
            inj = state.injects[inject_id]
            self._why[inject_id] = why
            turn = str(inj.first_turn) if inj.first_turn == inj.last_turn else (
                f"{inj.first_turn}-{inj.last_turn}")
            mark = "?" if inj.conditional else "*" if inj.adhoc else ""
            rows.append((inject_id, (
                inject_id + mark, turn, Text(status, STATUS_STYLE.get(status, "")),
                audience_label(pack, inj.audience), Text(inj.title))))
        sync_table(table, rows)
        if selected is None:  # first drawing: start at the first inject still to come
            selected = next((i for i, _ in rows if state.injects[i].status in ("pending", "held")
                             and state.injects[i].last_turn >= state.turn), None)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self._draw_inject_detail()

    def _move_turn(self, state: ExerciseState) -> int:
        return state.turn

    def _draw_moves(self, state: ExerciseState) -> None:
        """This turn's moves: all still waiting for a ruling, and the latest ruled ones."""
        table = self.query_one("#move-table", DataTable)
        selected = self.selected_move()
        shown = getattr(table, "_shown_rows", {})
        rows, ruled = self._move_rows_for(state, shown)
        if ruled > 2 * MAX_RULED_ROWS:  # rows once shown stay, up to a limit
            rows, _ = self._move_rows_for(state, {})
        sync_table(table, rows)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self._draw_move_detail()

    def _move_rows_for(self, state: ExerciseState, shown: dict[str, object]
                       ) -> tuple[list[tuple[str, tuple[object, ...]]], int]:
        turn = self._move_turn(state)
        rows = []
        ruled = 0
        self._moves_hidden = 0
        for move in reversed(state.moves):
            if move.turn < turn:
                break
            if move.turn != turn:
                continue
            if move.ruling is not None:
                if ruled >= MAX_RULED_ROWS and move.id not in shown:
                    self._moves_hidden += 1
                    continue
                ruled += 1
            rows.append((move.id, self._move_row(move)))
        rows.reverse()
        return rows, ruled

    def _move_row(self, move: MoveState) -> tuple[object, ...]:
        """A move's cells, made once per ruling state (equal rows compare in no time)."""
        key = (move.id, move.ruling.seq if move.ruling else 0,
               move.ruling.outcome if move.ruling else "")
        row = self._move_rows.get(key)
        if row is None:
            ruling = Text("waiting", "yellow") if move.ruling is None else Text(
                f"{move.ruling.outcome} ({move.ruling.method})")
            first_line = move.text.strip().splitlines()[0] if move.text.strip() else ""
            row = (move.id, role_short(self.session.pack, move.role), move.kind,
                   "secret" if move.secret else "", ruling, Text(first_line[:80]))
            self._move_rows[key] = row
        return row

    def _draw_inject_detail(self) -> None:
        inject_id = self.selected_inject()
        why = getattr(self, "_why", {}).get(inject_id, "")
        show(self.query_one("#inject-detail", Static),
             inject_detail(self.session.state, self.session.pack, inject_id, why))

    def _draw_move_detail(self) -> None:
        show(self.query_one("#move-detail", Static),
             move_detail(self.session.state, self.session.pack, self.selected_move(),
                         getattr(self, "_moves_hidden", 0)))

    def _draw_notes(self, state: ExerciseState) -> None:
        show(self.query_one("#notes-text", Static), notes_text(state, self.session.pack))

    def _draw_log(self, state: ExerciseState) -> None:
        from exercise.ui.turnlog import turn_log

        turn = self.log_turn if self.log_turn is not None else state.turn
        show(self.query_one("#log-text", Static), turn_log(state, self.session.pack, turn))

    # ------------------------------------------------------------------ selection

    def selected_inject(self) -> str | None:
        return self._selected("#inject-table")

    def selected_move(self) -> str | None:
        return self._selected("#move-table")

    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return str(key.value) if key.value is not None else None

    def select_inject(self, inject_id: str) -> None:
        self.action_tab("injects")
        table = self.query_one("#inject-table", DataTable)
        if inject_id in table.rows:
            table.move_cursor(row=table.get_row_index(inject_id), animate=False)
            table.focus()

    def select_move(self, move_id: str) -> None:
        self.action_tab("moves")
        table = self.query_one("#move-table", DataTable)
        if move_id in table.rows:
            table.move_cursor(row=table.get_row_index(move_id), animate=False)
            table.focus()

    def show_turn(self, turn: int) -> None:
        self.log_turn = turn
        self.action_tab("log")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "inject-table":
            self._draw_inject_detail()
        else:
            self._draw_move_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "move-table":
            self.action_adjudicate()

    # ------------------------------------------------------------------ actions

    def act(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        return self.app.act(operation, *args, **kwargs)  # type: ignore[attr-defined]

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.redraw()
        if tab in ("injects", "moves"):
            self.query_one(f"#{tab[:-1]}-table", DataTable).focus()

    def _need_inject(self) -> str | None:
        if self.query_one(TabbedContent).active != "injects":
            self.action_tab("injects")
        inject_id = self.selected_inject()
        if inject_id is None:
            self.notify("Choose an inject first", severity="warning")
        return inject_id

    def action_next_phase(self) -> None:
        forms.confirm_next_phase(self)

    def action_end(self) -> None:
        forms.confirm_end(self)

    def action_release(self) -> None:
        inject_id = self._need_inject()
        if inject_id:
            self.act("release_inject", inject_id)

    def action_hold(self) -> None:
        inject_id = self._need_inject()
        if inject_id:
            forms.hold(self, inject_id)

    def action_skip(self) -> None:
        inject_id = self._need_inject()
        if inject_id:
            forms.skip(self, inject_id)

    def action_edit(self) -> None:
        inject_id = self._need_inject()
        if inject_id:
            forms.edit(self, inject_id)

    def action_adhoc(self) -> None:
        forms.adhoc(self)

    def action_adjudicate(self) -> None:
        if self.query_one(TabbedContent).active != "moves":
            self.action_tab("moves")
        move_id = self.selected_move()
        if move_id is None:
            self.notify("Choose a move first (none recorded this turn?)", severity="warning")
            return
        from exercise.ui.dialogs.adjudicate import AdjudicateDialog

        self.app.push_screen(AdjudicateDialog(move_id))

    def action_track(self) -> None:
        forms.track(self)

    def action_observation(self) -> None:
        forms.observation(self)

    def action_improvement(self) -> None:
        forms.improvement(self)

    def action_channel_switch(self) -> None:
        from exercise.ui.channel_forms import channel_switch

        channel_switch(self, self.query_one(MessagesPanel).channel)

    def action_add_observer(self) -> None:
        from exercise.ui.channel_forms import add_observer

        add_observer(self)

    def action_timer_pause(self) -> None:
        timer = self.session.state.timer
        self.act("timer_resume" if timer.paused else "timer_pause")

    def action_timer_extend(self) -> None:
        forms.extend_timer(self)

    def action_timer_skip(self) -> None:
        self.act("timer_skip")

    def action_hotwash(self) -> None:
        self.app.action_hotwash()  # type: ignore[attr-defined]
