"""``exercise session list|info|export|import|branch|backup``: look after session files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from exercise.engine import transfer
from exercise.engine.errors import SessionError
from exercise.engine.store import list_sessions, resolve_session
from exercise.text import json_escaped
from exercise.vocab import ObservationKind


def run(args: argparse.Namespace) -> int:
    action = args.session_command
    if action == "list":
        return _list()
    if action == "info":
        return _info(resolve_session(args.session))
    if action == "export" and args.out == "-":
        for line in transfer.export_lines(resolve_session(args.session)):
            print(json_escaped(line))  # data for a pipe, yet safe on a terminal
        return 0
    if action == "export":
        source = resolve_session(args.session)
        count = transfer.export_session(source, Path(args.out))
        print(f"exported {count} events from {source} to {args.out}")
        return 0
    if action == "import":
        out = resolve_session(args.out)
        count = transfer.import_session(Path(args.file), out)
        print(f"imported {count} events into {out}")
        return 0
    if action == "msel":
        return _played_msel(args)
    if action == "backup":
        source = resolve_session(args.session)
        count = transfer.backup_session(source, Path(args.out))
        print(f"backed up {source} ({count} events) to {args.out}")
        return 0
    if action == "branch":
        source = resolve_session(args.session)
        out = resolve_session(args.out)
        count = transfer.branch_session(source, args.turn, out)
        print(f"branched {source} at the beginning of turn {args.turn} into {out} ({count} events)")
        return 0
    raise SessionError(f"unknown session action {action!r}")


def _played_msel(args: argparse.Namespace) -> int:
    """The played MSEL: each inject's fate, when, why and by whom (a read of the journal)."""
    from exercise.engine import Session
    from exercise.msel.played import played_table
    from exercise.msel.sheet import write_table
    from exercise.pack.loader import require_pack

    path = resolve_session(args.session)
    pack = require_pack(args.pack) if args.pack else None
    try:
        session = Session.open(path, pack)
    except SessionError as exc:
        raise SessionError(f"{exc} (--pack DIR names the pack folder)") from None
    with session:
        table = played_table(session.pack, list(session.journal.events()))
    write_table(table, Path(args.out))
    print(f"wrote {args.out}: {len(table.rows)} injects")
    return 0


def _list() -> int:
    from exercise.engine.store import sessions_dir

    found = list_sessions()
    if not found:
        print(f"no sessions in {sessions_dir()}")
        return 0
    for s in found:
        if s.error:
            print(f"{s.name:30}  (cannot be read: {s.error})")
            continue
        where = "ended" if s.ended else f"turn {s.turn}, {s.phase}"
        print(
            f"{s.name:30}  {s.pack_id:24}  {where:24}  {s.events:6} events  "
            f"last {s.last_activity[:16]}  {s.title}"
        )
    return 0


def _info(path: Path) -> int:
    from exercise.engine import Session

    info = transfer.journal_info(path)
    meta = info.meta
    print(f"session:   {path}")
    print(f"pack:      {meta.get('pack_id', '?')} at {meta.get('pack_path', '?')}")
    print(f"events:    {info.events} ({info.first_ts[:16]} to {info.last_ts[:16]})")
    if meta.get("branched_from"):
        origin = json.loads(meta["branched_from"])
        print(f"branched:  from {origin['session']} at the beginning of turn {origin['turn']}")
    try:
        session = Session.open(path, readonly=True)
    except SessionError as exc:
        print(f"exercise: error: {exc}", file=sys.stderr)
        return 2
    with session:
        state = session.state
        pack = session.pack
        label = pack.manifest.turn_label(state.turn) if state.turn else ""
        where = (
            "ended"
            if state.ended
            else "not started"
            if state.turn == 0
            else f"turn {state.turn} of {pack.manifest.turns} ({label}), {state.phase} phase"
        )
        print(f"name:      {state.setup.name or '-'} (seed {state.setup.seed})")
        print(f"state:     {where}")
        players = ", ".join(f"{role} ({name})" for role, name in state.setup.players.items())
        print(f"players:   {players or '-'}")
        print(f"control:   {', '.join(state.setup.control_roles) or '-'}")
        statuses: dict[str, int] = {}
        for inj in state.injects.values():
            statuses[inj.status] = statuses.get(inj.status, 0) + 1
        adhoc = sum(1 for inj in state.injects.values() if inj.adhoc)
        print(
            "injects:   "
            + ", ".join(f"{n} {k}" for k, n in sorted(statuses.items()))
            + f" ({adhoc} ad hoc)"
        )
        ruled = sum(1 for m in state.moves if m.ruling)
        print(f"moves:     {len(state.moves)} ({ruled} ruled)")
        for track in state.tracks.values():
            print(f"track:     {track.name}: {track.value} ({track.level or '-'})")
        kinds = [o.kind for o in state.observations]
        strengths = kinds.count(ObservationKind.STRENGTH)
        areas = kinds.count(ObservationKind.IMPROVEMENT)
        print(
            f"notes:     {len(kinds)} observations ({strengths} strengths, "
            f"{areas} areas for improvement), {len(state.hotwash)} "
            f"hotwash entries, {len(state.improvements)} improvement items"
        )
    return 0
