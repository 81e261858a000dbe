"""Typing as a person types, for the app tests: short text key by key, long text as one
paste (a key press costs about 60 ms under Pilot); moving the focus with Tab, choosing in
lists with the arrows, filling the start form field by field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Select

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


async def focus_on(
    pilot: Pilot, target: str | type[Widget], key: str = "tab", limit: int = 40
) -> None:
    """Press ``key`` (Tab, by default) until the widget with the id ``target`` (or the
    first widget of the type ``target``, such as a tab bar) has the focus."""

    def reached() -> bool:
        if isinstance(target, str):
            return focused_id(pilot) == target
        return isinstance(pilot.app.focused, target)

    for _ in range(limit):
        if reached():
            return
        await pilot.press(key)
    assert reached(), f"{key} never reached {target} (at {pilot.app.focused!r})"


async def pick(pilot: Pilot, values: Sequence[str], value: str) -> None:
    """In the focused Select: Enter opens it, the arrows move from the current value to
    ``value`` (``values`` is the list's order), Enter takes it."""
    select = pilot.app.focused
    assert isinstance(select, Select)
    if select.value == value:
        return
    steps = list(values).index(value) - list(values).index(str(select.value))
    await keys(pilot, "enter", *["down" if steps > 0 else "up"] * abs(steps), "enter")
    assert select.value == value


async def choose_option(pilot: Pilot, value: str) -> None:
    """In the chooser on screen (F4's "Whose seat?"): the down arrow to the option
    ``value`` (a role id, ``observer:o1``), then Enter."""
    options = pilot.app.screen.query_one(OptionList)
    await keys(pilot, *["down"] * options.get_option_index(value), "enter")


async def fill_start_form(
    pilot: Pilot, name: str, players: Mapping[str, str], control_pin: str
) -> None:
    """The new-session form as a facilitator fills it: the session's name, then Tab to
    each player's name (``players``: role id → name) and to the control PIN."""
    assert await until(pilot, lambda: focused_id(pilot) == "name"), "the form never opened"
    await type_text(pilot, name)
    for field in pilot.app.screen.query("#roles Input"):  # in the form's order
        role = (field.id or "").removeprefix("player-")
        if field.id and field.id.startswith("player-") and role in players:
            await focus_on(pilot, field.id)
            await type_text(pilot, players[role])
    await focus_on(pilot, "pin-control")
    await type_text(pilot, control_pin)


async def run_from_palette(pilot: Pilot, query: str) -> None:
    """Ctrl+P, type ``query``, wait for the hits (they are gathered in a worker) until the
    first one holds ``query``, then Enter runs it."""
    from textual.command import CommandPalette

    await keys(pilot, "ctrl+p")
    assert CommandPalette.is_open(pilot.app)
    await type_text(pilot, query)
    hits = pilot.app.screen.query_one(OptionList)

    def first_hit() -> str:
        return str(hits.get_option_at_index(0).prompt) if hits.option_count else ""

    assert await until(pilot, lambda: query in first_hit()), first_hit()
    await keys(pilot, "enter")
    assert await until(pilot, lambda: not CommandPalette.is_open(pilot.app))
