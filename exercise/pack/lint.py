"""Lint: things that are allowed but almost certainly not what the author meant.

Warnings, never errors (``exercise validate --strict`` makes them fail): conditions
that can never hold, roles without stated positions, objectives no inject exercises,
tracks no inject moves, private injects only control will read, quotes whose voice is
not said (a brief cannot tell the actor's own words from an analyst's), and move tags
that declare a topic without a stance or a stance without a topic (the report judges
decisions only from both).

A condition "can never hold" when it asks a track for a value beyond its range
(``> max``, ``< min``), bounds one track from both sides with nothing in between
inside an ``all``, waits for an inject that comes after its own last turn (or for
itself), has a chance of 0, wants a move tag the role is not offered, or negates
something that always holds. References to unknown things are errors reported by
``checks.py``; here they are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercise.pack.models import (
    AllCondition,
    AnyCondition,
    ChanceCondition,
    MoveCondition,
    NotCondition,
    ReleasedCondition,
    TrackCondition,
)
from exercise.problems import Problem

if TYPE_CHECKING:
    from exercise.pack.locations import Locations
    from exercise.pack.models import Inject, Pack, Track

DataPath = tuple[str | int, ...]
#: Why a condition can never hold, and where (the innermost part responsible).
Never = tuple[str, DataPath]


def lint_pack(pack: Pack, locations: Locations) -> list[Problem]:
    """Every warning about ``pack``."""
    problems: list[Problem] = []
    analysis = _Conditions(pack)
    for inject in pack.injects:
        if inject.condition is not None:
            found = analysis.never(inject.condition, ("condition",), inject)
            if found:
                reason, path = found
                problems.append(
                    locations.inject_problem(
                        inject.id, path, f"condition can never hold: {reason}", warning=True
                    )
                )
        problems += _private_to_control(pack, locations, inject)
    problems += _roles_without_positions(pack, locations)
    problems += _quotes_without_voice(pack, locations)
    problems += _half_declared_tags(pack, locations)
    if not locations.broken_injects:  # with injects missing, these would be guesses
        problems += _unused_objectives(pack, locations)
        problems += _unmoved_tracks(pack, locations)
    return problems


# --------------------------------------------------------------------------- conditions


def _bounds(track: Track, op: str, value: int) -> tuple[int, int] | None:
    """The values of ``track`` for which ``track op value`` holds, as [lo, hi] (None: any)."""
    lo, hi = track.min, track.max
    if op == ">=":
        lo = max(lo, value)
    elif op == ">":
        lo = max(lo, value + 1)
    elif op == "<=":
        hi = min(hi, value)
    elif op == "<":
        hi = min(hi, value - 1)
    elif op == "==":
        lo, hi = max(lo, value), min(hi, value)
    else:
        return None
    return lo, hi


class _Conditions:
    def __init__(self, pack: Pack) -> None:
        self.tracks = pack.tracks_by_id
        self.injects = pack.injects_by_id
        self.tags = pack.move_tags_by_id

    def never(self, cond: Any, path: DataPath, inject: Inject) -> Never | None:
        """Why ``cond`` can never hold for ``inject`` (None when it may hold)."""
        if isinstance(cond, TrackCondition):
            return self._never_track(cond, path)
        if isinstance(cond, ReleasedCondition):
            return self._never_released(cond, path, inject)
        if isinstance(cond, ChanceCondition):
            return ("a chance of 0 never comes up", (*path, "chance")) if cond.chance <= 0 else None
        if isinstance(cond, MoveCondition):
            return self._never_move(cond, path)
        if isinstance(cond, AllCondition):
            for index, part in enumerate(cond.all):
                found = self.never(part, (*path, "all", index), inject)
                if found:
                    return found
            return self._contradiction(cond, path)
        if isinstance(cond, AnyCondition):
            return self._never_any(cond, path, inject)
        if isinstance(cond, NotCondition) and self.always(cond.not_, inject):
            return "it negates a condition that always holds", (*path, "not")
        return None

    def _never_track(self, cond: TrackCondition, path: DataPath) -> Never | None:
        track = self.tracks.get(cond.track)
        if track is None or not track.min <= cond.value <= track.max:
            return None  # an error already
        bounds = _bounds(track, cond.op, cond.value)
        if bounds is None or bounds[0] <= bounds[1]:
            return None
        edge = (
            f"its maximum is {track.max}"
            if cond.op in (">", ">=", "==")
            else f"its minimum is {track.min}"
        )
        return f"'{track.id}' is never {cond.op} {cond.value} ({edge})", (*path, "value")

    def _never_released(
        self, cond: ReleasedCondition, path: DataPath, inject: Inject
    ) -> Never | None:
        other = self.injects.get(cond.released)
        if other is None:
            return None
        if other.id == inject.id:
            return "an inject cannot wait for its own release", (*path, "released")
        if other.first_turn > inject.last_turn:
            return (
                f"'{other.id}' comes in turn {other.first_turn} at the earliest, after "
                f"this inject's last turn ({inject.last_turn})",
                (*path, "released"),
            )
        return None

    def _never_move(self, cond: MoveCondition, path: DataPath) -> Never | None:
        match = cond.move
        tag = self.tags.get(match.tag) if match.tag else None
        if tag is not None and tag.roles and match.role and match.role not in tag.roles:
            return (
                f"move tag '{tag.id}' is not offered to '{match.role}' (only to "
                f"{', '.join(tag.roles)})",
                (*path, "move", "tag"),
            )
        return None

    def _never_any(self, cond: AnyCondition, path: DataPath, inject: Inject) -> Never | None:
        parts = [
            self.never(part, (*path, "any", index), inject) for index, part in enumerate(cond.any)
        ]
        if not all(parts):
            return None
        first = parts[0]
        assert first is not None
        if len(parts) == 1:
            return first
        return f"none of its alternatives can hold ({first[0]}; ...)", path

    def always(self, cond: Any, inject: Inject) -> bool:
        """Whether ``cond`` holds whatever happens (conservative: False when unsure)."""
        if isinstance(cond, TrackCondition):
            track = self.tracks.get(cond.track)
            if track is None:
                return False
            if cond.op == "!=":
                return not track.min <= cond.value <= track.max
            bounds = _bounds(track, cond.op, cond.value)
            return bounds == (track.min, track.max)
        if isinstance(cond, ChanceCondition):
            return cond.chance >= 1
        if isinstance(cond, AllCondition):
            return all(self.always(part, inject) for part in cond.all)
        if isinstance(cond, AnyCondition):
            return any(self.always(part, inject) for part in cond.any)
        if isinstance(cond, NotCondition):
            return self.never(cond.not_, (), inject) is not None
        return False

    def _contradiction(self, cond: AllCondition, path: DataPath) -> Never | None:
        """Track bounds inside one ``all`` that leave no value, e.g. >= 7 and < 5."""
        bounds: dict[str, tuple[int, int, list[str]]] = {}
        for index, part in enumerate(cond.all):
            if not isinstance(part, TrackCondition):
                continue
            track = self.tracks.get(part.track)
            if track is None or not track.min <= part.value <= track.max:
                continue  # an error already
            these = _bounds(track, part.op, part.value)
            if these is None:
                continue
            lo, hi, said = bounds.get(track.id, (track.min, track.max, []))
            lo, hi = max(lo, these[0]), min(hi, these[1])
            said = [*said, f"{part.op} {part.value}"]
            bounds[track.id] = (lo, hi, said)
            if lo > hi:
                return (
                    f"it asks '{track.id}' to be {' and '.join(said)} at once",
                    (*path, "all", index),
                )
        return None


# --------------------------------------------------------------------------- the rest


def _private_to_control(pack: Pack, locations: Locations, inject: Inject) -> list[Problem]:
    if not isinstance(inject.audience, list):
        return []
    roles = pack.roles_by_id
    addressed = [roles[r] for r in inject.audience if r in roles]
    if addressed and all(role.played_by == "control" for role in addressed):
        names = ", ".join(role.id for role in addressed)
        return [
            locations.inject_problem(
                inject.id,
                ("audience",),
                f"private inject addressed only to roles control plays ({names}): "
                "no player will read it",
                warning=True,
            )
        ]
    return []


def _roles_without_positions(pack: Pack, locations: Locations) -> list[Problem]:
    return [
        locations.role_problem(
            role.id,
            ("positions",) if "positions" in role.model_fields_set else ("id",),
            f"role '{role.id}' has no stated positions: its brief will have none to show",
            warning=True,
        )
        for role in pack.roles
        if not role.positions
    ]


def _unused_objectives(pack: Pack, locations: Locations) -> list[Problem]:
    used = {objective for inject in pack.injects for objective in inject.objectives}
    return [
        locations.manifest_problem(
            ("objectives", index, "id"),
            f"no inject exercises objective '{objective.id}'",
            warning=True,
        )
        for index, objective in enumerate(pack.manifest.objectives)
        if objective.id not in used
    ]


def _unmoved_tracks(pack: Pack, locations: Locations) -> list[Problem]:
    moved = {track for inject in pack.injects for track in inject.effects}
    return [
        locations.manifest_problem(
            ("tracks", index, "id"),
            f"no inject moves track '{track.id}' (only rulings can change it)",
            warning=True,
        )
        for index, track in enumerate(pack.manifest.tracks)
        if track.id not in moved
    ]


def _quotes_without_voice(pack: Pack, locations: Locations) -> list[Problem]:
    return [
        locations.role_problem(
            role.id,
            ("positions", index, "quote"),
            "quote without a voice: say whose words they are (voice: own, reported, "
            "assessment or recommendation)",
            warning=True,
        )
        for role in pack.roles
        for index, position in enumerate(role.positions)
        if position.quote and position.voice is None
    ]


def _half_declared_tags(pack: Pack, locations: Locations) -> list[Problem]:
    problems = []
    for index, tag in enumerate(pack.manifest.move_tags):
        if (tag.topic is None) == (tag.stance is None):
            continue
        missing, given = ("stance", "topic") if tag.stance is None else ("topic", "stance")
        problems.append(
            locations.manifest_problem(
                ("move_tags", index, given),
                f"move tag '{tag.id}' declares a {given} but no {missing}: the report judges "
                "decisions only from both",
                warning=True,
            )
        )
    return problems
