"""Typing as a person types, for the app tests: short text key by key, long text as one
paste (a key press costs about 60 ms under Pilot)."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

KEY_NAMES = {
    " ": "space",
    "+": "plus",
    "-": "minus",
    ".": "full_stop",
    ",": "comma",
    ":": "colon",
    "'": "apostrophe",
    "/": "slash",
    "?": "question_mark",
}


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` into whatever has focus."""
    if len(text) > 8:  # one paste, delivered the way a terminal delivers it
        assert pilot.app.focused is not None, "nothing has focus: the text would be lost"
        pilot.app.post_message(events.Paste(text))
        await pilot.pause()
        await pilot.pause()
        return
    await pilot.press(*[KEY_NAMES.get(ch, ch) for ch in text])
    await pilot.pause()


async def keys(pilot: Pilot, *names: str) -> None:
    """Press keys, then wait for the screen to catch up."""
    await pilot.press(*names)
    await pilot.pause()


def focused_id(pilot: Pilot) -> str | None:
    focused = pilot.app.focused
    return focused.id if focused is not None else None


def screen_name(pilot: Pilot) -> str:
    return type(pilot.app.screen).__name__


async def until(pilot: Pilot, predicate, seconds: float = 10.0) -> bool:
    """Let the app run until ``predicate()`` holds: a screen that a worker or a timer
    brings up arrives a few frames later on a busy machine."""
    for _ in range(int(seconds * 20)):
        if predicate():
            return True
        await pilot.pause(0.05)
    return bool(predicate())
