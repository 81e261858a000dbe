"""The ``exercise`` command line: argument parsing and dispatch only.

Each command lives in ``exercise.commands.<name>`` and is imported only when used, so
``exercise --help`` and the app's first frame stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from exercise.problems import ProblemsError, UserError
from exercise.text import printable_output

if TYPE_CHECKING:
    #: The ``exercise`` parser's subcommands, to which each ``_add_*`` adds its own.
    _Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

_OUTPUT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG)
PACK_HELP = "scenario pack folder (default: the bundled Northeast Asia pack)"


def _pack_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", nargs="?", default=None, metavar="PACK", help=PACK_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exercise",
        description="Run tabletop crisis exercises at a terminal: scenario packs, role "
        "briefs, injects, adjudication and after-action reports.",
    )
    parser.add_argument("--version", action="version", version="%(prog)s 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for add in (
        _add_run,
        _add_board,
        _add_serve,
        _add_validate,
        _add_new,
        _add_schema,
        _add_sources,
        _add_briefs,
        _add_simulate,
        _add_preview,
        _add_msel,
        _add_session,
        _add_replay,
        _add_report,
    ):
        add(sub)
    return parser


def _add_run(sub: _Commands) -> None:
    """``run``: the facilitator app (the default command)."""
    p = sub.add_parser("run", help="open the facilitator app (the default command)")
    _pack_arg(p)
    p.add_argument("--resume", metavar="SESSION", help="resume a session (name or path)")
    p.add_argument("--session", metavar="NAME", help="name or path for a new session")
    p.set_defaults(module="run")


def _add_board(sub: _Commands) -> None:
    """``board``: the Board alone, for the projector."""
    p = sub.add_parser("board", help="the Board alone, read-only and live, for the projector")
    p.add_argument("session", nargs="?", metavar="SESSION", help="default: the latest one")
    p.set_defaults(module="board")


def _add_serve(sub: _Commands) -> None:
    """``serve``: the session in browsers."""
    p = sub.add_parser("serve", help="serve the session to browsers: a screen per player")
    p.add_argument("session", metavar="SESSION")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: "
        "127.0.0.1; 0.0.0.0 for the local network, which needs every PIN)",
    )
    p.add_argument("--port", type=int, default=8000, help="default: 8000")
    p.add_argument("--certfile", metavar="FILE", help="TLS certificate (PEM), for HTTPS")
    p.add_argument("--keyfile", metavar="FILE", help="its private key, if not in the certfile")
    p.set_defaults(module="serve")


def _add_validate(sub: _Commands) -> None:
    """``validate``: check a pack."""
    p = sub.add_parser("validate", help="check a pack; print path:line:col problems")
    _pack_arg(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--corpus", metavar="DIR", help="folder of source texts: check every quote")
    p.set_defaults(module="validate")


def _add_new(sub: _Commands) -> None:
    """``new``: a small pack to start from."""
    p = sub.add_parser("new", help="write a small, valid, commented pack to start from")
    p.add_argument("dir", metavar="DIR", help="folder to create (must not exist, or be empty)")
    p.add_argument("--roles", type=int, default=2, metavar="N", help="number of roles (2-8)")
    p.add_argument("--turns", type=int, default=3, metavar="N", help="number of turns")
    p.set_defaults(module="new")


def _add_schema(sub: _Commands) -> None:
    """``schema``: JSON Schema of the pack files, scripts and report."""
    p = sub.add_parser(
        "schema", help="print the JSON Schema of the pack files, scripts or the report"
    )
    p.add_argument(
        "--file",
        choices=["manifest", "role", "injects", "script", "report", "all"],
        default="all",
        help="which file's schema (default: all pack files, as one document with $defs; "
        "report: the report's JSON)",
    )
    p.set_defaults(module="schema")


def _add_sources(sub: _Commands) -> None:
    """``sources check``: quotes against their source texts."""
    p = sub.add_parser("sources", help="check that quotes appear verbatim in their sources")
    sources = p.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    c = sources.add_parser("check", help="check every quote against the source texts")
    _pack_arg(c)
    c.add_argument("--corpus", required=True, metavar="DIR", help="folder of source texts")
    c.set_defaults(module="sources")


def _add_briefs(sub: _Commands) -> None:
    """``briefs``: role briefs and the control brief."""
    p = sub.add_parser("briefs", help="generate role briefs and the control brief")
    _pack_arg(p)
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write briefs to")
    p.add_argument(
        "--format",
        action="append",
        choices=["md", "html", "pdf"],
        metavar="FMT",
        help="md, html or pdf; repeat for several (default: md)",
    )
    p.add_argument("--templates", metavar="DIR", help="override templates, file by file")
    p.add_argument(
        "--start",
        metavar="HH:MM",
        default="09:00",
        help="clock time the session starts, for the control brief's agenda",
    )
    p.set_defaults(module="briefs")


def _add_simulate(sub: _Commands) -> None:
    """``simulate``: a whole exercise, headless, from a script."""
    p = sub.add_parser("simulate", help="play a whole exercise headless from a script")
    _pack_arg(p)
    p.add_argument("--script", metavar="FILE", help="YAML script (default: the pack's rehearsal)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--session", metavar="OUT", help="session to create")
    target.add_argument(
        "--resume", metavar="SESSION", help="continue this session (a branch) where it stands"
    )
    p.add_argument("--seed", type=int, default=None, help="seed for dice and chance")
    p.set_defaults(module="simulate")


def _add_preview(sub: _Commands) -> None:
    """``preview``: the timeline a pack would produce."""
    p = sub.add_parser("preview", help="dry-run the pack: the timeline it would produce")
    _pack_arg(p)
    p.add_argument(
        "--script", metavar="FILE", help="YAML script (default: the pack's rehearsal.yaml)"
    )
    p.add_argument("--no-script", action="store_true", help="the bare timeline: nobody moves")
    p.add_argument("--seed", type=int, default=None, help="seed for chance conditions")
    p.set_defaults(module="preview")


def _add_msel(sub: _Commands) -> None:
    """``msel export`` and ``msel import``: the MSEL as a spreadsheet."""
    p = sub.add_parser("msel", help="the MSEL as a spreadsheet: export injects, import a sheet")
    msel = p.add_subparsers(dest="msel_command", metavar="ACTION", required=True)
    c = msel.add_parser("export", help="write the pack's injects as an .xlsx or .csv sheet")
    _pack_arg(c)
    c.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    c = msel.add_parser("import", help="check a sheet and write its injects as YAML")
    c.add_argument("file", metavar="FILE", help="the sheet: FILE.xlsx or FILE.csv")
    _pack_arg(c)
    c.add_argument(
        "--out",
        metavar="FILE",
        help="injects file to create (default: PACK/injects/<sheet name>.yaml); never replaced",
    )
    p.set_defaults(module="msel")


def _add_session(sub: _Commands) -> None:
    """``session ...``: list, inspect, export, import, branch and back up sessions."""
    p = sub.add_parser("session", help="list, inspect, export, import and branch sessions")
    sessions = p.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    c = sessions.add_parser("list", help="list sessions in the data folder")
    c = sessions.add_parser("info", help="summarise a session")
    c.add_argument("session", metavar="SESSION")
    c = sessions.add_parser("export", help="write a session's journal as JSON lines")
    c.add_argument("session", metavar="SESSION")
    c.add_argument("--out", required=True, metavar="FILE")
    c = sessions.add_parser("import", help="make a session from exported JSON lines")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--out", required=True, metavar="SESSION")
    c = sessions.add_parser("msel", help="write the played MSEL: what happened to each inject")
    c.add_argument("session", metavar="SESSION")
    c.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    c.add_argument("--pack", metavar="DIR", help="the session's pack, if it has moved")
    c = sessions.add_parser("branch", help="start a what-if copy at the beginning of a turn")
    c.add_argument("session", metavar="SESSION")
    c.add_argument("--turn", type=int, required=True, metavar="N")
    c.add_argument("--out", required=True, metavar="NEW")
    c = sessions.add_parser("backup", help="a consistent copy of a session, even while in use")
    c.add_argument("session", metavar="SESSION")
    c.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(module="session")


def _add_replay(sub: _Commands) -> None:
    """``replay``: step through a session on the Board."""
    p = sub.add_parser("replay", help="step through a session on the Board, for the debrief")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("--control", action="store_true", help="show everything (control PIN)")
    p.add_argument("--pack", metavar="DIR", help="the session's pack, if it has moved")
    p.add_argument(
        "--accept-changed-pack",
        action="store_true",
        help="replay with the pack as it is now, although it has changed",
    )
    p.set_defaults(module="replay")


def _add_report(sub: _Commands) -> None:
    """``report``: the after-action report."""
    p = sub.add_parser("report", help="write the after-action report of a session")
    p.add_argument("session", metavar="SESSION")
    p.add_argument(
        "--format",
        action="append",
        choices=["md", "html", "pdf", "json"],
        metavar="FMT",
        help="md, html, pdf or json; repeat for several (default: md)",
    )
    p.add_argument("--out", metavar="FILE", help="output file (or stem, with several formats)")
    p.add_argument("--templates", metavar="DIR", help="override templates, file by file")
    p.add_argument("--anonymise", action="store_true", help="role names only, no control notes")
    p.add_argument(
        "--compare", metavar="OTHER", help="add a what-if comparison with a related session"
    )
    p.add_argument(
        "--pack", metavar="DIR", help="the session's pack, if it has moved since it was played"
    )
    p.add_argument(
        "--accept-changed-pack",
        action="store_true",
        help="report on a session whose pack has changed since it was played",
    )
    p.set_defaults(module="report")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (
        args_list[0].startswith("--") and args_list[0] not in ("--help", "--version")
    ):
        args_list = ["run", *args_list]
    args = parser.parse_args(args_list)
    module = importlib.import_module(f"exercise.commands.{args.module}")
    # pack and journal text is printed without control characters (the app draws its own
    # screen; an export to standard output is data)
    raw = args.module == "run" or getattr(args, "out", None) == "-"
    with contextlib.nullcontext() if raw else printable_output():
        return _run(module, args)


def _run(module: Any, args: argparse.Namespace) -> int:
    try:
        code = int(module.run(args) or 0)
        sys.stdout.flush()  # a full disk under standard output fails here, not at exit
        return code
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"exercise: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` or a pager that quit early: not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # standard output on a full disk or a failing device
        if exc.filename is not None or exc.errno not in _OUTPUT_ERRNOS:
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"exercise: error: cannot write standard output: {exc.strerror}", file=sys.stderr)
        return 2
