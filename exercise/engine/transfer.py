"""Copies of a session: export to JSON lines, import back, branch at a turn, summarise.

These work on the journal as stored, without replaying it, so they also work when the
pack is not at hand; export followed by import gives back the same journal exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise.engine import events as ev
from exercise.engine.errors import SessionError
from exercise.engine.events import encode_body
from exercise.engine.journal import SCHEMA_VERSION, Journal, meta_problem
from exercise.outputs import atomic_path, refuse_journal, write_atomic
from exercise.problems import Problem, ProblemsError
from exercise.text import printable, printable_data

FORMAT = "exercise-session"
Row = tuple[int, str, str, str, str]


def export_lines(path: Path) -> Iterator[str]:
    """The journal as JSON lines: one meta line, then one line per event.

    The journal is read as stored, without checking bodies: a damaged journal is dumped
    as it is (a body that is not JSON is written as its text) so it can be repaired and
    imported again.
    """
    journal = Journal.open(path, readonly=True, as_stored=True)
    try:
        meta = dict(journal.meta)
        yield json.dumps({"format": FORMAT, "meta": meta}, ensure_ascii=False, sort_keys=True)
        for seq, ts, actor, kind, body in journal.raw_rows():
            try:
                value = json.loads(body)
                yield _line(seq, ts, actor, kind, value)
            except (ValueError, TypeError, RecursionError):
                yield _line(seq, ts, actor, kind, str(body))
    finally:
        journal.close()


def _line(seq: Any, ts: Any, actor: Any, kind: Any, body: Any) -> str:
    return json.dumps(
        {"seq": seq, "ts": ts, "actor": actor, "type": kind, "body": body},
        ensure_ascii=False,
        sort_keys=True,
    )


def export_session(path: Path, out: Path) -> int:
    """Write ``path``'s journal to ``out`` (refuses to replace a file); returns event count."""
    out = Path(out)
    refuse_journal(out)
    lines = list(export_lines(path))
    write_atomic(out, "\n".join(lines) + "\n", exclusive=True)
    return len(lines) - 1


def backup_session(path: Path, out: Path) -> int:
    """A consistent copy of a session, live or not, through SQLite's online backup.

    Copying the file itself while the app runs misses what is still in its WAL; the
    backup reads one committed snapshot of the journal. Returns the number of events.
    """
    source = Journal.open(path, readonly=True)
    try:
        with atomic_path(Path(out), exclusive=True, allow_session_name=True) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                source._conn.backup(dest)
                count = int(dest.execute("SELECT COUNT(*) FROM events").fetchone()[0])
            finally:
                dest.close()
    finally:
        source.close()
    return count


def import_session(source: Path, out: Path) -> int:
    """Make a session at ``out`` from exported JSON lines; returns the event count."""
    name = str(source)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SessionError(f"cannot read {source}: {exc}") from None
    problems: list[Problem] = []
    meta, rows = _read_lines(text, name, problems)
    if meta is None and not problems:
        problems.append(Problem(name, 1, 1, "the file is empty: no session meta line"))
    elif meta is not None and not problems and (not rows or rows[0][3] != ev.SESSION_CREATED):
        problems.append(Problem(name, 2, 1, f"the first event must be {ev.SESSION_CREATED}"))
    if problems:
        raise ProblemsError(problems)
    assert meta is not None
    Journal.create_copy(Path(out), meta, rows)
    return len(rows)


def _read_lines(
    text: str, name: str, problems: list[Problem]
) -> tuple[dict[str, str] | None, list[Row]]:
    """The meta line and the event rows of an export; what is wrong goes to ``problems``."""
    meta: dict[str, str] | None = None
    rows: list[Row] = []
    previous = 0  # the seq of the previous event line, good or bad
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        read, item = _json_line(line, name, number, problems)
        if not read:
            continue
        if meta is None:
            meta = _meta_line(item, name, number, problems)
            if meta is None:
                break
            continue
        # a line is numbered after the events kept, or after the line before it (so one
        # bad line does not make every later one wrong too)
        allowed = (len(rows) + 1, previous + 1)
        row = _event_line(item, name, number, allowed, problems)
        seq = item.get("seq") if isinstance(item, dict) else None
        previous = seq if type(seq) is int else previous + 1
        if row is not None:
            rows.append(row)
    return meta, rows


def _json_line(line: str, name: str, number: int, problems: list[Problem]) -> tuple[bool, Any]:
    """(True, the line's JSON value), or (False, None) and a problem when it is not JSON."""
    try:
        return True, json.loads(line)
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, number, exc.colno, f"not valid JSON: {exc.msg}"))
    except RecursionError:
        problems.append(Problem(name, number, 1, "nested too deeply"))
    return False, None


def _meta_line(item: Any, name: str, number: int, problems: list[Problem]) -> dict[str, Any] | None:
    if (
        not isinstance(item, dict)
        or item.get("format") != FORMAT
        or not isinstance(item.get("meta"), dict)
    ):
        problems.append(Problem(name, number, 1, f"the first line must be the {FORMAT} meta line"))
        return None
    meta = {printable(str(k)): printable(str(v)) for k, v in item["meta"].items()}
    problem = meta_problem(meta)
    if problem:
        problems.append(Problem(name, number, 1, problem))
        return None
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError:
        version = 0
    if version < 1:
        problems.append(Problem(name, number, 1, "the meta line has no schema_version"))
        return None
    if version > SCHEMA_VERSION:
        problems.append(
            Problem(
                name,
                number,
                1,
                f"exported by a newer version (journal schema "
                f"{version}; this version reads up to {SCHEMA_VERSION})",
            )
        )
        return None
    return meta


def _event_line(
    item: Any, name: str, number: int, allowed: tuple[int, int], problems: list[Problem]
) -> Row | None:
    if not isinstance(item, dict):
        problems.append(Problem(name, number, 1, "an event line must be a JSON object"))
        return None
    missing = [k for k in ("seq", "ts", "actor", "type", "body") if k not in item]
    if missing:
        problems.append(Problem(name, number, 1, f"event is missing {', '.join(missing)}"))
        return None
    expected_seq = item["seq"]
    if type(expected_seq) is not int or expected_seq not in allowed:
        problems.append(
            Problem(name, number, 1, f"event seq {item['seq']!r}: expected {allowed[0]}")
        )
        return None
    if not isinstance(item["type"], str) or item["type"] not in ev.EVENT_TYPES:
        problems.append(Problem(name, number, 1, f"unknown event type {item['type']!r:.60}"))
        return None
    if not isinstance(item["ts"], str):
        problems.append(Problem(name, number, 1, "event ts must be a string"))
        return None
    try:
        dt.datetime.fromisoformat(item["ts"])
    except ValueError:
        problems.append(Problem(name, number, 1, f"event ts {item['ts']!r} is not an ISO time"))
        return None
    body = printable_data(item["body"])
    try:
        ev.parse(item["type"], body)
    except ev.BodyError as exc:
        problem = ev.EventError(expected_seq, item["type"], str(exc))
        problems.append(Problem(name, number, 1, str(problem)))
        return None
    actor = printable(str(item["actor"]))
    return (expected_seq, item["ts"], actor, item["type"], encode_body(body))


def branch_session(path: Path, turn: int, out: Path) -> int:
    """Copy ``path`` up to the beginning of ``turn`` (its start and its releases) to ``out``."""
    journal = Journal.open(path, readonly=True)
    try:
        rows = journal.raw_rows()
        meta = dict(journal.meta)
    finally:
        journal.close()
    cut = None
    started: list[int] = []
    for index, row in enumerate(rows):
        if row[3] != ev.TURN_STARTED:
            continue
        started.append(int(ev.decode(*row).body["turn"]))
        if started[-1] == turn:
            cut = index + 1
            while (
                cut < len(rows)
                and rows[cut][3] in (ev.INJECT_RELEASED, ev.INJECT_QUEUED)
                and ev.decode(*rows[cut]).body.get("mark") == ev.TURN_START_MARK
            ):
                cut += 1
            break
    if cut is None:
        reached = f"it reached turn {max(started)}" if started else "it never started"
        raise SessionError(f"cannot branch at turn {turn}: {reached}")
    meta["branched_from"] = json.dumps(
        {"session": str(Path(path).resolve()), "turn": turn, "seq": rows[cut - 1][0]}
    )
    Journal.create_copy(Path(out), meta, rows[:cut])
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
    journal = Journal.open(path, readonly=True)
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
