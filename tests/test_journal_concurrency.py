"""Several processes append to one session at once: nothing lost, duplicated or torn."""

from __future__ import annotations

import subprocess
import sys

from engine_support import ROOT, engine_pack, minutes

from exercise.engine import Session, SessionSetup

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
