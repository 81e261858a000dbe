"""The line at the top of every view: exercise title, turn, in-game date and phase."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exercise.ui.base import viewing_app
from exercise.ui.format import turn_heading
from exercise.ui.widgets.show import show


class StatusBar(Static):
    """Where the exercise is, then its title; ``who`` says whose view this is.

    Lines do not wrap (the bar is two lines high): a long title ends in an ellipsis.
    """

    def __init__(self, who: str = "", *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.who = who

    def redraw(self) -> None:
        session = viewing_app(self).shown()
        if session is None:
            return
        state, pack = session.state, session.pack
        text = Text()
        if self.who:
            text.append(f" {self.who} ", "reverse bold")
            text.append(" ")
        text.append(turn_heading(pack, state.turn, state.phase, state.ended), "bold")
        text.append("\n")
        name = state.setup.name
        if name:  # which session this is, in every view
            text.append(name, "italic")
            text.append(" · ")
        text.append(pack.manifest.title)
        show(self, text, layout=False)
