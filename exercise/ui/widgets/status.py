"""The line at the top of every view: exercise title, turn, in-game date and phase."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exercise.ui.format import turn_heading
from exercise.ui.widgets.show import show


class StatusBar(Static):
    """Title and where the exercise is; ``who`` says whose view this is."""

    def __init__(self, who: str = "", **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.who = who

    def redraw(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        if session is None:
            return
        state, pack = session.state, session.pack
        text = Text()
        if self.who:
            text.append(f" {self.who} ", "reverse bold")
            text.append(" ")
        text.append(pack.manifest.title, "bold")
        text.append("\n")
        text.append(turn_heading(pack, state.turn, state.phase, state.ended))
        show(self, text, layout=False)
