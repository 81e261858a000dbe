"""``exercise validate``: every problem of a pack, one ``path:line:col`` line each.

Beyond the pack files it checks the pack's rehearsal script, and every quote against
the source texts when they are at hand (``--corpus``, or ``sources_dir`` in the
manifest). Source texts are often not shipped with a pack: then a note says that quotes
were not checked, and ``--strict`` does not count it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.pack.files import path_is
from exercise.pack.loader import LoadResult, load_pack
from exercise.problems import Problem, ProblemsError

REHEARSAL = "rehearsal.yaml"


def run(args: argparse.Namespace) -> int:
    root = pack_root(args.pack)
    result = load_pack(root)
    problems = list(result.problems)
    notes: list[str] = []
    if result.pack is not None and not any(p.is_error for p in problems):
        problems += script_problems(result, root)
        problems += quote_problems(result, getattr(args, "corpus", None), notes)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for problem in problems:
        print(problem, file=sys.stderr)
    for note in notes:
        print(note, file=sys.stderr)
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


def script_problems(result: LoadResult, root: Path) -> list[Problem]:
    """The pack's own rehearsal script, checked as ``simulate`` would before playing."""
    from exercise.engine.script import load_script, plan

    path = root / REHEARSAL
    if result.pack is None or not path_is(path, "is_file"):
        return []
    try:
        plan(load_script(path, REHEARSAL), result.pack)
    except ProblemsError as exc:
        return list(exc.problems)
    return []


def quote_problems(result: LoadResult, corpus_arg: str | None, notes: list[str]) -> list[Problem]:
    """Quotes checked against the corpus (``--corpus``, else the manifest's sources_dir)."""
    from exercise.pack.sources import check_sources

    pack = result.pack
    if pack is None:
        return []
    if corpus_arg:
        corpus, where = Path(corpus_arg), None
    elif pack.manifest.sources_dir:
        corpus, where = pack.root / pack.manifest.sources_dir, ("sources_dir",)
    else:
        return []
    if not path_is(corpus, "is_dir"):
        text = (
            f"quotes were not checked: the folder of source texts {corpus} is not there "
            "(give it with --corpus)"
        )
        if where is not None:
            place = result.locations.manifest_problem(where, text)
            notes.append(f"{place.path}:{place.line}:{place.col}: note: {text}")
        else:
            notes.append(f"note: {text}")
        return []
    return sorted(check_sources(pack, result.locations, corpus).problems)
