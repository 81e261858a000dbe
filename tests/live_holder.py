"""A process that holds a session open and writes to it, for tests/test_journal_live.py.

It reads commands from standard input, one per line:
``write`` adds an observation and prints ``ACK <seq>`` once it is committed;
``do ACTION`` runs, inside this process, what a command or an app path does while the
session is open here (list, info, export, report, branch, backup, resume, hotwash) and
prints ``DONE``; ``seq`` prints the last sequence number this process sees.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_support import engine_pack, minutes

from exercise.engine import Session, transfer
from exercise.engine.commands import Observe
from exercise.engine.store import list_sessions


def act(session: Session, action: str, path: Path, scratch: Path) -> None:
    """What the command or app path does in a process that holds the session."""
    if action in ("list", "resume"):
        if action == "resume":  # the start screen opens the session, then lists them all
            Session.open(path, engine_pack()).close()
        list_sessions(path.parent)
    elif action == "info":
        transfer.journal_info(path)
        Session.open(path, engine_pack(), readonly=True).close()
    elif action == "export":
        list(transfer.export_lines(path))
    elif action == "branch":
        transfer.branch_session(path, 1, scratch / "holder-branch.session")
    elif action == "backup":
        transfer.backup_session(path, scratch / "holder-backup.session")
    elif action == "report":
        import contextlib
        import io

        from exercise.cli import main as cli_main

        with contextlib.redirect_stdout(io.StringIO()):
            code = cli_main(["report", str(path), "--out", str(scratch / "holder-report.md")])
        assert code == 0
    elif action == "hotwash":  # what the Hotwash screen does: the service, on the open session
        from exercise.services.reports import ReportRequest, report_context, write_report

        request = ReportRequest(formats=["md"], out=str(scratch / f"holder-{action}.md"))
        context = report_context(
            session.state,
            session.pack,
            request,
            session_name="live",
            now=dt.datetime(2026, 3, 12, tzinfo=dt.UTC),
        )
        write_report(context, session.pack, request, session_stem="live")
    else:
        raise SystemExit(f"unknown action {action}")


def main(path: Path, scratch: Path) -> None:
    session = Session.open(path, engine_pack())
    count = 0
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "write":
            count += 1
            session.execute(Observe(f"holder {count}"), now=minutes(count))
            print(f"ACK {session.state.last_seq}", flush=True)
        elif command == "do":
            act(session, arg, path, scratch)
            print("DONE", flush=True)
        elif command == "seq":
            session.refresh()
            print(f"SEQ {session.state.last_seq}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
