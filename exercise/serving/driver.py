"""Textual's web driver, waking once a second instead of ten times when nobody types.

The web driver's input thread returns from ``select`` every 0.1 s to flush a lone Escape
and to notice the exit; across fifty idle tabs those wake-ups are most of what the tabs
cost. Here the short timeout is kept only while input is arriving (so Escape still lands
within 0.1 s); an idle tab waits up to ``IDLE_TIMEOUT`` seconds.
"""

from __future__ import annotations

import os
import selectors
import sys
from collections.abc import Iterator
from typing import Any

if sys.platform == "win32":  # pragma: no cover - as Textual chooses its reader
    from textual.drivers._input_reader_windows import InputReader
else:
    from textual.drivers._input_reader_linux import InputReader
from textual.drivers.web_driver import WebDriver

IDLE_TIMEOUT = 1.0
PATH = "exercise.serving.driver:QuietWebDriver"


class QuietInputReader(InputReader):
    def __iter__(self) -> Iterator[bytes]:
        fileno = self._fileno
        exit_set = self._exit_event.is_set
        timeout = self.timeout
        while not exit_set():
            got = False
            for _key, events in self._selector.select(timeout):
                if events & selectors.EVENT_READ:
                    data = os.read(fileno, 1024)
                    if not data:
                        return
                    got = True
                    yield data
            timeout = self.timeout if got else IDLE_TIMEOUT
            yield b""


class QuietWebDriver(WebDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual picks its reader by a platform flag the type checker cannot follow, so
        # it sees the Windows reader's type here.
        self._input_reader = QuietInputReader()  # type: ignore[assignment]
