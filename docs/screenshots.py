"""Redraw the README's screenshots (docs/board.svg, docs/board-charts.svg,
docs/control.svg) from a scripted
session of the bundled pack, at 120×40 with a fixed clock.

    python docs/screenshots.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
T0 = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


def build(path: Path) -> dt.datetime:
    """Two turns played, the third in deliberation: queued injects, rulings, a carry."""
    from exercise.engine import Session, SessionSetup
    from exercise.engine.commands import (
        AdvancePhase,
        CarryMoves,
        RecordMove,
        ReleaseInject,
        RollMatrix,
        Rule,
        StartExercise,
    )
    from exercise.pack.loader import require_pack

    pack = require_pack(ROOT)
    clock = [T0]

    def now() -> dt.datetime:
        clock[0] += dt.timedelta(minutes=2)
        return clock[0]

    players = {r.id: f"Player {n + 1}" for n, r in enumerate(pack.roles) if r.played_by == "player"}
    session = Session.create(
        path,
        pack,
        SessionSetup(
            players=players,
            control_roles=[r.id for r in pack.roles if r.id not in players],
            seed=12,
            name="Seminar, 12 March",
        ),
        now=now(),
    )
    roles = list(players)
    for turn in (1, 2, 3):
        session.execute(StartExercise() if turn == 1 else AdvancePhase(), now=now())
        for inj in session.state.queued()[:2]:
            session.execute(ReleaseInject(inj.inject_id), now=now())
        session.execute(AdvancePhase(), now=now())  # deliberation
        if turn == 3:
            break
        session.execute(AdvancePhase(), now=now())  # moves
        ids = []
        for role in roles[:3]:
            text = f"{role.upper()} states its position on the turn-{turn} events."
            made = session.execute(RecordMove(role, "statement", text), now=now())
            assert made is not None and made.created_id is not None
            ids.append(made.created_id)
        steadies = Rule(ids[0], "accepted", "The statement steadies the allies.", {"tension": -1})
        session.execute(steadies, now=now())
        session.execute(RollMatrix(ids[1], 1, 0, "The gamble is called."), now=now())
        session.execute(AdvancePhase(), now=now())  # adjudication
        session.execute(CarryMoves((ids[2],)), now=now())
        session.execute(AdvancePhase(), now=now())  # consequences
    session.close()
    return clock[0] + dt.timedelta(minutes=3)


async def shoot(path: Path, at: dt.datetime) -> None:
    from exercise.ui.app import ExerciseApp

    app = ExerciseApp(resume=str(path), clock=lambda: at, poll_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
        app.save_screenshot("control.svg", str(ROOT / "docs"))
        await pilot.press("f2")
        for _ in range(3):
            await pilot.pause()
        app.save_screenshot("board.svg", str(ROOT / "docs"))
        await pilot.press("c")
        for _ in range(3):
            await pilot.pause()
        app.save_screenshot("board-charts.svg", str(ROOT / "docs"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXERCISE_DATA_DIR"] = tmp
        path = Path(tmp) / "shots.session"
        asyncio.run(shoot(path, build(path)))
    print("wrote docs/board.svg, docs/board-charts.svg and docs/control.svg")


if __name__ == "__main__":
    main()
