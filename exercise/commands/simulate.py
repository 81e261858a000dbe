"""``exercise simulate``: play a whole exercise from a script into a session file."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.engine.script import DEFAULT_START, load_script, plan, run_steps, setup_for
from exercise.engine.session import Session
from exercise.engine.store import resolve_session
from exercise.outputs import cannot_write
from exercise.problems import UserError
from exercise.vocab import InjectStatus, ReleaseCause

REHEARSAL = "rehearsal.yaml"


def script_path(pack_dir: Path, arg: str | None) -> tuple[Path, str]:
    """The script to play and how to name it in messages: --script, or the pack's own."""
    if arg:
        return Path(arg), arg
    path = pack_dir / REHEARSAL
    if not path.is_file():
        raise UserError(f"the pack in {pack_dir} has no {REHEARSAL}: give a script with --script")
    if not path.resolve().is_relative_to(pack_dir.resolve()):
        raise UserError(f"{path}: file points outside the pack")
    return path, str(path)


def run(args: argparse.Namespace) -> int:
    from exercise.pack.loader import require_pack

    if args.resume:
        return resume(args)
    pack = require_pack(pack_root(args.pack))
    path, shown = script_path(pack.root, args.script)
    loaded = load_script(path, shown)
    steps = plan(loaded, pack)
    out = resolve_session(args.session)
    start = steps[0].now if steps else DEFAULT_START
    session = Session.create(out, pack, setup_for(loaded, pack, args.seed), now=start)
    try:
        run_steps(session, steps, loaded)
    except BaseException as exc:
        session.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(out) + suffix).unlink(missing_ok=True)
        if isinstance(exc, (OSError, sqlite3.Error)):  # a full disk half-way through
            raise cannot_write(out, exc) from None
        raise
    with session:
        print_summary(session)
        print(f"session saved to {out}")
        print(f"next: exercise session info {out}   |   exercise report {out}")
    return 0


def print_summary(session: Session) -> None:
    state = session.state
    released = state.released()
    conditional = sum(1 for i in released if i.cause == ReleaseCause.CONDITION)
    adhoc = sum(1 for i in released if i.adhoc)
    held = sum(1 for i in state.injects.values() if i.status == InjectStatus.HELD)
    skipped = sum(1 for i in state.injects.values() if i.status == InjectStatus.SKIPPED)
    methods: dict[str, int] = {}
    for move in state.moves:
        if move.ruling:
            methods[move.ruling.method] = methods.get(move.ruling.method, 0) + 1
    ending = "ended" if state.ended else f"stopped in turn {state.turn} ({state.phase})"
    print(f"played {state.turn} turns of {session.pack.manifest.title}: {ending}")
    print(
        f"injects: {len(released)} released ({conditional} on conditions, {adhoc} ad hoc), "
        f"{held} held, {skipped} skipped"
    )
    print(
        f"moves: {len(state.moves)}; rulings: "
        + (", ".join(f"{n} {m}" for m, n in sorted(methods.items())) or "none")
    )
    print(
        "tracks: "
        + ", ".join(f"{t.name} {t.value} ({t.level or '-'})" for t in state.tracks.values())
    )
    print(
        f"notes: {len(state.observations)} observations, {len(state.hotwash)} hotwash "
        f"entries, {len(state.improvements)} improvement items; {state.last_seq} events"
    )


def resume(args: argparse.Namespace) -> int:
    """Continue an existing session (a branch) with a script starting where it stands."""
    from exercise.engine.script import ResumeFrom
    from exercise.pack.loader import require_pack

    if args.seed is not None:
        raise UserError("--seed applies to new sessions; a resumed session keeps its own seed")
    path = resolve_session(args.resume)
    if not path.is_file():
        raise UserError(f"no session at {path} (give a session name or a path to a .session file)")
    session = Session.open(path, require_pack(args.pack) if args.pack else None)
    with session:
        if session.state.ended:
            raise UserError(f"the session at {path} has ended: there is nothing to continue")
        script, shown = script_path(session.pack.root, args.script)
        loaded = load_script(script, shown)
        steps = plan(loaded, session.pack, ResumeFrom.of(session.state))
        before = session.state.last_seq
        run_steps(_probe(session), steps, loaded)  # a refusal stops here, nothing written
        run_steps(session, steps, loaded)  # every step is committed as it is played
        print_summary(session)
        print(f"continued {path}: {session.state.last_seq - before} events added")
        print(f"next: exercise report {path}")
    return 0


def _probe(session: Session) -> Session:
    """An in-memory copy of ``session``, to play the script through before the real one."""
    from exercise.engine.base import rebuild
    from exercise.engine.journal import Journal

    journal = Journal.memory(dict(session.journal.meta), session.journal.raw_rows())
    return Session(journal, session.pack, rebuild(session.pack, journal))
