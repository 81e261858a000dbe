"""``exercise report B --compare A``: open the other session and build the comparison."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exercise.problems import UserError

if TYPE_CHECKING:
    from exercise.engine.state import ExerciseState
    from exercise.pack.models import Pack


def session_stem(path: Path) -> str:
    from exercise.engine.store import SUFFIX

    return path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem


def comparison(
    args: argparse.Namespace,
    path: Path,
    stem: str,
    meta: dict[str, str],
    state: ExerciseState,
    pack: Pack,
    formats: list[str],
) -> dict[str, Any]:
    """The "What-if comparison" of the reported session with ``--compare``'s session."""
    from exercise.engine import Session
    from exercise.engine.journal import check_file
    from exercise.engine.store import resolve_session
    from exercise.render.compare import Side, build_comparison, relation

    other_path = resolve_session(args.compare)
    if not other_path.is_file():
        raise UserError(
            f"no session at {other_path} to compare with (give a session name or a path)"
        )
    other_meta = check_file(other_path)
    other_name = session_stem(other_path)
    if other_name == stem:
        other_name = f"{other_name} ({other_path.parent.name})"
        stem = f"{stem} ({path.parent.name})"
    mine = Side(stem, path, meta, state, pack)
    # Refuse unrelated sessions before replaying anything.
    relation(Side(other_name, other_path, other_meta, state, pack), mine)
    other = Session.open(
        other_path, pack, accept_changed_pack=bool(args.accept_changed_pack), readonly=True
    )
    with other:
        theirs = Side(other_name, other_path, dict(other.journal.meta), other.state, other.pack)
    return build_comparison(
        theirs,
        mine,
        generated=dt.datetime.now(dt.UTC),
        anonymise=bool(args.anonymise),
        charts=any(f != "md" for f in formats),
    )
