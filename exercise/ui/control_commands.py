"""Control's command palette: jump to an inject, a move or a turn, or run an action."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Protocol, runtime_checkable

from exercise.ui.base import SessionApp
from exercise.ui.commands import ListProvider

ACTIONS = [
    ("Next phase / next turn", "next_phase"),
    ("Back one phase", "back_phase"),
    ("Release the selected inject", "release"),
    ("Hold the selected inject", "hold"),
    ("Skip the selected inject", "skip"),
    ("Edit the selected inject", "edit"),
    ("Write an ad-hoc inject", "adhoc"),
    ("Rule on the selected move", "adjudicate"),
    ("Adjust a track", "track"),
    ("Add an observation", "observation"),
    ("Add an improvement-plan item", "improvement"),
    ("Pause or resume the timer", "timer_pause"),
    ("Extend the timer", "timer_extend"),
    ("Skip the timer", "timer_skip"),
    ("End the exercise", "end"),
]


@runtime_checkable
class Jumps(Protocol):
    """What the palette asks of the Control screen (without importing it: no cycle)."""

    def select_inject(self, inject_id: str) -> None: ...

    def select_move(self, move_id: str) -> None: ...

    def show_turn(self, turn: int) -> None: ...


class ControlCommands(ListProvider):
    """Only on the Control screen: nothing here reaches a seat or the Board."""

    def entries(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        app = self.app
        session = app.session if isinstance(app, SessionApp) else None
        if session is None or not isinstance(screen, Jumps):
            return
        for title, action in ACTIONS:
            yield title, "Control action", getattr(screen, f"action_{action}")
        state, manifest = session.state, session.pack.manifest
        for inj in state.injects.values():
            yield (
                f"Inject {inj.inject_id}: {inj.title}",
                f"{inj.status}, turn {inj.first_turn}",
                partial(screen.select_inject, inj.inject_id),
            )
        for move in state.moves[-200:]:
            yield (
                f"Move {move.id} ({move.role}, turn {move.turn})",
                move.text[:60],
                partial(screen.select_move, move.id),
            )
        for turn in range(1, manifest.turns + 1):
            yield (
                f"Turn {turn}: {manifest.turn_label(turn)}",
                "Show the turn's log",
                partial(screen.show_turn, turn),
            )
