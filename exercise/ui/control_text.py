"""The text of Control's detail panes and notes: pure functions of the state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from exercise.ui.format import (
    audience_label,
    effects_text,
    inline_markdown,
    role_name,
    ruling_line,
    sender,
    when,
)
from exercise.vocab import ObservationKind

if TYPE_CHECKING:
    from exercise.engine import ExerciseState
    from exercise.engine.state import MoveState
    from exercise.pack.models import Pack


def inject_detail(state: ExerciseState, pack: Pack, inject_id: str | None, why: str) -> Text:
    """An inject in full: where from, to whom, its status and why, body, expected actions."""
    if inject_id is None:
        return Text("No injects.", "dim")
    inj = state.injects[inject_id]
    text = Text()
    text.append(f"{inj.title}\n", "bold")
    byline = f" · {inj.byline}" if inj.byline else ""
    text.append(
        f"{inj.kind} · from {sender(pack, inj.from_)}{byline}"
        f" · to {audience_label(pack, inj.audience)} · status {inj.status}",
        "dim",
    )
    if inj.effects:
        text.append(f" · effects {effects_text(inj.effects)}", "cyan")
    text.append("\n")
    if inj.conditional or why:
        text.append(f"Why: {why or '-'}\n", "italic yellow")
    text.append("\n")
    text.append_text(inline_markdown(inj.body.strip()))
    text.append("\n")
    definition = pack.injects_by_id.get(inject_id)
    if definition is not None and definition.expected_actions:
        text.append("\nExpected actions:\n", "bold")
        for item in definition.expected_actions:
            text.append(f" • {item}\n")
    if definition is not None and definition.questions:
        text.append("\nQuestions for the players:\n", "bold")
        for item in definition.questions:
            text.append(f" • {item}\n")
    return text


def move_detail(state: ExerciseState, pack: Pack, move_id: str | None, hidden: int) -> Text:
    """A move in full, with its argument, reasons and ruling (or that it waits for one)."""
    if move_id is None:
        if state.ended:
            return Text("The exercise has ended: no move waits for a ruling.", "dim")
        return Text(
            f"No moves in turn {state.turn} yet: players record them from their "
            "seats (F4) in the moves phase.",
            "dim",
        )
    move = state.move(move_id)
    assert move is not None
    text = Text()
    text.append(
        f"{move.id} · turn {move.turn} · {role_name(pack, move.role)} · {move.kind}", "bold"
    )
    if move.secret:
        text.append("  SECRET", "bold red")
    text.append("\n")
    if move.targets:
        text.append("Targets: " + ", ".join(role_name(pack, t) for t in move.targets) + "\n")
    if move.tags:
        text.append("Tags: " + ", ".join(move.tags) + "\n")
    text.append("\n" + move.text.strip() + "\n")
    if move.intent:
        text.append("\nArgument: ", "bold")
        text.append(move.intent + "\n")
    for reason in move.reasons:
        text.append(f" • {reason}\n")
    text.append("\n")
    text.append_text(_ruling_state(state, move))
    if hidden:
        text.append(
            f"\n\n{hidden} earlier ruled moves of this turn are listed in the Log tab (5).", "dim"
        )
    return text


def _ruling_state(state: ExerciseState, move: MoveState) -> Text:
    """The move's ruling, or why it has none and how to give it."""
    text = Text()
    if move.ruling is None:
        if move.left_unruled:
            text.append(f"Left unruled: {move.left_unruled}. ", "dim")
        elif move.carried_to:
            text.append(f"Carried to turn {move.carried_to}. ", "dim")
        late = " (a late ruling: it counts from now on)" if move.turn < state.turn else ""
        text.append(f"Waiting for a ruling{late}: press j (or Enter).", "yellow")
        return text
    text.append_text(ruling_line(move.ruling))
    if move.ruling.late:
        text.append(f"  ruled late, in turn {move.ruling.turn}", "yellow")
    if move.ruling.narrative:
        text.append("\n" + move.ruling.narrative, "italic")
    return text


def notes_text(state: ExerciseState, pack: Pack) -> Text:
    """The latest observations and the whole improvement plan."""
    text = Text()
    text.append("Observations", "bold underline")
    text.append("  (o to add)\n", "dim")
    shown = state.observations[-100:]
    if len(state.observations) > len(shown):
        text.append(f"… {len(state.observations) - len(shown)} earlier\n", "dim")
    for obs in shown:
        style = "green" if obs.kind == ObservationKind.STRENGTH else "yellow"
        text.append(f"{obs.id} T{obs.turn} {when(obs.ts)} ", "dim")
        text.append(f"[{'strength' if obs.kind == 'strength' else 'to improve'}] ", style)
        about = [
            x
            for x in (
                role_name(pack, obs.role) if obs.role else "",
                obs.inject or "",
                obs.objective or "",
            )
            if x
        ]
        if about:
            text.append("(" + ", ".join(about) + ") ", "cyan")
        text.append(obs.text + "\n")
    text.append("\nImprovement plan", "bold underline")
    text.append("  (i to add)\n", "dim")
    for item in state.improvements:
        text.append(f"{item.id} [{item.status}] ", "dim")
        text.append(
            f"{item.action} — {item.owner}, due {item.due.isoformat()} ({item.objective})\n"
        )
    return text
