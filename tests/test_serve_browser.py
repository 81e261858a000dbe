"""Seats on their own screens, in a real browser: Debian's chromium driven by Playwright.

Three tabs sign in as seats (one through the list, two through their role's URL), one as
the Board, one as Control and one as an observer (through the list, with the observer's
PIN). A move recorded in a seat reaches the Board; a private inject released by Control
reaches its seat and not the other one; two seats exchange messages on their direct
channel, the observer reads them, and the third seat, on its own Messages tab, never
shows them. What a tab shows is read from the terminal output its page receives; the
page loads nothing from elsewhere.

With ``EXERCISE_SCREENSHOTS=DIR`` the test also saves the sign-in screen and a seat there
(the README's pictures come from ``EXERCISE_SCREENSHOTS=docs``).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from serve_support import need, serving

from exercise.engine import Session, SessionSetup
from exercise.engine.channels_state import channels_for
from exercise.engine.commands import AdvancePhase, HoldInject, StartExercise
from exercise.pack.loader import require_pack
from exercise.paths import bundled_pack

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PRIVATE = "t1-intel-track-gap"  # the bundled pack's turn-1 inject for the USA and Japan
MOVE = "BROWSERMOVE9"
ASKED, ANSWERED = "TOKYOASKS7", "BEIJINGANSWERS8"  # the two seats' messages
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")
PINS = {"japan": "1111", "china": "2222", "control": "4242"}
OBSERVER, OBSERVER_PIN = "Dana Evaluator", "5555"


@pytest.fixture
def session_path(tmp_path: Path) -> Path:
    pack = require_pack(bundled_pack())
    now = dt.datetime.now(dt.UTC)
    setup = SessionSetup(
        players={r.id: f"Player {r.short_name}" for r in pack.roles},
        pins=dict(PINS),
        observers={OBSERVER: OBSERVER_PIN},
        name="Browser seats",
    )
    path = tmp_path / "browser.session"
    assert pack.injects_by_id[PRIVATE].audience == ["usa", "japan"]
    with Session.create(path, pack, setup, now=now) as s:
        s.execute(HoldInject(PRIVATE, reason="until the room is ready"), now=now)
        s.execute(StartExercise(), now=now)
        s.execute(AdvancePhase(), now=now)  # deliberation
        s.execute(AdvancePhase(), now=now)  # moves
    return path


class Tab:
    """One browser tab on the served exercise, and the terminal text it has received."""

    def __init__(self, browser, base: str, path: str, requests: list[str]) -> None:
        """Open the page; its app process starts on the server (``opened`` waits for it),
        so several tabs opened one after the other start side by side."""
        self.page = browser.new_page(viewport={"width": 1200, "height": 760})
        self.received: list[str] = []
        self.page.on("request", lambda request: requests.append(request.url))
        self.page.on("websocket", self._watch)
        self.page.goto(base + path)

    def opened(self) -> Tab:
        self.page.wait_for_selector("body.-first-byte", timeout=120_000)
        return self

    def _watch(self, websocket) -> None:
        def received(payload: str | bytes) -> None:
            data = payload.encode() if isinstance(payload, str) else payload
            self.received.append(ANSI.sub("", data.decode("utf-8", "replace")))

        websocket.on("framereceived", received)

    def text(self) -> str:
        return "".join(self.received)

    def wait_for(self, words: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.text():
            assert time.monotonic() < deadline, (
                f"never shown: {words!r} in {' '.join(self.text().split())[-900:]!r}"
            )
            self.page.wait_for_timeout(200)

    def front(self) -> None:
        """Keys go to the tab in front, into its terminal (no click: it would choose)."""
        self.page.bring_to_front()
        self.page.focus("textarea.xterm-helper-textarea")

    def keys(self, *keys: str) -> None:
        self.front()
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(80)

    def type(self, text: str) -> None:
        self.front()
        self.page.keyboard.type(text, delay=40)

    def compose(self, text: str) -> None:
        """From a channel chosen in the list: Tab to the composer, type, Enter. Like a
        person, it looks before typing (a key typed while the focus is still moving can
        reach the list the focus is leaving)."""
        self.keys("Tab")
        self.page.wait_for_timeout(500)
        self.type(text)
        self.keys("Enter")


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def journal(path: Path) -> Session:
    return Session.open(path, require_pack(bundled_pack()))


def channel_keys(path: Path, role: str, channel: str) -> list[str]:
    """From the Messages tab's composer: back to the channel list, then down to ``channel``."""
    with journal(path) as s:
        place = [c.id for c in channels_for(s.state, role)].index(channel)
    return ["Shift+Tab", "Home", *["ArrowDown"] * place]


@pytest.mark.slow
def test_seats_board_and_control_in_a_real_browser(session_path: Path) -> None:
    need(
        importlib.util.find_spec("playwright") is not None, "Playwright", 'pip install -e ".[test]"'
    )
    need(os.path.exists(CHROMIUM), "chromium", "apt-get install chromium")
    need(
        importlib.util.find_spec("textual_serve") is not None,
        "textual-serve",
        'pip install -e ".[serve]"',
    )
    from playwright.sync_api import sync_playwright

    shots = os.environ.get("EXERCISE_SCREENSHOTS")
    requests: list[str] = []
    with serving(session_path) as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            japan = Tab(browser, base, "/", requests)  # signs in through the list
            china = Tab(browser, base, "/china", requests)  # its role's URL asks its PIN
            rok = Tab(browser, base, "/rok", requests)  # no PIN: straight to the seat
            observer = Tab(browser, base, "/", requests)  # through the list, with a PIN
            board = Tab(browser, base, "/board", requests)
            control = Tab(browser, base, "/control", requests)
            for tab in (japan, china, rok, observer, board, control):
                tab.opened()
            japan.wait_for("Sign in", timeout=120)
            japan.page.wait_for_timeout(500)
            if shots:
                japan.page.screenshot(path=str(Path(shots) / "signin.png"))
            japan.keys("ArrowDown", "ArrowDown", "ArrowDown", "Enter")  # Board, China, DPRK
            japan.wait_for("Japan PIN")
            japan.type(PINS["japan"])
            japan.keys("Enter")
            japan.wait_for("SEAT · Japan")

            china.wait_for("Republic of China PIN", timeout=120)
            china.type(PINS["china"])
            china.keys("Enter")
            china.wait_for("SEAT · People's Republic of China")
            rok.wait_for("SEAT · Republic of Korea", timeout=120)
            rok.keys("Control+g")  # on its Messages tab, where a leak would show
            observer.wait_for("Sign in", timeout=120)
            observer.keys("End", "Enter")  # the list ends with the observers
            observer.wait_for(f"{OBSERVER} PIN")
            observer.type(OBSERVER_PIN)
            observer.keys("Enter")
            observer.wait_for(f"OBSERVER · {OBSERVER}")

            board.wait_for("BOARD", timeout=120)
            control.wait_for("Control PIN", timeout=120)
            control.type(PINS["control"])
            control.keys("Enter")
            control.wait_for("CONTROL")

            china.keys("Control+n")
            china.page.wait_for_timeout(500)
            china.type(f"{MOVE} Beijing warns against any new radar.")
            china.keys("Control+s")
            board.wait_for(MOVE, timeout=30)
            with journal(session_path) as s:
                assert [m.role for m in s.state.moves if MOVE in m.text] == ["china"]

            control.keys("r")  # the held private inject is the first one still to come
            control.wait_for(f"Release {PRIVATE}", timeout=30)  # asked first
            control.keys("y")

            def released() -> bool:
                with journal(session_path) as s:
                    return s.state.injects[PRIVATE].status == "released"

            assert wait_until(released, 30)
            mark = require_pack(bundled_pack()).injects_by_id[PRIVATE].title[:30]
            japan.wait_for(mark, timeout=30)
            assert MOVE in china.text() or "Record move" in china.text()

            # Tokyo and Beijing talk on their direct channel; Seoul's seat never shows it
            japan.keys("Control+g", *channel_keys(session_path, "japan", "china+japan"))
            japan.wait_for("China (direct) · China, Japan")  # that channel is open
            japan.compose(ASKED)
            china.wait_for("Messages (1 unread)", timeout=30)
            china.keys("Control+g", *channel_keys(session_path, "china", "china+japan"))
            china.wait_for(ASKED, timeout=30)
            china.compose(ANSWERED)
            japan.wait_for(ANSWERED, timeout=30)
            # the observer reads every channel: from its tab bar to the list, the newest last
            observer.keys("Control+g", "Tab")
            observer.page.wait_for_timeout(500)
            observer.keys("End")
            observer.wait_for(ASKED, timeout=30)
            observer.wait_for(ANSWERED, timeout=30)
            with journal(session_path) as s:
                assert [(m.sender, m.channel, m.text) for m in s.state.messages] == [
                    ("japan", "china+japan", ASKED),
                    ("china", "china+japan", ANSWERED),
                ]
                seoul = channels_for(s.state, "rok")
            # Seoul steps through every channel it has, down to the last one
            rok.keys("Shift+Tab", "Home", *["ArrowDown"] * len(seoul))
            rok.wait_for(f"{seoul[-1].name} · ")  # the last channel's heading
            for words in (ASKED, ANSWERED):
                assert words not in rok.text() and words not in board.text(), words
            # the private inject, released seconds ago: still only in Japan's seat
            assert mark not in china.text() and mark not in board.text()
            if shots:
                japan.page.wait_for_timeout(800)
                japan.page.screenshot(path=str(Path(shots) / "seat.png"))
        finally:
            browser.close()
    outside = [url for url in requests if not url.startswith(base + "/")]
    assert not outside, f"the page loaded from elsewhere: {outside}"
