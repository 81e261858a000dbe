"""``exercise report SESSION [--format md|html|pdf|json]... [--out FILE] [--templates DIR]
[--anonymise]``: the after-action report and improvement plan of a session."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from exercise.problems import UserError
from exercise.render.jinja_env import RenderError

SUFFIXES = (".md", ".html", ".pdf", ".json")


def output_paths(out: str | None, session_stem: str, formats: list[str]) -> dict[str, Path]:
    """One file per format: ``--out`` as given for one format, else ``<stem>.<fmt>``."""
    if out and len(formats) == 1 and Path(out).suffix:
        return {formats[0]: Path(out)}
    if out:
        base = Path(out)
        stem = base.with_suffix("") if base.suffix in SUFFIXES else base
    else:
        stem = Path(f"{session_stem}-report")
    return {fmt: stem.parent / f"{stem.name}.{fmt}" for fmt in formats}


def to_json(context: dict[str, Any]) -> str:
    """The report's data as JSON (no SVG: charts are for the documents)."""
    from exercise.render.report import json_view

    return json.dumps(json_view(context), indent=2, ensure_ascii=False, default=str) + "\n"


def run(args: argparse.Namespace) -> int:
    from exercise.engine import Session, SessionError
    from exercise.engine.store import SUFFIX, resolve_session
    from exercise.pack.loader import require_pack
    from exercise.render.jinja_env import make_environment, template_folders
    from exercise.render.output import render_format
    from exercise.render.report import build_report_context

    path = resolve_session(args.session)
    if not path.is_file():
        raise UserError(f"no session at {path} (give a session name or a path to a .session file)")
    formats = list(dict.fromkeys(args.format or ["md"]))
    if "pdf" in formats:
        from exercise.render.pdf import _weasyprint

        _weasyprint()
    given_pack = require_pack(args.pack) if args.pack else None
    try:
        session = Session.open(
            path, given_pack, accept_changed_pack=bool(args.accept_changed_pack)
        )
    except SessionError as exc:
        raise SessionError(
            f"{exc} (for a report: --pack DIR names the pack folder; "
            "--accept-changed-pack goes on with the pack as it is now)"
        ) from None
    with session:
        state, pack, meta = session.state, session.pack, dict(session.journal.meta)
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    context = build_report_context(
        state, pack, session_name=state.setup.name or stem, generated=dt.datetime.now(dt.UTC),
        anonymise=bool(args.anonymise), charts=any(f != "md" for f in formats),
    )
    if args.compare:
        from exercise.commands._compare import comparison

        context["comparison"] = comparison(args, path, stem, meta, state, pack, formats)
    targets = output_paths(args.out, stem, formats)
    env = make_environment(template_folders(args.templates, pack.root, pack.manifest.templates))
    try:
        for fmt, target in targets.items():
            data = to_json(context) if fmt == "json" else render_format(env, "aar", fmt, context)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
            print(f"wrote {target}")
    except RenderError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        raise UserError(f"cannot write the report: {exc}") from None
    return 0
