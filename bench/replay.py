"""Benchmark replay and what-if comparison on a large synthetic session.

Uses the 20,000-event session of ``bench/report.py`` (50 roles, 200 turns). Times:
opening a replay (the public stops and turn starts, one pass), a step forward, a step
back (a replay from the first event), a jump to a middle turn, and the comparison of the
session with a branch of it taken at the middle turn and played on differently. Last
line: one JSON object.

    python bench/replay.py [--events 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from report import T0, play, synthetic_pack  # noqa: E402

from exercise.engine import Session, SessionSetup  # noqa: E402
from exercise.engine import events as ev  # noqa: E402
from exercise.engine.base import rebuild  # noqa: E402
from exercise.engine.commands import AdvancePhase, EndExercise  # noqa: E402
from exercise.engine.journal import Journal  # noqa: E402
from exercise.engine.replay import Replay  # noqa: E402
from exercise.render.compare import Side, build_comparison  # noqa: E402

if TYPE_CHECKING:
    from exercise.engine.events import Event
    from exercise.pack.models import Pack


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()

    pack = synthetic_pack()
    setup = SessionSetup(players={r.id: f"Player {r.short_name}" for r in pack.roles}, seed=3)
    session = Session.memory(pack, setup, now=T0)
    play(session, args.events)
    events = list(session.state.events)

    open_s, forward_s, back_s, turn_s, middle = time_replay(pack, events)
    branch = branch_at(session, events, middle)
    a = Side("original", Path("original.session"), {}, session.state, pack)
    b = Side("branch", Path("branch.session"), {}, branch.state, pack)
    b.meta = {
        "branched_from": json.dumps(
            {"session": str(Path("original.session").resolve()), "turn": middle}
        )
    }
    t = time.perf_counter()
    build_comparison(a, b, generated=T0)
    compare_s = time.perf_counter() - t

    result = {
        "events": len(events),
        "open_s": round(open_s, 3),
        "step_forward_s": round(forward_s, 4),
        "step_back_s": round(back_s, 3),
        "go_to_turn_s": round(turn_s, 3),
        "compare_s": round(compare_s, 3),
    }
    print(
        f"replay of {len(events)} events: open {open_s:.2f} s, step forward "
        f"{forward_s * 1000:.1f} ms, step back {back_s * 1000:.0f} ms, go to turn "
        f"{turn_s * 1000:.0f} ms; comparison with a branch {compare_s:.2f} s"
    )
    print(json.dumps(result))
    return 0


def time_replay(pack: Pack, events: list[Event]) -> tuple[float, float, float, float, int]:
    """Seconds to open a replay, step forward and back in the middle, and go to the
    middle turn; and that turn."""
    t = time.perf_counter()
    replay = Replay(pack, events)
    open_s = time.perf_counter() - t
    replay.seek(len(events) // 2)
    t = time.perf_counter()
    replay.step(1, control=False)
    forward_s = time.perf_counter() - t
    t = time.perf_counter()
    replay.step(-1, control=False)
    back_s = time.perf_counter() - t
    middle = replay.turns[len(replay.turns) // 2]
    t = time.perf_counter()
    replay.go_to_turn(middle)
    turn_s = time.perf_counter() - t
    return open_s, forward_s, back_s, turn_s, middle


def branch_at(session: Session, events: list[Event], middle: int) -> Session:
    """A branch at the start of turn ``middle``, played on to the end without moves."""
    pack = session.pack
    cut = (
        next(
            i
            for i, e in enumerate(events)
            if e.type == ev.TURN_STARTED and e.body["turn"] == middle
        )
        + 1
    )
    rows = [(e.seq, e.ts.isoformat(), e.actor, e.type, json.dumps(e.body)) for e in events[:cut]]
    journal = Journal.memory(dict(session.journal.meta), rows)
    branch = Session(journal, pack, rebuild(pack, journal))
    now = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    while not branch.state.ended:
        more = branch.state.turn < pack.manifest.turns
        branch.execute(AdvancePhase() if more else EndExercise(), now=now)
    return branch


if __name__ == "__main__":
    raise SystemExit(main())
