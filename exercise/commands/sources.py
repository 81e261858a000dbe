"""``exercise sources check``: every quote appears verbatim in its source text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.pack.files import path_is
from exercise.pack.loader import load_pack
from exercise.pack.sources import check_sources
from exercise.problems import ProblemsError, UserError


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    if not path_is(corpus, "is_dir"):
        raise UserError(
            f"corpus folder {corpus} does not exist (--corpus names a folder of source texts)"
        )
    root = pack_root(args.pack)
    result = load_pack(root)
    errors = [p for p in result.problems if p.is_error]
    if errors or result.pack is None:
        raise ProblemsError(errors)
    report = check_sources(result.pack, result.locations, corpus)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        print(
            f"{root}: {len(report.problems)} problem(s) in {report.quotes} quote(s)",
            file=sys.stderr,
        )
        return 2
    print(f"{root}: all {report.quotes} quote(s) found in {report.sources} source(s)")
    return 0
