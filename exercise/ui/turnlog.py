"""The log of one turn for Control: every release, move, ruling, track change and note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from exercise.ui.format import audience_label, change_text, role_name, ruling_line, when
from exercise.vocab import InjectStatus

if TYPE_CHECKING:
    from exercise.engine import ExerciseState
    from exercise.pack.models import Pack


def _injects(text: Text, state: ExerciseState, pack: Pack, turn: int) -> None:
    """The turn's releases, then the injects held or skipped in it, with why."""
    for inj in state.released():
        if inj.turn_released == turn:
            text.append(f"{when(inj.released_at)} released {inj.inject_id} ", "magenta")
            text.append(f"({inj.cause}, to {audience_label(pack, inj.audience)}) ", "dim")
            text.append(inj.title + "\n")
    for inj in state.injects.values():
        if (
            inj.status in (InjectStatus.HELD, InjectStatus.SKIPPED)
            and inj.first_turn <= turn <= inj.last_turn
        ):
            text.append(f"      {inj.status} {inj.inject_id}: {inj.reason or '-'}\n", "yellow")


def turn_log(state: ExerciseState, pack: Pack, turn: int) -> Text:
    """Everything that happened in ``turn``, in the order Control needs to retell it."""
    text = Text()
    label = pack.manifest.turn_label(turn) if turn else "before the start"
    text.append(f"Turn {turn} · {label}", "bold underline")
    text.append("  (ctrl+p, 'Turn N' shows another turn)\n\n", "dim")
    _injects(text, state, pack, turn)
    for move in state.moves:
        if move.turn != turn:
            continue
        text.append(
            f"{when(move.ts)} {move.id} {role_name(pack, move.role)} ({move.kind})"
            f"{' SECRET' if move.secret else ''}: ",
            "cyan",
        )
        text.append(move.text.strip() + "\n")
        if move.ruling is not None:
            text.append("      ↳ ")
            text.append_text(ruling_line(move.ruling))
            text.append("\n")
    for track in state.tracks.values():
        for change in track.changes:
            if change.turn == turn:
                shown = change_text(change.delta, change.applied, track.min, track.max)
                text.append(
                    f"      {track.name} {shown} → {change.value} ({change.cause}: {change.ref})\n",
                    "dim",
                )
    for obs in state.observations:
        if obs.turn == turn:
            text.append(f"{when(obs.ts)} {obs.id} [{obs.kind}] {obs.text}\n", "green")
    return text
