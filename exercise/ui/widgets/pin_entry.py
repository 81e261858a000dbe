"""A PIN field that counts wrong tries in the session and shows the wait as a countdown.

After three wrong PINs each further try waits longer (1 s, 2 s, 4 s…); the count lives
in the session file, so another process or browser tab shares it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from exercise.ui.base import viewing_app

if TYPE_CHECKING:
    from exercise.engine.pin_guard import PinCheck


@runtime_checkable
class Guarded(Protocol):
    """What holds the PINs: an open Session, or a Replay (read only)."""

    def pin_wait(self, who: str, *, now: dt.datetime) -> float: ...

    def try_pin(self, who: str, pin: str, *, now: dt.datetime) -> PinCheck: ...


class PinEntry(Vertical):
    """``who``'s PIN (a role id, or control); posts ``Unlocked`` once it is right."""

    class Unlocked(Message):
        """The right PIN was given."""

    def __init__(self, who: str, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.who = who
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(password=True, placeholder=self.placeholder, id="pin")
        yield Static("", id="pin-wait")

    def on_mount(self) -> None:
        self.set_interval(0.5, self.tick)
        self.tick()

    def wait(self) -> float:
        app = viewing_app(self)
        return float(self._guard().pin_wait(self.who, now=app.now()))

    def _guard(self) -> Guarded:
        shown: object = viewing_app(self).shown()  # a Session or a Replay: both guard PINs
        assert isinstance(shown, Guarded), "a PIN is asked only of an open session"
        return shown

    def tick(self) -> None:
        """Show how long until the next try counts."""
        wait = self.wait()
        text = (
            f"Too many wrong PINs: the next try counts in {math.ceil(wait)} s" if wait > 0 else ""
        )
        for label in self.query("#pin-wait").results(Static):  # none once the dialog is going
            if str(label.content) != text:
                label.update(Text(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        check = self._guard().try_pin(self.who, event.value, now=viewing_app(self).now())
        event.input.value = ""
        self.tick()
        if check.ok:
            self.post_message(self.Unlocked())
        elif check.refused:
            self.notify(f"Wait {math.ceil(check.wait)} s before the next try", severity="error")
        else:
            self.notify("Wrong PIN", severity="error")
