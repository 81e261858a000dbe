"""Many seats on one session: how fast a write reaches them, and what idle seats cost.

For each N, starts N seat processes on one session of the bundled pack exactly as
``exercise serve`` has textual-serve start them (textual-serve's own ``AppService``, the
same command, the web driver, pipes), each going straight to a role's seat (the roles in
turn; the session has no PINs). Then:

1. idle: the CPU time of every seat process over ``--idle`` seconds (default 60) after
   start-up, and its resident memory (VmRSS);
2. propagation: a driver in this process records moves (public and secret) and releases
   injects (public and private) ``--writes`` times; every seat process notes when its
   state has the write (``EXERCISE_TRACE``); the times from commit to each process's
   update give p50 and p95.

Targets at 50 seats on a 2-core machine: p95 <= 1.0 s, <= 70 MB and <= 0.3 % of a core
per idle seat.

    python bench/seats.py [--seats 10 25 50 100] [--idle 60] [--writes 12]

Last line: one JSON object (the figures at 50 seats, and ``by_seats`` for every N).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from exercise.engine.commands import AddAdhocInject, AdvancePhase, RecordMove, StartExercise

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def build_session(path: Path):
    """A session of the bundled pack in the moves phase of turn 1, every role played."""
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack
    from exercise.paths import bundled_pack

    pack = require_pack(bundled_pack())
    roles = [r.id for r in pack.roles]
    session = Session.create(
        path,
        pack,
        SessionSetup(players={r: r for r in roles}, seed=5, name="Seats bench"),
        now=now(),
    )
    session.execute(StartExercise(), now=now())
    session.execute(AdvancePhase(), now=now())  # deliberation
    session.execute(AdvancePhase(), now=now())  # moves
    return session, roles


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * PAGE_KB / 1024


def read_trace(path: Path) -> list[tuple[str, int, str, float]]:
    rows = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            what, pid, value, stamp = line.split(" ")
            rows.append((what, int(pid), value, float(stamp)))
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_seats(n: int, idle_s: float, writes: int, gap_s: float) -> dict[str, float]:
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    from exercise.serving.tab import command

    folder = Path(tempfile.mkdtemp(prefix="seats-bench-"))
    trace = folder / "trace.txt"
    os.environ["EXERCISE_TRACE"] = str(trace)
    session, roles = build_session(folder / "bench.session")
    downloads = DownloadManager()

    async def ignore(_data: object = None) -> None:
        return None

    services = []
    started = time.time()
    for i in range(n):
        service = AppService(
            command(folder / "bench.session", roles[i % len(roles)]),
            write_bytes=ignore,
            write_str=ignore,
            close=ignore,
            download_manager=downloads,
        )
        await service.start(100, 30)
        services.append(service)
    try:
        pids: list[int] = []
        while time.time() - started < 60 + 6 * n:
            pids = [pid for what, pid, _, _ in read_trace(trace) if what == "ready"]
            if len(pids) >= n:
                break
            await asyncio.sleep(0.5)
        if len(pids) < n:
            raise SystemExit(f"only {len(pids)} of {n} seats started")
        print(f"{n} seats: all started in {time.time() - started:.1f} s", flush=True)
        await asyncio.sleep(5)  # let start-up work (layout, timers) settle

        before = {pid: cpu_seconds(pid) for pid in pids}
        await asyncio.sleep(idle_s)
        idle = [100 * (cpu_seconds(pid) - before[pid]) / idle_s for pid in pids]
        rss = [rss_mb(pid) for pid in pids]

        written: list[tuple[int, float]] = []
        for k in range(writes):
            role = roles[k % len(roles)]
            kind = k % 4
            if kind == 0:
                session.execute(RecordMove(role, "statement", f"Bench move {k}."), now=now())
            elif kind == 1:
                session.execute(
                    AddAdhocInject("press_report", f"Bench public {k}", "Wire text."), now=now()
                )
            elif kind == 2:
                session.execute(
                    AddAdhocInject(
                        "intelligence_report", f"Bench private {k}", "For one role.", [role]
                    ),
                    now=now(),
                )
            else:
                session.execute(
                    RecordMove(role, "deployment", f"Bench secret {k}.", secret=True), now=now()
                )
            written.append((session.state.last_seq, time.time()))
            await asyncio.sleep(gap_s)
        await asyncio.sleep(2)

        seen: dict[int, list[tuple[int, float]]] = {pid: [] for pid in pids}
        for what, pid, value, stamp in read_trace(trace):
            if what == "seen" and pid in seen:
                seen[pid].append((int(value), stamp))
        delays, missed = [], 0
        for seq, at in written:
            for pid in pids:
                first = next((t for s, t in seen[pid] if s >= seq), None)
                if first is None:
                    missed += 1
                else:
                    delays.append(first - at)
    finally:
        await asyncio.gather(*(service.stop() for service in services), return_exceptions=True)
        session.close()
    result = {
        "seats": n,
        "propagation_p50_s": round(statistics.median(delays), 3) if delays else None,
        "propagation_p95_s": round(percentile(delays, 0.95), 3) if delays else None,
        "propagation_max_s": round(max(delays), 3) if delays else None,
        "missed_updates": missed,
        "rss_mb_per_seat": round(statistics.mean(rss), 1),
        "rss_mb_max": round(max(rss), 1),
        "idle_cpu_pct_per_seat": round(statistics.mean(idle), 3),
        "idle_cpu_pct_max": round(max(idle), 3),
    }
    print(
        f"{n} seats: " + ", ".join(f"{k} {v}" for k, v in result.items() if k != "seats"),
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seats", type=int, nargs="+", default=[10, 25, 50, 100])
    parser.add_argument("--idle", type=float, default=60.0, help="idle window in seconds")
    parser.add_argument("--writes", type=int, default=12, help="writes per N")
    parser.add_argument("--gap", type=float, default=1.5, help="seconds between writes")
    args = parser.parse_args()
    by_seats = {}
    for n in args.seats:
        by_seats[str(n)] = asyncio.run(run_seats(n, args.idle, args.writes, args.gap))
    main_n = "50" if "50" in by_seats else str(args.seats[-1])
    figures = {k: v for k, v in by_seats[main_n].items()}
    print(
        json.dumps(
            {
                "seats": figures["seats"],
                "propagation_p50_s": figures["propagation_p50_s"],
                "propagation_p95_s": figures["propagation_p95_s"],
                "rss_mb_per_seat": figures["rss_mb_per_seat"],
                "idle_cpu_pct_per_seat": figures["idle_cpu_pct_per_seat"],
                "idle_window_s": args.idle,
                "by_seats": by_seats,
            }
        )
    )


if __name__ == "__main__":
    main()
