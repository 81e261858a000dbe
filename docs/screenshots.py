"""Redraw the README's screenshots (docs/board.svg, docs/control.svg) from a scripted
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
        session.start(now=now()) if turn == 1 else session.advance_phase(now=now())
        for inj in session.state.queued()[:2]:
            session.release_inject(inj.inject_id, now=now())
        session.advance_phase(now=now())  # deliberation
        if turn == 3:
            break
        session.advance_phase(now=now())  # moves
        ids = [
            session.record_move(
                role,
                "statement",
                f"{role.upper()} states its position on the turn-{turn} events.",
                now=now(),
            )
            for role in roles[:3]
        ]
        session.rule(
            ids[0],
            "accepted",
            "The statement steadies the allies.",
            effects={"tension": -1},
            now=now(),
        )
        session.roll_matrix(ids[1], 1, 0, "The gamble is called.", now=now())
        session.advance_phase(now=now())  # adjudication
        session.carry_moves([ids[2]], now=now())
        session.advance_phase(now=now())  # consequences
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXERCISE_DATA_DIR"] = tmp
        path = Path(tmp) / "shots.session"
        asyncio.run(shoot(path, build(path)))
    print("wrote docs/board.svg and docs/control.svg")


if __name__ == "__main__":
    main()
