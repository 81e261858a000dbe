"""Small text helpers shared by the views: names, outcomes, dice, effects, times.

Pack and player text is untrusted, so everything is built as ``rich.text.Text`` (never
markup strings) and shown exactly as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from exercise.vocab import MATRIX_TARGET, InjectStatus, Method, Outcome

if TYPE_CHECKING:
    from exercise.engine import Ruling, SetupState
    from exercise.pack.models import Pack, Role

DICE_FACES = "⚀⚁⚂⚃⚄⚅"
OUTCOME_STYLE: dict[str, str] = {
    Outcome.ACCEPTED: "bold green",
    Outcome.MODIFIED: "bold yellow",
    Outcome.REJECTED: "bold red",
}
STATUS_STYLE: dict[str, str] = {
    InjectStatus.PENDING: "",
    InjectStatus.QUEUED: "bold magenta",
    InjectStatus.HELD: "yellow",
    InjectStatus.RELEASED: "green",
    InjectStatus.SKIPPED: "dim",
    "would-fire": "bold cyan",
    "waiting": "dim",
    "not-yet": "dim",
    "expired": "dim",
}


def role_name(pack: Pack, role: str | None) -> str:
    """A role's name ('Japan'), falling back to its id, or 'Control'."""
    if not role or role == "control":
        return "Control"
    found = pack.roles_by_id.get(role)
    return found.name if found else role


def sender(pack: Pack, from_: str) -> str:
    """Who an inject comes from, as players read it: a role's name, Control, or the outlet."""
    if from_ == "control" or from_ in pack.roles_by_id:
        return role_name(pack, from_)
    return from_


def role_short(pack: Pack, role: str | None) -> str:
    if not role or role == "control":
        return "Control"
    found = pack.roles_by_id.get(role)
    return found.short_name if found else role


def played_roles(pack: Pack, setup: SetupState) -> list[Role]:
    """The roles someone plays (a named player, or control), in the pack's order."""
    return [r for r in pack.roles if r.id in setup.players or r.id in setup.control_roles]


def audience_label(pack: Pack, audience: str | Sequence[str]) -> str:
    if audience == "public":
        return "public"
    return ", ".join(role_short(pack, r) for r in audience)


def dice_text(dice: tuple[int, int] | None) -> str:
    """Two dice as faces and numbers: '⚄ ⚂ (5+3)'."""
    if not dice:
        return ""
    a, b = dice
    return f"{DICE_FACES[a - 1]} {DICE_FACES[b - 1]} ({a}+{b})"


def ruling_line(ruling: Ruling) -> Text:
    """One line that says how a move was ruled, with dice or votes when there were any."""
    text = Text()
    text.append(ruling.outcome.upper(), OUTCOME_STYLE.get(ruling.outcome, "bold"))
    if ruling.method == Method.MATRIX and ruling.dice:
        text.append(
            f"  matrix roll {dice_text(ruling.dice)} +{ruling.pros} pros −{ruling.cons} cons"
            f" = {ruling.total} ({MATRIX_TARGET}+ succeeds)"
        )
    elif ruling.method == Method.VOTE and ruling.votes:
        v = ruling.votes
        text.append(
            f"  vote {v.get('for', 0)} for, {v.get('against', 0)} against, "
            f"{v.get('abstain', 0)} abstaining"
        )
    else:
        text.append("  facilitator ruling")
    if ruling.original_outcome:
        text.append(
            f"  (overridden from {ruling.original_outcome}: {ruling.override_reason})", "italic"
        )
    if ruling.effects:
        text.append("  " + effects_text(ruling.effects), "cyan")
    return text


def effects_text(effects: Mapping[str, int]) -> str:
    return ", ".join(f"{track} {delta:+d}" for track, delta in effects.items())


def parse_effects(text: str, known: list[str]) -> dict[str, int]:
    """'tension +1, alliance-cohesion -2' -> {'tension': 1, 'alliance-cohesion': -2}.

    Raises ValueError with a sentence for the user when a part cannot be read.
    """
    effects: dict[str, int] = {}
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        pieces = part.replace("=", " ").split()
        if len(pieces) == 1:
            # 'tension+1' written without a space
            for i, ch in enumerate(part):
                if ch in "+-" and i > 0:
                    pieces = [part[:i], part[i:]]
                    break
        if len(pieces) != 2:
            raise ValueError(f"write effects as 'track +N', e.g. 'tension +1' (not '{part}')")
        track, delta = pieces
        if track not in known:
            raise ValueError(f"there is no track '{track}' (tracks: {', '.join(known)})")
        try:
            effects[track] = effects.get(track, 0) + int(delta)
        except ValueError:
            raise ValueError(f"'{delta}' is not a whole number in '{part}'") from None
    return effects


_INLINE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|`([^`]+)`")


def inline_markdown(source: str, style: str = "") -> Text:
    """Inject bodies are written in Markdown: show **bold**, *italic* and `code` as
    styles instead of their marks (anything else stays as written)."""
    text = Text(style=style)
    pos = 0
    for match in _INLINE.finditer(source):
        text.append(source[pos : match.start()])
        bold, bold2, italic, code = match.groups()
        if bold or bold2:
            text.append(bold or bold2, "bold")
        elif italic:
            text.append(italic, "italic")
        else:
            text.append(code, "reverse")
        pos = match.end()
    text.append(source[pos:])
    return text


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def when(ts: dt.datetime | None) -> str:
    return ts.strftime("%H:%M") if ts else "--:--"


def turn_heading(pack: Pack, turn: int, phase: str, ended: bool) -> str:
    """'Turn 2 of 8 · April 2026 · deliberation'."""
    manifest = pack.manifest
    if ended:
        return f"Ended after turn {turn} of {manifest.turns}"
    if turn == 0:
        return f"Not started · {manifest.turns} turns from {manifest.turn_label(1)}"
    return f"Turn {turn} of {manifest.turns} · {manifest.turn_label(turn)} · {phase}"


def change_text(delta: int, applied: int | None, low: int, high: int) -> str:
    """The change that was applied: '+1 (capped at 10)' when +2 was asked at 9 of 10."""
    if applied is None or applied == delta:
        return f"{delta:+d}"
    bound = high if delta > 0 else low
    return f"{applied:+d} (capped at {bound}; {delta:+d} asked)"
