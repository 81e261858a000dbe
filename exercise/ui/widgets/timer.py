"""The deliberation timer, drawn from the session's timer state and the app's clock."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exercise.ui.base import viewing_app
from exercise.ui.format import clock_text
from exercise.ui.widgets.show import show
from exercise.vocab import Phase


class DeliberationTimer(Static):
    """Minutes and seconds left; ticks every second but reads the injected clock."""

    def on_mount(self) -> None:
        # Ticks only while the clock runs: an idle screen must not wake every second.
        self._ticker = self.set_interval(1.0, self.redraw, pause=True)
        self.redraw()

    def _ring_once(self, turn: int) -> None:
        """One bell when deliberation runs out, however many views show the timer."""
        app = viewing_app(self)
        if app.bell_rung_for != turn:
            app.bell_rung_for = turn
            app.bell()

    def redraw(self) -> None:
        app = viewing_app(self)
        session = app.shown()
        if session is None:
            return
        state = session.state
        timer = state.timer
        text = Text()
        left = 0.0
        if state.phase != Phase.DELIBERATION:
            text.append("Timer ", "dim")
            text.append(clock_text(timer.length_s if state.phase != Phase.ENDED else 0), "dim")
            self.set_class(False, "-running", "-paused", "-over")
        else:
            left = timer.remaining(app.now())
            over = left <= 0 and not timer.skipped
            label = (
                "SKIPPED"
                if timer.skipped
                else "PAUSED"
                if timer.paused
                else "TIME UP"
                if over
                else "Deliberation"
            )
            if over:
                self._ring_once(state.turn)
            text.append(label + " ")
            text.append(clock_text(left), "bold")
            self.set_class(not timer.paused and left > 0, "-running")
            self.set_class(timer.paused, "-paused")
            self.set_class(left <= 0, "-over")
        show(self, text, layout=False)
        ticker = getattr(self, "_ticker", None)
        if ticker is None:
            return
        if (
            state.phase == Phase.DELIBERATION
            and not timer.paused
            and not timer.skipped
            and left > 0
        ):
            ticker.resume()
        else:
            ticker.pause()
