"""Replay for the debrief: the Board as the room saw it at any moment of a session.

A separate app from the facilitator's: it holds a read-only ``Replay`` (the journal
read once), never a Session, so nothing it does can write to the journal. The public
replay draws exactly what the Board draws (public feed and tracks) at the chosen
moment; control's replay (``--control``, behind the control PIN) adds the turn's full
log: secret moves, private injects, holds, skips and notes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from exercise.ui.base import ViewingApp
from exercise.ui.dialogs.modal import Dialog
from exercise.ui.format import turn_heading, when
from exercise.ui.widgets.feed import FeedView
from exercise.ui.widgets.footer import KeyFooter
from exercise.ui.widgets.show import show
from exercise.ui.widgets.status import StatusBar
from exercise.ui.widgets.timer import DeliberationTimer
from exercise.ui.widgets.tracks import TracksPanel

if TYPE_CHECKING:
    from exercise.engine.replay import Replay


class TurnDialog(Dialog[int | None]):
    """Ask which turn to jump to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="replay.turn.cancel")
    ]

    def __init__(self, turns: list[int]) -> None:
        super().__init__()
        self.turns = turns

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="turn-dialog"):
            yield Label("Go to turn", classes="title")
            yield Input(type="integer", placeholder="turn number, then Enter", id="turn")
            span = f"{self.turns[0]}–{self.turns[-1]}" if self.turns else "none yet"
            yield Label(f"Turns played: {span}. Escape goes back.", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            turn = int(event.value)
        except ValueError:
            turn = 0
        if turn in self.turns:
            self.dismiss(turn)
            return
        event.input.value = ""
        self.notify(f"Turn {turn} was not played", severity="error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplayScreen(Screen[None]):
    """The Board at the replay's position, with where we are and what just happened."""

    CSS_PATH = "replay.tcss"
    # The navigation keys have priority: the feed's scrolling would otherwise take them.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "step(1)", "Next", id="replay.next", priority=True),
        Binding("left", "step(-1)", "Previous", id="replay.previous", priority=True),
        Binding("pagedown", "turn(1)", "Next turn", id="replay.next_turn", priority=True),
        Binding("pageup", "turn(-1)", "Previous turn", id="replay.previous_turn", priority=True),
        Binding("g", "go_to_turn", "Go to turn", id="replay.go_to_turn"),
        Binding("home", "first", "First", id="replay.first", priority=True),
        Binding("end", "last", "Last", id="replay.last", priority=True),
        Binding("m", "more", "More history", id="replay.more"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield StatusBar("REPLAY", id="status")
            yield DeliberationTimer(id="timer")
        yield Static("", id="position")
        with Horizontal(id="body"):
            with VerticalScroll(id="feed-scroll"):
                yield FeedView(id="feed")
            with Vertical(id="side"):
                with VerticalScroll(id="tracks-scroll"):
                    yield TracksPanel(id="tracks")
                with VerticalScroll(id="log-scroll"):
                    yield Static("", id="log")
        yield KeyFooter()

    @property
    def host(self) -> ReplayApp:
        app = self.app
        assert isinstance(app, ReplayApp)
        return app

    @property
    def replay(self) -> Replay:
        return self.host.session

    @property
    def control(self) -> bool:
        return self.host.control

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        replay, control = self.replay, self.control
        state, pack = replay.state, replay.pack
        self.query_one(StatusBar).who = "CONTROL REPLAY" if control else "REPLAY"
        self.query_one(StatusBar).redraw()
        self.query_one(DeliberationTimer).redraw()
        self.query_one(TracksPanel).redraw()
        feed = state.feed(private=control)
        self.query_one(FeedView).show(state, pack, feed)
        self.query_one("#feed-scroll", VerticalScroll).scroll_end(animate=False)
        show(self.query_one("#position", Static), self.position_text())
        log = self.query_one("#log-scroll")
        log.display = control
        if control:
            from exercise.ui.turnlog import turn_log

            # The log's first line points at the live app's palette: replace it here.
            lines = turn_log(state, pack, state.turn).split("\n", allow_blank=True)
            heading = Text(f"Turn {state.turn}: the whole log so far", "bold underline")
            show(self.query_one("#log", Static), Text("\n").join([heading, *lines[1:]]))

    def position_text(self) -> Text:
        replay, control = self.replay, self.control
        stops = replay.stops(control)
        count = sum(1 for p in stops if p <= replay.position)
        state = replay.state
        text = Text()
        text.append(f" {'event' if control else 'step'} {count} of {len(stops)} ", "reverse")
        text.append(f"  {when(replay.event.ts)}  ")
        text.append(turn_heading(replay.pack, state.turn, state.phase, state.ended), "bold")
        if control:
            from exercise.render.compare import describe_event

            text.append("\n  " + describe_event(replay.event, state, replay.pack), "italic")
        else:
            text.append("\n  ← → step   PgUp PgDn turn   g go to a turn", "dim")
        return text

    def action_step(self, direction: int) -> None:
        if self.replay.step(direction, self.control):
            self.redraw()
        else:
            self.notify("The end of the session" if direction > 0 else "The start of the session")

    def action_turn(self, direction: int) -> None:
        if self.replay.turn_step(direction):
            self.redraw()

    def action_first(self) -> None:
        self.replay.seek(1)
        self.redraw()

    def action_last(self) -> None:
        self.replay.seek(len(self.replay.events))
        self.redraw()

    def action_more(self) -> None:
        self.query_one(FeedView).limit += 100
        self.redraw()

    def action_go_to_turn(self) -> None:
        def chosen(turn: int | None) -> None:
            if turn is not None and self.replay.go_to_turn(turn):
                self.redraw()

        self.app.push_screen(TurnDialog(self.replay.turns), chosen)


class ReplayApp(ViewingApp):
    """Replays one session, public by default; ``control`` asks for the control PIN."""

    TITLE = "exercise replay"
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="replay.quit", priority=True),
    ]

    def __init__(self, replay: Replay, *, control: bool = False) -> None:
        super().__init__()
        self.session = replay  # what the Board's widgets read (state, pack)
        self.control = False
        self.wants_control = control

    def shown(self) -> Replay:
        return self.session

    def now(self) -> dt.datetime:
        """The replay's "now": the time of the event last shown (for the timer)."""
        return self.session.event.ts

    def on_mount(self) -> None:
        self.sub_title = self.session.state.setup.name or self.session.pack.manifest.title
        self.push_screen(ReplayScreen())
        if not self.wants_control:
            return
        if not self.session.has_pin("control"):
            self.unlock(True)
            return
        from exercise.ui.dialogs.pin import PinDialog

        self.push_screen(PinDialog("control", "Control replay"), self.unlock)

    def unlock(self, ok: bool | None) -> None:
        if not ok:
            self.notify(
                "Without the control PIN the replay shows the public Board only", severity="warning"
            )
            return
        self.control = True
        self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ReplayScreen):
                screen.redraw()
