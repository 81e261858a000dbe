"""The observer's note: a critical task, a rating, what it is about, and the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exercise.engine.commands import ObserverNote
from exercise.ui.dialogs.form import Field, FormDialog
from exercise.ui.format import role_short
from exercise.ui.plain import plain_text
from exercise.vocab import Rating

if TYPE_CHECKING:
    from exercise.ui.screens.observer import ObserverScreen

MAX_LABEL = 60


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _safe(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Prompts as Text: moves and messages are typed by people, never markup."""
    return [(plain_text(label), value) for label, value in options]  # type: ignore[misc]


def about_options(screen: ObserverScreen) -> list[tuple[str, str]]:
    """Moves, released injects and messages the observer can see, newest first."""
    from exercise.engine.channels_state import messages_for

    session = screen.app.session  # type: ignore[attr-defined]
    state, pack = session.state, session.pack
    options = [
        (f"Move {m.id} · {role_short(pack, m.role)}: {_short(m.text)}", f"move:{m.id}")
        for m in reversed(state.moves)
    ]
    options += [
        (f"Inject: {_short(i.title)}", f"inject:{i.inject_id}")
        for i in reversed(state.released())
        if i.is_public
    ]
    options += [
        (f"Message {m.id} · {role_short(pack, m.sender)}: {_short(m.text)}", f"message:{m.id}")
        for m in reversed(messages_for(state, screen.viewer))
    ]
    return _safe(options)


def observation_dialog(screen: ObserverScreen) -> FormDialog:
    from exercise.ui.screens.observer import RATINGS

    pack = screen.app.session.pack  # type: ignore[attr-defined]
    objectives = pack.objectives_by_id
    tasks = [
        (f"{_short(objectives[t.objective].title)} — {t.title}", t.id)
        for t in pack.manifest.critical_tasks
        if t.objective in objectives
    ]
    fields = [
        Field("task", "Critical task", "select", options=_safe(tasks)),
        Field("rating", "Rating", "select", options=RATINGS),
        Field("about", "About (optional)", "select", options=about_options(screen)),
        Field("text", "Observation", "text"),
    ]

    def submit(v: dict[str, str]) -> bool:
        about_kind, _, about_id = v["about"].partition(":")
        note = ObserverNote(
            screen.observer,
            v["text"],
            task=v["task"] or None,
            rating=Rating(v["rating"]) if v["rating"] else None,
            move=about_id if about_kind == "move" else None,
            inject=about_id if about_kind == "inject" else None,
            message=about_id if about_kind == "message" else None,
        )
        if screen.app.act(note) is None:  # type: ignore[attr-defined]
            return False
        screen.notify("Observation recorded")
        return True

    return FormDialog("Observation", fields, submit, ok="Record")
