"""The words of an exercise, defined once: phases, inject states, outcomes, ratings...

Each is a ``StrEnum``, so a value is also the plain string a journal, a pack or a report
holds: a journal written before these types existed reads the same, ``"accepted" ==
Outcome.ACCEPTED``, and JSON output is unchanged. Everything else (the engine's checks,
the pack's fields, the forms of the app, the report) takes its choices from here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal


class Phase(StrEnum):
    """Where the exercise stands: before turn 1, one of a turn's phases, or ended."""

    SETUP = "setup"
    INJECTS = "injects"
    DELIBERATION = "deliberation"
    MOVES = "moves"
    ADJUDICATION = "adjudication"
    CONSEQUENCES = "consequences"
    ENDED = "ended"


#: The phases of one turn, in their order.
TURN_PHASES: tuple[Phase, ...] = (
    Phase.INJECTS,
    Phase.DELIBERATION,
    Phase.MOVES,
    Phase.ADJUDICATION,
    Phase.CONSEQUENCES,
)


class InjectStatus(StrEnum):
    """An inject's state: still to come, waiting in control's queue, held, out, or cut."""

    PENDING = "pending"
    QUEUED = "queued"
    HELD = "held"
    RELEASED = "released"
    SKIPPED = "skipped"

    @property
    def done(self) -> bool:
        """Released or skipped: nothing more can be done with it."""
        return self in (InjectStatus.RELEASED, InjectStatus.SKIPPED)


class Outcome(StrEnum):
    """What a ruling decided about a move."""

    ACCEPTED = "accepted"
    MODIFIED = "modified"
    REJECTED = "rejected"


#: What a move condition counts when the pack does not say (``ruled`` left out).
COUNTED_OUTCOMES: tuple[Outcome, ...] = (Outcome.ACCEPTED, Outcome.MODIFIED)


class Method(StrEnum):
    """How a move was adjudicated."""

    FACILITATOR = "facilitator"
    MATRIX = "matrix"
    VOTE = "vote"


class ReleaseCause(StrEnum):
    """Why an inject came out."""

    SCHEDULED = "scheduled"
    CONDITION = "condition"
    CONTROL = "control"
    ADHOC = "adhoc"


class ConditionKind(StrEnum):
    """What a condition's answer can rest on, as recorded with the release it caused."""

    MOVE = "move"  # a move (its id)
    TRACK = "track"  # a track's value (the track's id)
    RELEASED = "released"  # another inject's release (its id)
    CHANCE = "chance"  # a chance draw (the number drawn)
    MESSAGE = "message"  # a message (its id)
    EXCHANGED = "exchanged"  # two roles wrote to each other (their ids, "a+b")


class ReleaseMode(StrEnum):
    """Automatic: due injects come out at once; staged: they wait for control."""

    AUTOMATIC = "automatic"
    STAGED = "staged"


class ObservationKind(StrEnum):
    """HSEEP's two kinds of observation."""

    STRENGTH = "strength"
    IMPROVEMENT = "improvement"


class ImprovementStatus(StrEnum):
    """Where an improvement-plan item stands."""

    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"


class CapabilityElement(StrEnum):
    """HSEEP's capability elements, where a corrective action applies."""

    PLANNING = "planning"
    ORGANISATION = "organisation"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    EXERCISE = "exercise"


class Rating(StrEnum):
    """HSEEP's rating of an objective or a critical task, by the letter control types."""

    P = "P"
    S = "S"
    M = "M"
    U = "U"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]

    @property
    def kind(self) -> ObservationKind:
        """The kind of observation a note rated this way is, unless it says."""
        if self in (Rating.M, Rating.U):
            return ObservationKind.IMPROVEMENT
        return ObservationKind.STRENGTH


_RATING_LABELS = {
    Rating.P: "Performed without Challenges",
    Rating.S: "Performed with Some Challenges",
    Rating.M: "Performed with Major Challenges",
    Rating.U: "Unable to be Performed",
}

#: A matrix roll (2d6 + strong pros - strong cons) succeeds at this total or more.
MATRIX_TARGET = 7


def words(enum: type[StrEnum]) -> Any:
    """``Literal["a", "b", ...]`` of an enum's values, for the models that read packs and
    scripts: they take plain strings, and a wrong value is reported as for any literal."""
    return Literal[tuple(member.value for member in enum)]


# The same words as field types of those models (plain ``str`` to the type checker).
if TYPE_CHECKING:
    OutcomeWord = str
    ObservationKindWord = str
    ImprovementStatusWord = str
    CapabilityElementWord = str
    RatingWord = str
    ReleaseModeWord = str
else:
    OutcomeWord = words(Outcome)
    ObservationKindWord = words(ObservationKind)
    ImprovementStatusWord = words(ImprovementStatus)
    CapabilityElementWord = words(CapabilityElement)
    RatingWord = words(Rating)
    ReleaseModeWord = words(ReleaseMode)
