"""The MSEL's columns: HSEEP's first, then the pack's own fields; one row per inject.

This table is the one place a column is defined: its header, the names a sheet may use
for it (HSEEP's variants), its width, and how a value becomes a cell and back. A column
whose ``key`` names an inject field appears only when the pack format has that field
(``priority`` appears once injects have one), so the format and the sheet cannot drift.
Derived columns (event number, in-game date, the condition in words) are written for
the reader and ignored on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from exercise.msel.cells import CellError
from exercise.msel.fields import inject_fields
from exercise.pack.models import Inject

if TYPE_CHECKING:
    from exercise.pack.models import Pack

CellKind = Literal[
    "number",
    "turn",
    "date",
    "text",
    "body",
    "lines",
    "ids",
    "audience",
    "choice",
    "effects",
    "condition",
    "words",
]


@dataclass(frozen=True)
class Column:
    key: str  # the inject field as YAML names it, or a name for a derived column
    header: str
    kind: CellKind
    width: int
    aliases: tuple[str, ...] = ()
    derived: bool = False
    required: bool = False
    choices: str = ""  # which drop-down list the xlsx offers: kind, from, audience, priority


COLUMNS: tuple[Column, ...] = (
    Column(
        "event",
        "Event #",
        "number",
        8,
        ("event", "event no", "msel", "msel no", "inject no", "no", "serial"),
        derived=True,
    ),
    Column("turn", "Turn", "turn", 9, ("turns", "move", "round", "turn range"), required=True),
    Column(
        "date",
        "In-game date",
        "date",
        16,
        ("date", "scenario date", "scenario time", "game date", "time", "designated scenario time"),
        derived=True,
    ),
    Column("id", "Inject ID", "text", 26, ("id", "event id", "inject identifier"), required=True),
    Column(
        "title",
        "Title",
        "text",
        40,
        ("inject title", "event title", "subject", "event synopsis", "synopsis", "headline"),
        required=True,
    ),
    Column(
        "kind",
        "Kind",
        "text",
        20,
        ("type", "inject type", "event type", "inject kind", "category"),
        required=True,
        choices="kind",
    ),
    Column(
        "from",
        "From",
        "text",
        14,
        ("sender", "inject from", "originator", "simulated from"),
        required=True,
        choices="from",
    ),
    Column("byline", "Byline", "text", 18, ("outlet", "agency", "credit", "source")),
    Column(
        "audience",
        "To",
        "audience",
        14,
        ("audience", "recipient", "inject to", "player", "receiver"),
        choices="audience",
    ),
    Column(
        "body",
        "Description",
        "body",
        70,
        (
            "body",
            "inject description",
            "event description",
            "message",
            "text",
            "inject",
            "inject text",
            "content",
            "details",
        ),
        required=True,
    ),
    Column(
        "expected_actions",
        "Expected player action",
        "lines",
        42,
        ("expected action", "expected outcome", "expected response", "expected player response"),
    ),
    Column(
        "objectives",
        "Objective(s)",
        "ids",
        24,
        (
            "objective",
            "exercise objective",
            "objective/core capability",
            "objective/core capability/critical task",
        ),
    ),
    Column("priority", "Priority", "choice", 10, (), choices="priority"),
    Column(
        "questions",
        "Controller notes",
        "lines",
        42,
        ("controller note", "notes", "discussion questions", "questions", "key questions"),
    ),
    Column("effects", "Effects", "effects", 20, ("effect", "track effects")),
    Column("condition", "Condition", "condition", 44, ("trigger", "conditions")),
    Column(
        "condition_words",
        "Condition (in words)",
        "words",
        44,
        ("condition description", "condition described", "trigger description"),
        derived=True,
    ),
    Column("tags", "Tags", "ids", 14, ("tag",)),
)


def active_columns() -> list[Column]:
    """The columns of the pack format as it is: derived ones, and those it has a field for."""
    fields = inject_fields()
    return [c for c in COLUMNS if c.derived or c.key in fields]


def field_choices(key: str) -> list[str]:
    """The values a field with a fixed set of choices takes (from its type), in order."""
    info = inject_fields().get(key)
    if info is None:
        return []
    found: list[str] = []
    stack = [info.annotation]
    while stack:
        item = stack.pop(0)
        args = get_args(item)
        if getattr(item, "__origin__", None) is Literal:
            found += [a for a in args if isinstance(a, str)]
        else:
            stack.extend(args)
    return found


def normalise(header: str) -> str:
    """'Objective(s)', 'OBJECTIVES ', 'objective' -> 'objective': headers match whatever
    their case, spacing, punctuation, '#' or 'No.' for number, and plural."""
    text = header.lower().replace("(s)", "").replace("#", " no ").replace("number", "no")
    text = re.sub(r"[^0-9a-z]+", "", text)
    return text[:-1] if len(text) > 3 and text.endswith("s") else text


def header_index(columns: list[Column]) -> dict[str, Column]:
    """Every accepted header (normalised) -> its column."""
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.key, column.header, *column.aliases):
            index.setdefault(normalise(name), column)
    return index


# --------------------------------------------------------------------------- export


def turn_text(first: int, last: int) -> str:
    return f"{first} to {last}"


def inject_cells(inject: Inject, pack: Pack, number: int, columns: list[Column]) -> list[Any]:
    """One row of the MSEL: the inject's value for each column."""
    data = inject.model_dump(by_alias=True, exclude_none=True, mode="json")
    return [_cell(column, inject, data, pack, number) for column in columns]


def _cell(column: Column, inject: Inject, data: dict[str, Any], pack: Pack, number: int) -> Any:
    kind = column.kind
    value: Any = data.get(column.key)  # JSON: its shape is the column's
    if kind == "number":
        return number
    if kind == "turn":
        return value if isinstance(value, int) else turn_text(value["first"], value["last"])
    if kind == "date":
        manifest = pack.manifest
        first, last = inject.first_turn, inject.last_turn
        if not 1 <= first <= manifest.turns:
            return ""
        label = manifest.turn_label(first)
        if first != last and last <= manifest.turns:
            label += " to " + manifest.turn_label(last)
        return label
    if kind == "audience":
        return "public" if value == "public" else "\n".join(value)
    if kind in ("lines", "ids"):
        return "\n".join(value or [])
    if kind == "effects":
        return "\n".join(f"{track} {delta:+d}" for track, delta in (value or {}).items())
    if kind == "condition":
        from exercise.msel.yamlout import flow_text

        return flow_text(value) if value else ""
    if kind == "words":
        from exercise.render.describe import describe_condition

        return describe_condition(inject.condition, pack) if inject.condition else ""
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- import

#: A cell the importer leaves out of the inject, so the field takes its default.
OMIT: Any = object()
#: Stand-ins for required cells that could not be read, so the rest of the row is still
#: checked (their own problem is already reported).
PLACEHOLDERS: dict[str, Any] = {
    "turn": 1,
    "kind": "statement",
    "from": "control",
    "title": "-",
    "body": "-",
}
_TURN_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|–|—|\.\.|to)\s*(\d+)\s*$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[\n,;]+")
_EFFECT = re.compile(r"^([^\s:=+-][^\s:=]*?)\s*(?::|=)?\s*([+-]?\s*\d+)$")


def cell_text(value: Any) -> str:
    """A cell's value as text: numbers as written (3, not 3.0), line ends as '\\n'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def read_cell(column: Column, value: Any) -> Any:
    """The inject field's value for a cell (``OMIT`` for an empty optional cell)."""
    text = cell_text(value)
    kind = column.kind
    if not text.strip():
        if column.required:
            raise CellError(f"field '{column.key}' must not be empty")
        return OMIT
    if kind == "body":
        return text
    if kind == "lines":  # one item a line, kept exactly as written; blank lines dropped
        return [line for line in text.split("\n") if line.strip()]
    text = text.strip()
    if kind == "turn":
        return _turn(value, text)
    if kind == "audience" and text.lower() == "public":
        return OMIT  # the default
    if kind in ("audience", "ids"):
        return _split(text) or OMIT
    if kind == "effects":
        return _effects(text)
    if kind == "condition":
        from exercise.msel.flow import parse_condition

        return parse_condition(text)
    return text


def _split(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def _turn(value: Any, text: str) -> Any:
    if hasattr(value, "isoformat"):  # Excel reads '2-6' typed in a cell as a date
        raise CellError(
            f"the spreadsheet turned this cell into a date ({value.isoformat()[:10]}): write a "
            "range of turns as '2 to 6'"
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
    elif text.isdigit():
        return int(text)
    match = _TURN_RANGE.match(text)
    if match:
        return {"first": int(match.group(1)), "last": int(match.group(2))}
    raise CellError(
        f"field 'turn' must be a turn number or a range such as '3 to 6', not {text[:30]!r}"
    )


def _effects(text: str) -> dict[str, int]:
    effects: dict[str, int] = {}
    for part in _split(text):
        match = _EFFECT.match(part)
        if not match:
            raise CellError(
                f"write each effect as 'track +N' on its own line, e.g. 'tension +1' "
                f"(not {part[:30]!r})"
            )
        track, delta = match.group(1), int(match.group(2).replace(" ", ""))
        effects[track] = effects.get(track, 0) + delta
    return effects
