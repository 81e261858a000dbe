"""The what-if comparison: two plays of one pack that share a past, side by side.

A branch records its parent session and the turn it left from (``branched_from`` in the
journal's meta). Two sessions can be compared when one descends from the other, or both
from a common parent; sessions of different packs, or with no common parent, are
refused with the reason. The comparison is plain data for the report templates (and the
JSON output): where the two part (the first event that differs), each track of both by
turn, the decisions that differ, the injects that fired in one and not in the other and
why, the final state of both, and the objectives' ratings where they were recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exercise.engine import events as ev
from exercise.problems import UserError
from exercise.render.describe import describe_effects, role_label, track_label
from exercise.vocab import ReleaseCause

if TYPE_CHECKING:
    from exercise.engine.events import Event
    from exercise.engine.state import ExerciseState, MoveState
    from exercise.pack.models import Pack

NOTHING = "nothing more happened"
MAX_ANCESTORS = 64  # a chain of branches longer than this is not followed further


class CompareError(UserError):
    """Two sessions cannot be compared; the message says why."""


@dataclass
class Side:
    """One of the two sessions: its name in the report, file, meta, state and pack."""

    name: str
    path: Path
    meta: dict[str, str]
    state: ExerciseState
    pack: Pack
    parents: list[tuple[Path, int]] = field(default_factory=list)  # (session, turn left)


# ---------------------------------------------------------------------- who is related


def ancestors(path: Path, meta: dict[str, str]) -> list[tuple[Path, int]]:
    """Parent, grandparent... of a session as (file, turn it left from), nearest first.

    Parents' files are only read (their meta), never opened for writing; a parent that
    is gone ends the chain.
    """
    from exercise.engine.journal import check_file

    chain: list[tuple[Path, int]] = []
    seen = {path.resolve()}
    while len(chain) < MAX_ANCESTORS:
        origin = _origin(meta)
        if origin is None:
            break
        parent, turn = origin
        if parent in seen:
            break
        chain.append((parent, turn))
        seen.add(parent)
        try:
            meta = check_file(parent)
        except UserError:
            break
    return chain


def _origin(meta: dict[str, str]) -> tuple[Path, int] | None:
    try:
        origin = json.loads(meta.get("branched_from") or "null")
        return (Path(origin["session"]).resolve(), int(origin["turn"])) if origin else None
    except (ValueError, TypeError, KeyError):
        return None


def relation(a: Side, b: Side) -> str:
    """How ``b`` relates to ``a`` in one sentence; CompareError if they cannot be compared."""
    a_path, b_path = a.path.resolve(), b.path.resolve()
    if a_path == b_path:
        raise CompareError(f"{a.path} and {b.path} are the same session: compare it with a branch")
    a_pack, b_pack = a.meta.get("pack_id", "?"), b.meta.get("pack_id", "?")
    if a_pack != b_pack:
        raise CompareError(
            f"cannot compare {b.path} with {a.path}: they were played with different packs "
            f"('{b_pack}' and '{a_pack}'); a what-if comparison needs two plays of one pack"
        )
    a.parents = ancestors(a.path, a.meta)
    b.parents = ancestors(b.path, b.meta)
    b_up = {p: turn for p, turn in b.parents}
    a_up = {p: turn for p, turn in a.parents}
    if a_path in b_up:
        return f"“{b.name}” is a branch of “{a.name}” from the beginning of turn {b_up[a_path]}."
    if b_path in a_up:
        return f"“{a.name}” is a branch of “{b.name}” from the beginning of turn {a_up[b_path]}."
    for parent, turn in b.parents:
        if parent in a_up:
            return (
                f"“{b.name}” and “{a.name}” are both branches of “{parent.stem}” (from "
                f"the beginning of turns {turn} and {a_up[parent]})."
            )
    raise CompareError(
        f"cannot compare {b.path} with {a.path}: they have no common parent ({_lineage(b)}; "
        f"{_lineage(a)}); compare a session with one of its branches, or two branches of "
        "one session"
    )


def _lineage(side: Side) -> str:
    if not side.parents:
        return f"{side.path.name} is not a branch"
    parent, turn = side.parents[0]
    return f"{side.path.name} was branched from {parent} at turn {turn}"


# ---------------------------------------------------------------------- where they part


def _same(x: Event, y: Event) -> bool:
    return (x.type, x.actor, x.body) == (y.type, y.actor, y.body)


def describe_event(event: Event, state: ExerciseState, pack: Pack, *, notes: bool = True) -> str:
    """One event in words, read against the state just before it; ``notes`` False leaves
    out control's reasons and notes (an anonymised report)."""
    body = event.body
    kind = event.type
    if kind == ev.TURN_STARTED:
        return f"turn {body.get('turn')} starts"
    if kind == ev.PHASE_CHANGED:
        return f"the {body.get('phase')} phase starts"
    if kind == ev.EXERCISE_ENDED:
        return "the exercise ends"
    if kind in _INJECT_EVENTS:
        return _inject_event(kind, body, state, notes=notes)
    if kind in _PLAY_EVENTS:
        return _play_event(kind, body, state, pack)
    if kind in _NOTE_EVENTS:
        return _note_event(kind, body, pack, notes=notes)
    return kind.replace("_", " ")


_INJECT_EVENTS = (
    ev.INJECT_RELEASED,
    ev.INJECT_HELD,
    ev.INJECT_SKIPPED,
    ev.INJECT_EDITED,
    ev.ADHOC_INJECT,
)
_PLAY_EVENTS = (ev.MOVE_RECORDED, ev.RULING_MADE, ev.RULING_OVERRIDDEN, ev.TRACK_ADJUSTED)
_NOTE_EVENTS = (ev.OBSERVATION_ADDED, ev.HOTWASH_ADDED, ev.IMPROVEMENT_ADDED)


def _inject_event(kind: str, body: dict[str, Any], state: ExerciseState, *, notes: bool) -> str:
    """A release, hold, skip or edit of an inject, or an ad-hoc one."""
    if kind == ev.ADHOC_INJECT:
        return f"control wrote an ad-hoc inject, “{body.get('title', '')}”"
    inj = state.injects.get(body.get("inject", ""))
    title = f"“{inj.title}”" if inj is not None else f"'{body.get('inject', '')}'"
    if kind == ev.INJECT_RELEASED:
        why = f" because {body['why']}" if body.get("why") else ""
        return f"{title} is released{why}"
    if kind == ev.INJECT_EDITED:
        return f"control edited {title}"
    verb = "held" if kind == ev.INJECT_HELD else "skipped"
    reason = f": {body['reason']}" if body.get("reason") and notes else ""
    return f"control {verb} {title}{reason}"


def _play_event(kind: str, body: dict[str, Any], state: ExerciseState, pack: Pack) -> str:
    """A move, a ruling on one, an overridden ruling or control moving a track."""
    if kind == ev.MOVE_RECORDED:
        secret = " (secret)" if body.get("secret") else ""
        return f"{role_label(pack, body.get('role', ''))} moved{secret}: {body.get('text', '')}"
    if kind == ev.TRACK_ADJUSTED:
        return (
            f"control moved {track_label(pack, body.get('track', ''))} by "
            f"{int(body.get('delta', 0)):+d}"
        )
    move_id = body.get("move", "")
    move = state.move(move_id)
    owner = f"move {move_id} ({role_label(pack, move.role)})" if move else f"move {move_id}"
    if kind == ev.RULING_OVERRIDDEN:
        return f"the ruling on {owner} became {body.get('outcome')}"
    effects = describe_effects(body.get("effects", {}), pack)
    return f"{owner} was ruled {body.get('outcome')} ({body.get('method')})" + (
        f"; {effects}" if effects else ""
    )


def _note_event(kind: str, body: dict[str, Any], pack: Pack, *, notes: bool) -> str:
    """An observation, a role's hotwash or an improvement item."""
    if kind == ev.OBSERVATION_ADDED:
        return (
            f"an observation was noted: {body.get('text', '')}"
            if notes
            else ("an observation was noted")
        )
    if kind == ev.HOTWASH_ADDED:
        return f"{role_label(pack, body.get('role', ''))}'s hotwash was recorded"
    return f"an improvement item was added: {body.get('action', '')}"


def parting(a: Side, b: Side, *, notes: bool = True) -> dict[str, Any]:
    """The first event that differs, with the turn and phase it happened in."""
    from exercise.engine.reduce import replay

    a_events, b_events = a.state.events, b.state.events
    common = 0
    for x, y in zip(a_events, b_events, strict=False):
        if not _same(x, y):
            break
        common += 1
    before = replay(a.pack, a_events[:common])
    a_next = a_events[common] if common < len(a_events) else None
    b_next = b_events[common] if common < len(b_events) else None
    return {
        "same": a_next is None and b_next is None,
        "common_events": common,
        "turn": before.turn,
        "turn_label": a.pack.manifest.turn_label(before.turn) if before.turn else "",
        "phase": before.phase,
        "a": describe_event(a_next, before, a.pack, notes=notes) if a_next else NOTHING,
        "b": describe_event(b_next, before, b.pack, notes=notes) if b_next else NOTHING,
    }


# ---------------------------------------------------------------------- what differs


def _move(move: MoveState, pack: Pack) -> dict[str, Any]:
    ruling = move.ruling
    return {
        "id": move.id,
        "text": move.text,
        "kind": move.kind,
        "secret": move.secret,
        "outcome": ruling.outcome if ruling else "not ruled",
        "method": ruling.method if ruling else "",
        "effects": describe_effects(ruling.effects, pack) if ruling else "",
    }


def decisions(a: Side, b: Side, since_turn: int) -> list[dict[str, Any]]:
    """Per turn and role from ``since_turn``: the moves and rulings where the two differ."""

    def grouped(side: Side) -> dict[tuple[int, str], list[dict[str, Any]]]:
        out: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for move in side.state.moves:
            if move.turn >= since_turn:
                out.setdefault((move.turn, move.role), []).append(_move(move, side.pack))
        return out

    a_moves, b_moves = grouped(a), grouped(b)
    order = {role.id: index for index, role in enumerate(a.pack.roles)}
    keys = sorted(set(a_moves) | set(b_moves), key=lambda k: (k[0], order.get(k[1], 99), k[1]))
    out = []
    for turn, role in keys:
        mine, theirs = a_moves.get((turn, role), []), b_moves.get((turn, role), [])

        def essence(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
            return [(m["text"], m["kind"], m["secret"], m["outcome"], m["effects"]) for m in items]

        if essence(mine) != essence(theirs):
            out.append(
                {
                    "turn": turn,
                    "role": role_label(a.pack, role),
                    "role_id": role,
                    "a": mine,
                    "b": theirs,
                }
            )
    return out


def injects(
    a_played: list[dict[str, Any]], b_played: list[dict[str, Any]], a: Side, b: Side
) -> dict[str, list[dict[str, Any]]]:
    """Injects released in one session only (with why, and what became of them in the
    other), and those released in both but in different turns."""
    a_by, b_by = {i["id"]: i for i in a_played}, {i["id"]: i for i in b_played}
    only: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    for inject_id in list(a_by) + [i for i in b_by if i not in a_by]:
        x, y = a_by.get(inject_id), b_by.get(inject_id)
        x_fired = x is not None and x["status"] == "released"
        y_fired = y is not None and y["status"] == "released"
        if x_fired != y_fired:
            fired, other = (x, y) if x_fired else (y, x)
            assert fired is not None
            only.append(
                {
                    "id": inject_id,
                    "title": fired["title"],
                    "planned": fired["planned"],
                    "in": a.name if x_fired else b.name,
                    "side": "a" if x_fired else "b",
                    "not_in": b.name if x_fired else a.name,
                    "why": fired["reason"],
                    "other_status": other["status"] if other else "not in this session",
                    "other_why": other["reason"] if other else "",
                }
            )
        elif x_fired and y_fired:
            assert x is not None and y is not None
            x_turn, y_turn = _turn_of(a, inject_id), _turn_of(b, inject_id)
            if x_turn != y_turn:
                moved.append(
                    {
                        "id": inject_id,
                        "title": x["title"],
                        "a_turn": x_turn,
                        "b_turn": y_turn,
                        "a_why": x["reason"],
                        "b_why": y["reason"],
                    }
                )
    only.sort(
        key=lambda item: (_turn_of(a if item["side"] == "a" else b, item["id"]) or 0, item["side"])
    )
    return {"only": only, "timing": moved}


def _turn_of(side: Side, inject_id: str) -> int | None:
    inj = side.state.injects.get(inject_id)
    return inj.turn_released if inj is not None else None


def _status(state: ExerciseState, pack: Pack) -> str:
    if state.ended:
        return f"finished after {state.turn} of {pack.manifest.turns} turns"
    if state.turn == 0:
        return "not started"
    return f"stopped in turn {state.turn} of {pack.manifest.turns}, {state.phase} phase"


def final_state(a: Side, b: Side) -> dict[str, Any]:
    """The end of both, side by side: status, counts and every track."""

    def counts(state: ExerciseState) -> dict[str, int]:
        released = state.released()
        return {
            "moves": len(state.moves),
            "released": len(released),
            "conditional": sum(1 for i in released if i.cause == ReleaseCause.CONDITION),
        }

    tracks = []
    for track_id, x in a.state.tracks.items():
        y = b.state.tracks.get(track_id)
        if y is None:
            continue
        tracks.append(
            {
                "id": track_id,
                "name": x.name,
                "a": x.value,
                "a_level": x.level,
                "b": y.value,
                "b_level": y.level,
                "difference": y.value - x.value,
            }
        )
    return {
        "a_status": _status(a.state, a.pack),
        "b_status": _status(b.state, b.pack),
        "a": counts(a.state),
        "b": counts(b.state),
        "tracks": tracks,
    }


def track_series(a: Side, b: Side) -> list[dict[str, Any]]:
    """Each track's value at the start and at the end of every turn, for both sessions."""
    turns = max(a.state.turn, b.state.turn)
    labels = ["Start"] + [f"T{n}" for n in range(1, turns + 1)]
    out = []
    for track_id, definition in a.pack.tracks_by_id.items():
        series = []
        for side in (a, b):
            ts = side.state.tracks.get(track_id)
            played = min(turns, side.state.turn) if ts is not None else 0
            values: list[int | None] = [definition.initial]
            if ts is not None:
                values = list(ts.by_turn(played, definition.initial))
            values += [None] * (turns - played)
            series.append({"session": side.name, "values": values})
        out.append(
            {
                "id": track_id,
                "name": definition.name,
                "min": definition.min,
                "max": definition.max,
                "labels": labels,
                "series": series,
                "levels": [{"name": lv.name, "min": lv.min} for lv in definition.levels],
            }
        )
    return out


def ratings(a: Side, b: Side) -> list[dict[str, Any]]:
    """The objectives' ratings of both, where the sessions recorded any (else empty)."""

    def of(state: ExerciseState) -> dict[str, str]:
        found = getattr(state, "ratings", None) or {}
        if not isinstance(found, dict):
            return {}
        out = {}
        for objective, rating in found.items():
            value = getattr(rating, "rating", rating)
            out[str(objective)] = str(value.get("rating", "") if isinstance(value, dict) else value)
        return out

    mine, theirs = of(a.state), of(b.state)
    if not mine and not theirs:
        return []
    return [
        {"id": o.id, "title": o.title, "a": mine.get(o.id, "—"), "b": theirs.get(o.id, "—")}
        for o in a.pack.manifest.objectives
    ]


# ---------------------------------------------------------------------- the whole section


def build_comparison(
    a: Side, b: Side, *, generated: dt.datetime, anonymise: bool = False, charts: bool = True
) -> dict[str, Any]:
    """The "What-if comparison" section: ``b`` is the session reported on, ``a`` the other."""
    from exercise.render.report import ReportBuilder

    related = relation(a, b)
    part = parting(a, b, notes=not anonymise)
    played = [
        ReportBuilder(
            side.state,
            side.pack,
            session_name=side.name,
            generated=generated,
            anonymise=anonymise,
            charts=False,
        ).injects_as_played()
        for side in (a, b)
    ]
    tracks = track_series(a, b)
    section: dict[str, Any] = {
        "a": a.name,
        "b": b.name,
        "relation": related,
        "parting": part,
        "tracks": tracks,
        "decisions": decisions(a, b, part["turn"]),
        "injects": injects(played[0], played[1], a, b),
        "final": final_state(a, b),
        "ratings": ratings(a, b),
        "charts": [],
    }
    if charts:
        from exercise.render.charts import comparison_chart

        drawn = [(t["name"], *comparison_chart(t)) for t in tracks]
        section["charts"] = [
            {"track": name, "svg": svg, "legend": legend} for name, svg, legend in drawn
        ]
    return section
