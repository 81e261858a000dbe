"""Where play departed from a role's stated positions: a documented, simple heuristic.

A move is linked to a topic when a word of the topic's id or title (three letters or
more, not a common word) appears in the move's tags, tag titles or text. Its direction
comes from its tags and kind only (free text is too easily negated): a tag containing
a word such as *accept, support, deploy, join* points **for**, a tag containing a word
such as *reject, oppose, protest, suspend, withdraw* — or a move of kind ``sanction`` —
points **against**. Then, for each stated position of the role on a linked topic:

* **departure** — the move points against a position stated as *supports*, or for a
  position stated as *opposes*;
* **shift** — the move commits either way where the position was *ambivalent*,
  *conditional* or *neutral*.

Moves with no linked topic or no clear direction are not judged. The report says that
these marks are prompts for the debrief, not findings.
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exercise.engine.state import MoveState
    from exercise.pack.models import Pack



def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(text.split())


FOR_WORDS = _vocabulary(
    "accept accepts support supports deploy deploys deployment offer offers agree agrees join "
    "joins host hosts approve approves endorse endorses welcome expand integrate integration "
    "allow station install reinforce strengthen ratify sign cooperate embrace"
)
AGAINST_WORDS = _vocabulary(
    "reject rejects oppose opposes protest protests refuse refuses withdraw withdraws suspend "
    "suspends cancel cancels block blocks sanction sanctions condemn condemns halt freeze deny "
    "denies veto boycott retaliate retaliation remove removal delay delays downgrade limit "
    "cap restrict"
)
STOPWORDS = _vocabulary(
    "the and for with from into over under about against between korea korean its their "
    "this that policy issue question role"
)
_WORD = re.compile(r"[a-z0-9]+")

_INDEX: weakref.WeakKeyDictionary[Pack, dict[str, Any]] = weakref.WeakKeyDictionary()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _index(pack: Pack) -> dict[str, Any]:
    index = _INDEX.get(pack)
    if index is None:
        topics: dict[str, set[str]] = {}
        topic_ids = {p.topic for role in pack.roles for p in role.positions}
        for topic_id in topic_ids:
            topic = pack.topics_by_id.get(topic_id)
            words = _words(topic_id) | (_words(topic.title) if topic else set())
            topics[topic_id] = {w for w in words if len(w) >= 3 and w not in STOPWORDS}
        tag_words = {tag.id: _words(tag.id) | _words(tag.title) for tag in pack.manifest.move_tags}
        index = {"topics": topics, "tags": tag_words}
        _INDEX[pack] = index
    return index


def _direction(tag_words: set[str], kind: str) -> str | None:
    pro = bool(tag_words & FOR_WORDS)
    con = bool(tag_words & AGAINST_WORDS) or kind == "sanction"
    if pro == con:
        return None
    return "for" if pro else "against"


def assess_move(pack: Pack, move: MoveState) -> dict[str, Any]:
    """How a move stands against its role's stated positions (see the module docstring)."""
    index = _index(pack)
    tag_words: set[str] = set()
    for tag in move.tags:
        tag_words |= index["tags"].get(tag) or _words(tag)
    words = tag_words | _words(move.text)
    direction = _direction(tag_words, move.kind)
    role = pack.roles_by_id.get(move.role)
    result: dict[str, Any] = {"mark": "", "direction": direction, "topics": [], "note": ""}
    if role is None:
        return result
    for position in role.positions:
        keys = index["topics"].get(position.topic, set())
        if not keys & words:
            continue
        topic = pack.topics_by_id.get(position.topic)
        title = topic.title if topic else position.topic
        if title not in result["topics"]:
            result["topics"].append(title)
        if direction is None or result["mark"] == "departure":
            continue
        stance = position.stance
        if (stance == "supports" and direction == "against") or (
            stance == "opposes" and direction == "for"
        ):
            result["mark"] = "departure"
            result["note"] = (f"goes {direction} {title}, where the stated position "
                              f"{stance} it: “{position.summary}”")
        elif stance in ("ambivalent", "conditional", "neutral") and not result["mark"]:
            result["mark"] = "shift"
            result["note"] = (f"commits {direction} {title}, where the stated position was "
                              f"{stance}: “{position.summary}”")
    return result
