"""``exercise briefs [PACK] --out DIR [--format md|html|pdf]... [--start HH:MM]``: one brief
per role, and the control brief timed from the start."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.outputs import make_folder, write_atomic
from exercise.problems import UserError
from exercise.render.jinja_env import RenderError


def run(args: argparse.Namespace) -> int:
    from exercise.pack.loader import require_pack
    from exercise.render.briefs import role_brief_context
    from exercise.render.control_brief import control_brief_context, parse_start
    from exercise.render.jinja_env import make_environment, template_folders
    from exercise.render.output import render_format

    try:
        start = parse_start(getattr(args, "start", None) or "09:00")
    except ValueError as exc:
        raise UserError(str(exc)) from None
    pack = require_pack(pack_root(args.pack))
    formats = list(dict.fromkeys(args.format or ["md"]))
    if "pdf" in formats:
        from exercise.render.pdf import _weasyprint

        _weasyprint()  # fail before writing anything when WeasyPrint is missing
    out = Path(args.out)
    make_folder(out)
    env = make_environment(
        template_folders(getattr(args, "templates", None), pack.root, pack.manifest.templates)
    )
    jobs = [(f"brief-{role.id}", "brief", role_brief_context(pack, role.id)) for role in pack.roles]
    jobs.append(("control-brief", "control_brief", control_brief_context(pack, start)))
    written: list[Path] = []
    try:
        for fmt in formats:
            for name, stem, context in jobs:
                data = render_format(env, stem, fmt, context)
                path = out / f"{name}.{fmt}"
                write_atomic(path, data)
                written.append(path)
    except RenderError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"wrote {len(written)} brief{'s' if len(written) != 1 else ''} to {out}")
    return 0
