"""The control brief as the facilitator's script, built from the pack alone.

A timed agenda from a start time, the opening and ground rules to read aloud, a
one-page MSEL table, then per turn its key question, the core injects before the
optional ones with their conditions in sentences to read aloud, expected actions and
discussion questions; what +1 means on each track; the private material of the roles
control plays; glossary and bibliography.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from exercise.render.briefs import (
    _track,
    audience_label,
    exercise_context,
    kind_label,
)
from exercise.render.describe import (
    bibliography,
    describe_effects,
    describe_window,
    read_aloud,
    role_label,
    role_phrase,
)
from exercise.render.msel_sheet import abbreviations, msel_key, msel_row

if TYPE_CHECKING:
    from exercise.pack.models import Inject, MoveTag, Pack, Role, Track

#: Minutes the agenda gives each part when the pack's ``agenda`` does not say.
DEFAULT_MINUTES = {"opening": 10, "ground_rules": 5, "hotwash": 30}
TURN_EXTRA_MINUTES = 10  # beyond the deliberation time: injects, moves, adjudication

GROUND_RULES = (
    "This is a discussion, not a test: no one is graded, and there are no wrong answers.",
    "Speak for the government you play, from its brief; say when you step out of role.",
    "Decisions are recorded as moves; control rules on them and the tracks move.",
    "What is said in the room stays in the room; the report names roles, not people, "
    "when it is anonymised.",
)


def parse_start(text: str) -> dt.time:
    """``--start 09:00``: a clock time, HH:MM."""
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--start must be a time such as 09:00, not {text!r}") from None


def inject_context(pack: Pack, inject: Inject) -> dict[str, Any]:
    spoken = read_aloud(inject.condition, pack) if inject.condition is not None else ""
    return {
        "id": inject.id,
        "title": inject.title,
        "kind": inject.kind,
        "kind_label": kind_label(inject.kind),
        "from": role_label(pack, inject.from_),
        "byline": inject.byline,
        "public": inject.is_public,
        "audience": audience_label(pack, inject.audience),
        "to": "All"
        if inject.is_public
        else ", ".join(role_label(pack, r) for r in inject.audience),
        "priority": inject.priority,
        "body": inject.body,
        "first_turn": inject.first_turn,
        "last_turn": inject.last_turn,
        "window": describe_window(inject.first_turn, inject.last_turn),
        "conditional": inject.condition is not None,
        "condition": spoken,
        "expected_actions": list(inject.expected_actions),
        "questions": list(inject.questions),
        "objectives": [
            pack.objectives_by_id[o].title if o in pack.objectives_by_id else o
            for o in inject.objectives
        ],
        "effects": describe_effects(inject.effects, pack),
    }


def _clock(start: dt.datetime, minutes: int) -> str:
    return (start + dt.timedelta(minutes=minutes)).strftime("%H:%M")


def agenda(pack: Pack, start: dt.time) -> list[dict[str, Any]]:
    """The session's timetable: opening, ground rules, each turn, hotwash, with clock times."""
    m = pack.manifest
    parts = m.agenda
    plans = {entry.turn: entry for entry in m.turn_plan}

    def minutes(name: str) -> int:
        part = getattr(parts, name, None) if parts is not None else None
        return part.minutes if part is not None else DEFAULT_MINUTES[name]

    turn_default = (
        parts.turns.minutes
        if parts is not None and parts.turns is not None
        else m.deliberation_minutes + TURN_EXTRA_MINUTES
    )
    items: list[tuple[str, str, int, int | None]] = [
        ("opening", "Opening and the situation", minutes("opening"), None),
        ("ground_rules", "Ground rules", minutes("ground_rules"), None),
    ]
    for n in range(1, m.turns + 1):
        plan = plans.get(n)
        items.append(
            (
                "turn",
                f"Turn {n} — {m.turn_label(n)}",
                plan.minutes if plan is not None else turn_default,
                n,
            )
        )
    items.append(("hotwash", "Hotwash", minutes("hotwash"), None))
    origin = dt.datetime.combine(dt.date(2000, 1, 1), start)
    out, elapsed = [], 0
    for kind, title, length, turn in items:
        out.append(
            {
                "kind": kind,
                "title": title,
                "minutes": length,
                "turn": turn,
                "start": _clock(origin, elapsed),
                "end": _clock(origin, elapsed + length),
            }
        )
        elapsed += length
    return out


def guidance(track: Track, pack: Pack) -> str:
    """What +1 means on a track: the pack's words, or a sentence from its levels."""
    if track.guidance:
        return track.guidance
    subject = track.name
    if track.scope != "global":
        subject = f"relations between {role_phrase(pack, list(track.scope))}"
    if track.levels:
        top = track.levels[-1]
        return (
            f"+1 moves {subject} one step up, towards '{top.name}' (from {top.min}); "
            f"−1 one step down. Rule ±1 for a move that matters, ±2 for one that "
            f"changes the crisis."
        )
    return (
        f"+1 moves {subject} one step up, −1 one step down. Rule ±1 for a move that "
        f"matters, ±2 for one that changes the crisis."
    )


def _decides(pack: Pack, tag: Any) -> str:
    """'supports THAAD in Korea' for a tag that declares its topic and stance."""
    if tag.topic is None or tag.stance is None:
        return ""
    topic = pack.topics_by_id.get(tag.topic)
    return f"{tag.stance} {topic.title if topic else tag.topic}"


def _control_role(pack: Pack, role: Any) -> dict[str, Any]:
    return {
        "id": role.id,
        "name": role.name,
        "short_name": role.short_name,
        "objectives": list(role.objectives),
        "red_lines": list(role.red_lines),
        "capabilities": list(role.capabilities),
        "private": list(role.private),
        "views": [
            {"role": role_label(pack, other), "view": view} for other, view in role.views.items()
        ],
    }


def _role_line(role: Role) -> dict[str, Any]:
    """A role as the cast list shows it."""
    return {
        "id": role.id,
        "name": role.name,
        "short_name": role.short_name,
        "played_by": role.played_by,
        "background": role.background,
        "positions": len(role.positions),
    }


def _move_tag(pack: Pack, tag: MoveTag) -> dict[str, Any]:
    """A decision open to players: who may take it and what it decides."""
    return {
        "id": tag.id,
        "title": tag.title,
        "roles": [role_label(pack, r) for r in tag.roles] or ["any role"],
        "decides": _decides(pack, tag),
    }


def control_brief_context(pack: Pack, start: dt.time | None = None) -> dict[str, Any]:
    """The facilitator's script (see the module docstring)."""
    m = pack.manifest
    start = start or dt.time(9, 0)
    timetable = agenda(pack, start)
    turns = _turns(pack, timetable)
    short = abbreviations(pack)
    msel = [
        msel_row(pack, pack.injects_by_id[i["id"]], short)
        for turn in turns
        for i in turn["injects"]
    ]
    parts = m.agenda
    control_roles = [r for r in pack.roles if r.played_by == "control"]
    tracks = []
    for track in m.tracks:
        item = _track(track, pack)
        item["guidance"] = guidance(track, pack)
        tracks.append(item)
    return {
        "kind": "control_brief",
        "exercise": exercise_context(pack),
        "start": start.strftime("%H:%M"),
        "agenda": timetable,
        "finish": timetable[-1]["end"],
        "opening_text": parts.opening.text if parts and parts.opening else "",
        "ground_rules_text": parts.ground_rules.text if parts and parts.ground_rules else "",
        "ground_rules": list(GROUND_RULES),
        "objectives": _objectives(pack),
        "roles": [_role_line(r) for r in pack.roles],
        "control_roles": [r.short_name for r in control_roles],
        "control_played": [_control_role(pack, r) for r in control_roles],
        "player_roles": [r.short_name for r in pack.roles if r.played_by == "player"],
        "turns": turns,
        "msel": msel,
        "msel_key": msel_key(pack, short),
        "inject_count": len(pack.injects),
        "conditional_count": sum(1 for i in pack.injects if i.condition is not None),
        "optional_count": sum(1 for i in pack.injects if i.priority == "optional"),
        "tracks": tracks,
        "move_tags": [_move_tag(pack, t) for t in m.move_tags],
        "bibliography": bibliography(pack),
    }


def _turns(pack: Pack, timetable: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each turn: its slot in the timetable, key question and injects (core first)."""
    m = pack.manifest
    plans = {entry.turn: entry for entry in m.turn_plan}
    slots = {item["turn"]: item for item in timetable if item["turn"] is not None}
    by_turn: dict[int, list[dict[str, Any]]] = {}
    for inject in pack.injects:
        by_turn.setdefault(inject.first_turn, []).append(inject_context(pack, inject))
    turns = []
    for number in range(1, m.turns + 1):
        injects = by_turn.get(number, [])
        ordered = [i for i in injects if i["priority"] == "core"] + [
            i for i in injects if i["priority"] != "core"
        ]
        plan = plans.get(number)
        turns.append(
            {
                "number": number,
                "label": m.turn_label(number),
                "start": slots[number]["start"],
                "end": slots[number]["end"],
                "minutes": slots[number]["minutes"],
                "key_question": plan.key_question if plan is not None else "",
                "injects": ordered,
                "scheduled": [i for i in ordered if not i["conditional"]],
                "conditional": [i for i in ordered if i["conditional"]],
            }
        )
    return turns


def _objectives(pack: Pack) -> list[dict[str, Any]]:
    """Each objective with the injects that exercise it and their turns."""
    exercised: dict[str, list[str]] = {}
    exercised_turns: dict[str, set[int]] = {}
    for inject in pack.injects:
        for objective in inject.objectives:
            exercised.setdefault(objective, []).append(inject.title)
            exercised_turns.setdefault(objective, set()).add(inject.first_turn)
    return [
        {
            "id": o.id,
            "title": o.title,
            "description": o.description,
            "capability": o.capability,
            "injects": exercised.get(o.id, []),
            "turns": sorted(exercised_turns.get(o.id, ())),
        }
        for o in pack.manifest.objectives
    ]
