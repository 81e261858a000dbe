"""The MSEL on one sheet: every inject on one line of short cells, for the control brief.

A facilitator keeps this sheet beside the script, so it must fit one landscape page:
role names longer than a word or two are abbreviated (a key under the table spells
them out), built-in inject kinds get one-word labels, and a condition is written as a
cue rather than a sentence: ``ROK accept-thaad`` (the ROK's move tagged
``accept-thaad`` was accepted or modified), ``t2-sma-demand out`` (that inject has gone
out), ``no Japan/US intercept-overflight`` (neither made that move). The sentence to
read aloud stays in the turn-by-turn section.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from exercise.pack.models import (
    AllCondition,
    AnyCondition,
    ChanceCondition,
    ExchangedCondition,
    MessageCondition,
    MoveCondition,
    NotCondition,
    ReleasedCondition,
    TrackCondition,
)
from exercise.render.briefs import clip, kind_label
from exercise.render.describe import OPS, describe_window, track_label
from exercise.vocab import COUNTED_OUTCOMES

if TYPE_CHECKING:
    from exercise.pack.models import Inject, Pack

#: One-word labels for the built-in inject kinds; a pack's own kinds keep their label.
KIND_SHORT = {
    "missile_launch": "Launch",
    "basing_announcement": "Basing",
    "diplomatic_protest": "Protest",
    "intelligence_report": "Intelligence",
    "press_report": "Press",
    "military_movement": "Military",
    "alliance_consultation": "Consultation",
    "economic_measure": "Economic",
    "statement": "Statement",
    "ultimatum": "Ultimatum",
}
PRIORITY_SHORT = {"core": "core", "optional": "opt."}
LONG_NAME = 10  # characters: a longer short name of several words goes by its initials
TITLE_LIMIT = 80  # characters: a longer title is cut (it is whole in the turn section)
CUE_LIMIT = 72  # characters: likewise for a condition's cue
_NEGATED_OPS = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠", "!=": "="}


def abbreviations(pack: Pack) -> dict[str, str]:
    """Each role's name on the sheet: its short name, or the initials of a long one of
    several words ("United States" -> "US") when no other role would read the same."""
    initials = {}
    for role in pack.roles:
        words = role.short_name.split()
        letters = "".join(word[0] for word in words)
        if len(role.short_name) > LONG_NAME and len(words) > 1 and letters.isupper():
            initials[role.id] = letters
    taken = Counter([role.short_name for role in pack.roles] + list(initials.values()))
    return {
        role.id: initials[role.id]
        if role.id in initials and taken[initials[role.id]] == 1
        else role.short_name
        for role in pack.roles
    }


def _channel(pack: Pack, names: dict[str, str], channel_id: str) -> str:
    """A channel's name, or 'the US–ROK channel' for a direct one."""
    channel = pack.channels_by_id.get(channel_id)
    if channel is not None:
        return channel.name
    first, plus, second = channel_id.partition("+")
    if plus and first in names and second in names:
        return f"the {names[first]}–{names[second]} channel"
    return channel_id


def _role(names: dict[str, str], role_id: str | None) -> str:
    if role_id is None:
        return "any role"
    return names.get(role_id, "Control" if role_id == "control" else role_id)


def _ruled(outcomes: tuple[str, ...] | None) -> str:
    if outcomes is None:
        return " (ruled or not)"
    if tuple(sorted(outcomes)) == tuple(sorted(COUNTED_OUTCOMES)):
        return ""
    return " (" + " or ".join(outcomes) + ")"


def _move_key(cond: MoveCondition) -> tuple[Any, ...]:
    match = cond.move
    return (match.tag, match.kind, match.outcomes)


def _moves(conds: list[MoveCondition], names: dict[str, str], negated: bool) -> str:
    """Moves alike but for their role, as one cue: 'Japan/US intercept-overflight'."""
    match = conds[0].move
    who = "/".join(_role(names, c.move.role) for c in conds)
    if match.tag:
        what = match.tag
    elif match.kind:
        what = f"{match.kind.replace('_', ' ')} move"
    else:
        what = "move"
    return f"{'no ' if negated else ''}{who} {what}{_ruled(match.outcomes)}"


def _group(parts: list[Any]) -> list[Any]:
    """Move conditions of one 'any' that differ only by their role, as one list each."""
    out: list[Any] = []
    seen: dict[tuple[Any, ...], list[MoveCondition]] = {}
    for part in parts:
        if isinstance(part, MoveCondition) and part.move.role is not None:
            key = _move_key(part)
            if key in seen:
                seen[key].append(part)
                continue
            seen[key] = [part]
            out.append(seen[key])
        else:
            out.append(part)
    return out


def cue(cond: Any, pack: Pack, names: dict[str, str], *, negated: bool = False) -> str:
    """A condition in a few words for the one-sheet MSEL (see the module docstring)."""
    return _cue(cond, pack, names, negated, nested=False)


def _cue(cond: Any, pack: Pack, names: dict[str, str], negated: bool, nested: bool) -> str:
    if isinstance(cond, list):  # merged moves from _group
        return _moves(cond, names, negated)
    if isinstance(cond, TrackCondition):
        op = _NEGATED_OPS[cond.op] if negated else cond.op
        return f"{track_label(pack, cond.track)} {OPS.get(op, op)} {cond.value}"
    if isinstance(cond, ReleasedCondition):
        return f"{cond.released} {'not out' if negated else 'out'}"
    if isinstance(cond, MoveCondition):
        return _moves([cond], names, negated)
    if isinstance(cond, ChanceCondition):
        return f"{'no ' if negated else ''}{cond.chance:.0%} chance"
    if isinstance(cond, MessageCondition):
        match = cond.message
        who = _role(names, match.from_) if match.from_ else "anyone"
        where = f" on {_channel(pack, names, match.channel)}" if match.channel else ""
        when = " this turn" if match.turn == "this" else ""
        return f"{'no ' if negated else ''}message from {who}{where}{when}"
    if isinstance(cond, ExchangedCondition):
        first, second = (_role(names, r) for r in cond.exchanged)
        return f"{first} and {second} {'did not talk' if negated else 'talked'} this turn"
    if isinstance(cond, NotCondition):
        return _cue(cond.not_, pack, names, not negated, nested)
    if isinstance(cond, AllCondition | AnyCondition):
        both = isinstance(cond, AllCondition) != negated  # De Morgan when negated
        # moves alike but for their role merge in an 'any': 'Japan/US x' reads "either
        # made it", and negated, 'no Japan/US x' reads "neither made it"
        parts = cond.all if isinstance(cond, AllCondition) else _group(cond.any)
        texts = [_cue(part, pack, names, negated, nested=True) for part in parts]
        joined = (" and " if both else " or ").join(texts)
        return f"({joined})" if nested and len(texts) > 1 else joined
    return str(cond)


def msel_row(pack: Pack, inject: Inject, names: dict[str, str]) -> dict[str, Any]:
    """One inject as the sheet shows it."""
    spoken = cue(inject.condition, pack, names) if inject.condition is not None else ""
    return {
        "id": inject.id,
        "turns": describe_window(inject.first_turn, inject.last_turn).split(" ", 1)[1],
        "priority": inject.priority,
        "priority_short": PRIORITY_SHORT.get(inject.priority, inject.priority),
        "kind": KIND_SHORT.get(inject.kind, kind_label(inject.kind)),
        "from": _role(names, inject.from_),
        "to": "All" if inject.is_public else ", ".join(_role(names, r) for r in inject.audience),
        "title": clip(inject.title, TITLE_LIMIT),
        "cue": clip(spoken, CUE_LIMIT) if spoken else "",
    }


def msel_key(pack: Pack, names: dict[str, str]) -> list[str]:
    """The abbreviations the sheet uses for roles, spelt out: 'US: United States'."""
    return [
        f"{names[role.id]}: {role.short_name}"
        for role in pack.roles
        if names[role.id] != role.short_name
    ]
