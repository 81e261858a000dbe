"""``exercise briefs [PACK] --out DIR [--format md|html|pdf]...``: one brief per role."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.outputs import make_folder, write_atomic
from exercise.render.jinja_env import RenderError


def run(args: argparse.Namespace) -> int:
    from exercise.pack.loader import require_pack
    from exercise.render.briefs import control_brief_context, role_brief_context
    from exercise.render.jinja_env import make_environment, template_folders
    from exercise.render.output import render_format

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
    jobs.append(("control-brief", "control_brief", control_brief_context(pack)))
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
