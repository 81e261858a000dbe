# ruff: noqa: RUF009  (``_f`` returns a dataclasses.field, never a shared value)
"""Journal events: what happened, in the order it happened.

An event is the only way the state of a session changes. Its body is plain JSON data so
a journal stays readable (and exportable) without this code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

from exercise.engine.errors import SessionError
from exercise.vocab import (
    CapabilityElement,
    ImprovementStatus,
    Method,
    ObservationKind,
    Outcome,
    Phase,
    Rating,
    ReleaseCause,
    ReleaseMode,
)

SESSION_CREATED = "session_created"
TURN_STARTED = "turn_started"
PHASE_CHANGED = "phase_changed"
EXERCISE_ENDED = "exercise_ended"
INJECT_RELEASED = "inject_released"
INJECT_QUEUED = "inject_queued"
INJECT_WITHDRAWN = "inject_withdrawn"
INJECT_HELD = "inject_held"
INJECT_SKIPPED = "inject_skipped"
INJECT_EDITED = "inject_edited"
ADHOC_INJECT = "adhoc_inject"
MOVE_RECORDED = "move_recorded"
RULING_MADE = "ruling_made"
RULING_OVERRIDDEN = "ruling_overridden"
RULING_NARRATED = "ruling_narrated"
MOVE_CARRIED = "move_carried"
MOVE_LEFT_UNRULED = "move_left_unruled"
PHASE_REVERTED = "phase_reverted"
TRACK_ADJUSTED = "track_adjusted"
TIMER_PAUSED = "timer_paused"
TIMER_RESUMED = "timer_resumed"
TIMER_EXTENDED = "timer_extended"
TIMER_SKIPPED = "timer_skipped"
OBSERVATION_ADDED = "observation_added"
HOTWASH_ADDED = "hotwash_added"
IMPROVEMENT_ADDED = "improvement_added"
OBJECTIVE_RATED = "objective_rated"
SUMMARY_WRITTEN = "summary_written"
MESSAGE_POSTED = "message_posted"
CHANNEL_CLOSED = "channel_closed"
CHANNEL_OPENED = "channel_opened"
OBSERVER_ADDED = "observer_added"

EVENT_TYPES: frozenset[str] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)

#: ``inject_released`` events written together with the turn start carry this marker, so a
#: branch "at the beginning of turn N" can keep the turn start and its releases together.
TURN_START_MARK = "turn_start"


def encode_body(body: Mapping[str, Any]) -> str:
    """A body as the journal stores it: compact JSON, keys sorted, text as written."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Event:
    """One journal entry. ``seq`` numbers are 1, 2, 3... with no gaps.

    The body is kept as the JSON text the journal holds (``text``) and decoded when
    asked for (``body``, a new dict each time): a long session's state holds its events
    as short strings, not as tens of thousands of dicts.
    """

    seq: int
    ts: datetime
    actor: str
    type: str
    text: str = "{}"

    @classmethod
    def of(cls, seq: int, ts: datetime, actor: str, kind: str, body: Mapping[str, Any]) -> Event:
        """An event from its body as data."""
        return cls(seq, ts, actor, kind, encode_body(body))

    @property
    def body(self) -> dict[str, Any]:
        value = json.loads(self.text)
        return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------------- typed bodies
#
# Each event type has one frozen dataclass describing its body. ``from_body`` checks a
# body as read from a journal (types, ranges, size, nesting) so a damaged or edited
# journal is refused with ``event N (type): what is wrong`` instead of crashing later.
# The JSON keys are those every journal so far was written with; keys a body does not
# carry take the defaults older versions read them with.

#: Limits on one stored body: far beyond anything the app writes, small enough to read.
MAX_BODY_CHARS = 4_000_000
MAX_DEPTH = 12
MAX_TURN = 10_000
MAX_COUNT = 1_000_000
MAX_DELTA = 1_000_000


class EventError(SessionError):
    """An event that cannot be read or applied; the message names it and says why."""

    def __init__(self, seq: int, kind: str, problem: str) -> None:
        self.seq = seq
        self.kind = kind
        self.problem = problem
        shown = kind if kind in EVENT_TYPES else repr(str(kind)[:40])
        super().__init__(f"event {seq} ({shown}): {problem}")


class BodyError(ValueError):
    """What is wrong with one body; ``EventError`` adds which event it is."""


def _spec(
    key: str | None = None,
    choices: tuple[str, ...] = (),
    low: int | None = None,
    high: int | None = None,
    length: int | None = None,
) -> dict[str, Any]:
    return {"key": key, "choices": choices, "low": low, "high": high, "length": length}


def _int(value: Any, what: str, low: int | None, high: int | None) -> int:
    if type(value) is not int:
        raise BodyError(f"{what} must be a whole number, not {_kind(value)}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise BodyError(f"{what} is {value}; it must be from {low} to {high}")
    return value


def _str(value: Any, what: str, choices: tuple[str, ...] = ()) -> str:
    if not isinstance(value, str):  # a vocabulary word (a StrEnum) is text too
        raise BodyError(f"{what} must be text, not {_kind(value)}")
    if choices and value not in choices:
        raise BodyError(f"{what} is {value[:40]!r}; it must be one of {', '.join(choices)}")
    return value


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "null",
        int: "a number",
        float: "a number",
    }.get(type(value), "a value")


def _check_enum(value: Any, what: str, spec: dict[str, Any], enum: type[StrEnum]) -> Any:
    """A vocabulary word (see ``exercise.vocab``), returned as its enum member."""
    if not isinstance(value, str):
        raise BodyError(f"{what} must be text, not {_kind(value)}")
    try:
        return enum(value)
    except ValueError:
        raise BodyError(
            f"{what} is {str(value)[:40]!r}; it must be one of {', '.join(enum)}"
        ) from None


def _check_str(value: Any, what: str, spec: dict[str, Any]) -> Any:
    if type(value) is str and not spec["choices"]:
        return value
    return _str(value, what, spec["choices"])


def _check_int(value: Any, what: str, spec: dict[str, Any]) -> Any:
    return _int(value, what, spec["low"], spec["high"])


def _check_bool(value: Any, what: str, spec: dict[str, Any]) -> Any:
    if type(value) is not bool:
        raise BodyError(f"{what} must be true or false, not {_kind(value)}")
    return value


def _check_list(value: Any, what: str, spec: dict[str, Any], item: type) -> list[Any]:
    if type(value) is not list:
        raise BodyError(f"{what} must be a list, not {_kind(value)}")
    if spec["length"] is not None and len(value) != spec["length"]:
        raise BodyError(f"{what} must hold {spec['length']} values, not {len(value)}")
    if all(type(v) is item for v in value):
        if item is int:
            for v in value:
                _int(v, f"each of {what}", spec["low"], spec["high"])
        return value
    bad = next(v for v in value if type(v) is not item)
    raise BodyError(
        f"each of {what} must be {'text' if item is str else 'a whole number'}, not {_kind(bad)}"
    )


def _check_dict(value: Any, what: str, spec: dict[str, Any], item: type) -> dict[str, Any]:
    if type(value) is not dict:
        raise BodyError(f"{what} must be an object, not {_kind(value)}")
    for k, v in value.items():
        if type(v) is not item:
            raise BodyError(
                f"{what}[{k[:40]!r}] must be "
                f"{'text' if item is str else 'a whole number'}, not {_kind(v)}"
            )
        if item is int:
            _int(v, f"{what}[{k[:40]!r}]", spec["low"], spec["high"])
    return value


def _check_records(value: Any, what: str, spec: dict[str, Any]) -> list[dict[str, str]]:
    if type(value) is not list:
        raise BodyError(f"{what} must be a list, not {_kind(value)}")
    for n, item in enumerate(value):
        _check_dict(item, f"{what}[{n}]", spec, str)
    return value


def _check_audience(value: Any, what: str, spec: dict[str, Any]) -> Any:
    if type(value) is str:
        return value
    return _check_list(value, what, spec, str)


_CHECKS: dict[str, Callable[[Any, str, dict[str, Any]], Any]] = {
    "str": _check_str,
    "int": _check_int,
    "bool": _check_bool,
    "list[str]": lambda v, w, s: _check_list(v, w, s, str),
    "list[int]": lambda v, w, s: _check_list(v, w, s, int),
    "str | list[str]": _check_audience,
    "dict[str, int]": lambda v, w, s: _check_dict(v, w, s, int),
    "dict[str, str]": lambda v, w, s: _check_dict(v, w, s, str),
    "list[dict[str, str]]": _check_records,
}
Check = Callable[[Any, str, dict[str, Any]], Any]


def _enum_check(enum: type[StrEnum]) -> Check:
    def check(value: Any, what: str, spec: dict[str, Any]) -> Any:
        return _check_enum(value, what, spec, enum)

    return check


def _nested_check(body: type[Body]) -> Check:
    def check(value: Any, what: str, spec: dict[str, Any]) -> Any:
        return body.from_body(value, what)

    return check


for _enum in (Phase, Outcome, Method, ReleaseCause, ObservationKind, ImprovementStatus, Rating):
    _CHECKS[_enum.__name__] = _enum_check(_enum)

#: Per body class: (attribute, JSON key, check, optional, required, spec) for each field.
Plan = list[tuple[str, str, Check, bool, bool, dict[str, Any]]]
_PLANS: dict[type, Plan] = {}


def _plan(cls: type) -> Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = []
        for f in fields(cls):
            annotation = str(f.type)
            optional = annotation.endswith(" | None")
            base = annotation.removesuffix(" | None")
            nested = _REGISTRY_NESTED.get(base)
            check = _CHECKS.get(base) or (_nested_check(nested) if nested else None)
            if check is None:
                raise TypeError(f"no check for the field type {annotation}")
            required = f.default is MISSING and f.default_factory is MISSING
            spec = {**_spec(), **f.metadata}
            spec["label"] = repr(spec["key"] or f.name)
            plan.append((f.name, spec["key"] or f.name, check, optional, required, spec))
        _PLANS[cls] = plan
    return plan


class Body:
    """Base of every typed body: ``from_body`` checks, ``to_body`` gives the JSON keys."""

    __slots__ = ()
    TYPE: ClassVar[str] = ""

    @classmethod
    def from_body(cls, body: Any, where: str = "the body") -> Self:
        if type(body) is not dict:
            raise BodyError(f"{where} must be a JSON object, not {_kind(body)}")
        values: dict[str, Any] = {}
        for name, key, check, optional, required, spec in _plan(cls):
            if key not in body:
                if required:
                    raise BodyError(f"{where} has no {key!r}")
                continue
            value = body[key]
            if optional and value is None:
                values[name] = None
            else:
                what = spec["label"] if where == "the body" else f"{where}.{key}"
                values[name] = check(value, what, spec)
        return cls(**values)

    def to_body(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key, *_ in _plan(type(self)):
            value = getattr(self, name)
            out[key] = value.to_body() if isinstance(value, Body) else value
        return out


def _f(default: Any = MISSING, **spec: Any) -> Any:
    """A body field with its JSON key, allowed values and range."""
    metadata = {**_spec(), **spec}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


_COUNT = {"low": 0, "high": MAX_COUNT}
_DELTA = {"low": -MAX_DELTA, "high": MAX_DELTA}


@dataclass(frozen=True, slots=True)
class Setup(Body):
    players: dict[str, str] = _f({})
    control_roles: list[str] = _f([])
    name: str = _f("")
    seed: int = _f(0, low=-(2**63), high=2**63 - 1)
    release: str = _f("", choices=("", *ReleaseMode))
    observers: list[dict[str, str]] = _f([])  # each {"id": ..., "name": ...}


_REGISTRY_NESTED: dict[str, type[Body]] = {"Setup": Setup}


@dataclass(frozen=True, slots=True)
class SessionCreated(Body):
    TYPE: ClassVar[str] = SESSION_CREATED
    pack_id: str = _f("")
    setup: Setup = field(default_factory=Setup, metadata=_spec())


@dataclass(frozen=True, slots=True)
class TurnStarted(Body):
    TYPE: ClassVar[str] = TURN_STARTED
    turn: int = _f(low=1, high=MAX_TURN)


@dataclass(frozen=True, slots=True)
class PhaseChanged(Body):
    TYPE: ClassVar[str] = PHASE_CHANGED
    phase: Phase = _f()


@dataclass(frozen=True, slots=True)
class ExerciseEnded(Body):
    TYPE: ClassVar[str] = EXERCISE_ENDED
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class InjectReleased(Body):
    """An inject comes out. A condition's cause is data: the moves and the other facts
    it rested on (``why`` only says it for people). Journals from before these fields
    leave them out (None); replay works them out again from the condition."""

    TYPE: ClassVar[str] = INJECT_RELEASED
    inject: str = _f()
    cause: ReleaseCause = _f(ReleaseCause.CONTROL)
    why: str = _f("")
    mark: str | None = _f(None)
    moves: list[str] | None = _f(None)  # the moves its condition rested on
    condition: list[dict[str, str]] | None = _f(None)  # each {"kind": ..., "ref": ...}


@dataclass(frozen=True, slots=True)
class InjectQueued(Body):
    """Staged release: the inject fell due and waits for control to release it."""

    TYPE: ClassVar[str] = INJECT_QUEUED
    inject: str = _f()
    cause: ReleaseCause = _f(ReleaseCause.SCHEDULED)
    why: str = _f("")
    mark: str | None = _f(None)
    moves: list[str] | None = _f(None)
    condition: list[dict[str, str]] | None = _f(None)


@dataclass(frozen=True, slots=True)
class InjectWithdrawn(Body):
    """A release undone soon after: the inject goes back to control's queue."""

    TYPE: ClassVar[str] = INJECT_WITHDRAWN
    inject: str = _f()
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class InjectHeld(Body):
    TYPE: ClassVar[str] = INJECT_HELD
    inject: str = _f()
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class InjectSkipped(Body):
    TYPE: ClassVar[str] = INJECT_SKIPPED
    inject: str = _f()
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class InjectEdited(Body):
    TYPE: ClassVar[str] = INJECT_EDITED
    inject: str = _f()
    title: str | None = _f(None)
    body: str | None = _f(None)


@dataclass(frozen=True, slots=True)
class AdhocInject(Body):
    TYPE: ClassVar[str] = ADHOC_INJECT
    inject: str = _f()
    kind: str = _f()
    title: str = _f()
    body: str = _f()
    audience: str | list[str] = _f("public")
    effects: dict[str, int] = _f({}, **_DELTA)
    from_: str = _f("control", key="from")


@dataclass(frozen=True, slots=True)
class MoveRecorded(Body):
    TYPE: ClassVar[str] = MOVE_RECORDED
    move: str = _f()
    role: str = _f()
    kind: str = _f()
    text: str = _f()
    targets: list[str] = _f([])
    secret: bool = _f(False)
    tags: list[str] = _f([])
    intent: str = _f("")
    reasons: list[str] = _f([])


@dataclass(frozen=True, slots=True)
class RulingMade(Body):
    TYPE: ClassVar[str] = RULING_MADE
    move: str = _f()
    method: Method = _f()
    outcome: Outcome = _f()
    narrative: str = _f("")
    effects: dict[str, int] = _f({}, **_DELTA)
    dice: list[int] | None = _f(None, low=1, high=6, length=2)
    pros: int = _f(0, **_COUNT)
    cons: int = _f(0, **_COUNT)
    total: int | None = _f(None, low=-MAX_COUNT, high=MAX_COUNT)
    seed: int | None = _f(None, low=-(2**63), high=2**63 - 1)
    votes: dict[str, int] | None = _f(None, **_COUNT)


@dataclass(frozen=True, slots=True)
class RulingOverridden(Body):
    TYPE: ClassVar[str] = RULING_OVERRIDDEN
    move: str = _f()
    outcome: Outcome = _f()
    reason: str = _f("")
    effects: dict[str, int] = _f({}, **_DELTA)
    overrules: list[str] = _f([])  # injects the overruled ruling had already fired
    narrative: str = _f("")  # replaces the ruling's narrative; the original is kept


@dataclass(frozen=True, slots=True)
class RulingNarrated(Body):
    """A ruling's narrative written after the fact (after a matrix roll's dice)."""

    TYPE: ClassVar[str] = RULING_NARRATED
    move: str = _f()
    narrative: str = _f()


@dataclass(frozen=True, slots=True)
class MoveCarried(Body):
    TYPE: ClassVar[str] = MOVE_CARRIED
    move: str = _f()
    to_turn: int = _f(low=1, high=MAX_TURN)


@dataclass(frozen=True, slots=True)
class MoveLeftUnruled(Body):
    TYPE: ClassVar[str] = MOVE_LEFT_UNRULED
    move: str = _f()
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class PhaseReverted(Body):
    """Back one phase, while nothing had happened in the phase left."""

    TYPE: ClassVar[str] = PHASE_REVERTED
    phase: Phase = _f()
    from_: str = _f("", key="from")


@dataclass(frozen=True, slots=True)
class TrackAdjusted(Body):
    TYPE: ClassVar[str] = TRACK_ADJUSTED
    track: str = _f()
    delta: int = _f(**_DELTA)
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class TimerPaused(Body):
    TYPE: ClassVar[str] = TIMER_PAUSED


@dataclass(frozen=True, slots=True)
class TimerResumed(Body):
    TYPE: ClassVar[str] = TIMER_RESUMED


@dataclass(frozen=True, slots=True)
class TimerExtended(Body):
    TYPE: ClassVar[str] = TIMER_EXTENDED
    minutes: int = _f(low=1, high=MAX_COUNT)


@dataclass(frozen=True, slots=True)
class TimerSkipped(Body):
    TYPE: ClassVar[str] = TIMER_SKIPPED


@dataclass(frozen=True, slots=True)
class ObservationAdded(Body):
    TYPE: ClassVar[str] = OBSERVATION_ADDED
    id: str = _f()
    text: str = _f()
    kind: ObservationKind = _f()
    author: str | None = _f(None)
    role: str | None = _f(None)
    inject: str | None = _f(None)
    objective: str | None = _f(None)
    analysis: str = _f("")  # root cause
    recommendation: str = _f("")
    observer: str | None = _f(None)  # the observer's id when an observer wrote it
    task: str | None = _f(None)  # a critical task of the evaluation guide
    rating: Rating | None = _f(None)
    move: str | None = _f(None)
    message: str | None = _f(None)


@dataclass(frozen=True, slots=True)
class HotwashAdded(Body):
    TYPE: ClassVar[str] = HOTWASH_ADDED
    role: str = _f()
    worked: str = _f("")
    did_not: str = _f("")
    change: str = _f("")


@dataclass(frozen=True, slots=True)
class ImprovementAdded(Body):
    TYPE: ClassVar[str] = IMPROVEMENT_ADDED
    id: str = _f()
    action: str = _f()
    objective: str = _f()
    owner: str = _f()
    due: str = _f()
    status: ImprovementStatus = _f(ImprovementStatus.OPEN)
    area: str | None = _f(None)  # the observation (area for improvement) it answers
    element: str = _f("", choices=("", *CapabilityElement))
    poc: str = _f("")
    start: str | None = _f(None)

    def due_date(self) -> date:
        return date.fromisoformat(self.due)

    def start_date(self) -> date | None:
        if not self.start:
            return None
        try:
            return date.fromisoformat(self.start)
        except ValueError:
            raise BodyError(f"'start' is {self.start[:40]!r}, not a date like 2026-06-30") from None


@dataclass(frozen=True, slots=True)
class ObjectiveRated(Body):
    TYPE: ClassVar[str] = OBJECTIVE_RATED
    objective: str = _f()
    rating: Rating = _f()
    analysis: str = _f("")


@dataclass(frozen=True, slots=True)
class SummaryWritten(Body):
    TYPE: ClassVar[str] = SUMMARY_WRITTEN
    text: str = _f("")


@dataclass(frozen=True, slots=True)
class MessagePosted(Body):
    TYPE: ClassVar[str] = MESSAGE_POSTED
    id: str = _f()
    channel: str = _f()
    text: str = _f()
    from_: str | None = _f(None, key="from")  # a role id or "control"; else the actor
    voice: str = _f("")  # the named outside voice control writes as


@dataclass(frozen=True, slots=True)
class ChannelClosed(Body):
    TYPE: ClassVar[str] = CHANNEL_CLOSED
    channel: str = _f()
    from_turn: int | None = _f(None, low=0, high=MAX_TURN)
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class ChannelOpened(Body):
    TYPE: ClassVar[str] = CHANNEL_OPENED
    channel: str = _f()
    from_turn: int | None = _f(None, low=0, high=MAX_TURN)
    reason: str = _f("")


@dataclass(frozen=True, slots=True)
class ObserverAdded(Body):
    TYPE: ClassVar[str] = OBSERVER_ADDED
    id: str = _f()
    name: str = _f()


#: Every event type and the class of its body.
BODIES: dict[str, type[Body]] = {
    cls.TYPE: cls
    for cls in (
        SessionCreated,
        TurnStarted,
        PhaseChanged,
        ExerciseEnded,
        InjectReleased,
        InjectQueued,
        InjectWithdrawn,
        InjectHeld,
        InjectSkipped,
        InjectEdited,
        AdhocInject,
        MoveRecorded,
        RulingMade,
        RulingOverridden,
        RulingNarrated,
        MoveCarried,
        MoveLeftUnruled,
        PhaseReverted,
        TrackAdjusted,
        TimerPaused,
        TimerResumed,
        TimerExtended,
        TimerSkipped,
        ObservationAdded,
        HotwashAdded,
        ImprovementAdded,
        ObjectiveRated,
        SummaryWritten,
        MessagePosted,
        ChannelClosed,
        ChannelOpened,
        ObserverAdded,
    )
}
assert set(BODIES) == EVENT_TYPES


def depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (without recursion)."""
    if type(value) is dict and all(type(v) in _FLAT for v in value.values()):
        return 1
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((child, level + 1) for child in item)
    return deepest


_FLAT = (str, int, bool, float, type(None))


def load_body(text: Any) -> Any:
    """A stored body's JSON, within the size and nesting limits (else ``BodyError``)."""
    if not isinstance(text, str):
        raise BodyError("the body is not JSON text")
    if len(text) > MAX_BODY_CHARS:
        raise BodyError(f"the body is {len(text)} characters long (at most {MAX_BODY_CHARS})")
    try:
        value = json.loads(text)
    except RecursionError:
        raise BodyError(f"the body is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:
        raise BodyError(f"the body is not valid JSON ({getattr(exc, 'msg', exc)})") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and depth(value) > MAX_DEPTH:
        raise BodyError(f"the body is nested too deeply (at most {MAX_DEPTH} levels)")
    return value


def parse(kind: str, body: Any) -> Body:
    """The typed body of an event of type ``kind`` (``BodyError`` says what is wrong)."""
    cls = BODIES.get(kind)
    if cls is None:
        raise BodyError("unknown event type")
    return cls.from_body(body)  # its field types allow no deeper nesting than Setup's


def check_draft(kind: str, body: dict[str, Any]) -> None:
    """Before writing: the body matches its definition and has no key it does not define.

    A misspelt key would otherwise be written cleanly and read back as a default: that is
    a programming error (``TypeError``). A value out of range raises ``BodyError``.
    """
    cls = BODIES[kind]
    unknown = set(body) - {key for _, key, *_ in _plan(cls)}
    if unknown:
        raise TypeError(f"{kind} has no field {sorted(unknown)[0]!r}")
    cls.from_body(body)


def decode(seq: int, ts: Any, actor: Any, kind: Any, text: Any, *, check: bool = True) -> Event:
    """An event from a stored row, checked; ``EventError`` names the event and the fault.

    ``check=False`` leaves the body (its JSON, its fields) to ``reduce.apply``, which
    reads and checks it anyway: a body is decoded once on the way into a state.
    """
    try:
        if not isinstance(kind, str) or kind not in BODIES:
            raise BodyError("unknown event type")
        if not isinstance(actor, str):
            raise BodyError("the actor is not text")
        try:
            when = datetime.fromisoformat(ts) if isinstance(ts, str) else None
        except ValueError:
            when = None
        if when is None:
            raise BodyError(f"the time {str(ts)[:40]!r} is not an ISO date and time")
        if not isinstance(text, str):
            raise BodyError("the body is not JSON text")
        if check:
            BODIES[kind].from_body(load_body(text))
    except BodyError as exc:
        raise EventError(seq, str(kind), str(exc)) from None
    # one string object per event type and per actor, however many events name them
    return Event(seq, when, sys.intern(actor), _TYPES[kind], text)


_TYPES = {kind: kind for kind in EVENT_TYPES}
