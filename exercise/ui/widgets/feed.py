"""A list of feed items (public injects, moves and rulings), newest last.

Drawn as one ``Static`` so a long session redraws in one step; only the latest
``limit`` items are drawn and the first line says how many earlier ones there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from exercise.ui.format import (
    OUTCOME_STYLE,
    inline_markdown,
    role_name,
    role_short,
    ruling_line,
    when,
)
from exercise.ui.synopsis import turn_synopsis
from exercise.ui.widgets.show import show

if TYPE_CHECKING:
    from exercise.engine import ExerciseState, FeedItem
    from exercise.pack.models import Pack


def _moves_then_rulings(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Each ruling right under the move it answers (when that move is in the list)."""
    moves = {item.ref for item in items if item.kind == "move"}
    rulings = {item.ref: item for item in items if item.kind == "ruling" and item.ref in moves}
    ordered: list[FeedItem] = []
    for item in items:
        if item.kind == "ruling" and item.ref in rulings:
            continue
        ordered.append(item)
        if item.kind == "move" and item.ref in rulings:
            ordered.append(rulings[item.ref])
    return ordered


def feed_text(state: ExerciseState, pack: Pack, items: Sequence[FeedItem], limit: int) -> Text:
    text = Text()
    shown = items[-limit:] if limit else items
    if len(items) > len(shown):
        text.append(f"… {len(items) - len(shown)} earlier items (press m for more)\n\n", "dim")
    else:  # the story from its beginning: the opening situation first
        text.append("Opening situation\n", "bold underline")
        text.append_text(inline_markdown(pack.manifest.setting.strip()))
        text.append("\n\n")
    if not items:
        text.append("Nothing released yet.", "dim")
    turn = None
    for item in _moves_then_rulings(shown):
        if item.turn != turn:
            turn = item.turn
            label = pack.manifest.turn_label(turn) if turn else "before the start"
            text.append(f"── Turn {turn} · {label} ──\n", "bold dim")
            if (turn and turn < state.turn) or (turn == state.turn and state.ended):
                text.append(f"In short: {turn_synopsis(state, pack, turn)}\n\n", "italic")
        if item.kind == "inject":
            text.append(f"{when(item.ts)} ", "dim")
            text.append("INJECT ", "bold magenta")
            text.append(item.title, "bold")
            text.append("\n")
            text.append_text(inline_markdown(item.text.strip()))
            text.append("\n\n")
        elif item.kind == "move":
            text.append(f"{when(item.ts)} ", "dim")
            text.append(f"{role_name(pack, item.role)} ", "bold cyan")
            text.append(f"({item.title}) ", "cyan")
            text.append(item.text.strip() + "\n")
        else:
            move = state.move(item.ref)
            text.append("      ↳ ", "dim")
            if item.role:
                text.append(f"{role_short(pack, item.role)}: ", "cyan")
            if move is not None and move.ruling is not None:
                text.append_text(ruling_line(move.ruling))
                if move.ruling.late:
                    text.append(f"  (ruled late, in turn {move.ruling.turn})", "dim")
            else:
                text.append(
                    (item.outcome or "").upper(), OUTCOME_STYLE.get(item.outcome or "", "bold")
                )
            if item.text:
                text.append("\n        " + item.text.strip(), "italic")
            text.append("\n\n")
    return text


class FeedView(Static):
    """Public injects, moves and rulings; ``limit`` caps what is drawn."""

    def __init__(self, limit: int = 60, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.limit = limit

    def show(self, state: ExerciseState, pack: Pack, items: Sequence[FeedItem]) -> None:
        show(self, feed_text(state, pack, items, self.limit))
