"""Every operation on a session, as one typed value: what may be asked of the engine.

The app, the rehearsal script runner and the tests build these and hand them to
``Session.execute(command, now)``, which checks the command against the state (a refusal
is an ``EngineError`` with a sentence for people), writes its events in one transaction
and returns an ``Outcome``. A command is a frozen value: lists given to it are kept as
tuples and effects as read-only mappings, so it can be logged, compared and run again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING

from exercise import vocab

if TYPE_CHECKING:
    from exercise.engine.events import Event
    from exercise.engine.state import Ruling

Effects = Mapping[str, int]


def _effects() -> Effects:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Command:
    """Base of every operation; a list or dict given to a field is frozen on the way in."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
            elif isinstance(value, dict):
                object.__setattr__(self, f.name, MappingProxyType(dict(value)))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an executed command did: the events it wrote (with the releases they caused),
    the id of what it made (a move, an inject, a note...) and the ruling it made or
    changed. (A ruling's own outcome, accepted or not, is a ``vocab.Outcome``.)"""

    events: tuple[Event, ...]
    created_id: str | None = None
    ruling: Ruling | None = None


# ---------------------------------------------------------------------- the course of play


@dataclass(frozen=True, slots=True)
class StartExercise(Command):
    """Begin turn 1 (its scheduled and satisfied conditional injects come out)."""


@dataclass(frozen=True, slots=True)
class AdvancePhase(Command):
    """The next phase; after consequences, the next turn (or the end)."""


@dataclass(frozen=True, slots=True)
class BackPhase(Command):
    """Back to the previous phase of this turn, while nothing happened in this one."""


@dataclass(frozen=True, slots=True)
class EndExercise(Command):
    """End the exercise now."""


@dataclass(frozen=True, slots=True)
class AdjustTrack(Command):
    """Control moves a track, with a reason."""

    track: str
    delta: int
    reason: str


@dataclass(frozen=True, slots=True)
class PauseTimer(Command):
    """Pause the deliberation timer."""


@dataclass(frozen=True, slots=True)
class ResumeTimer(Command):
    """Resume the paused deliberation timer."""


@dataclass(frozen=True, slots=True)
class ExtendTimer(Command):
    """Give deliberation more minutes."""

    minutes: int


@dataclass(frozen=True, slots=True)
class SkipTimer(Command):
    """End deliberation's countdown now."""


# ---------------------------------------------------------------------- injects


@dataclass(frozen=True, slots=True)
class ReleaseInject(Command):
    """Release a pending, queued or held inject now (a queued one keeps why it fell due)."""

    inject: str


@dataclass(frozen=True, slots=True)
class WithdrawInject(Command):
    """Undo a release soon after it, before players acted on it."""

    inject: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class HoldInject(Command):
    """Keep an inject from coming out until control releases or skips it."""

    inject: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SkipInject(Command):
    """Cut an inject for good, with a reason."""

    inject: str
    reason: str


@dataclass(frozen=True, slots=True)
class EditInject(Command):
    """Change an inject's title and/or body before it comes out."""

    inject: str
    title: str | None = None
    body: str | None = None


@dataclass(frozen=True, slots=True)
class AddAdhocInject(Command):
    """Write an inject live and release it at once (its id, adhoc-N, is ``created_id``).

    ``audience`` is ``"public"`` or the ids of the roles it goes to.
    """

    kind: str
    title: str
    body: str
    audience: str | tuple[str, ...] = "public"
    effects: Effects = field(default_factory=_effects)
    source: str = "control"


# ---------------------------------------------------------------------- moves and rulings


@dataclass(frozen=True, slots=True)
class RecordMove(Command):
    """What a role does this turn (its id, m1, m2..., is ``created_id``). ``actor`` is who
    typed it: the role's player, or control (the default for roles control plays)."""

    role: str
    kind: str
    text: str
    targets: tuple[str, ...] = ()
    secret: bool = False
    tags: tuple[str, ...] = ()
    intent: str = ""
    reasons: tuple[str, ...] = ()
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class CarryMoves(Command):
    """Carry unruled moves to the next turn."""

    moves: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LeaveUnruled(Command):
    """Record that these moves stay unruled, and why (they may still be ruled late)."""

    moves: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Rule(Command):
    """A facilitator ruling: control decides the outcome and its effects."""

    move: str
    outcome: vocab.Outcome
    narrative: str = ""
    effects: Effects = field(default_factory=_effects)


@dataclass(frozen=True, slots=True)
class RollMatrix(Command):
    """Matrix-game roll: 2d6 + strong pros - strong cons; ``vocab.MATRIX_TARGET`` or more
    succeeds (``effects`` apply), less fails (``fail_effects`` apply)."""

    move: str
    pros: int
    cons: int
    narrative: str = ""
    effects: Effects = field(default_factory=_effects)
    fail_effects: Effects = field(default_factory=_effects)


@dataclass(frozen=True, slots=True)
class Vote(Command):
    """The room votes: a majority of the votes cast accepts, a tie rejects."""

    move: str
    votes_for: int
    votes_against: int
    abstain: int = 0
    narrative: str = ""
    effects: Effects = field(default_factory=_effects)
    fail_effects: Effects = field(default_factory=_effects)


@dataclass(frozen=True, slots=True)
class OverrideRuling(Command):
    """Control changes a ruling's outcome, with a reason; ``effects`` are added to it and
    a ``narrative`` replaces its own (the journal keeps both)."""

    move: str
    outcome: vocab.Outcome
    reason: str
    effects: Effects = field(default_factory=_effects)
    narrative: str = ""


@dataclass(frozen=True, slots=True)
class Narrate(Command):
    """A ruling's narrative, written after the fact (after a matrix roll's dice)."""

    move: str
    narrative: str


# ---------------------------------------------------------------------- notes and review


@dataclass(frozen=True, slots=True)
class Observe(Command):
    """A note by control, a strength or an area for improvement, optionally with its
    analysis (root cause) and recommendation (its id, obs-N, is ``created_id``)."""

    text: str
    author: str = "control"
    kind: vocab.ObservationKind = vocab.ObservationKind.STRENGTH
    role: str | None = None
    inject: str | None = None
    objective: str | None = None
    analysis: str = ""
    recommendation: str = ""


@dataclass(frozen=True, slots=True)
class AddHotwash(Command):
    """A role's debrief: what worked, what did not, what it would change."""

    role: str
    worked: str = ""
    did_not: str = ""
    change: str = ""


@dataclass(frozen=True, slots=True)
class AddImprovement(Command):
    """An improvement-plan item: a corrective action with its owner and due date, and the
    observation (area for improvement) it answers (its id, ip-N, is ``created_id``)."""

    action: str
    objective: str
    owner: str
    due: dt.date
    status: vocab.ImprovementStatus = vocab.ImprovementStatus.OPEN
    area: str | None = None
    element: vocab.CapabilityElement | None = None
    poc: str = ""
    start: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RateObjective(Command):
    """Control rates an objective, with its analysis (a later rating replaces it)."""

    objective: str
    rating: vocab.Rating
    analysis: str = ""


@dataclass(frozen=True, slots=True)
class WriteSummary(Command):
    """Control's own executive summary; empty text goes back to the drafted one."""

    text: str


# ---------------------------------------------------------------------- channels, observers


@dataclass(frozen=True, slots=True)
class PostMessage(Command):
    """``sender`` (a member role, or control with a ``voice``) writes on a channel (its id,
    msg-N, is ``created_id``)."""

    channel: str
    text: str
    sender: str
    voice: str = ""


@dataclass(frozen=True, slots=True)
class CloseChannel(Command):
    """Cut a channel from ``from_turn`` (default: now) onward."""

    channel: str
    from_turn: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OpenChannel(Command):
    """Open a closed channel again from ``from_turn`` (default: now) onward."""

    channel: str
    from_turn: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AddObserver(Command):
    """Name an observer, with an optional PIN (its id, oN, is ``created_id``)."""

    name: str
    pin: str = ""


@dataclass(frozen=True, slots=True)
class ObserverNote(Command):
    """An observer's note against a critical task of the evaluation guide, with a rating
    and what it is about (its id, obs-N, is ``created_id``)."""

    observer: str
    text: str
    task: str | None = None
    rating: vocab.Rating | None = None
    kind: vocab.ObservationKind | None = None
    move: str | None = None
    inject: str | None = None
    message: str | None = None
    objective: str | None = None
