"""Several processes append to one session at once: nothing lost, duplicated or torn —
plain writers, and seats served the way ``exercise serve`` serves them, killed mid-write."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

from engine_support import ROOT, engine_pack, minutes
from serve_support import need

from exercise.engine import Session, SessionSetup
from exercise.engine.commands import AdvancePhase, StartExercise

WORKERS = 4
EACH = 500


def test_four_writers_append_two_thousand_events(tmp_path):
    path = tmp_path / "shared.session"
    Session.create(path, engine_pack(), SessionSetup(seed=1), now=minutes(0)).close()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "engine_support.py"),
                "append",
                str(path),
                str(worker),
                str(EACH),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for worker in range(WORKERS)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert out.strip() == "DONE"

    session = Session.open(path, engine_pack())
    events = session.state.events
    assert len(events) == 1 + WORKERS * EACH
    seqs = [e.seq for e in events]
    assert seqs == list(range(1, len(events) + 1))
    texts = [o.text for o in session.state.observations]
    assert len(texts) == len(set(texts)) == WORKERS * EACH
    for worker in range(WORKERS):
        mine = [int(t.split(":")[1]) for t in texts if t.startswith(f"{worker}:")]
        assert mine == list(range(EACH)), "a writer's events are out of order"
    # observation ids were assigned under the lock, so they are unique and in seq order
    assert [o.id for o in session.state.observations] == [
        f"obs-{i}" for i in range(1, WORKERS * EACH + 1)
    ]
    session.close()


SEAT_WRITES = 3  # acknowledged writes per served seat before it is killed
APPEND_UNTIL = [sys.executable, str(ROOT / "tests" / "engine_support.py"), "append-until"]


class Trace:
    """The ``EXERCISE_TRACE`` file the served seats write: which process is which seat
    (``ready seat:<role>``) and each write it acknowledged (``wrote <seq>``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self, what: str) -> list[tuple[int, str]]:
        text = self.path.read_text() if self.path.exists() else ""
        rows = [line.split() for line in text.splitlines()]
        return [(int(pid), value) for kind, pid, value, _ in rows if kind == what]

    def seats(self) -> dict[int, str]:
        return {pid: view.removeprefix("seat:") for pid, view in self.lines("ready")}

    def acked(self, role: str) -> list[int]:
        seats = self.seats()
        return [int(seq) for pid, seq in self.lines("wrote") if seats.get(pid) == role]


async def until(check, what: str, timeout: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"never: {what}"
        await asyncio.sleep(0.05)


def other_writer(path: Path, worker: int, stop: Path) -> subprocess.Popen[str]:
    """A process that appends notes to the session until ``stop`` exists."""
    return subprocess.Popen(
        [*APPEND_UNTIL, str(path), str(worker), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


async def test_served_seats_and_other_writers_lose_nothing_acknowledged(tmp_path, monkeypatch):
    """Two seats served as textual-serve serves them (its AppService, the tab command, the
    web driver, keys as a browser sends them, as fast as they come) post messages and
    record moves while two other processes append; then the seats are killed mid-write.
    Every write a seat acknowledged is in the journal where it was acknowledged, whole
    and once, and so is every other process's."""
    need(
        importlib.util.find_spec("textual_serve") is not None,
        "textual-serve",
        'pip install -e ".[serve]"',
    )
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    from exercise.serving.tab import command

    path = tmp_path / "served.session"
    setup = SessionSetup(players={"usa": "Ann", "rok": "Min"}, seed=1, name="Served")
    with Session.create(path, engine_pack(), setup, now=minutes(0)) as session:
        session.execute(StartExercise(), now=minutes(1))
        session.execute(AdvancePhase(), now=minutes(2))
        session.execute(AdvancePhase(), now=minutes(3))  # moves
    trace = Trace(tmp_path / "trace.txt")
    monkeypatch.setenv("EXERCISE_TRACE", str(trace.path))
    stop = tmp_path / "stop"
    others = [other_writer(path, worker, stop) for worker in range(2)]  # writing all along
    seats: dict[str, AppService] = {}

    async def ignore(_data: object = None) -> None:
        return None

    async def message(i: int) -> None:
        await seats["usa"].send_bytes(f"USA-MESSAGE-{i}\r".encode())

    async def move(i: int) -> None:  # Ctrl+N, the text and Ctrl+S, as fast as keys come
        await seats["rok"].send_bytes(f"\x0eROK-MOVE-{i}\x13".encode())

    async def write(role: str, one) -> None:
        for i in range(SEAT_WRITES):
            await one(i)
            await until(lambda i=i: len(trace.acked(role)) == i + 1, f"{role} wrote {i}", 30)
        await one(SEAT_WRITES)  # in flight when the seat dies

    def writing() -> bool:  # both other writers have committed something already
        with Session.open(path, engine_pack(), readonly=True) as now:
            return {"w0", "w1"} <= {o.author for o in now.state.observations}

    try:
        for role in ("usa", "rok"):
            seats[role] = AppService(
                command(path, role),
                write_bytes=ignore,
                write_str=ignore,
                close=ignore,
                download_manager=DownloadManager(),
            )
            await seats[role].start(100, 30)
        await until(lambda: sorted(trace.seats().values()) == ["rok", "usa"], "two seats")
        await until(writing, "the other writers writing")
        await seats["usa"].send_bytes(b"\x07")  # Ctrl+G: the message composer
        await asyncio.gather(write("usa", message), write("rok", move))
        for pid in trace.seats():
            os.kill(pid, signal.SIGKILL)
    finally:
        stop.touch()
        await asyncio.gather(*(seat.stop() for seat in seats.values()), return_exceptions=True)
        done = [other.communicate(timeout=120) for other in others]
    counts = []
    for other, (out, err) in zip(others, done, strict=True):
        assert other.returncode == 0 and out.startswith("DONE "), err
        counts.append(int(out.split()[1]))
    check_nothing_acknowledged_lost(path, trace, counts)


def check_nothing_acknowledged_lost(path: Path, trace: Trace, counts: list[int]) -> None:
    """Each seat's acknowledged writes where they were acknowledged, whole and once; the
    one in flight at most once; every other writer's notes in order."""
    with Session.open(path, engine_pack()) as survived:
        state = survived.state
        assert [e.seq for e in state.events] == list(range(1, len(state.events) + 1))
        by_seq = {e.seq: e for e in state.events}
        for role, kind, text in (
            ("usa", "message_posted", "USA-MESSAGE-{}"),
            ("rok", "move_recorded", "ROK-MOVE-{}"),
        ):
            acknowledged = trace.acked(role)
            assert len(acknowledged) >= SEAT_WRITES
            for i, seq in enumerate(acknowledged):  # each where it was acknowledged
                event = by_seq[seq]
                assert (event.actor, event.type, event.body["text"]) == (role, kind, text.format(i))
        for written, text in (
            ([m.text for m in state.messages], "USA-MESSAGE-{}"),
            ([m.text for m in state.moves], "ROK-MOVE-{}"),
        ):  # in order, and the one in flight at most once
            assert written[:SEAT_WRITES] == [text.format(i) for i in range(SEAT_WRITES)]
            assert written[SEAT_WRITES:] in ([], [text.format(SEAT_WRITES)])
        notes = [o.text for o in state.observations]
        for worker, count in enumerate(counts):
            assert [n for n in notes if n.startswith(f"{worker}:")] == [
                f"{worker}:{i}" for i in range(count)
            ]
        # the seats' writes fell between the other writers' ones, not before or after
        theirs = [o.seq for o in state.observations]
        seated = trace.acked("usa") + trace.acked("rok")
        assert min(theirs) < min(seated) and max(seated) < max(theirs)
