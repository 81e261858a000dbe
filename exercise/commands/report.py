"""``exercise report SESSION [--format md|html|pdf|json]... [--out FILE] [--templates DIR]
[--anonymise]``: the after-action report and improvement plan of a session."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from exercise.problems import UserError
from exercise.render.jinja_env import RenderError
from exercise.services.reports import ReportRequest, output_paths, to_json

__all__ = ["output_paths", "run", "to_json"]


def run(args: argparse.Namespace) -> int:
    from exercise.engine import Session, SessionError
    from exercise.engine.store import SUFFIX, resolve_session
    from exercise.pack.loader import require_pack
    from exercise.services.reports import report_context, write_report

    path = resolve_session(args.session)
    if not path.is_file():
        raise UserError(f"no session at {path} (give a session name or a path to a .session file)")
    request = ReportRequest(
        formats=list(dict.fromkeys(args.format or ["md"])),
        out=args.out,
        templates=args.templates,
        anonymise=bool(args.anonymise),
    )
    if "pdf" in request.formats:
        from exercise.render.pdf import _weasyprint

        _weasyprint()
    given_pack = require_pack(args.pack) if args.pack else None
    try:
        session = Session.open(
            path, given_pack, accept_changed_pack=bool(args.accept_changed_pack), readonly=True
        )
    except SessionError as exc:
        raise SessionError(
            f"{exc} (for a report: --pack DIR names the pack folder; "
            "--accept-changed-pack goes on with the pack as it is now)"
        ) from None
    with session:
        state, pack, meta = session.state, session.pack, dict(session.journal.meta)
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    context = report_context(state, pack, request, session_name=stem, now=dt.datetime.now(dt.UTC))
    if args.compare:
        from exercise.commands._compare import comparison

        context["comparison"] = comparison(args, path, stem, meta, state, pack, request.formats)
    try:
        written = write_report(context, pack, request, session_stem=stem)
    except RenderError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for target in written:
        print(f"wrote {target}")
    return 0
