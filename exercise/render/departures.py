"""Where play departed from a role's stated positions, judged from declared decisions only.

A move tag may declare the topic it acts on and the stance it expresses
(``{id: accept-thaad, topic: thaad-korea, stance: supports}``). For each tag of a move
that declares both, and each position the role stated on that topic:

* **departure** — the tag supports what the position opposes, or opposes what it
  supports;
* **shift** — the tag takes a side (supports or opposes) where the position was
  *ambivalent*, *conditional* or *neutral*.

Nothing is guessed from the move's words: a move without such a tag is not judged.
The report says that these marks are prompts for the debrief, not findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exercise.engine.state import MoveState
    from exercise.pack.models import Pack, Position

HEDGED = ("ambivalent", "conditional", "neutral")
SIDES = ("supports", "opposes")


def _topic_title(pack: Pack, topic_id: str) -> str:
    topic = pack.topics_by_id.get(topic_id)
    return topic.title if topic is not None else topic_id


def _which(position: Position) -> str:
    """The position by its year: the note sits beside (or under) the quoted positions."""
    year = f" of {position.year}" if position.year is not None else ""
    return f"the stated position{year}"


def assess_move(pack: Pack, move: MoveState) -> dict[str, Any]:
    """How a move stands against its role's stated positions (see the module docstring)."""
    result: dict[str, Any] = {"mark": "", "stance": None, "topics": [], "note": "", "tag": ""}
    role = pack.roles_by_id.get(move.role)
    tags = pack.move_tags_by_id
    for tag_id in move.tags:
        tag = tags.get(tag_id)
        if tag is None or tag.topic is None or tag.stance is None:
            continue
        title = _topic_title(pack, tag.topic)
        if title not in result["topics"]:
            result["topics"].append(title)
        if result["stance"] is None:
            result["stance"], result["tag"] = tag.stance, tag.id
        if role is None or tag.stance not in SIDES or result["mark"] == "departure":
            continue
        for position in role.positions:
            if position.topic != tag.topic:
                continue
            verb = "supports" if tag.stance == "supports" else "opposes"
            if {tag.stance, position.stance} == set(SIDES):
                result.update(
                    mark="departure",
                    stance=tag.stance,
                    tag=tag.id,
                    note=(
                        f"“{tag.title}” {verb} {title}, where {_which(position)} "
                        f"{position.stance} it."
                    ),
                )
                break
            if position.stance in HEDGED and not result["mark"]:
                result.update(
                    mark="shift",
                    stance=tag.stance,
                    tag=tag.id,
                    note=(
                        f"“{tag.title}” {verb} {title}, where {_which(position)} was "
                        f"{position.stance}."
                    ),
                )
    return result
