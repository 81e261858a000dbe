"""The observer's note: a critical task, a rating, what it is about, and the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exercise.engine.channels_state import OBSERVER_PREFIX
from exercise.engine.commands import ObserverNote
from exercise.ui.base import session_app
from exercise.ui.dialogs.form import Field, FormDialog
from exercise.ui.format import role_short
from exercise.vocab import Rating

if TYPE_CHECKING:
    from textual.dom import DOMNode

MAX_LABEL = 60
RATINGS_OFFERED = [(f"{rating} — {rating.label}", rating) for rating in Rating]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def about_options(node: DOMNode, viewer: str) -> list[tuple[str, str]]:
    """Moves, released injects and messages the observer can see, newest first (the
    form shows every prompt as plain text: moves and messages are typed by people)."""
    from exercise.engine.channels_state import messages_for

    session = session_app(node).session
    assert session is not None
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
        for m in reversed(messages_for(state, viewer))
    ]
    return options


def observation_dialog(node: DOMNode, observer: str) -> FormDialog:
    """The observer's note form; ``node`` is the observer's screen."""
    app = session_app(node)
    assert app.session is not None
    pack = app.session.pack
    objectives = pack.objectives_by_id
    tasks = [
        (f"{_short(objectives[t.objective].title)} — {t.title}", t.id)
        for t in pack.manifest.critical_tasks
        if t.objective in objectives
    ]
    fields = [
        Field("task", "Critical task", "select", options=tasks),
        Field("rating", "Rating", "select", options=RATINGS_OFFERED),
        Field(
            "about",
            "About (optional)",
            "select",
            options=about_options(node, OBSERVER_PREFIX + observer),
        ),
        Field("text", "Observation", "text"),
    ]

    def submit(v: dict[str, str]) -> bool:
        about_kind, _, about_id = v["about"].partition(":")
        note = ObserverNote(
            observer,
            v["text"],
            task=v["task"] or None,
            rating=Rating(v["rating"]) if v["rating"] else None,
            move=about_id if about_kind == "move" else None,
            inject=about_id if about_kind == "inject" else None,
            message=about_id if about_kind == "message" else None,
        )
        if app.act(note) is None:
            return False
        app.notify("Observation recorded")
        return True

    return FormDialog("Observation", fields, submit, ok="Record")
