"""``exercise preview``: the timeline a pack would produce, turn by turn, before the day.

Like ``simulate`` it plays the pack's own ``rehearsal.yaml`` unless told otherwise
(``--script FILE``, or ``--no-script`` for the bare timeline where nobody moves).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.commands.simulate import REHEARSAL
from exercise.engine.scheduler import conditional_status
from exercise.engine.script import Step, parse_script, plan, run_steps, setup_for
from exercise.engine.session import Session
from exercise.engine.state import InjectState
from exercise.pack.files import path_is
from exercise.vocab import InjectStatus, ReleaseCause


def _audience(inj: InjectState) -> str:
    return "public" if inj.is_public else "to " + ", ".join(inj.audience)


def _released_line(inj: InjectState) -> str:
    if inj.adhoc:
        why = "ad hoc"
    elif inj.cause == ReleaseCause.CONDITION:
        why = f"fired: {inj.why}"
        if inj.overruled:
            why += f" (its cause was later overruled: {inj.overruled})"
    elif inj.cause == ReleaseCause.CONTROL:
        why = "released by control"
    else:
        why = "scheduled"
    return f"    + {inj.inject_id} [{inj.kind}, {_audience(inj)}] {inj.title} — {why}"


def print_turn(session: Session, turn: int) -> None:
    state = session.state
    manifest = session.pack.manifest
    print(f"Turn {turn} — {manifest.turn_label(turn)}")
    released = [i for i in state.released() if i.turn_released == turn]
    print("  released:" if released else "  released: nothing")
    for inj in released:
        print(_released_line(inj))
    held = [i for i in state.injects.values() if i.status == InjectStatus.HELD]
    for inj in held:
        print(f"  held: {inj.inject_id} {inj.reason}".rstrip())
    for status in conditional_status(state, state.pack):
        if status.status == "waiting":
            ends = "last chance" if status.last_turn == turn else f"until turn {status.last_turn}"
            print(f"  waits: {status.inject_id} ({ends}) — {status.explanation}")
    tracks = ", ".join(f"{t.name} {t.value} ({t.level or '-'})" for t in state.tracks.values())
    print(f"  tracks at turn end: {tracks or '(no tracks)'}")


def script_file(pack_dir: Path, arg: str | None) -> tuple[Path, str] | None:
    """The script to play: --script, else the pack's own rehearsal.yaml if it has one."""
    if arg:
        return Path(arg), arg
    path = pack_dir / REHEARSAL
    return (path, str(path)) if path_is(path, "is_file") else None


def run(args: argparse.Namespace) -> int:
    from exercise.engine.script import load_script
    from exercise.pack.loader import require_pack

    pack = require_pack(pack_root(args.pack))
    script = None if args.no_script else script_file(pack.root, args.script)
    if script is not None:
        loaded = load_script(*script)
    else:
        loaded = parse_script("name: Preview\n", "(no script)")
    steps = plan(loaded, pack)
    session = Session.memory(pack, setup_for(loaded, pack, args.seed), now=steps[0].now)
    print(
        f"{pack.manifest.title}: {pack.manifest.turns} turns, {len(pack.injects)} injects "
        f"(seed {session.state.setup.seed})"
    )
    if script is None:
        print("(no script: nobody moves, so conditions on moves wait; try --script FILE)")
    else:
        print(f"(playing {script[1]}; --no-script for the bare timeline)")

    def on_step(index: int, step: Step) -> None:
        if step.kind == "turn_end":
            print_turn(session, step.turn)

    with session:
        run_steps(session, steps, loaded, on_step=on_step)
        never = [
            s for s in conditional_status(session.state, session.pack) if s.status == "expired"
        ]
        if never:
            print("Never fired: " + ", ".join(s.inject_id for s in never))
    return 0
