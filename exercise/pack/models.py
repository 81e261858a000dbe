"""The scenario-pack format: the contract authors write against.

Every model forbids unknown fields so a typo in a pack is an error, not a silently
ignored key. Cross-references (role ids, track ids...) are checked later, in
``checks.py``, because they span files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    field_validator,
    model_validator,
)

from exercise.pack.keyed import keyed_union
from exercise.vocab import COUNTED_OUTCOMES, OutcomeWord, ReleaseMode, ReleaseModeWord

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="Lower-case identifier: letters, digits, '-' and '_'.",
    ),
]
Text = Annotated[str, Field(min_length=1)]


def _iso_date(value: Any) -> Any:
    """YAML dates are kept as text by our loader; read them strictly as YYYY-MM-DD."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("must be a date written YYYY-MM-DD") from exc
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

#: Inject kinds every pack may use; a manifest may add its own in ``inject_kinds``.
BUILTIN_INJECT_KINDS: tuple[str, ...] = (
    "missile_launch",
    "basing_announcement",
    "diplomatic_protest",
    "intelligence_report",
    "press_report",
    "military_movement",
    "alliance_consultation",
    "economic_measure",
    "statement",
    "ultimatum",
)

#: Move kinds players may record; a manifest may add its own in ``move_kinds``.
BUILTIN_MOVE_KINDS: tuple[str, ...] = (
    "statement",
    "diplomatic",
    "deployment",
    "military",
    "economic",
    "sanction",
    "proposal",
    "intelligence",
)

Stance = Literal["supports", "opposes", "ambivalent", "conditional", "neutral"]
#: Whose words a position reports: the actor's own, the source's account of them, an
#: analyst's reading of the actor, or an analyst's advice to it.
Voice = Literal["own", "reported", "assessment", "recommendation"]
PlayedBy = Literal["player", "control"]


class Strict(BaseModel):
    """Base for pack models: unknown fields are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- manifest


class Objective(Strict):
    id: Id
    title: Text
    description: str = ""
    capability: str = Field(
        default="",
        description="The capability it tests: an HSEEP core capability or the pack's own.",
    )


class Level(Strict):
    """A named band of a track: applies from ``min`` up to the next level's ``min``."""

    name: Text
    min: StrictInt
    description: str = ""


@dataclass(frozen=True, slots=True)
class Band:
    """The values ``low`` to ``high`` (both included) that one level of a track covers."""

    name: str
    low: int
    high: int


def level_bands(levels: Sequence[tuple[str, int]], low: int, high: int) -> list[Band]:
    """Each level's values within ``low``..``high``, lowest first; a level that covers
    none of them is left out. ``levels`` are (name, min) in increasing order of min."""
    inside = [(name, start) for name, start in levels if start <= high]
    bands = []
    for i, (name, start) in enumerate(inside):
        last = inside[i + 1][1] - 1 if i + 1 < len(inside) else high
        first = max(start, low)
        if last >= first:
            bands.append(Band(name, first, last))
    return bands


class Track(Strict):
    id: Id
    name: Text
    description: str = ""
    scope: Literal["global"] | Annotated[list[Id], Field(min_length=2, max_length=2)] = Field(
        default="global", description="'global', or a pair of role ids."
    )
    min: StrictInt = 0
    max: StrictInt = 10
    initial: StrictInt = 0
    levels: list[Level] = Field(default_factory=list)
    guidance: str = Field(
        default="", description="What +1 means on this track, for control's rulings."
    )

    @model_validator(mode="after")
    def _range(self) -> Track:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.initial <= self.max:
            raise ValueError(f"initial {self.initial} is outside the range {self.min}..{self.max}")
        mins = [lv.min for lv in self.levels]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("levels must be listed in increasing order of 'min'")
        return self

    def bands(self) -> list[Band]:
        """The values each level covers, lowest first: the bands a chart shades."""
        return level_bands([(lv.name, lv.min) for lv in self.levels], self.min, self.max)

    def level_at(self, value: int) -> str:
        """Name of the level ``value`` falls in ('' when the track has no levels)."""
        name = ""
        for level in self.levels:
            if value >= level.min:
                name = level.name
        return name or (self.levels[0].name if self.levels else "")


class Source(Strict):
    id: Id
    file: Text = Field(description="File name of the source text in the corpus folder.")
    title: Text
    author: str = ""
    publisher: str = ""
    date: str = Field(
        default="", description="Publication date as written: 'October 2010', 'mid-2020s', 'n.d.'."
    )
    title_supplied: bool = Field(
        default=False, description="The title was supplied by the pack's author, not the source."
    )
    kind: str = ""
    url: str = ""


class Topic(Strict):
    id: Id
    title: Text
    description: str = ""


class MoveTag(Strict):
    """A tag players put on a move ("accept-thaad") so conditions and reports can find it."""

    id: Id
    title: Text
    roles: list[Id] = Field(
        default_factory=list, description="Roles the tag is offered to (empty: every role)."
    )
    topic: Id | None = Field(default=None, description="The topic the decision acts on.")
    stance: Stance | None = Field(
        default=None, description="The stance on that topic the decision expresses."
    )


class GlossaryEntry(Strict):
    """A term the briefs explain (THAAD, KAMD, OPCON...)."""

    term: Text
    definition: Text


class TurnPlan(Strict):
    """The facilitator's plan for one turn: its length and the question it puts."""

    turn: StrictInt = Field(ge=1)
    minutes: StrictInt = Field(ge=0, le=600)
    key_question: str = ""


class AgendaPart(Strict):
    minutes: StrictInt = Field(ge=0, le=600)
    text: str = Field(default="", description="What the facilitator reads aloud (Markdown).")


class Agenda(Strict):
    """The session's agenda around the turns; the control brief times it from a start."""

    opening: AgendaPart | None = None
    ground_rules: AgendaPart | None = None
    turns: AgendaPart | None = Field(
        default=None, description="Minutes per turn where turn_plan does not say."
    )
    hotwash: AgendaPart | None = None


class Channel(Strict):
    """A standing line between roles (a consultation, the trilateral, a hotline)."""

    id: Id
    name: Text
    members: Annotated[list[Id], Field(min_length=2, description="The roles on it.")]


class CriticalTask(Strict):
    """A task of the exercise evaluation guide: observers rate it P, S, M or U."""

    id: Id
    objective: Id
    title: Text


class TurnLength(Strict):
    count: StrictInt = Field(default=1, ge=1)
    unit: Literal["day", "week", "month", "year"] = "month"


class Manifest(Strict):
    id: Id
    title: Text
    summary: Text
    setting: Text = Field(description="Opening situation (Markdown), read to all players.")
    start_date: IsoDate
    turns: StrictInt = Field(ge=1, le=500)
    turn_length: TurnLength = TurnLength()
    deliberation_minutes: StrictInt = Field(default=15, ge=0, le=600)
    objectives: list[Objective] = Field(min_length=1)
    tracks: list[Track] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    inject_kinds: list[Id] = Field(default_factory=list, description="Extra inject kinds.")
    move_kinds: list[Id] = Field(default_factory=list, description="Extra move kinds.")
    move_tags: list[MoveTag] = Field(
        default_factory=list, description="Tags players can put on moves; conditions use them."
    )
    templates: str = Field(
        default="reports", description="Folder of report/brief template overrides, in the pack."
    )
    sources_dir: str | None = Field(
        default=None,
        description="Folder of the source texts, relative to the pack; validate checks "
        "every quote against them when it is there.",
    )
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    turn_plan: list[TurnPlan] = Field(
        default_factory=list, description="Per turn: minutes and the key question."
    )
    agenda: Agenda | None = None
    release: ReleaseModeWord = Field(
        default=ReleaseMode.AUTOMATIC.value,
        description="'staged': due injects are queued at turn start and control releases "
        "each when the room is ready; 'automatic': they are released at once.",
    )
    moves_in_deliberation: bool = Field(
        default=False, description="Players may record moves during deliberation too."
    )
    channels: list[Channel] = Field(default_factory=list, description="Channels between roles.")
    direct_channels: bool = Field(
        default=True, description="Whether any two roles may open a direct channel."
    )
    critical_tasks: list[CriticalTask] = Field(
        default_factory=list, description="The exercise evaluation guide: tasks per objective."
    )

    @property
    def all_inject_kinds(self) -> tuple[str, ...]:
        return BUILTIN_INJECT_KINDS + tuple(self.inject_kinds)

    @property
    def all_move_kinds(self) -> tuple[str, ...]:
        return BUILTIN_MOVE_KINDS + tuple(self.move_kinds)

    def turn_date(self, turn: int) -> dt.date:
        """In-game date at the start of ``turn`` (1-based)."""
        steps = (turn - 1) * self.turn_length.count
        unit = self.turn_length.unit
        if unit == "day":
            return self.start_date + dt.timedelta(days=steps)
        if unit == "week":
            return self.start_date + dt.timedelta(weeks=steps)
        months = steps * (12 if unit == "year" else 1)
        month0 = self.start_date.month - 1 + months
        year = self.start_date.year + month0 // 12
        day = min(self.start_date.day, 28)
        return dt.date(year, month0 % 12 + 1, day)

    def turn_label(self, turn: int) -> str:
        """Human label for a turn, e.g. 'March 2026'."""
        date = self.turn_date(turn)
        if self.turn_length.unit in ("month", "year"):
            return date.strftime("%B %Y")
        return date.strftime("%d %B %Y").lstrip("0")


# --------------------------------------------------------------------------- roles


class Position(Strict):
    """A stated position of an actor, with where it was stated."""

    topic: Id
    stance: Stance
    summary: Text
    quote: str | None = Field(default=None, description="Exact words from the source.")
    source: Id
    locator: str = Field(default="", description="Where in the source: section title, page.")
    year: StrictInt | None = Field(default=None, description="The year the position was stated.")
    voice: Voice | None = Field(
        default=None,
        description="own (the actor's words), reported (the source's account), assessment "
        "(an analyst's reading) or recommendation (an analyst's advice).",
    )


class Role(Strict):
    id: Id
    name: Text
    short_name: Text
    played_by: PlayedBy = "player"
    background: Text
    positions: list[Position] = Field(default_factory=list)
    objectives: list[Text] = Field(default_factory=list)
    red_lines: list[Text] = Field(default_factory=list)
    capabilities: list[Text] = Field(default_factory=list)
    private: list[Text] = Field(
        default_factory=list, description="Information only this role (and control) sees."
    )
    views: dict[Id, Text] = Field(
        default_factory=dict, description="How this role sees each other actor, by role id."
    )


# --------------------------------------------------------------------------- conditions


class TrackCondition(Strict):
    """Holds when a track compares to a value: ``{track: tension, op: '>=', value: 6}``."""

    track: Id
    op: Literal[">=", ">", "<=", "<", "==", "!="]
    value: StrictInt


class ReleasedCondition(Strict):
    """Holds once the named inject has been released."""

    released: Id


class MoveMatch(Strict):
    role: Id | None = Field(default=None, description="The role that moved (left out: any).")
    kind: Id | None = None
    tag: Id | None = None
    ruled: list[OutcomeWord] | OutcomeWord | Literal["any"] | None = Field(
        default=None,
        description="Outcomes that count: one or a list (left out: accepted or modified; "
        "'any': every move, even one rejected or not yet ruled).",
    )

    @property
    def outcomes(self) -> tuple[str, ...] | None:
        """The ruling outcomes that count; None when any move counts, ruled or not."""
        if self.ruled == "any":
            return None
        if isinstance(self.ruled, str):
            return (self.ruled,)
        return tuple(self.ruled) if self.ruled is not None else COUNTED_OUTCOMES


class MoveCondition(Strict):
    """Holds when a role has made a matching move (of a kind and/or with a tag)."""

    move: MoveMatch


class MessageMatch(Strict):
    channel: str | None = Field(default=None, description="A channel id (left out: any).")
    from_: Id | None = Field(default=None, alias="from", description="The role that wrote.")
    turn: Literal["this", "any"] = Field(default="any", description="'this' turn or 'any'.")

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class MessageCondition(Strict):
    """Holds when a matching message was posted on a channel."""

    message: MessageMatch


class ExchangedCondition(Strict):
    """Holds when two roles both wrote, this turn, on a channel they share."""

    exchanged: Annotated[list[Id], Field(min_length=2, max_length=2)]


class ChanceCondition(Strict):
    """Holds with a probability, drawn from the session seed so replays agree."""

    chance: float = Field(ge=0.0, le=1.0)

    @field_validator("chance", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value


class AllCondition(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCondition(Strict):
    any: list[Condition] = Field(min_length=1)


class NotCondition(Strict):
    not_: Condition = Field(alias="not")

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


CONDITION_CLASSES: dict[str, type[BaseModel]] = {
    "all": AllCondition,
    "any": AnyCondition,
    "not": NotCondition,
    "track": TrackCondition,
    "released": ReleasedCondition,
    "move": MoveCondition,
    "chance": ChanceCondition,
    "message": MessageCondition,
    "exchanged": ExchangedCondition,
}
#: The keys that make a mapping a condition, in the order messages list them.
CONDITION_KEYS: tuple[str, ...] = tuple(CONDITION_CLASSES)

if TYPE_CHECKING:
    # What the keyed union below validates into, spelt out for the type checker.
    Condition: TypeAlias = (
        AllCondition
        | AnyCondition
        | NotCondition
        | TrackCondition
        | ReleasedCondition
        | MoveCondition
        | ChanceCondition
        | MessageCondition
        | ExchangedCondition
    )
else:
    Condition = keyed_union(CONDITION_CLASSES, "condition", error_type="condition")

AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


# --------------------------------------------------------------------------- injects


class TurnRange(Strict):
    """A window of turns: a conditional inject fires on the first turn where it holds."""

    first: StrictInt = Field(ge=1)
    last: StrictInt = Field(ge=1)

    @model_validator(mode="after")
    def _order(self) -> TurnRange:
        if self.last < self.first:
            raise ValueError(f"last ({self.last}) is before first ({self.first})")
        return self


class Inject(Strict):
    id: Id
    turn: StrictInt | TurnRange = Field(description="A turn number, or {first: N, last: M}.")
    kind: Id
    from_: str = Field(
        alias="from", description="Who it comes from: a role id, 'control', or a named source."
    )
    byline: str = Field(default="", description="Outlet or agency shown with the inject.")
    audience: Literal["public"] | Annotated[list[Id], Field(min_length=1)] = "public"
    title: Text
    body: Text
    expected_actions: list[Text] = Field(default_factory=list)
    questions: list[Text] = Field(default_factory=list)
    objectives: list[Id] = Field(default_factory=list)
    effects: dict[Id, StrictInt] = Field(
        default_factory=dict, description="Change to each track (by id) when released."
    )
    condition: Condition | None = None
    tags: list[Id] = Field(default_factory=list)
    priority: Literal["core", "optional"] = Field(
        default="core", description="Core injects carry the exercise; optional ones may be cut."
    )

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    @property
    def first_turn(self) -> int:
        return self.turn if isinstance(self.turn, int) else self.turn.first

    @property
    def last_turn(self) -> int:
        return self.turn if isinstance(self.turn, int) else self.turn.last

    @property
    def is_public(self) -> bool:
        return self.audience == "public"

    @property
    def is_conditional(self) -> bool:
        return self.condition is not None

    def visible_to(self, role_id: str) -> bool:
        return self.audience == "public" or role_id in self.audience


class InjectFile(Strict):
    """An ``injects/*.yaml`` file: any grouping of injects the author likes."""

    injects: list[Inject] = Field(default_factory=list)


# --------------------------------------------------------------------------- the pack


@dataclass(eq=False)
class Pack:
    """A loaded, validated pack. ``root`` is the folder it came from."""

    root: Path
    manifest: Manifest
    roles: list[Role]
    injects: list[Inject]
    content_hash: str = ""

    @cached_property
    def roles_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    @cached_property
    def injects_by_id(self) -> dict[str, Inject]:
        return {inject.id: inject for inject in self.injects}

    @cached_property
    def tracks_by_id(self) -> dict[str, Track]:
        return {track.id: track for track in self.manifest.tracks}

    @cached_property
    def sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.manifest.sources}

    @cached_property
    def topics_by_id(self) -> dict[str, Topic]:
        return {topic.id: topic for topic in self.manifest.topics}

    @cached_property
    def objectives_by_id(self) -> dict[str, Objective]:
        return {objective.id: objective for objective in self.manifest.objectives}

    @cached_property
    def channels_by_id(self) -> dict[str, Channel]:
        return {channel.id: channel for channel in self.manifest.channels}

    @cached_property
    def critical_tasks_by_id(self) -> dict[str, CriticalTask]:
        return {task.id: task for task in self.manifest.critical_tasks}

    @cached_property
    def move_tags_by_id(self) -> dict[str, MoveTag]:
        return {tag.id: tag for tag in self.manifest.move_tags}
