"""Benchmark the session journal and engine on a large synthetic exercise.

50 roles, 5,000 injects (a mix of scheduled and conditional ones), played until the
journal holds 20,000 events. Prints the append cost per event, the time to resume
(open the file and rebuild the state) at 5,000, 10,000 and 20,000 events, the median
time to advance into a new turn (turn start with its releases and condition checks),
and the peak memory. Last line: one JSON object.

    python bench/journal.py [--events 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exercise.engine import Session, SessionSetup
from exercise.engine.commands import (
    AdvancePhase,
    Observe,
    RecordMove,
    RollMatrix,
    Rule,
    StartExercise,
    Vote,
)
from exercise.engine.journal import Journal
from exercise.pack.models import Inject, Manifest, Pack, Role

ROLES = 50
INJECTS = 5_000
TURNS = 100
TAGS = 20
T0 = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


def synthetic_pack() -> Pack:
    manifest = Manifest.model_validate(
        {
            "id": "bench",
            "title": "Benchmark exercise",
            "summary": "Synthetic.",
            "setting": "Synthetic.",
            "start_date": dt.date(2026, 3, 1),
            "turns": TURNS,
            "objectives": [{"id": "obj-1", "title": "Objective"}],
            "tracks": [
                {
                    "id": f"t{i}",
                    "name": f"Track {i}",
                    "min": 0,
                    "max": 100,
                    "initial": 50,
                    "levels": [{"name": "low", "min": 0}, {"name": "high", "min": 60}],
                }
                for i in range(5)
            ],
            "move_tags": [{"id": f"tag{i}", "title": f"Tag {i}"} for i in range(TAGS)],
        }
    )
    roles = [
        Role.model_validate(
            {
                "id": f"r{i:02d}",
                "name": f"Role {i}",
                "short_name": f"R{i}",
                "background": "Synthetic.",
            }
        )
        for i in range(ROLES)
    ]
    per_turn = INJECTS // TURNS
    injects = [Inject.model_validate(_inject(n, n // per_turn + 1)) for n in range(INJECTS)]
    return Pack(
        root=Path("."), manifest=manifest, roles=roles, injects=injects, content_hash="bench"
    )


def _inject(n: int, turn: int) -> dict[str, Any]:
    """Inject number ``n``: two in five scheduled, the others conditional, in turn."""
    data: dict[str, Any] = {
        "id": f"i{n:04d}",
        "kind": "press_report",
        "from": "control",
        "title": f"Inject {n}",
        "body": "Synthetic body text for the benchmark.",
        "effects": {f"t{n % 5}": (n % 3) - 1},
    }
    if n % 5 < 2:
        data["turn"] = turn  # scheduled
        return data
    data["turn"] = {"first": turn, "last": min(TURNS, turn + 2)}
    kind = n % 4
    if kind == 0:
        data["condition"] = {"track": f"t{n % 5}", "op": ">=", "value": 45 + n % 15}
    elif kind == 1:
        data["condition"] = {
            "move": {"role": f"r{n % ROLES:02d}", "tag": f"tag{n % TAGS}", "ruled": ["accepted"]}
        }
    elif kind == 2:
        data["condition"] = {"all": [{"released": f"i{max(0, n - 3):04d}"}, {"chance": 0.5}]}
    else:
        data["condition"] = {
            "any": [{"chance": 0.3}, {"not": {"track": "t0", "op": "<", "value": 30}}]
        }
    return data


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> dt.datetime:
        self.t += dt.timedelta(seconds=5)
        return self.t


def play(session: Session, target: int, turn_times: list[float]) -> float:
    """Play turns until the journal holds ``target`` events; return the seconds spent."""
    now = Clock()
    roles = [r.id for r in session.pack.roles]
    started = time.perf_counter()
    while session.state.last_seq < target and not session.state.ended:
        t = time.perf_counter()
        if session.state.turn == 0:
            session.execute(StartExercise(), now=now())
        else:
            session.execute(AdvancePhase(), now=now())
        turn_times.append(time.perf_counter() - t)
        turn = session.state.turn
        session.execute(AdvancePhase(), now=now())
        session.execute(AdvancePhase(), now=now())
        moves = [
            session.execute(
                RecordMove(
                    role,
                    "statement",
                    f"Move of {role} in turn {turn}",
                    tags=[f"tag{(i + turn) % TAGS}"],
                ),
                now=now(),
            ).created_id
            for i, role in enumerate(roles)
        ]
        session.execute(AdvancePhase(), now=now())
        for i, move in enumerate(moves):
            if i % 3 == 0:
                session.execute(
                    Rule(
                        move,
                        "accepted" if i % 2 else "rejected",
                        "Ruled.",
                        effects={f"t{i % 5}": 1},
                    ),
                    now=now(),
                )
            elif i % 3 == 1:
                session.execute(RollMatrix(move, 1, 0, "Rolled.", {f"t{i % 5}": -1}), now=now())
            else:
                session.execute(Vote(move, 3, 2), now=now())
        session.execute(AdvancePhase(), now=now())
        while session.state.last_seq < min(target, turn * target // TURNS):
            session.execute(Observe("Observed.", kind="strength"), now=now())
        if session.state.last_seq >= target:
            break
    # top up to exactly the target with notes (fills each turn to target/TURNS events)
    while session.state.last_seq < target:
        session.execute(Observe("Observed.", kind="improvement"), now=now())
    return time.perf_counter() - started


def resume_time(path: Path, pack: Pack, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        session = Session.open(path, pack)
        times.append(time.perf_counter() - t)
        session.close()
    return min(times)


def raw_append_ms(session: Session) -> float:
    """Milliseconds per event of the journal's own append, without the engine."""
    t = time.perf_counter()
    for i in range(500):
        session.journal.append(
            T0,
            "control",
            "observation_added",
            {"id": f"x{i}", "text": "raw", "kind": "strength"},
        )
    return (time.perf_counter() - t) / 500 * 1000


def resume_by_events(path: Path, pack: Pack, events: int, total: int) -> dict[str, float]:
    """Seconds to resume copies of the session cut at a quarter, half and all of
    ``total`` events (of the ``events`` it played)."""
    journal = Journal.open(path)
    rows = journal.raw_rows()[:events]
    meta = dict(journal.meta)
    journal.close()
    by_events: dict[str, float] = {}
    for count in (total // 4, total // 2, total):
        copy = path.parent / f"copy-{count}.session"
        Journal.create_copy(copy, meta, rows[:count])
        by_events[str(count)] = round(resume_time(copy, pack), 4)
        gc.collect()
        print(f"resume at {count:>6} events: {by_events[str(count)]:.3f} s")
    return by_events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    total = args.events

    t = time.perf_counter()
    pack = synthetic_pack()
    print(
        f"synthetic pack: {len(pack.roles)} roles, {len(pack.injects)} injects, "
        f"{pack.manifest.turns} turns (built in {time.perf_counter() - t:.2f} s)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "bench.session"
        players = {r.id: r.name for r in pack.roles}
        session = Session.create(path, pack, SessionSetup(players=players, seed=1), now=T0)
        turn_times: list[float] = []
        spent = play(session, total, turn_times)
        events = session.state.last_seq
        append_ms = spent / events * 1000
        print(
            f"played {session.state.turn} turns: {events} events in {spent:.1f} s "
            f"({append_ms:.3f} ms per event, engine and durable commit included)"
        )

        raw_ms = raw_append_ms(session)
        print(f"raw journal append: {raw_ms:.3f} ms per event (synchronous=FULL)")
        session.close()
        del session
        gc.collect()
        by_events = resume_by_events(path, pack, events, total)

    turn_ms = statistics.median(turn_times) * 1000
    print(
        f"turn advance (turn start, releases, conditions, commit): median {turn_ms:.2f} ms "
        f"over {len(turn_times)} turns, max {max(turn_times) * 1000:.2f} ms"
    )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss_mb:.1f} MB")
    result = {
        "events": events,
        "append_ms_per_event": round(append_ms, 4),
        "raw_append_ms_per_event": round(raw_ms, 4),
        "resume_s": by_events[str(total)],
        "turn_advance_ms_median": round(turn_ms, 3),
        "rss_mb": round(rss_mb, 1),
        "resume_s_by_events": by_events,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
