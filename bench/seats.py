"""Many seats on one session: how fast a write reaches them, and what idle seats cost.

For each N, starts N seat processes on one session of the bundled pack exactly as
``exercise serve`` has textual-serve start them (textual-serve's own ``AppService``, the
same command, the web driver, pipes), each going straight to a role's seat (the roles in
turn; the session has no PINs). Then:

1. idle: the CPU time of every seat process over ``--idle`` seconds (default 60) after
   start-up, and its resident memory (VmRSS);
2. propagation under message traffic: for ``--traffic`` seconds (default 60) every seat
   posts one message a minute on one of its role's channels (the driver in this process
   posts on its behalf, through the same Session method a seat's composer calls), and
   the driver records moves (public and secret) and releases injects (public and
   private) ``--writes`` times in between; every seat process notes when its state has
   a write (``EXERCISE_TRACE``); the times from commit to each process's update give
   p50 and p95, for all writes and for the messages alone.

Targets at 50 seats on a 2-core machine: p95 <= 1.0 s (with the messages), <= 70 MB and
<= 0.3 % of a core per idle seat.

    python bench/seats.py [--seats 10 25 50 100] [--idle 60] [--writes 12] [--traffic 60]

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual_serve.app_service import AppService

    from exercise.engine import Session

from exercise.engine.commands import (
    AddAdhocInject,
    AdvancePhase,
    PostMessage,
    RecordMove,
    StartExercise,
)

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


def message_plan(n: int, roles: list[str], state: object, traffic_s: float) -> list[tuple]:
    """(second, role, channel) for one message by each of ``n`` seats within
    ``traffic_s`` seconds, evenly spread; seat i plays role i mod the roles, and the
    seats of one role take its channels in turn (declared ones and direct lines)."""
    from exercise.engine.channels_state import channels_for

    plan = []
    for i in range(n):
        role = roles[i % len(roles)]
        mine = channels_for(state, role)  # type: ignore[arg-type]
        channel = mine[(i // len(roles)) % len(mine)].id
        plan.append((traffic_s * (i + 0.5) / n, role, channel))
    return plan


def write_plan(writes: int, traffic_s: float) -> list[float]:
    """The seconds at which the driver's own writes fall, spread over the window."""
    return [traffic_s * (k + 0.25) / writes for k in range(writes)]


def delays_of(
    written: list[tuple[int, float]], seen: dict[int, list[tuple[int, float]]]
) -> tuple[list[float], int]:
    """Time from each write's commit to each process's first state holding it."""
    delays, missed = [], 0
    for seq, at in written:
        for stamps in seen.values():
            first = next((t for s, t in stamps if s >= seq), None)
            if first is None:
                missed += 1
            else:
                delays.append(first - at)
    return delays, missed


def figures(delays: list[float], prefix: str) -> dict[str, float | None]:
    return {
        f"{prefix}p50_s": round(statistics.median(delays), 3) if delays else None,
        f"{prefix}p95_s": round(percentile(delays, 0.95), 3) if delays else None,
        f"{prefix}max_s": round(max(delays), 3) if delays else None,
    }


def bench_write(session: Session, roles: list[str], k: int) -> None:
    """The driver's k-th write: a move, a public inject, a private one, a secret move."""
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
            AddAdhocInject("intelligence_report", f"Bench private {k}", "For one role.", (role,)),
            now=now(),
        )
    else:
        session.execute(
            RecordMove(role, "deployment", f"Bench secret {k}.", secret=True), now=now()
        )


async def start_seats(path: Path, roles: list[str], n: int) -> list[AppService]:
    """N app processes on one session, started exactly as textual-serve starts a tab's."""
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    from exercise.serving.tab import command

    downloads = DownloadManager()

    async def ignore(_data: object = None) -> None:
        return None

    services = []
    for i in range(n):
        service = AppService(
            command(path, roles[i % len(roles)]),
            write_bytes=ignore,
            write_str=ignore,
            close=ignore,
            download_manager=downloads,
        )
        await service.start(100, 30)
        services.append(service)
    return services


async def wait_ready(trace: Path, n: int, started: float) -> list[int]:
    """The pids of the seats once all ``n`` have drawn their first screen."""
    pids: list[int] = []
    while time.time() - started < 60 + 6 * n:
        pids = [pid for what, pid, _, _ in read_trace(trace) if what == "ready"]
        if len(pids) >= n:
            break
        await asyncio.sleep(0.5)
    if len(pids) < n:
        raise SystemExit(f"only {len(pids)} of {n} seats started")
    print(f"{n} seats: all started in {time.time() - started:.1f} s", flush=True)
    return pids


async def drive(
    session: Session, roles: list[str], n: int, writes: int, traffic_s: float
) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """One timeline: every seat's message of the minute, and the driver's writes; returns
    (seq, wall time) of each write and of each message."""
    timeline: list[tuple[float, str, object]] = [
        (at, "write", k) for k, at in enumerate(write_plan(writes, traffic_s))
    ]
    timeline += [
        (at, "message", (i, role, channel))
        for i, (at, role, channel) in enumerate(message_plan(n, roles, session.state, traffic_s))
    ]
    timeline.sort(key=lambda item: item[0])
    written: list[tuple[int, float]] = []
    posted: list[tuple[int, float]] = []
    begun = time.monotonic()
    for at, what, arg in timeline:
        await asyncio.sleep(max(0.0, at - (time.monotonic() - begun)))
        if what == "write":
            bench_write(session, roles, arg)  # type: ignore[arg-type]
            written.append((session.state.last_seq, time.time()))
        else:
            i, role, channel = arg  # type: ignore[misc]
            session.execute(PostMessage(channel, f"Seat {i} writes.", role), now=now())
            posted.append((session.state.last_seq, time.time()))
    await asyncio.sleep(max(0.0, traffic_s - (time.monotonic() - begun)) + 2)
    return written, posted


def seen_by(trace: Path, pids: list[int]) -> dict[int, list[tuple[int, float]]]:
    """For each seat, the (seq, wall time) at which its state held each write."""
    seen: dict[int, list[tuple[int, float]]] = {pid: [] for pid in pids}
    for what, pid, value, stamp in read_trace(trace):
        if what == "seen" and pid in seen:
            seen[pid].append((int(value), stamp))
    return seen


async def run_seats(
    n: int, idle_s: float, writes: int, traffic_s: float
) -> dict[str, float | int | None]:
    folder = Path(tempfile.mkdtemp(prefix="seats-bench-"))
    trace = folder / "trace.txt"
    os.environ["EXERCISE_TRACE"] = str(trace)
    session, roles = build_session(folder / "bench.session")
    started = time.time()
    services = await start_seats(folder / "bench.session", roles, n)
    try:
        pids = await wait_ready(trace, n, started)
        await asyncio.sleep(5)  # let start-up work (layout, timers) settle
        before = {pid: cpu_seconds(pid) for pid in pids}
        await asyncio.sleep(idle_s)
        idle = [100 * (cpu_seconds(pid) - before[pid]) / idle_s for pid in pids]
        rss = [rss_mb(pid) for pid in pids]
        written, posted = await drive(session, roles, n, writes, traffic_s)
        seen = seen_by(trace, pids)
        write_delays, write_missed = delays_of(written, seen)
        message_delays, message_missed = delays_of(posted, seen)
    finally:
        await asyncio.gather(*(service.stop() for service in services), return_exceptions=True)
        session.close()
    result: dict[str, float | int | None] = {
        "seats": n,
        **figures(write_delays + message_delays, "propagation_"),
        "missed_updates": write_missed + message_missed,
        **figures(write_delays, "propagation_moves_injects_"),
        **figures(message_delays, "message_propagation_"),
        "messages_posted": len(posted),
        "messages_per_minute": round(60 * len(posted) / traffic_s, 1),
        "traffic_window_s": traffic_s,
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
    parser.add_argument(
        "--traffic", type=float, default=60.0, help="seconds of message traffic (one per seat)"
    )
    args = parser.parse_args()
    by_seats = {}
    for n in args.seats:
        by_seats[str(n)] = asyncio.run(run_seats(n, args.idle, args.writes, args.traffic))
    main_n = "50" if "50" in by_seats else str(args.seats[-1])
    main_figures = by_seats[main_n]
    print(
        json.dumps(
            {
                "seats": main_figures["seats"],
                "propagation_p50_s": main_figures["propagation_p50_s"],
                "propagation_p95_s": main_figures["propagation_p95_s"],
                "rss_mb_per_seat": main_figures["rss_mb_per_seat"],
                "idle_cpu_pct_per_seat": main_figures["idle_cpu_pct_per_seat"],
                "idle_window_s": args.idle,
                "messages_per_minute": main_figures["messages_per_minute"],
                "message_propagation_p50_s": main_figures["message_propagation_p50_s"],
                "message_propagation_p95_s": main_figures["message_propagation_p95_s"],
                "by_seats": by_seats,
            }
        )
    )


if __name__ == "__main__":
    main()
