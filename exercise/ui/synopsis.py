"""What the room saw in a turn, in one line: from public facts only (safe to project)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise.engine import ExerciseState
    from exercise.pack.models import Pack


def turn_synopsis(state: ExerciseState, pack: Pack, turn: int) -> str:
    """'2 injects · 3 moves: 2 accepted, 1 rejected · Regional tension 3 → 5 (crisis)'.

    Reads public injects, public moves and their rulings, and the tracks, which the
    Board shows anyway; never a secret move or a private inject.
    """
    injects = sum(1 for i in state.released() if i.is_public and i.turn_released == turn)
    moves = [m for m in state.moves if m.turn == turn and not m.secret]
    outcomes = Counter(m.ruling.outcome for m in moves if m.ruling is not None)
    parts = [f"{injects} inject{'s' if injects != 1 else ''}"]
    move_part = f"{len(moves)} move{'s' if len(moves) != 1 else ''}"
    if outcomes:
        move_part += ": " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
    parts.append(move_part)
    for track in state.tracks.values():
        before = track.history.get(turn - 1, track.history.get(0))
        after = track.history.get(turn)
        if before is None or after is None or before == after:
            continue
        definition = pack.tracks_by_id.get(track.track_id)
        level = definition.level_at(after) if definition is not None else ""
        parts.append(f"{track.name} {before} → {after}" + (f" ({level})" if level else ""))
    return " · ".join(parts)
