"""Shared helpers for the engine and journal tests (and the crash-test child process)."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

from exercise.engine.commands import Observe

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PACK = ROOT / "tests" / "data" / "engine-pack"
ENGINE_SCRIPT = ENGINE_PACK / "rehearsal.yaml"
T0 = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


@functools.cache
def engine_pack():
    from exercise.pack.loader import require_pack

    return require_pack(ENGINE_PACK)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def play_script_child(session_path: str) -> None:
    """Create or resume ``session_path`` and play the engine rehearsal, acking each step.

    Prints ``ACK <seq>`` after every committed step, so the parent knows which events
    were acknowledged before it kills this process.
    """
    from exercise.engine.script import load_script, plan, resume_point, run_steps, setup_for
    from exercise.engine.session import Session

    pack = engine_pack()
    loaded = load_script(ENGINE_SCRIPT)
    steps = plan(loaded, pack)
    path = Path(session_path)
    if path.exists():
        session = Session.open(path, pack)
        start = resume_point(session, steps, pack, loaded)
    else:
        session = Session.create(path, pack, setup_for(loaded, pack), now=steps[0].now)
        start = 0
    print(f"ACK {session.state.last_seq}", flush=True)

    def ack(index, step):
        print(f"ACK {session.state.last_seq}", flush=True)

    run_steps(session, steps, loaded, start=start, on_step=ack)
    print("DONE", flush=True)


def append_child(session_path: str, worker: int, count: int) -> None:
    """Append ``count`` observations tagged with ``worker`` (the concurrency test)."""
    from exercise.engine.session import Session

    session = Session.open(session_path, engine_pack())
    for i in range(count):
        session.execute(Observe(f"{worker}:{i}", author=f"w{worker}"), now=minutes(i))
    print("DONE", flush=True)


def append_until_child(session_path: str, worker: int, stop: str) -> None:
    """Append observations tagged with ``worker`` until the file ``stop`` exists, then
    print how many (the served-seats test: writers that outlast the seats' writes). A
    short pause between writes, as another terminal writes, not a loop holding the lock."""
    import time

    from exercise.engine.session import Session

    session = Session.open(session_path, engine_pack())
    count = 0
    while not Path(stop).exists():
        session.execute(Observe(f"{worker}:{count}", author=f"w{worker}"), now=minutes(count))
        count += 1
        time.sleep(0.005)
    print(f"DONE {count}", flush=True)


if __name__ == "__main__":
    command = sys.argv[1]
    sys.path.insert(0, str(ROOT))
    if command == "play":
        play_script_child(sys.argv[2])
    elif command == "append":
        append_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif command == "append-until":
        append_until_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
