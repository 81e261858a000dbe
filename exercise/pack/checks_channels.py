"""Cross-references of channels, the evaluation guide, and the conditions that read channels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercise.pack.models import ExchangedCondition, MessageCondition
from exercise.pack.refs import duplicates, unknown

if TYPE_CHECKING:
    from exercise.pack.locations import Locations
    from exercise.pack.models import Pack
    from exercise.problems import Problem

DataPath = tuple[str | int, ...]


def direct_channel_id(a: str, b: str) -> str:
    """The id of the direct channel between two roles: 'a+b', in sorted order."""
    first, second = sorted((a, b))
    return f"{first}+{second}"


def check_channels(pack: Pack, locations: Locations, roles: dict[str, Any]) -> list[Problem]:
    """Channel members and critical tasks' objectives must exist; ids must be unique."""
    manifest = pack.manifest
    problems = duplicates(manifest.channels, "channels", "channel", locations)
    problems += duplicates(manifest.critical_tasks, "critical_tasks", "critical task", locations)
    for index, channel in enumerate(manifest.channels):
        for j, role_id in enumerate(channel.members):
            if role_id not in roles:
                problems.append(
                    locations.manifest_problem(
                        ("channels", index, "members", j), unknown("role", role_id, roles)
                    )
                )
        if len(set(channel.members)) < len(channel.members):
            problems.append(
                locations.manifest_problem(
                    ("channels", index, "members"), "a channel lists each member once"
                )
            )
    objectives = pack.objectives_by_id
    for index, task in enumerate(manifest.critical_tasks):
        if task.objective not in objectives:
            problems.append(
                locations.manifest_problem(
                    ("critical_tasks", index, "objective"),
                    unknown("objective", task.objective, objectives),
                )
            )
    return problems


def check_channel_condition(
    pack: Pack, cond: Any, path: DataPath, roles: dict[str, Any], error: Any
) -> None:
    """Report unknown channels and roles in ``message`` and ``exchanged`` conditions."""
    if isinstance(cond, MessageCondition):
        match = cond.message
        if match.from_ is not None and match.from_ not in roles:
            error((*path, "message", "from"), unknown("role", match.from_, roles))
        if match.channel is not None and match.channel not in pack.channels_by_id:
            pair = match.channel.split("+")
            if not (
                len(pair) == 2 and all(r in roles for r in pair) and pack.manifest.direct_channels
            ):
                error(
                    (*path, "message", "channel"),
                    unknown("channel", match.channel, pack.channels_by_id)
                    + " — a direct channel is written 'role+role'",
                )
    elif isinstance(cond, ExchangedCondition):
        for j, role_id in enumerate(cond.exchanged):
            if role_id not in roles:
                error((*path, "exchanged", j), unknown("role", role_id, roles))
