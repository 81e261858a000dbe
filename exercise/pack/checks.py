"""Checks that span files: references, ranges and turns (errors), and lint (warnings).

The models check each file on its own; here the pack is checked as a whole: every id a
file mentions must be defined somewhere, every turn must fall in the exercise, every
effect and threshold must fit its track, and templates must stay inside the pack.
Each problem points at the offending value, through ``Locations``.

``from`` on an inject names who sends it: a role id, ``control``, or the name of some
other sender (an outlet, an agency). A value written like an id (lower case, no
spaces: ``chna``) is taken as a role id and must name a role; a name such as ``KCNA``
or ``Yonhap News`` is shown as written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exercise.pack.checks_channels import check_channel_condition, check_channels
from exercise.pack.files import path_is
from exercise.pack.lint import lint_pack
from exercise.pack.models import (
    AllCondition,
    AnyCondition,
    MoveCondition,
    NotCondition,
    ReleasedCondition,
    TrackCondition,
)
from exercise.pack.refs import Names, duplicates
from exercise.pack.refs import unknown as unknown  # the rehearsal script's checks use it too
from exercise.problems import Problem

if TYPE_CHECKING:
    from exercise.pack.locations import Locations
    from exercise.pack.models import Inject, Pack

_ID_LIKE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RESERVED_ROLE_IDS = ("control", "public")
MAX_TEMPLATE_ENTRIES = 5_000

DataPath = tuple[str | int, ...]


def check_pack(pack: Pack, locations: Locations) -> list[Problem]:
    """Every cross-file problem of ``pack``, errors and warnings together."""
    problems: list[Problem] = []
    problems += _check_manifest(pack, locations)
    problems += _check_roles(pack, locations)
    roles = _known_roles(pack, locations)
    problems += check_channels(pack, locations, roles)
    inject_names = Names(pack.injects_by_id)
    for inject in pack.injects:
        problems += _check_inject(pack, locations, inject, roles, inject_names)
    problems += _check_templates(pack, locations)
    problems += lint_pack(pack, locations)
    return problems


def walk_conditions(cond: Any, path: DataPath) -> Iterator[tuple[Any, DataPath]]:
    """Every condition in ``cond`` (itself included) with its path in the inject."""
    stack = [(cond, path)]
    while stack:
        node, where = stack.pop()
        yield node, where
        if isinstance(node, AllCondition):
            stack.extend((c, (*where, "all", i)) for i, c in enumerate(node.all))
        elif isinstance(node, AnyCondition):
            stack.extend((c, (*where, "any", i)) for i, c in enumerate(node.any))
        elif isinstance(node, NotCondition):
            stack.append((node.not_, (*where, "not")))


def _known_roles(pack: Pack, locations: Locations) -> dict[str, Any]:
    """Role ids references may use: valid roles, and roles whose file has errors (those
    errors are reported already; saying 'unknown role' too would only add noise)."""
    known: dict[str, Any] = dict.fromkeys(sorted(locations.broken_roles))
    known.update(pack.roles_by_id)
    return known


# --------------------------------------------------------------------------- manifest


def _check_manifest(pack: Pack, locations: Locations) -> list[Problem]:
    manifest = pack.manifest
    roles = _known_roles(pack, locations)
    problems: list[Problem] = []
    for list_key, what in (
        ("objectives", "objective"),
        ("tracks", "track"),
        ("topics", "topic"),
        ("sources", "source"),
        ("move_tags", "move tag"),
    ):
        problems += duplicates(getattr(manifest, list_key), list_key, what, locations)
    problems += _check_tracks(pack, locations, roles)
    problems += _check_move_tags(pack, locations, roles)
    problems += _check_turn_plan(pack, locations)
    return problems


def _check_tracks(pack: Pack, locations: Locations, roles: dict[str, Any]) -> list[Problem]:
    """A pair track's scope names two different roles; each level starts in range."""
    problems: list[Problem] = []
    for index, track in enumerate(pack.manifest.tracks):
        if isinstance(track.scope, list):
            for j, role_id in enumerate(track.scope):
                if role_id not in roles:
                    problems.append(
                        locations.manifest_problem(
                            ("tracks", index, "scope", j), unknown("role", role_id, roles)
                        )
                    )
            if len(set(track.scope)) < len(track.scope):
                problems.append(
                    locations.manifest_problem(
                        ("tracks", index, "scope"), "a pair track needs two different roles"
                    )
                )
        for j, level in enumerate(track.levels):
            if not track.min <= level.min <= track.max:
                problems.append(
                    locations.manifest_problem(
                        ("tracks", index, "levels", j, "min"),
                        f"level '{level.name}' starts at {level.min}, outside the track's "
                        f"range {track.min}..{track.max}",
                    )
                )
    return problems


def _check_move_tags(pack: Pack, locations: Locations, roles: dict[str, Any]) -> list[Problem]:
    """A move tag's roles and topic exist."""
    problems: list[Problem] = []
    for index, tag in enumerate(pack.manifest.move_tags):
        for j, role_id in enumerate(tag.roles):
            if role_id not in roles:
                problems.append(
                    locations.manifest_problem(
                        ("move_tags", index, "roles", j), unknown("role", role_id, roles)
                    )
                )
        if tag.topic is not None and tag.topic not in pack.topics_by_id:
            problems.append(
                locations.manifest_problem(
                    ("move_tags", index, "topic"), unknown("topic", tag.topic, pack.topics_by_id)
                )
            )
    return problems


def _check_turn_plan(pack: Pack, locations: Locations) -> list[Problem]:
    """Each planned turn exists and is planned once."""
    problems: list[Problem] = []
    seen: set[int] = set()
    for index, entry in enumerate(pack.manifest.turn_plan):
        path = ("turn_plan", index, "turn")
        if entry.turn > pack.manifest.turns:
            problems.append(
                locations.manifest_problem(
                    path, f"turn {entry.turn} is beyond the exercise's {pack.manifest.turns} turns"
                )
            )
        elif entry.turn in seen:
            problems.append(locations.manifest_problem(path, f"turn {entry.turn} is planned twice"))
        seen.add(entry.turn)
    return problems


# --------------------------------------------------------------------------- roles


def _check_roles(pack: Pack, locations: Locations) -> list[Problem]:
    problems: list[Problem] = []
    roles = _known_roles(pack, locations)
    topics = pack.topics_by_id
    sources = pack.sources_by_id
    for role in pack.roles:
        if role.id in RESERVED_ROLE_IDS:
            problems.append(
                locations.role_problem(
                    role.id, ("id",), f"'{role.id}' is a reserved word; choose another role id"
                )
            )
        for index, position in enumerate(role.positions):
            if position.topic not in topics:
                problems.append(
                    locations.role_problem(
                        role.id,
                        ("positions", index, "topic"),
                        unknown("topic", position.topic, topics)
                        + " — topics are listed in scenario.yaml",
                    )
                )
            if position.source not in sources:
                problems.append(
                    locations.role_problem(
                        role.id,
                        ("positions", index, "source"),
                        unknown("source", position.source, sources)
                        + " — sources are listed in scenario.yaml",
                    )
                )
        for other in role.views:
            if other not in roles:
                problems.append(
                    locations.role_problem(
                        role.id, ("views", other), unknown("role", other, roles), key=True
                    )
                )
            elif other == role.id:
                problems.append(
                    locations.role_problem(
                        role.id,
                        ("views", other),
                        "a role's views are of the other roles",
                        key=True,
                    )
                )
    return problems


# --------------------------------------------------------------------------- injects


#: Reports one problem of an inject at a path within it.
_Report = Callable[..., None]


def _check_inject(
    pack: Pack, locations: Locations, inject: Inject, roles: dict[str, Any], inject_names: Names
) -> list[Problem]:
    problems: list[Problem] = []

    def error(path: DataPath, message: str, *, key: bool = False) -> None:
        problems.append(locations.inject_problem(inject.id, path, message, key=key))

    _check_inject_turn(inject, pack.manifest.turns, error)
    kinds = pack.manifest.all_inject_kinds
    if inject.kind not in kinds:
        error(
            ("kind",),
            unknown("inject kind", inject.kind, kinds)
            + " — add your own kinds to inject_kinds in scenario.yaml",
        )
    _check_inject_people(inject, roles, error)
    objectives = pack.objectives_by_id
    for index, objective in enumerate(inject.objectives):
        if objective not in objectives:
            error(("objectives", index), unknown("objective", objective, objectives))
    _check_inject_effects(pack, inject, error)
    if inject.condition is not None:
        problems += _check_condition(pack, locations, inject, roles, inject_names)
    return problems


def _check_inject_turn(inject: Inject, turns: int, error: _Report) -> None:
    """The inject's turn, or both ends of its window, fall within the exercise."""
    if isinstance(inject.turn, int):
        if not 1 <= inject.turn <= turns:
            error(("turn",), f"turn {inject.turn} is outside the exercise (turns 1..{turns})")
        return
    for end in ("first", "last"):
        value = getattr(inject.turn, end)
        if value > turns:
            error(("turn", end), f"{end} turn {value} is after the exercise's last turn ({turns})")


def _check_inject_people(inject: Inject, roles: dict[str, Any], error: _Report) -> None:
    """Its sender is a role, control or a named outsider; its audience is roles."""
    sender = inject.from_
    if not sender.strip():
        error(("from",), "field 'from' must not be empty")
    elif sender != "control" and sender not in roles and _ID_LIKE.match(sender):
        error(
            ("from",),
            unknown("role", sender, roles)
            + "; 'from' takes a role id, 'control', or a sender's name such as 'KCNA'",
        )
    if isinstance(inject.audience, list):
        for index, role_id in enumerate(inject.audience):
            if role_id not in roles:
                error(("audience", index), unknown("role", role_id, roles))


def _check_inject_effects(pack: Pack, inject: Inject, error: _Report) -> None:
    """Each effect names a track and is no larger than the track's range."""
    tracks = pack.tracks_by_id
    for track_id, delta in inject.effects.items():
        track = tracks.get(track_id)
        if track is None:
            error(("effects", track_id), unknown("track", track_id, tracks), key=True)
        elif abs(delta) > track.max - track.min:
            error(
                ("effects", track_id),
                f"effect {delta:+d} on '{track_id}' is larger than the track's whole range "
                f"({track.min}..{track.max})",
            )


def _check_condition(
    pack: Pack, locations: Locations, inject: Inject, roles: dict[str, Any], inject_names: Names
) -> list[Problem]:
    problems: list[Problem] = []
    manifest = pack.manifest
    tracks = pack.tracks_by_id
    tags = pack.move_tags_by_id

    def error(path: DataPath, message: str) -> None:
        problems.append(locations.inject_problem(inject.id, path, message))

    for cond, path in walk_conditions(inject.condition, ("condition",)):
        check_channel_condition(pack, cond, path, roles, error)
        if isinstance(cond, TrackCondition):
            track = tracks.get(cond.track)
            if track is None:
                error((*path, "track"), unknown("track", cond.track, tracks))
            elif not track.min <= cond.value <= track.max:
                error(
                    (*path, "value"),
                    f"threshold {cond.value} is outside the range of '{track.id}' "
                    f"({track.min}..{track.max})",
                )
        elif isinstance(cond, ReleasedCondition):
            injects = pack.injects_by_id
            if cond.released not in injects and cond.released not in locations.broken_injects:
                error((*path, "released"), unknown("inject", cond.released, inject_names))
        elif isinstance(cond, MoveCondition):
            match = cond.move
            if match.role is not None and match.role not in roles:
                error((*path, "move", "role"), unknown("role", match.role, roles))
            if match.kind is not None and match.kind not in manifest.all_move_kinds:
                error(
                    (*path, "move", "kind"),
                    unknown("move kind", match.kind, manifest.all_move_kinds)
                    + " — add your own kinds to move_kinds in scenario.yaml",
                )
            if match.tag is not None and match.tag not in tags:
                error(
                    (*path, "move", "tag"),
                    unknown("move tag", match.tag, tags)
                    + " — tags are listed in move_tags in scenario.yaml",
                )
    return problems


# --------------------------------------------------------------------------- templates


def _check_templates(pack: Pack, locations: Locations) -> list[Problem]:
    """The template folder and every file in it must stay inside the pack (no links out)."""
    folder = pack.manifest.templates
    refused = _template_folder_problem(pack, locations)
    if refused is not None:
        return refused
    base = pack.root / folder
    root = pack.root.resolve()
    problems: list[Problem] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        seen += len(dirnames) + len(filenames)
        if seen > MAX_TEMPLATE_ENTRIES:
            problems.append(
                Problem(folder, 1, 1, f"too many template files (over {MAX_TEMPLATE_ENTRIES:,})")
            )
            break
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            if path_is(path, "is_symlink") and not _resolves_inside(path, root):
                rel = path.relative_to(pack.root).as_posix()
                problems.append(Problem(rel, 1, 1, "template file points outside the pack"))
    return problems


def _resolves_inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _template_folder_problem(pack: Pack, locations: Locations) -> list[Problem] | None:
    """What is wrong with the template folder itself ([] when a missing folder is fine);
    None when it is a folder inside the pack, whose files are to be checked."""
    folder = pack.manifest.templates
    given = locations.manifest is not None and ("templates",) in _manifest_keys(locations)
    where = Path(folder)
    if where.is_absolute() or ".." in where.parts:
        return [
            locations.manifest_problem(
                ("templates",),
                f"template folder '{folder}' must be a folder inside the pack (no '..' or "
                "absolute paths)",
            )
        ]
    base = pack.root / where
    if not _resolves_inside(base, pack.root.resolve()):
        return [
            locations.manifest_problem(
                ("templates",), f"template folder '{folder}' points outside the pack"
            )
        ]
    if path_is(base, "is_dir"):
        return None
    if given and path_is(base, "exists"):
        return [locations.manifest_problem(("templates",), f"'{folder}' is not a folder")]
    if given and folder != "reports":
        return [
            locations.manifest_problem(
                ("templates",), f"template folder '{folder}' does not exist", warning=True
            )
        ]
    return []


def _manifest_keys(locations: Locations) -> set[DataPath]:
    positions = locations.manifest
    if positions is None or not isinstance(positions.root, dict):
        return set()
    return {(key,) for key in positions.root}
