"""The privacy tests' session and readers: a session holding private text of every kind
(briefs, private injects, secret moves, a message on every channel, control's and two
observers' notes), and what a view shows of it, read tab by tab and channel by channel.

(No tests here; the privacy test modules import it.)
"""

from __future__ import annotations

import itertools
from pathlib import Path

from keys import focus_on
from test_app_support import prepared_session, press, squash, visible
from textual.widgets import OptionList

from exercise.engine.commands import AddObserver, Observe, ObserverNote, PostMessage


def marker(channel: str) -> str:
    """The text of the message on ``channel``."""
    return f"CHANNEL-MESSAGE-ON-{channel}"


def private_session(path: Path, pack_root: Path) -> Path:
    """``prepared_session`` (a private inject and a secret move per role), plus a message
    on every declared and every direct channel, a control post as an outside voice,
    control's note, and notes by two observers."""
    session, clock = prepared_session(path, pack_root)
    pack = session.pack
    now = clock()
    for channel in pack.manifest.channels:
        session.execute(
            PostMessage(channel.id, marker(channel.id), sender=channel.members[0]), now=now
        )
    if pack.manifest.direct_channels:
        for a, b in itertools.combinations(sorted(r.id for r in pack.roles), 2):
            session.execute(PostMessage(f"{a}+{b}", marker(f"{a}+{b}"), sender=b), now=now)
    if "hotline" in {c.id for c in pack.manifest.channels}:
        session.execute(
            PostMessage(
                "hotline", "VOICE-POST-ON-hotline", sender="control", voice="Xinhua correspondent"
            ),
            now=now,
        )
    session.execute(Observe("CONTROL-NOTE: never for observers"), now=now)
    first = session.execute(AddObserver("First observer"), now=now).created_id
    second = session.execute(AddObserver("Second observer"), now=now).created_id
    session.execute(ObserverNote(first, "FIRST-OBSERVER-NOTE"), now=now)
    session.execute(ObserverNote(second, "SECOND-OBSERVER-NOTE"), now=now)
    session.close()
    return path


async def every_channel(pilot) -> str:
    """Open the Messages tab, Shift+Tab to the channel list and pick every channel in it,
    one after the other; return everything shown on the way (and what every widget
    holds)."""
    app = pilot.app
    await press(pilot, "ctrl+g")
    seen = [squash(visible(app))]
    await focus_on(pilot, "channel-list", "shift+tab")
    options = app.screen.query_one("#channel-list", OptionList)
    await press(pilot, "home")
    for _ in range(options.option_count):
        seen.append(squash(visible(app)))
        await press(pilot, "down")
    return " ".join(seen)


async def palette_shows(pilot, query: str) -> str:
    """What the command palette shows for ``query`` typed into it."""
    await press(pilot, "ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.3)  # the hits are gathered in a worker
    shown = squash(visible(pilot.app))
    await press(pilot, "escape")
    return shown
