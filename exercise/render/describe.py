"""Plain-English wording for pack data: conditions, effects, stances, citations.

Used by briefs and reports alike, so a facilitator reads the same sentence for the same
condition in the control brief and in the after-action report.
"""

from __future__ import annotations

from collections.abc import Mapping
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

if TYPE_CHECKING:
    from exercise.pack.models import Pack, Position

OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}

STANCE_LABELS = {
    "supports": "Supports",
    "opposes": "Opposes",
    "ambivalent": "Ambivalent",
    "conditional": "Conditional",
    "neutral": "Neutral",
}


def role_label(pack: Pack, role_id: str) -> str:
    """A role's short name, or the id itself for 'control' and unknown senders."""
    role = pack.roles_by_id.get(role_id)
    if role is not None:
        return role.short_name
    return "Control" if role_id == "control" else role_id


_THE = ("United ", "Republic ", "People's ", "Democratic ", "Russian Federation", "European ")


def with_article(name: str) -> str:
    """'the United States', 'the ROK', 'Japan': a country's name as it reads in a sentence."""
    bare = name.replace(".", "").replace("-", "")
    if name.startswith(_THE) or (bare.isupper() and len(bare) >= 2):
        return f"the {name}"
    return name


def possessive(name: str) -> str:
    """ "Japan's", "the United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def role_phrase(pack: Pack, role_ids: list[str]) -> str:
    """Role ids as English: 'the United States and the ROK'."""
    names = [with_article(role_label(pack, r)) for r in role_ids]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def lower_first(title: str) -> str:
    """A title inside a sentence: 'A THAAD battery' -> 'a THAAD battery', acronyms kept."""
    first, _, rest = title.partition(" ")
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return title
    return first[:1].lower() + first[1:] + (" " + rest if rest else "")


VOICE_LABELS = {
    "own": "In its own words",
    "reported": "As the source reports it",
    "assessment": "An analyst's assessment",
    "recommendation": "An analyst's recommendation",
    None: "Voice not stated",
}


def track_label(pack: Pack, track_id: str) -> str:
    track = pack.tracks_by_id.get(track_id)
    return track.name if track is not None else track_id


def tag_label(pack: Pack, tag_id: str) -> str:
    for tag in pack.manifest.move_tags:
        if tag.id == tag_id:
            return tag.title
    return tag_id


def inject_label(pack: Pack, inject_id: str) -> str:
    inject = pack.injects_by_id.get(inject_id)
    return f"“{inject.title}”" if inject is not None else f"'{inject_id}'"


def channel_phrase(pack: Pack, channel_id: str) -> str:
    """'the U.S.–China defence hotline', 'the direct channel between the US and China'."""
    channel = pack.channels_by_id.get(channel_id)
    if channel is not None:
        name = channel.name
        return name if name.lower().startswith("the ") else f"the {name}"
    first, plus, second = channel_id.partition("+")
    if plus and first in pack.roles_by_id and second in pack.roles_by_id:
        return f"the direct channel between {role_phrase(pack, [first, second])}"
    return f"the channel '{channel_id}'"


def _message(cond: MessageCondition, pack: Pack, negated: bool) -> str:
    """'China has written on the hotline this turn' (or has not)."""
    match = cond.message
    where = f"on {channel_phrase(pack, match.channel)}" if match.channel else "on any channel"
    when = " this turn" if match.turn == "this" else ""
    if match.from_:
        who = with_article(role_label(pack, match.from_))
        return f"{who} {'has not written' if negated else 'has written'} {where}{when}"
    posted = "no message has been posted" if negated else "a message has been posted"
    return f"{posted} {where}{when}"


def _exchanged(cond: ExchangedCondition, pack: Pack, negated: bool) -> str:
    """'the United States and China have both written, this turn, on a channel they share'."""
    pair = role_phrase(pack, list(cond.exchanged))
    verb = "have not both written" if negated else "have both written"
    return f"{pair} {verb}, this turn, on a channel they share"


def describe_condition(cond: Any, pack: Pack, *, nested: bool = False) -> str:
    """A condition as a sentence fragment, e.g. 'Regional tension ≥ 6 and ROK made ...'."""
    if isinstance(cond, TrackCondition):
        return f"{track_label(pack, cond.track)} {OPS.get(cond.op, cond.op)} {cond.value}"
    if isinstance(cond, ReleasedCondition):
        return f"{inject_label(pack, cond.released)} has been released"
    if isinstance(cond, MoveCondition):
        match = cond.move
        what = f"a {match.kind} move" if match.kind else "a move"
        if match.tag:
            what += f" tagged {match.tag} ({tag_label(pack, match.tag)})"
        who = role_label(pack, match.role) if match.role else "any role"
        text = f"{who} made {what}"
        outcomes = match.outcomes
        text += " (ruled or not)" if outcomes is None else " ruled " + " or ".join(outcomes)
        return text
    if isinstance(cond, ChanceCondition):
        return f"a {cond.chance:.0%} chance comes up"
    if isinstance(cond, MessageCondition):
        return _message(cond, pack, negated=False)
    if isinstance(cond, ExchangedCondition):
        return _exchanged(cond, pack, negated=False)
    if isinstance(cond, AllCondition | AnyCondition):
        parts = cond.all if isinstance(cond, AllCondition) else cond.any
        joiner = " and " if isinstance(cond, AllCondition) else " or "
        text = joiner.join(describe_condition(part, pack, nested=True) for part in parts)
        return f"({text})" if nested and len(parts) > 1 else text
    if isinstance(cond, NotCondition):
        return _negated(cond.not_, pack)
    return str(cond)


_NEGATED_OPS = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠", "!=": "="}


def _negated(cond: Any, pack: Pack) -> str:
    """'not X' said the way a person would say it."""
    if isinstance(cond, TrackCondition):
        return f"{track_label(pack, cond.track)} {_NEGATED_OPS[cond.op]} {cond.value}"
    if isinstance(cond, ReleasedCondition):
        return f"{inject_label(pack, cond.released)} has not been released"
    if isinstance(cond, MoveCondition):
        text = describe_condition(cond, pack)
        return text.replace(" made ", " has not made ", 1)
    if isinstance(cond, MessageCondition):
        return _message(cond, pack, negated=True)
    if isinstance(cond, ExchangedCondition):
        return _exchanged(cond, pack, negated=True)
    if isinstance(cond, NotCondition):
        return describe_condition(cond.not_, pack, nested=True)
    return "not " + describe_condition(cond, pack, nested=True)


def describe_effects(effects: Mapping[str, int], pack: Pack) -> str:
    """'Regional tension +1, US–ROK relations −1' (empty string for no effects)."""
    return ", ".join(
        f"{track_label(pack, track)} {delta:+d}" for track, delta in effects.items() if delta
    )


def describe_window(first: int, last: int) -> str:
    return f"turn {first}" if first == last else f"turns {first}–{last}"


def source_title(source: Any) -> str:
    """A source's title, marked "[title supplied]" when the pack's author wrote it."""
    return f"{source.title} [title supplied]" if source.title_supplied else source.title


def bibliography(pack: Pack, *, cited_only: bool = False) -> list[dict[str, Any]]:
    """Each source with the roles whose positions cite it (only the cited ones when
    ``cited_only``): the control brief lists them all, the report what it drew on."""
    cited: dict[str, list[str]] = {}
    for role in pack.roles:
        for position in role.positions:
            names = cited.setdefault(position.source, [])
            if role.short_name not in names:
                names.append(role.short_name)
    return [
        {
            "id": s.id,
            "title": source_title(s),
            "author": s.author,
            "publisher": s.publisher,
            "date": s.date,
            "kind": s.kind,
            "url": s.url,
            "cited_by": cited.get(s.id, []),
        }
        for s in pack.manifest.sources
        if s.id in cited or not cited_only
    ]


def citation(pack: Pack, position: Position) -> dict[str, Any]:
    """The parts of a position's citation, and one formatted line.

    The year is when the position was stated; without one, the source's publication
    date is given whole, as written ("October 2010", "mid-2020s", "n.d.").
    """
    source = pack.sources_by_id.get(position.source)
    title = source.title if source is not None else position.source
    shown = source_title(source) if source is not None else title
    author = source.author if source is not None else ""
    # An undated position cites its source's own date text, whole ("mid-2020s").
    date = source.date.strip() if source is not None and source.date else ""
    year: Any = position.year or date
    locator = position.locator if position.locator.strip() != title.strip() else ""
    parts = [part for part in (author, f"“{shown}”", locator, str(year or "")) if part]
    return {
        "source_id": position.source,
        "title": shown,
        "author": author,
        "locator": position.locator,
        "year": position.year,
        "date": date,
        "text": ", ".join(parts),
    }


# --------------------------------------------------------------------------- read aloud

_SPOKEN_OPS = {
    ">=": "is at least",
    ">": "is above",
    "<=": "is at most",
    "<": "is below",
    "==": "is exactly",
    "!=": "is not",
}
_SPOKEN_NEGATED = {
    ">=": "is below",
    ">": "is at most",
    "<=": "is above",
    "<": "is at least",
    "==": "is not",
    "!=": "is exactly",
}


def _spoken_inject(pack: Pack, inject_id: str) -> str:
    inject = pack.injects_by_id.get(inject_id)
    if inject is None:
        return f"the inject '{inject_id}'"
    kind = inject.kind.replace("_", " ").replace("-", " ")
    return f"the “{inject.title}” {kind}"


def _spoken_move(cond: MoveCondition, pack: Pack, negated: bool) -> str:
    match = cond.move
    actor = with_article(role_label(pack, match.role)) if match.role else "any role"
    who = possessive(actor) if match.role else "a"
    if match.tag:
        what = f"move “{tag_label(pack, match.tag)}”"
    elif match.kind:
        what = f"{match.kind.replace('_', ' ')} move"
    else:
        what = "move"
    outcomes = match.outcomes
    if outcomes is not None:
        by = "" if match.role else " by any role"
        ruled = " or ".join(outcomes)
        return f"{who} {what}{by} {'was not' if negated else 'was'} {ruled}"
    article = "the" if match.tag else "a"
    return f"{actor} {'has not made' if negated else 'has made'} {article} {what}"


def read_aloud(cond: Any, pack: Pack, *, negated: bool = False, nested: bool = False) -> str:
    """A condition as a facilitator says it: "Japan's move “...” was accepted, and the
    “...” press report has not gone out" (without the leading "if")."""
    if isinstance(cond, TrackCondition):
        ops = _SPOKEN_NEGATED if negated else _SPOKEN_OPS
        return f"{track_label(pack, cond.track)} {ops[cond.op]} {cond.value}"
    if isinstance(cond, ReleasedCondition):
        verb = "has not gone out" if negated else "has gone out"
        return f"{_spoken_inject(pack, cond.released)} {verb}"
    if isinstance(cond, MoveCondition):
        return _spoken_move(cond, pack, negated)
    if isinstance(cond, ChanceCondition):
        chance = f"a {cond.chance:.0%} chance"
        return f"{chance} does not come up" if negated else f"{chance} comes up"
    if isinstance(cond, MessageCondition):
        return _message(cond, pack, negated)
    if isinstance(cond, ExchangedCondition):
        return _exchanged(cond, pack, negated)
    if isinstance(cond, NotCondition):
        return read_aloud(cond.not_, pack, negated=not negated, nested=nested)
    if isinstance(cond, AllCondition | AnyCondition):
        both = isinstance(cond, AllCondition) != negated  # De Morgan when negated
        parts = [
            read_aloud(part, pack, negated=negated, nested=True)
            for part in (cond.all if isinstance(cond, AllCondition) else cond.any)
        ]
        if len(parts) == 1:
            return parts[0]
        joined = ", ".join(parts[:-1]) + (", and " if both else ", or ") + parts[-1]
        if len(parts) == 2:
            joined = parts[0] + (" and " if both else " or ") + parts[1]
        if nested:
            return ("both " if both else "either ") + joined
        return joined
    return str(cond)
