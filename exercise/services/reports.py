"""Writing the after-action report: one service for ``exercise report`` and Hotwash.

It works on a state and pack already in hand, so the app writes the report of the
session it has open, without opening the file a second time. Every file is written
atomically and never over a session journal.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exercise.outputs import make_folder, refuse_journal, write_atomic

if TYPE_CHECKING:
    from exercise.engine.state import ExerciseState
    from exercise.pack.models import Pack

SUFFIXES = (".md", ".html", ".pdf", ".json")


@dataclass(frozen=True)
class ReportRequest:
    """What to write: formats, where, with which templates, anonymised or not."""

    formats: list[str] = field(default_factory=lambda: ["md"])
    out: str | None = None
    templates: str | None = None
    anonymise: bool = False


def output_paths(out: str | None, session_stem: str, formats: list[str]) -> dict[str, Path]:
    """One file per format: ``out`` as given for one format, else ``<stem>.<fmt>``."""
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


def report_context(
    state: ExerciseState,
    pack: Pack,
    request: ReportRequest,
    *,
    session_name: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """The report's data; quick, and the only step that reads the live state."""
    from exercise.render.report import build_report_context

    return build_report_context(
        state,
        pack,
        session_name=state.setup.name or session_name,
        generated=now,
        anonymise=request.anonymise,
        charts=any(f != "md" for f in request.formats),
    )


def write_report(
    context: dict[str, Any], pack: Pack, request: ReportRequest, *, session_stem: str
) -> list[Path]:
    """Render ``context`` in every requested format and write the files; returns them.

    Raises ``RenderError`` for a template that fails and ``OutputError`` (``cannot write
    FILE: reason``) for a file that cannot be written; nothing is printed.
    """
    from exercise.render.jinja_env import make_environment, template_folders
    from exercise.render.output import render_format

    formats = list(dict.fromkeys(request.formats))
    if "pdf" in formats:
        from exercise.render.pdf import _weasyprint

        _weasyprint()  # fail before writing anything when WeasyPrint is missing
    targets = output_paths(request.out, session_stem, formats)
    for target in targets.values():
        refuse_journal(target)
    env = make_environment(template_folders(request.templates, pack.root, pack.manifest.templates))
    written: list[Path] = []
    for fmt, target in targets.items():
        data = to_json(context) if fmt == "json" else render_format(env, "aar", fmt, context)
        make_folder(target.parent, target)
        write_atomic(target, data)
        written.append(target)
    return written
