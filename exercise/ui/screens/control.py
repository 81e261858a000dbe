"""Control: the facilitator's view. Players never see it (PIN when one is set).

Tabs: injects (pending, held, conditional with why, released), moves and rulings,
tracks, notes (observations and improvement items), and a log of any turn. Each key
runs one command through ``act``; dialogs collect what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from textual.widgets.data_table import CellDoesNotExist

from exercise.engine.commands import Command, Outcome, PauseTimer, ResumeTimer, SkipTimer
from exercise.engine.scheduler import conditional_status
from exercise.ui import control_forms as forms
from exercise.ui.base import SessionScreen
from exercise.ui.control_commands import ControlCommands
from exercise.ui.control_text import inject_detail, move_detail, notes_text
from exercise.ui.format import (
    STATUS_STYLE,
    audience_label,
    role_short,
)
from exercise.ui.messages import InjectFired, ViewWanted
from exercise.ui.widgets.connected import ConnectedTabs
from exercise.ui.widgets.footer import KeyFooter
from exercise.ui.widgets.messages import MessagesPanel, messages_tab
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.table_sync import SyncedTable
from exercise.ui.widgets.timer import DeliberationTimer
from exercise.ui.widgets.tracks import TracksPanel
from exercise.vocab import InjectStatus, ReleaseCause

if TYPE_CHECKING:
    from exercise.engine import ExerciseState, MoveState

TABS = ("injects", "moves", "tracks", "notes", "log", "messages")
MAX_RULED_ROWS = 150  # older ruled moves of the turn are in the Log tab


class ControlScreen(SessionScreen):
    CSS_PATH = "control.tcss"
    AUTO_FOCUS = "#inject-table"  # the arrow keys move the inject cursor at once
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ControlCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_phase", "Next phase", id="control.next"),
        Binding("b", "back_phase", "Back a phase", id="control.back", show=False),
        Binding("r", "release", "Release", id="control.release"),
        Binding("u", "undo_release", "Undo release", id="control.undo_release", show=False),
        Binding("h", "hold", "Hold", id="control.hold"),
        Binding("s", "skip", "Skip", id="control.skip", show=False),
        Binding("e", "edit", "Edit", id="control.edit", show=False),
        Binding("a", "adhoc", "Ad hoc", id="control.adhoc"),
        Binding("j", "adjudicate", "Rule", id="control.rule"),
        Binding("t", "track", "Track", id="control.track"),
        Binding(
            "z", "undo_adjustment", "Undo adjustment", id="control.undo_adjustment", show=False
        ),
        Binding("o", "observation", "Observe", id="control.observation", show=False),
        Binding("i", "improvement", "Improve", id="control.improvement", show=False),
        Binding("p", "timer_pause", "Pause timer", id="control.timer_pause"),
        Binding("x", "timer_extend", "Extend", id="control.timer_extend", show=False),
        Binding("k", "timer_skip", "Skip timer", id="control.timer_skip", show=False),
        Binding("w", "hotwash", "Hotwash", id="control.hotwash", show=False),
        Binding("ctrl+e", "end", "End exercise", id="control.end", show=False),
        Binding("c", "channel_switch", "Close/open channel", id="control.channel", show=False),
        Binding("v", "add_observer", "Observer", id="control.observer", show=False),
        # whatever has focus, except the Messages composer's fields (digits are text there)
        *[
            Binding(
                str(n + 1),
                f"tab('{tab}')",
                tab.title(),
                id=f"control.tab_{tab}",
                show=False,
                priority=True,
            )
            for n, tab in enumerate(TABS)
        ],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.log_turn: int | None = None  # None: the current turn
        self._conditional_cache: dict[str, tuple[str, str]] = {}
        self._conditional_seq: int | None = None
        self._move_rows: dict[tuple[str, int, str, str], tuple[object, ...]] = {}
        self._extra_moves: set[str] = set()  # earlier moves asked for by the palette
        self._told_seq: int | None = None  # events up to here were announced
        self.last_release: str | None = None
        self._why: dict[str, str] = {}  # each inject's status explained, as drawn
        self._moves_hidden = 0  # ruled moves of this turn left out of the table

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield StatusBar("CONTROL", id="status")
            yield DeliberationTimer(id="timer")
        yield ConnectedTabs(id="connected")
        with TabbedContent(id="tabs", initial="injects"):
            with TabPane("Injects", id="injects"), Vertical():
                yield SyncedTable(id="inject-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="inject-detail-scroll", classes="detail"):
                    yield Static(id="inject-detail")
            with TabPane("Moves", id="moves"), Vertical():
                yield SyncedTable(id="move-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="move-detail-scroll", classes="detail"):
                    yield Static(id="move-detail")
            with TabPane("Tracks", id="tracks"), VerticalScroll(id="tracks-scroll"):
                yield TracksPanel(changes=6, id="tracks-panel")
            with TabPane("Notes", id="notes"), VerticalScroll(id="notes-scroll"):
                yield Static(id="notes-text")
            with TabPane("Log", id="log"), VerticalScroll(id="log-scroll"):
                yield Static(id="log-text")
            with TabPane("Messages", id="messages"):
                yield MessagesPanel("control", id="messages-panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#inject-table", DataTable)
        for key, label in (
            ("id", "Inject"),
            ("turn", "Turn"),
            ("status", "Status"),
            ("audience", "To"),
            ("title", "Title"),
        ):
            table.add_column(label, key=key)
        moves = self.query_one("#move-table", DataTable)
        for key, label in (
            ("id", "Move"),
            ("turn", "Turn"),
            ("role", "Role"),
            ("kind", "Kind"),
            ("secret", "Secret"),
            ("ruling", "Ruling"),
            ("text", "Text"),
        ):
            moves.add_column(label, key=key)
        self.draw()

    # ------------------------------------------------------------------ drawing

    def redraw(self) -> None:
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        state = self.session.state
        self._announce(state)
        waiting = sum(1 for move in state.unruled() if move.waiting)
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

    def _announce(self, state: ExerciseState) -> None:
        """Tell control when a conditional inject fired (or joined the queue), and why."""
        from exercise.engine import events as ev

        if self._told_seq is None:
            self._told_seq = state.last_seq
            return
        for event in reversed(state.events):
            if event.seq <= self._told_seq:
                break
            if (
                event.type in (ev.INJECT_RELEASED, ev.INJECT_QUEUED)
                and event.body.get("cause") == ReleaseCause.CONDITION
            ):
                inj = state.injects.get(event.body.get("inject", ""))
                inject_id = inj.inject_id if inj else "?"
                queued = event.type == ev.INJECT_QUEUED
                why = str(event.body.get("why", ""))
                what = "is queued" if queued else "was released"
                self.notify(
                    f"{inject_id} {what}: {why}", title="A conditional inject fired", timeout=12
                )
                self.post_message(InjectFired(inject_id, why, queued=queued))
        self._told_seq = state.last_seq

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hold, skip and edit are offered only for injects still to come; the tab keys
        leave digits to a focused text field."""
        if action == "tab" and isinstance(self.focused, Input):
            return False
        if action in ("hold", "skip", "edit", "release") and self.host.session is not None:
            inject_id = self.selected_inject()
            inj = self.session.state.injects.get(inject_id or "")
            if inj is not None and inj.status.done:
                return None  # shown disabled
        return True

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
        cache = {}
        for c in conditional_status(state, self.session.pack):
            why = c.explanation
            if c.since is not None:  # a held inject whose condition came true: since when
                why += f" (true since {c.since:%H:%M})"
            cache[c.inject_id] = (c.status, why)
        self._conditional_cache = cache
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
        rows: list[tuple[str, str, str]] = []
        for inj in state.injects.values():
            status: str = inj.status
            why = inj.reason or inj.why
            if inj.inject_id in conditional and inj.status in (
                InjectStatus.PENDING,
                InjectStatus.HELD,
            ):
                status, why = conditional[inj.inject_id]
            rows.append((inj.inject_id, status, why))
        # the schedule's order, which a release does not change: one cell updates, not
        # the table
        order = {inject_id: n for n, inject_id in enumerate(state.injects)}
        rows.sort(
            key=lambda r: (
                state.injects[r[0]].first_turn,
                state.injects[r[0]].conditional,
                order[r[0]],
            )
        )
        return rows

    def _draw_injects(self, state: ExerciseState) -> None:
        table = self.query_one("#inject-table", SyncedTable)
        selected = self.selected_inject()
        pack = self.session.pack
        self._why = {}
        rows = []
        for inject_id, status, why in self._inject_rows(state):
            inj = state.injects[inject_id]
            self._why[inject_id] = why
            turn = (
                str(inj.first_turn)
                if inj.first_turn == inj.last_turn
                else (f"{inj.first_turn}-{inj.last_turn}")
            )
            mark = "?" if inj.conditional else "*" if inj.adhoc else ""
            rows.append(
                (
                    inject_id,
                    (
                        inject_id + mark,
                        turn,
                        Text(status, STATUS_STYLE.get(status, "")),
                        audience_label(pack, inj.audience),
                        Text(inj.title),
                    ),
                )
            )
        table.sync(rows)
        if selected is None:  # first drawing: start at the first inject still to come
            selected = next(
                (
                    i
                    for i, _ in rows
                    if state.injects[i].status in (InjectStatus.PENDING, InjectStatus.HELD)
                    and state.injects[i].last_turn >= state.turn
                ),
                None,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self._draw_inject_detail()

    def _move_turn(self, state: ExerciseState) -> int:
        return state.turn

    def _draw_moves(self, state: ExerciseState) -> None:
        """This turn's moves: all still waiting for a ruling, and the latest ruled ones."""
        table = self.query_one("#move-table", SyncedTable)
        selected = self.selected_move()
        shown = table.shown_rows
        rows, ruled = self._move_rows_for(state, shown)
        if ruled > 2 * MAX_RULED_ROWS:  # rows once shown stay, up to a limit
            rows, _ = self._move_rows_for(state, {})
        table.sync(rows)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self._draw_move_detail()

    def _move_rows_for(
        self, state: ExerciseState, shown: dict[str, tuple[object, ...]]
    ) -> tuple[list[tuple[str, tuple[object, ...]]], int]:
        """Every unruled move of earlier turns (marked with its turn), then this turn's
        moves: all waiting ones and the latest ruled ones."""
        turn = self._move_turn(state)
        rows = []
        ruled = 0
        self._moves_hidden = 0
        earlier = {m.id: m for m in state.unruled() if m.turn < turn}
        for move_id in [*state.late_ruled_ids[-MAX_RULED_ROWS:], *self._extra_moves]:
            move = state.moves_by_id.get(move_id)
            if (
                move is not None
                and move.turn < turn
                and (
                    move_id in self._extra_moves
                    or (move.ruling is not None and move.ruling.turn == state.turn)
                )
            ):
                earlier[move_id] = move
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
        before = sorted(earlier.values(), key=lambda m: m.seq)
        return [(m.id, self._move_row(m)) for m in before] + rows, ruled

    def _move_row(self, move: MoveState) -> tuple[object, ...]:
        """A move's cells, made once per ruling state (equal rows compare in no time)."""
        key = (
            move.id,
            move.ruling.seq if move.ruling else 0,
            move.ruling.outcome if move.ruling else "",
            move.left_unruled,
        )
        row = self._move_rows.get(key)
        if row is None:
            if move.ruling is not None:
                ruling = Text(
                    f"{move.ruling.outcome} ({move.ruling.method})"
                    + (" late" if move.ruling.late else "")
                )
            elif move.left_unruled:
                ruling = Text("left unruled", "dim")
            else:
                ruling = Text("waiting", "yellow")
            first_line = move.text.strip().splitlines()[0] if move.text.strip() else ""
            row = (
                move.id,
                str(move.turn),
                role_short(self.session.pack, move.role),
                move.kind,
                "secret" if move.secret else "",
                ruling,
                Text(first_line[:80]),
            )
            self._move_rows[key] = row
        return row

    def _draw_inject_detail(self) -> None:
        inject_id = self.selected_inject()
        why = self._why.get(inject_id or "", "")
        show(
            self.query_one("#inject-detail", Static),
            inject_detail(self.session.state, self.session.pack, inject_id, why),
        )

    def _draw_move_detail(self) -> None:
        show(
            self.query_one("#move-detail", Static),
            move_detail(
                self.session.state,
                self.session.pack,
                self.selected_move(),
                self._moves_hidden,
            ),
        )

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
        except CellDoesNotExist:  # the cursor is past the rows (they just changed)
            return None
        return str(key.value) if key.value is not None else None

    def select_inject(self, inject_id: str) -> None:
        self.action_tab("injects")
        table = self.query_one("#inject-table", DataTable)
        if inject_id in table.rows:
            table.move_cursor(row=table.get_row_index(inject_id), animate=False)

    def select_move(self, move_id: str) -> None:
        self._extra_moves.add(move_id)
        self.action_tab("moves")
        table = self.query_one("#move-table", DataTable)
        if move_id in table.rows:
            table.move_cursor(row=table.get_row_index(move_id), animate=False)

    def show_turn(self, turn: int) -> None:
        self.log_turn = turn
        self.action_tab("log")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "inject-table":
            self._draw_inject_detail()
            self.refresh_bindings()
        else:
            self._draw_move_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "move-table":
            self.action_adjudicate()

    # ------------------------------------------------------------------ actions

    def act(self, command: Command) -> Outcome | None:
        return self.host.act(command)

    def action_tab(self, tab: str) -> None:
        """Show a tab and put the focus in it (a focused widget in another pane would
        pull the tabs back to its own)."""
        self.query_one(TabbedContent).active = tab
        self.redraw()
        target = f"#{tab[:-1]}-table" if tab in ("injects", "moves") else f"#{tab}-scroll"
        self.query_one("#channel-list" if tab == "messages" else target).focus()

    def _need_inject(self) -> str | None:
        if self.query_one(TabbedContent).active != "injects":
            self.action_tab("injects")
        inject_id = self.selected_inject()
        if inject_id is None:
            self.notify("Choose an inject first", severity="warning")
        return inject_id

    def action_next_phase(self) -> None:
        forms.confirm_next_phase(self)

    def action_back_phase(self) -> None:
        forms.confirm_back(self)

    def action_end(self) -> None:
        forms.confirm_end(self)

    def _still_to_come(self) -> str | None:
        inject_id = self._need_inject()
        inj = self.session.state.injects.get(inject_id or "")
        if inj is not None and inj.status.done:
            self.notify(f"{inj.inject_id} is already {inj.status}", severity="warning")
            return None
        return inject_id

    def action_release(self) -> None:
        inject_id = self._still_to_come()
        if inject_id:
            forms.confirm_release(self, inject_id)

    def action_undo_release(self) -> None:
        forms.undo_release(self)

    def action_hold(self) -> None:
        inject_id = self._still_to_come()
        if inject_id:
            forms.hold(self, inject_id)

    def action_skip(self) -> None:
        inject_id = self._still_to_come()
        if inject_id:
            forms.skip(self, inject_id)

    def action_edit(self) -> None:
        inject_id = self._still_to_come()
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

    def action_undo_adjustment(self) -> None:
        forms.undo_adjustment(self)

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
        self.act(ResumeTimer() if timer.paused else PauseTimer())

    def action_timer_extend(self) -> None:
        forms.extend_timer(self)

    def action_timer_skip(self) -> None:
        self.act(SkipTimer())

    def action_hotwash(self) -> None:
        self.app.post_message(ViewWanted("hotwash"))
