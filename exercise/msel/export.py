"""A pack's MSEL as a table: one row per inject, in the pack's order, plus reference.

Rows keep the order the pack loads its injects in (files by name, then as written):
conditional injects due in the same turn are considered in that order, so a sheet
imported back plays exactly as the pack did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercise.msel.columns import (
    Column,
    active_columns,
    field_choices,
    inject_cells,
)
from exercise.msel.fields import inject_fields
from exercise.msel.sheet import Block, Choice, Table
from exercise.pack.models import Inject, Objective
from exercise.problems import UserError

if TYPE_CHECKING:
    from exercise.pack.models import Pack

#: Objective fields the reference sheet lists, when the pack format has them.
OBJECTIVE_FIELDS = (
    ("id", "ID"),
    ("title", "Title"),
    ("capability", "Capability"),
    ("description", "Description"),
)


def msel_table(pack: Pack) -> Table:
    columns = active_columns()
    _refuse_lost_fields(pack, columns)
    rows = [inject_cells(inject, pack, n, columns) for n, inject in enumerate(pack.injects, 1)]
    table = Table(
        title="MSEL",
        headers=[c.header for c in columns],
        widths=[c.width for c in columns],
        rows=rows,
        names=[f"inject '{inject.id}'" for inject in pack.injects],
    )
    table.choices = _choices(columns, pack)
    table.extra = [("Reference", reference_blocks(pack), [26, 44, 22, 16, 40])]
    return table


def _refuse_lost_fields(pack: Pack, columns: list[Column]) -> None:
    """An inject field without a column would be lost on the way back: refuse, and say so."""
    covered = {column.key for column in columns}
    fields = inject_fields()
    for inject in pack.injects:
        for name in inject.model_fields_set:
            key = fields_alias(name)
            if key not in covered and key in fields:
                raise UserError(
                    f"inject '{inject.id}' sets '{key}', which the MSEL has no column for yet "
                    "(it would be lost): add the column to exercise/msel/columns.py"
                )


def fields_alias(name: str) -> str:
    info = Inject.model_fields.get(name)
    return (info.alias or name) if info is not None else name


def _choices(columns: list[Column], pack: Pack) -> list[Choice]:
    roles = [role.id for role in pack.roles]
    lists: dict[str, tuple[list[str], bool, str]] = {
        "kind": (list(pack.manifest.all_inject_kinds), True, "Kind"),
        "from": (["control", *roles], False, "From"),
        "audience": (["public", *roles], False, "To"),
    }
    out = []
    for col, column in enumerate(columns, start=1):
        if column.choices == "priority" or (column.choices and column.choices not in lists):
            values = field_choices(column.key)
            if values:
                out.append(Choice(col, values, True, column.header))
        elif column.choices:
            values, strict, title = lists[column.choices]
            out.append(Choice(col, values, strict, title))
    return out


def reference_blocks(pack: Pack) -> list[Block]:
    """Roles, tracks, objectives, move tags and inject kinds, for the planner's eyes."""
    manifest = pack.manifest
    blocks: list[Block] = [
        ("Roles", ["ID", "Name", "Played by"], [[r.id, r.name, r.played_by] for r in pack.roles]),
        (
            "Tracks",
            ["ID", "Name", "Scope", "Range", "Start and levels"],
            [
                [
                    t.id,
                    t.name,
                    t.scope if t.scope == "global" else " and ".join(t.scope),
                    f"{t.min} to {t.max}",
                    "\n".join(
                        [f"starts at {t.initial}", *(f"{lv.name} from {lv.min}" for lv in t.levels)]
                    ),
                ]
                for t in manifest.tracks
            ],
        ),
    ]
    fields = [(key, header) for key, header in OBJECTIVE_FIELDS if key in Objective.model_fields]
    blocks.append(
        (
            "Objectives",
            [header for _, header in fields],
            [[_text(getattr(o, key)) for key, _ in fields] for o in manifest.objectives],
        )
    )
    blocks.append(
        (
            "Move tags (for conditions)",
            ["ID", "Title", "Offered to"],
            [[t.id, t.title, "\n".join(t.roles) or "every role"] for t in manifest.move_tags],
        )
    )
    builtin = len(manifest.all_inject_kinds) - len(manifest.inject_kinds)
    blocks.append(
        (
            "Inject kinds",
            ["ID", "Defined by"],
            [
                [kind, "the pack format" if i < builtin else "this pack"]
                for i, kind in enumerate(manifest.all_inject_kinds)
            ],
        )
    )
    return blocks


def _text(value: Any) -> Any:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else value
