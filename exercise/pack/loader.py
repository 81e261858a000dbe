"""Load a scenario pack folder into validated models, or into precise problems.

``load_pack`` never raises for bad content: it returns every problem it found with
its ``path:line:col``. ``require_pack`` is for commands that need a usable pack.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from exercise.pack.errors import problems_from_validation
from exercise.pack.files import inside, pack_files, path_is, relative
from exercise.pack.locations import MANIFEST, Locations
from exercise.pack.models import Inject, InjectFile, Manifest, Pack, Role
from exercise.pack.yamlpos import Positions, decode, load_text, read_bytes
from exercise.problems import Problem, ProblemsError, has_errors

#: Limits that keep a hostile or mistaken folder (a home directory...) from taking minutes.
MAX_PACK_BYTES = 64 * 1024 * 1024
MAX_SALVAGE_BYTES = 1024 * 1024

_FILE_KINDS = {
    Manifest: ("scenario.yaml", "id, title, summary, setting, start_date, turns, objectives"),
    Role: ("a role file", "id, name, short_name, background"),
    InjectFile: ("an inject file", "injects: followed by a list of injects"),
}


@dataclass
class LoadResult:
    pack: Pack | None
    problems: list[Problem]
    locations: Locations

    @property
    def ok(self) -> bool:
        return self.pack is not None and not has_errors(self.problems)


def _validate(
    model: type[BaseModel], data: Any, positions: Positions, problems: list[Problem]
) -> Any:
    if not isinstance(data, dict):
        what, fields = _FILE_KINDS.get(model, ("the file", "fields"))
        if data is None:
            text = f"the file is empty ({what} needs {fields})"
        else:
            kind = "a list" if isinstance(data, list) else "a single value"
            text = f"{what} must be a YAML mapping of fields ({fields}), not {kind}"
        problems.append(positions.problem((), text))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, data, positions, model))
        return None


_ID_LINE = re.compile(rb"^[ \t-]*id:[ \t]*['\"]?([a-z0-9][a-z0-9_-]{0,63})['\"]?[ \t]*$", re.M)


def _salvage_ids(path: Path, raw: bytes) -> set[str]:
    """Ids a file that could not be read seems to define (its ``id:`` lines, its name),
    so that references to them are not reported as unknown on top of its own error."""
    return {path.stem, *(m.decode() for m in _ID_LINE.findall(raw[:MAX_SALVAGE_BYTES]))}


def _valid_injects(
    data: Any, positions: Positions, problems: list[Problem], locations: Locations
) -> list[tuple[int, Inject]]:
    """The injects of one file that validate, with their index; one bad inject does not
    hide the others (nor make every reference to them an error)."""
    items = data.get("injects") if isinstance(data, dict) else None
    if not isinstance(items, list):
        group = _validate(InjectFile, data, positions, problems)
        return list(enumerate(group.injects)) if group is not None else []
    if len(data) > 1:
        _validate(InjectFile, {**data, "injects": []}, positions, problems)
    found = []
    for index, item in enumerate(items):
        try:
            found.append((index, Inject.model_validate(item)))
        except ValidationError as exc:
            problems.extend(
                problems_from_validation(exc, data, positions, InjectFile, loc=("injects", index))
            )
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                locations.broken_injects.add(item["id"])
    return found


def load_pack(root: Path | str, *, checks: bool = True) -> LoadResult:
    """Read, validate and cross-check the pack in ``root``."""
    root = Path(root)
    locations = Locations()
    refused = _not_a_pack(root)
    if refused is not None:
        return LoadResult(None, [refused], locations)
    reader = _Reader(root)
    manifest: Manifest | None = None
    loaded = reader.read(root / MANIFEST)
    if loaded:
        data, positions = loaded
        locations.manifest = positions
        manifest = _validate(Manifest, data, positions, reader.problems)
    roles = _load_roles(reader, locations)
    injects = _load_injects(reader, locations)
    problems = reader.problems
    if manifest is None:
        return LoadResult(None, sorted(problems), locations)
    pack = Pack(
        root=root,
        manifest=manifest,
        roles=roles,
        injects=injects,
        content_hash=reader.digest.hexdigest(),
    )
    if checks:
        from exercise.pack.checks import check_pack

        problems.extend(check_pack(pack, locations))
    return LoadResult(pack, _ordered(problems), locations)


def _not_a_pack(root: Path) -> Problem | None:
    """Why ``root`` cannot be read as a pack at all (None when it can)."""
    manifest_path = root / MANIFEST
    if not path_is(root, "is_dir"):
        what = "is a file, not a pack folder" if path_is(root, "exists") else "no such pack folder"
        return Problem(str(root), 1, 1, what)
    if not path_is(manifest_path, "is_file"):
        return Problem(MANIFEST, 1, 1, f"no {MANIFEST} here: is this a scenario pack folder?")
    if not inside(root, manifest_path):  # like every other file of the pack
        return Problem(MANIFEST, 1, 1, "file points outside the pack")
    return None


class _Reader:
    """Parses the pack's files one by one, keeping the problems, the total size (bounded)
    and the digest of everything read (the pack's content hash)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()
        self.total = 0

    def read(self, path: Path, broken: set[str] | None = None) -> tuple[Any, Positions] | None:
        """Parse one file; on failure, note in ``broken`` the ids it seems to define."""
        rel = relative(self.root, path)
        raw = b""
        try:
            raw = read_bytes(path, rel)
            self.total += len(raw)
            if self.total > MAX_PACK_BYTES:
                raise ProblemsError(
                    [Problem(rel, 1, 1, f"the pack is too large (over {MAX_PACK_BYTES:,} bytes)")]
                )
            data, positions = load_text(decode(raw, rel), rel)
            self.problems.extend(positions.stripped)
        except ProblemsError as exc:
            self.problems.extend(exc.problems)
            if broken is not None:
                broken.update(_salvage_ids(path, raw))
            return None
        self.digest.update(rel.encode() + b"\0" + raw + b"\0")
        return data, positions

    def files(self, folder: str) -> list[Path]:
        """The YAML files of one folder of the pack (problems with the folder noted)."""
        found, problems = pack_files(self.root, folder)
        self.problems.extend(problems)
        return found


def _load_roles(reader: _Reader, locations: Locations) -> list[Role]:
    """The roles that validate, each id once; the others' ids are noted as broken."""
    roles: list[Role] = []
    problems = reader.problems
    for path in reader.files("roles"):
        loaded = reader.read(path, locations.broken_roles)
        if not loaded:
            continue
        data, positions = loaded
        role = _validate(Role, data, positions, problems)
        if role is None:
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                locations.broken_roles.add(data["id"])
            locations.broken_roles.add(path.stem)
            continue
        if role.id in locations.roles:
            first = locations.roles[role.id][0]
            problems.append(
                positions.problem(
                    ("id",),
                    f"duplicate role id '{role.id}' (also in {first.file}:{first.at(('id',))[0]})",
                )
            )
            continue
        locations.roles[role.id] = (positions, ())
        roles.append(role)
    return roles


def _load_injects(reader: _Reader, locations: Locations) -> list[Inject]:
    """The injects that validate, each id once, from every inject file."""
    injects: list[Inject] = []
    problems = reader.problems
    for path in reader.files("injects"):
        loaded = reader.read(path, locations.broken_injects)
        if not loaded:
            continue
        data, positions = loaded
        for index, inject in _valid_injects(data, positions, problems, locations):
            if inject.id in locations.injects:
                other, prefix = locations.injects[inject.id]
                problems.append(
                    positions.problem(
                        ("injects", index, "id"),
                        f"duplicate inject id '{inject.id}' (also in {other.file}:"
                        f"{other.at((*prefix, 'id'))[0]})",
                    )
                )
                continue
            locations.injects[inject.id] = (positions, ("injects", index))
            injects.append(inject)
    return injects


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each group by file and line; no repeats."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (not p.is_error, p.path, p.line, p.col, p.message))


def require_pack(root: Path | str) -> Pack:
    """Load a pack for use; raise ProblemsError listing its errors if it has any."""
    result = load_pack(root)
    errors = [p for p in result.problems if p.is_error]
    if errors or result.pack is None:
        raise ProblemsError(errors or [Problem(str(root), 1, 1, "pack could not be loaded")])
    return result.pack
