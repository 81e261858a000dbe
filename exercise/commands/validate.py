"""``exercise validate``: every problem of a pack, one ``path:line:col`` line each."""

from __future__ import annotations

import argparse
import sys

from exercise.commands._common import pack_root
from exercise.pack.loader import load_pack


def run(args: argparse.Namespace) -> int:
    root = pack_root(args.pack)
    result = load_pack(root)
    errors = [p for p in result.problems if p.is_error]
    warnings = [p for p in result.problems if not p.is_error]
    for problem in result.problems:
        print(problem, file=sys.stderr)
    failed = bool(errors) or (args.strict and bool(warnings))
    if not failed and result.pack is not None:
        pack = result.pack
        print(
            f"{root}: valid — {len(pack.roles)} roles, {len(pack.injects)} injects, "
            f"{pack.manifest.turns} turns, {len(warnings)} warning(s)"
        )
    elif failed:
        print(f"{root}: {len(errors)} error(s), {len(warnings)} warning(s)", file=sys.stderr)
    return 2 if failed else 0
