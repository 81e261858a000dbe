"""Copies of a session: export to JSON lines, import back, branch at a turn, summarise.

These work on the journal as stored, without replaying it, so they also work when the
pack is not at hand; export followed by import gives back the same journal exactly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise.engine import events as ev
from exercise.engine.errors import SessionError
from exercise.engine.journal import SCHEMA_VERSION, Journal, check_file
from exercise.problems import Problem, ProblemsError

FORMAT = "exercise-session"
Row = tuple[int, str, str, str, str]


def export_lines(path: Path) -> Iterator[str]:
    """The journal as JSON lines: one meta line, then one line per event."""
    journal = Journal.open(path)
    try:
        meta = dict(journal.meta)
        yield json.dumps({"format": FORMAT, "meta": meta}, ensure_ascii=False, sort_keys=True)
        for seq, ts, actor, kind, body in journal.raw_rows():
            yield json.dumps(
                {"seq": seq, "ts": ts, "actor": actor, "type": kind, "body": json.loads(body)},
                ensure_ascii=False,
                sort_keys=True,
            )
    finally:
        journal.close()


def export_session(path: Path, out: Path) -> int:
    """Write ``path``'s journal to ``out`` (refuses to replace a file); returns event count."""
    lines = list(export_lines(path))
    try:
        with open(out, "x", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    except FileExistsError:
        raise SessionError(f"{out} already exists; choose another file name") from None
    return len(lines) - 1


def import_session(source: Path, out: Path) -> int:
    """Make a session at ``out`` from exported JSON lines; returns the event count."""
    name = str(source)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SessionError(f"cannot read {source}: {exc}") from None
    problems: list[Problem] = []
    meta: dict[str, str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, exc.colno, f"not valid JSON: {exc.msg}"))
            continue
        if meta is None:
            meta = _meta_line(item, name, number, problems)
            if meta is None:
                break
            continue
        row = _event_line(item, name, number, len(rows) + 1, problems)
        if row is not None:
            rows.append(row)
    if meta is None and not problems:
        problems.append(Problem(name, 1, 1, "the file is empty: no session meta line"))
    elif meta is not None and not problems and (not rows or rows[0][3] != ev.SESSION_CREATED):
        problems.append(Problem(name, 2, 1, f"the first event must be {ev.SESSION_CREATED}"))
    if problems:
        raise ProblemsError(problems)
    assert meta is not None
    Journal.create_copy(Path(out), meta, rows).close()
    return len(rows)


def _meta_line(item: Any, name: str, number: int, problems: list[Problem]) -> dict | None:
    if not isinstance(item, dict) or item.get("format") != FORMAT or not isinstance(
        item.get("meta"), dict
    ):
        problems.append(Problem(name, number, 1, f"the first line must be the {FORMAT} meta line"))
        return None
    meta = {str(k): str(v) for k, v in item["meta"].items()}
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError:
        version = 0
    if version < 1:
        problems.append(Problem(name, number, 1, "the meta line has no schema_version"))
        return None
    if version > SCHEMA_VERSION:
        problems.append(Problem(name, number, 1, f"exported by a newer version (journal schema "
                                f"{version}; this version reads up to {SCHEMA_VERSION})"))
        return None
    return meta


def _event_line(
    item: Any, name: str, number: int, expected_seq: int, problems: list[Problem]
) -> Row | None:
    if not isinstance(item, dict):
        problems.append(Problem(name, number, 1, "an event line must be a JSON object"))
        return None
    missing = [k for k in ("seq", "ts", "actor", "type", "body") if k not in item]
    if missing:
        problems.append(Problem(name, number, 1, f"event is missing {', '.join(missing)}"))
        return None
    if item["seq"] != expected_seq:
        problems.append(Problem(name, number, 1,
                                f"event seq {item['seq']!r}: expected {expected_seq}"))
        return None
    if item["type"] not in ev.EVENT_TYPES:
        problems.append(Problem(name, number, 1, f"unknown event type {item['type']!r}"))
        return None
    if not isinstance(item["body"], dict) or not isinstance(item["ts"], str):
        problems.append(Problem(name, number, 1, "event body must be an object, ts a string"))
        return None
    try:
        dt.datetime.fromisoformat(item["ts"])
    except ValueError:
        problems.append(Problem(name, number, 1, f"event ts {item['ts']!r} is not an ISO time"))
        return None
    from exercise.engine.journal import encode_body

    return (expected_seq, item["ts"], str(item["actor"]), item["type"], encode_body(item["body"]))


def branch_session(path: Path, turn: int, out: Path) -> int:
    """Copy ``path`` up to the beginning of ``turn`` (its start and its releases) to ``out``."""
    journal = Journal.open(path)
    try:
        rows = journal.raw_rows()
        meta = dict(journal.meta)
    finally:
        journal.close()
    cut = None
    for index, (_seq, _ts, _actor, kind, body) in enumerate(rows):
        if kind == ev.TURN_STARTED and json.loads(body).get("turn") == turn:
            cut = index + 1
            while cut < len(rows) and rows[cut][3] in (
                ev.INJECT_RELEASED, ev.INJECT_QUEUED) and json.loads(
                rows[cut][4]
            ).get("mark") == ev.TURN_START_MARK:
                cut += 1
            break
    if cut is None:
        started = [json.loads(r[4])["turn"] for r in rows if r[3] == ev.TURN_STARTED]
        reached = f"it reached turn {max(started)}" if started else "it never started"
        raise SessionError(f"cannot branch at turn {turn}: {reached}")
    meta["branched_from"] = json.dumps(
        {"session": str(Path(path).resolve()), "turn": turn, "seq": rows[cut - 1][0]}
    )
    Journal.create_copy(Path(out), meta, rows[:cut]).close()
    return cut


@dataclass
class JournalInfo:
    path: Path
    meta: dict[str, str]
    events: int
    by_type: dict[str, int] = field(default_factory=dict)
    first_ts: str = ""
    last_ts: str = ""


def journal_info(path: Path) -> JournalInfo:
    check_file(path)
    journal = Journal.open(path)
    try:
        counts: dict[str, int] = {}
        first = last = ""
        for _seq, ts, _actor, kind, _body in journal.raw_rows():
            counts[kind] = counts.get(kind, 0) + 1
            first = first or ts
            last = ts
        return JournalInfo(path, dict(journal.meta), sum(counts.values()), counts, first, last)
    finally:
        journal.close()
