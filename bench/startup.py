"""How fast the app starts, and how fast it answers a control action in a long session.

1. In a real pseudo-terminal, the time from process start to the first frame of
   ``exercise run`` (bundled pack) and of a bare Textual app showing one Label, each
   run at least 5 times (interleaved), medians compared (target: ratio <= 1.5).
2. Under Pilot, with a 20,000-event session loaded, the median time from a control
   action (release an inject, record a ruling) to the updated screen (target <= 50 ms).

    python bench/startup.py [--runs 7] [--events 20000]

Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from exercise.engine.commands import (
    AdjustTrack,
    AdvancePhase,
    Observe,
    RecordMove,
    Rule,
    StartExercise,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Label\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Label('exercise · tabletop crisis exercises at one terminal')\n"
    "Bare().run()\n"
)
MARKER = b"tabletop crisis exercises"  # the title: on the first frame of both apps
READY = b" roles, "  # the start form, after the bundled pack has loaded and validated
T0 = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


def first_frame(
    argv: list[str], env: dict[str, str], timeout: float = 20.0, marker: bytes = MARKER
) -> float:
    """Seconds from spawning ``argv`` in a pty until ``marker`` is drawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = (seen + chunk)[-200_000:]
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    return elapsed


def startup(runs: int) -> tuple[float, float, float]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "PYTHONPATH": str(ROOT),
        "EXERCISE_DATA_DIR": tempfile.mkdtemp(),
    }
    env.pop("TEXTUAL", None)
    app_times, bare_times, ready_times = [], [], []
    app = [sys.executable, "-m", "exercise", "run"]
    first_frame([sys.executable, "-c", BARE], env)  # warm the file cache once
    for _ in range(runs):
        app_times.append(first_frame(app, env))
        bare_times.append(first_frame([sys.executable, "-c", BARE], env))
        ready_times.append(first_frame(app, env, marker=READY))
    print("app first frame (s): " + " ".join(f"{t:.3f}" for t in app_times))
    print("bare first frame (s): " + " ".join(f"{t:.3f}" for t in bare_times))
    print(
        "app start form complete, bundled pack loaded (s): "
        + " ".join(f"{t:.3f}" for t in ready_times)
    )
    return (
        statistics.median(app_times),
        statistics.median(bare_times),
        statistics.median(ready_times),
    )


# ---------------------------------------------------------------------- long session


def build_session(path: Path, events: int):
    """A session with ``events`` journal events: moves, rulings, notes and track changes
    over the pack's turns, ending in the moves phase of the last turn."""
    from exercise.engine import Session, SessionSetup
    from exercise.pack.loader import require_pack
    from exercise.paths import bundled_pack

    pack_root = bundled_pack()
    if not any((pack_root / "roles").glob("*.yaml")):
        pack_root = ROOT / "tests" / "data" / "mini-pack"  # until the bundled roles exist
    pack = require_pack(pack_root)
    roles = [r.id for r in pack.roles]
    tracks = [t.id for t in pack.manifest.tracks]
    clock = [T0]

    def now() -> dt.datetime:
        clock[0] += dt.timedelta(seconds=1)
        return clock[0]

    session = Session.create(
        path, pack, SessionSetup(players={r: r for r in roles}, seed=3), now=now()
    )
    session.execute(StartExercise(), now=now())
    turns = pack.manifest.turns
    per_turn = max(1, events // turns)
    n = 0
    while True:
        for _ in range(2):
            session.execute(AdvancePhase(), now=now())  # deliberation, moves
        last = session.state.turn == turns
        start_seq = session.state.last_seq
        budget = per_turn if not last else max(0, events - session.state.last_seq - 20)
        while session.state.last_seq - start_seq < budget:
            role = roles[n % len(roles)]
            move = session.execute(
                RecordMove(role, "statement", f"Move {n} by {role}.", secret=n % 5 == 0), now=now()
            ).created_id
            if n % 3 == 0:
                session.execute(Observe(f"Observation {n}"), now=now())
            if n % 7 == 0 and tracks:
                session.execute(
                    AdjustTrack(tracks[n % len(tracks)], 1 if n % 2 else -1, "bench"), now=now()
                )
            if not last or n % 4:
                session.execute(Rule(move, "accepted", f"Ruling {n}"), now=now())
            n += 1
        if last:
            break
        for _ in range(3):
            session.execute(AdvancePhase(), now=now())  # adjudication, consequences, next turn
    for i in range(10):  # moves left to rule in the benchmark
        session.execute(RecordMove(roles[i % len(roles)], "statement", f"Open move {i}"), now=now())
    return session, clock[0]


async def next_frame(app, frames: list[float], start: float) -> float:
    """Seconds from ``start`` until the compositor hands the next frame to the display."""
    seen = len(frames)
    deadline = start + 5
    while len(frames) == seen and time.perf_counter() < deadline:
        await asyncio.sleep(0.0005)
    return frames[seen] - start if len(frames) > seen else float("nan")


async def action_times(path: Path, clock_now: dt.datetime, repeats: int) -> list[float]:
    """Time from a control action to the frame that shows its result (Pilot pauses are
    not timed: they wait for the process to go idle, which is not the screen update)."""
    from exercise.ui.app import ExerciseApp
    from exercise.ui.dialogs.adjudicate import AdjudicateDialog

    app = ExerciseApp(resume=str(path), clock=lambda: clock_now, poll_seconds=3600)
    frames: list[float] = []
    display = app._display

    def recording_display(screen, renderable):  # every frame the compositor produces
        if renderable is not None:
            frames.append(time.perf_counter())
        return display(screen, renderable)

    app._display = recording_display  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "ControlScreen", type(screen).__name__
        state = app.session.state
        pending = [i.inject_id for i in state.injects.values() if i.status in ("pending", "queued")]
        unruled = [m.id for m in state.moves if m.ruling is None and m.turn == state.turn]
        for k in range(repeats):
            if k < len(pending):  # release an inject
                screen.select_inject(pending[k])
                await pilot.pause()
                screen.action_release()  # asks first: the yes is the action timed
                await pilot.pause()
                confirm = app.screen
                start = time.perf_counter()
                confirm.action_answer(True)  # type: ignore[attr-defined]
                times.append(await next_frame(app, frames, start))
                await pilot.pause()
                assert app.session.state.injects[pending[k]].status == "released"
            if k < len(unruled):  # record a ruling through the adjudication dialog
                screen.select_move(unruled[k])
                await pilot.pause()
                screen.action_adjudicate()
                await pilot.pause()
                dialog = app.screen
                assert isinstance(dialog, AdjudicateDialog)
                dialog.query_one("#f-narrative").value = "Ruled in the benchmark"
                start = time.perf_counter()
                dialog.action_submit()
                times.append(await next_frame(app, frames, start))
                await pilot.pause()
                assert app.session.state.move(unruled[k]).ruling is not None
                dialog.dismiss(None)
                await pilot.pause()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--actions", type=int, default=10)
    args = parser.parse_args()

    app_s, bare_s, ready_s = startup(max(5, args.runs))
    print(
        f"first frame: app {app_s:.3f} s, bare Textual {bare_s:.3f} s, "
        f"ratio {app_s / bare_s:.2f} (target <= 1.5); start form ready {ready_s:.3f} s"
    )

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXERCISE_DATA_DIR"] = tmp
        built = time.perf_counter()
        session, last = build_session(Path(tmp) / "long.session", args.events)
        events = session.state.last_seq
        session.close()
        print(f"built a {events}-event session in {time.perf_counter() - built:.1f} s")
        times = asyncio.run(action_times(Path(tmp) / "long.session", last, args.actions))
    median_ms = statistics.median(times) * 1000
    print("action to screen (ms): " + " ".join(f"{t * 1000:.1f}" for t in times))
    print(f"median {median_ms:.1f} ms over {len(times)} actions (target <= 50 ms)")
    print(
        json.dumps(
            {
                "app_first_frame_s": round(app_s, 4),
                "bare_first_frame_s": round(bare_s, 4),
                "ratio": round(app_s / bare_s, 3),
                "action_to_screen_ms_median": round(median_ms, 2),
                "app_form_ready_s": round(ready_s, 4),
                "session_events": events,
            }
        )
    )


if __name__ == "__main__":
    main()
