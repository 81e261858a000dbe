"""The rehearsal-script format: what a script may say, validated with positions.

A script lists, per turn and phase, what control and the players do. Each action is a
mapping named by its first key (``hold:``, ``move:``, ``roll:``...); unknown keys and
wrong types are reported as ``path:line:col`` like pack errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
)

from exercise.engine.commands import (
    AddAdhocInject,
    AddHotwash,
    AdjustTrack,
    CloseChannel,
    EditInject,
    HoldInject,
    OpenChannel,
    OverrideRuling,
    PostMessage,
    RateObjective,
    ReleaseInject,
    RollMatrix,
    Rule,
    SkipInject,
    Vote,
    WriteSummary,
)
from exercise.pack.errors import problems_from_validation
from exercise.pack.keyed import keyed_union
from exercise.pack.models import Id, IsoDate, Text
from exercise.pack.yamlpos import DataPath, Positions, load_file, load_text
from exercise.problems import Problem, ProblemsError
from exercise.vocab import (
    CapabilityElementWord,
    ImprovementStatus,
    ImprovementStatusWord,
    ObservationKind,
    ObservationKindWord,
    Outcome,
    OutcomeWord,
    Rating,
    RatingWord,
)

Effects = dict[Id, StrictInt]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class HoldAction(_Model):
    """Control holds a pending inject (it waits until released)."""

    hold: Id
    reason: str = ""

    def command(self) -> HoldInject:
        return HoldInject(self.hold, self.reason)


class ReleaseAction(_Model):
    """Control releases an inject now (a held one, or one ahead of its turn)."""

    release: Id

    def command(self) -> ReleaseInject:
        return ReleaseInject(self.release)


class SkipAction(_Model):
    """Control skips a pending inject for good, with a reason."""

    skip: Id
    reason: Text

    def command(self) -> SkipInject:
        return SkipInject(self.skip, self.reason)


class EditAction(_Model):
    """Control rewrites an inject's title or body before it is released."""

    edit: Id
    title: str | None = None
    body: str | None = None

    def command(self) -> EditInject:
        return EditInject(self.edit, self.title, self.body)


class AdhocSpec(_Model):
    """An inject written live by control: released at once."""

    kind: Id
    title: Text
    body: Text
    audience: Literal["public"] | Annotated[list[Id], Field(min_length=1)] = "public"
    effects: Effects = Field(default_factory=dict)
    from_: str = Field(default="control", alias="from")


class AdhocAction(_Model):
    """Control writes and releases an ad-hoc inject."""

    adhoc: AdhocSpec

    def command(self) -> AddAdhocInject:
        spec = self.adhoc
        audience = spec.audience if spec.audience == "public" else tuple(spec.audience)
        return AddAdhocInject(spec.kind, spec.title, spec.body, audience, spec.effects, spec.from_)


class MoveSpec(_Model):
    """What a role does this turn (moves phase only)."""

    role: Id
    kind: Id
    text: Text
    label: str | None = Field(default=None, description="Name rulings use to refer to it.")
    targets: list[Id] = Field(default_factory=list)
    secret: StrictBool = False
    tags: list[Id] = Field(default_factory=list)
    intent: str = ""
    reasons: list[str] = Field(default_factory=list)
    actor: str | None = None


class MoveAction(_Model):
    """A role records a move; give it a label to rule on it by name."""

    move: MoveSpec


class RuleAction(_Model):
    """A facilitator ruling on a move: the outcome and its effects."""

    rule: str = Field(description="The move: its label, or a role that moved once this turn.")
    outcome: OutcomeWord
    narrative: str = ""
    effects: Effects = Field(default_factory=dict)

    def move_ref(self) -> tuple[str, str]:
        return self.rule, "rule"

    def command(self, move: str) -> Rule:
        return Rule(move, Outcome(self.outcome), self.narrative, self.effects)


class RollAction(_Model):
    """A matrix roll: 2d6 + pros - cons, 7 or more succeeds (effects, else fail_effects)."""

    roll: str
    pros: StrictInt = Field(default=0, ge=0)
    cons: StrictInt = Field(default=0, ge=0)
    narrative: str = ""
    effects: Effects = Field(default_factory=dict)
    fail_effects: Effects = Field(default_factory=dict)

    def move_ref(self) -> tuple[str, str]:
        return self.roll, "roll"

    def command(self, move: str) -> RollMatrix:
        return RollMatrix(
            move, self.pros, self.cons, self.narrative, self.effects, self.fail_effects
        )


class VoteAction(_Model):
    """The room votes: a majority of votes cast accepts (effects apply), a tie rejects."""

    vote: str
    for_: StrictInt = Field(alias="for", ge=0)
    against: StrictInt = Field(ge=0)
    abstain: StrictInt = Field(default=0, ge=0)
    narrative: str = ""
    effects: Effects = Field(default_factory=dict)

    def move_ref(self) -> tuple[str, str]:
        return self.vote, "vote"

    def command(self, move: str) -> Vote:
        return Vote(move, self.for_, self.against, self.abstain, self.narrative, self.effects)


class OverrideAction(_Model):
    """Control changes a ruling's outcome, with a reason; effects are added."""

    override: str
    outcome: OutcomeWord
    reason: Text
    effects: Effects = Field(default_factory=dict)

    def move_ref(self) -> tuple[str, str]:
        return self.override, "override"

    def command(self, move: str) -> OverrideRuling:
        return OverrideRuling(move, Outcome(self.outcome), self.reason, self.effects)


class TrackAction(_Model):
    """Control moves a track by hand, with a reason."""

    track: Id
    delta: StrictInt
    reason: Text

    def command(self) -> AdjustTrack:
        return AdjustTrack(self.track, self.delta, self.reason)


class TimerAction(_Model):
    """The deliberation timer (deliberation phase only); extend needs minutes."""

    timer: Literal["pause", "resume", "skip", "extend"]
    minutes: StrictInt | None = Field(default=None, ge=1)


class ObserveAction(_Model):
    """An observation: a strength or an area for improvement, optionally tied to a
    role, an inject and an objective."""

    observe: Text
    kind: ObservationKindWord = ObservationKind.STRENGTH.value
    author: Text = "control"
    role: Id | None = None
    inject: str | None = None
    objective: Id | None = None
    analysis: str = Field(default="", description="Root cause.")
    recommendation: str = ""
    label: str | None = Field(default=None, description="Name improvement items use for it.")
    observer: str | None = Field(default=None, description="An observer's name (from observers).")
    task: Id | None = Field(default=None, description="A critical task of the pack.")
    rating: RatingWord | None = None
    about_move: str | None = Field(
        default=None, description="The move it is about: its label, or a role that moved once."
    )


class MessageAction(_Model):
    """A role (``from``) or control as a named ``voice`` writes on a channel."""

    message: str = Field(description="The channel: its id, or 'role+role' for a direct one.")
    text: Text
    from_: Id | None = Field(default=None, alias="from")
    voice: str | None = None

    def command(self) -> PostMessage:
        return PostMessage(self.message, self.text, self.from_ or "control", self.voice or "")


class CloseAction(_Model):
    """Control closes a channel from a turn (default: the current one) onward."""

    close: str
    reason: str = ""
    from_turn: StrictInt | None = Field(default=None, ge=1)

    def command(self) -> CloseChannel:
        return CloseChannel(self.close, self.from_turn, self.reason)


class OpenAction(_Model):
    """Control opens a closed channel again from a turn (default: the current one)."""

    open: str
    reason: str = ""
    from_turn: StrictInt | None = Field(default=None, ge=1)

    def command(self) -> OpenChannel:
        return OpenChannel(self.open, self.from_turn, self.reason)


class HotwashAction(_Model):
    """A role's hotwash entry: what worked, what did not, what to change."""

    hotwash: Id
    worked: str = ""
    did_not: str = ""
    change: str = ""

    def command(self) -> AddHotwash:
        return AddHotwash(self.hotwash, self.worked, self.did_not, self.change)


class ImproveAction(_Model):
    """An improvement-plan item: a corrective action with objective, owner and due date."""

    improve: Text
    objective: Id
    owner: Text
    due: IsoDate
    status: ImprovementStatusWord = ImprovementStatus.OPEN.value
    area: str | None = Field(default=None, description="The observation's label it answers.")
    element: CapabilityElementWord | None = None
    poc: str = ""
    start: IsoDate | None = None


class RateAction(_Model):
    """Control's HSEEP rating of an objective, with its analysis."""

    rate: Id
    rating: RatingWord
    analysis: str = ""

    def command(self) -> RateObjective:
        return RateObjective(self.rate, Rating(self.rating), self.analysis)


class SummaryAction(_Model):
    """Control's executive summary, replacing the one the report drafts."""

    summary: Text

    def command(self) -> WriteSummary:
        return WriteSummary(self.summary)


class WaitAction(_Model):
    """Let minutes pass on the script's clock (the timer, timestamps)."""

    wait: StrictInt = Field(ge=0, description="Minutes to let pass on the script's clock.")


_ACTIONS: dict[str, type[BaseModel]] = {
    "hold": HoldAction,
    "release": ReleaseAction,
    "skip": SkipAction,
    "edit": EditAction,
    "adhoc": AdhocAction,
    "move": MoveAction,
    "rule": RuleAction,
    "roll": RollAction,
    "vote": VoteAction,
    "override": OverrideAction,
    "track": TrackAction,
    "timer": TimerAction,
    "observe": ObserveAction,
    "hotwash": HotwashAction,
    "improve": ImproveAction,
    "rate": RateAction,
    "summary": SummaryAction,
    "wait": WaitAction,
    "message": MessageAction,
    "close": CloseAction,
    "open": OpenAction,
}


#: Any one action, as the type checker sees ``Action``.
AnyAction = (
    HoldAction
    | ReleaseAction
    | SkipAction
    | EditAction
    | AdhocAction
    | MoveAction
    | RuleAction
    | RollAction
    | VoteAction
    | OverrideAction
    | TrackAction
    | TimerAction
    | ObserveAction
    | HotwashAction
    | ImproveAction
    | RateAction
    | SummaryAction
    | WaitAction
    | MessageAction
    | CloseAction
    | OpenAction
)

if TYPE_CHECKING:
    Action: TypeAlias = AnyAction
else:  # pydantic reads it as a union keyed by each action's first key
    Action = keyed_union(_ACTIONS, "action", error_type="script_action")


class TurnScript(_Model):
    """What happens in one turn, phase by phase (each a list of actions)."""

    turn: StrictInt = Field(ge=1)
    injects: list[Action] = Field(default_factory=list)
    deliberation: list[Action] = Field(default_factory=list)
    moves: list[Action] = Field(default_factory=list)
    adjudication: list[Action] = Field(default_factory=list)
    consequences: list[Action] = Field(default_factory=list)


class Script(_Model):
    """A rehearsal script (``rehearsal.yaml`` in a pack, or any file given with --script)."""

    name: str = "Rehearsal"
    seed: StrictInt = 1
    start: str | None = Field(default=None, description="Clock at the start, ISO 8601.")
    step_minutes: StrictInt = Field(default=2, ge=0, description="Clock advance per action.")
    players: dict[Id, str] | None = None
    control_roles: list[Id] | None = None
    observers: list[Text] = Field(default_factory=list, description="Observers' names.")
    before: list[Action] = Field(default_factory=list)
    turns: list[TurnScript] = Field(default_factory=list)
    after: list[Action] = Field(default_factory=list)
    end: StrictBool = Field(default=True, description="Play to the end of the last turn.")

    @field_validator("start")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                dt.datetime.fromisoformat(value)
            except ValueError as exc:
                raise ValueError("must be a date and time like 2026-03-12T09:00:00") from exc
        return value


@dataclass
class LoadedScript:
    script: Script
    positions: Positions

    def problem(self, path: DataPath, message: str) -> Problem:
        return self.positions.problem(path, message)


def _validate(data: Any, positions: Positions) -> LoadedScript:
    if not isinstance(data, dict):
        raise ProblemsError([positions.problem((), "a script must be a YAML mapping")])
    try:
        return LoadedScript(Script.model_validate(data), positions)
    except ValidationError as exc:
        raise ProblemsError(
            problems_from_validation(exc, data, positions, Script, list_fields=True)
        ) from None


def load_script(path: Path | str, rel: str | None = None) -> LoadedScript:
    path = Path(path)
    data, positions = load_file(path, rel or str(path))
    return _validate(data, positions)


def parse_script(text: str, rel: str = "script.yaml") -> LoadedScript:
    data, positions = load_text(text, rel)
    return _validate(data, positions)
