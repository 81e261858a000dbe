"""Contexts for role briefs and the control brief, built from the pack alone.

A role brief holds the role's own data and what other actors have *stated publicly*
(their positions with sources), never another role's private information, objectives,
red lines or views. The control brief (the facilitator's script) is built in
``control_brief.py`` from the same pieces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from exercise.render.describe import (
    STANCE_LABELS,
    VOICE_LABELS,
    citation,
    lower_first,
    role_label,
    role_phrase,
)

if TYPE_CHECKING:
    from exercise.pack.models import Pack, Position, Role, Track


def kind_label(kind: str) -> str:
    return kind.replace("_", " ").replace("-", " ").capitalize()


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"”’])[.!?][\"”’)]?\s+(?=[A-Z“\"‘(])")


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of ``text`` on one line (for table cells).

    A sentence ends at '.', '!' or '?' after a lower-case letter or digit and before a
    capital, so abbreviations such as "U.S." do not cut it short.
    """
    flat = " ".join(text.split())
    match = _SENTENCE_END.search(flat)
    if match is not None:
        flat = flat[: match.start() + 1]
    return clip(flat, limit)


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut between words to at most ``limit`` characters ("…")."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def exercise_context(pack: Pack) -> dict[str, Any]:
    m = pack.manifest
    unit = m.turn_length.unit
    length = f"{m.turn_length.count} {unit}{'s' if m.turn_length.count != 1 else ''}"
    return {
        "id": m.id,
        "title": m.title,
        "summary": m.summary,
        "setting": m.setting,
        "turns": m.turns,
        "turn_length": length,
        "first_period": m.turn_label(1),
        "last_period": m.turn_label(m.turns),
        "deliberation_minutes": m.deliberation_minutes,
        "glossary": [{"term": g.term, "definition": g.definition} for g in m.glossary],
    }


def _position(pack: Pack, position: Position) -> dict[str, Any]:
    return {
        "topic": position.topic,
        "stance": position.stance,
        "stance_label": STANCE_LABELS.get(position.stance, position.stance),
        "summary": position.summary,
        "quote": position.quote,
        "year": position.year,
        "voice": position.voice,
        "voice_label": VOICE_LABELS[position.voice],
        "citation": citation(pack, position),
    }


def _topic_title(pack: Pack, topic_id: str) -> str:
    topic = pack.topics_by_id.get(topic_id)
    return topic.title if topic is not None else topic_id.replace("-", " ").capitalize()


def positions_by_topic(pack: Pack, role: Role) -> list[dict[str, Any]]:
    """The role's positions grouped by topic, in the order the topics first appear.

    ``own`` holds the actor's own words; ``read`` how sources and analysts read it.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for position in role.positions:
        groups.setdefault(position.topic, []).append(_position(pack, position))
    out = []
    for topic_id, positions in groups.items():
        topic = pack.topics_by_id.get(topic_id)
        title = _topic_title(pack, topic_id)
        out.append(
            {
                "id": topic_id,
                "title": title,
                "in_sentence": lower_first(title),
                "description": topic.description if topic is not None else "",
                "positions": positions,
                "own": [p for p in positions if p["voice"] == "own"],
                "read": [p for p in positions if p["voice"] != "own"],
            }
        )
    return out


def friction(pack: Pack, role: Role, topic_id: str) -> dict[str, Any]:
    """Where every other actor stands on ``topic_id``: one row per stance it holds.

    Actors with no stated position are counted, not listed.
    """
    rows = []
    silent = []
    for other in pack.roles:
        if other.id == role.id:
            continue
        stated = [p for p in other.positions if p.topic == topic_id]
        if not stated:
            silent.append(other.short_name)
            continue
        by_stance: dict[str, list[Position]] = {}
        for position in stated:
            by_stance.setdefault(position.stance, []).append(position)
        for stance, positions in by_stance.items():
            rows.append(
                {
                    "role_id": other.id,
                    "role": other.short_name,
                    "name": other.name,
                    "stance": stance,
                    "stance_label": STANCE_LABELS.get(stance, stance),
                    "summary": first_sentence(positions[0].summary),
                    "year": positions[0].year,
                }
            )
    return {"rows": rows, "silent": silent, "silent_count": len(silent)}


def decisions(pack: Pack, role_id: str) -> list[dict[str, Any]]:
    """The move tags open to a role: the decisions its player can record."""
    out = []
    for tag in pack.manifest.move_tags:
        if tag.roles and role_id not in tag.roles:
            continue
        out.append(
            {
                "id": tag.id,
                "title": tag.title,
                "topic": _topic_title(pack, tag.topic) if tag.topic else "",
                "stance": tag.stance or "",
                "stance_label": STANCE_LABELS.get(tag.stance, "") if tag.stance else "",
            }
        )
    return out


def role_brief_context(pack: Pack, role_id: str) -> dict[str, Any]:
    """Everything a role brief shows, as plain data."""
    role = pack.roles_by_id[role_id]
    topics = positions_by_topic(pack, role)
    for topic in topics:
        topic["friction"] = friction(pack, role, topic["id"])
    years = sorted({p.year for p in role.positions if p.year})
    return {
        "kind": "role_brief",
        "exercise": exercise_context(pack),
        "role": {
            "id": role.id,
            "name": role.name,
            "short_name": role.short_name,
            "played_by": role.played_by,
            "background": role.background,
            "objectives": list(role.objectives),
            "red_lines": list(role.red_lines),
            "capabilities": list(role.capabilities),
            "private": list(role.private),
            "views": [
                {"role_id": other, "role": role_label(pack, other), "view": view}
                for other, view in role.views.items()
            ],
        },
        "topics": topics,
        "decisions": decisions(pack, role.id),
        "position_years": (f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]))
        if years
        else "",
        "others": [
            {"id": r.id, "name": r.name, "short_name": r.short_name}
            for r in pack.roles
            if r.id != role.id
        ],
        "tracks": [_track(t, pack) for t in pack.manifest.tracks],
    }


def _track(track: Track, pack: Pack | None = None) -> dict[str, Any]:
    levels = []
    for i, level in enumerate(track.levels):
        upper = track.levels[i + 1].min - 1 if i + 1 < len(track.levels) else track.max
        levels.append(
            {"name": level.name, "min": level.min, "max": upper, "description": level.description}
        )
    return {
        "id": track.id,
        "name": track.name,
        "levels_described": any(level.description for level in track.levels),
        "description": track.description,
        "scope": "global" if track.scope == "global" else list(track.scope),
        "scope_label": ""
        if track.scope == "global" or pack is None
        else role_phrase(pack, list(track.scope)),
        "min": track.min,
        "max": track.max,
        "initial": track.initial,
        "initial_level": track.level_at(track.initial),
        "levels": levels,
    }


def audience_label(pack: Pack, audience: str | Sequence[str]) -> str:
    if audience == "public":
        return "Public"
    return "Private to " + ", ".join(role_label(pack, r) for r in audience)
