"""Turn pydantic validation errors into ``path:line:col: message`` problems.

Pydantic reports a location as a tuple of keys and indexes, with union branch names
mixed in; we walk that location against the data itself so only real keys remain,
then point at the value (or at the key, for an unknown field; or at the mapping, for a
missing one). Messages name the field and say what it must be, in the words of the
pack format ("a turn number or a range {first: N, last: M}"), not pydantic's.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from exercise.pack.models import CONDITION_KEYS
from exercise.pack.yamlpos import DataPath, Positions
from exercise.problems import Problem

_TYPE_WORDS = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "is_instance_of": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
}

#: What a field that accepts several shapes must be, said once, in pack words.
_UNION_WORDS = {
    "turn": "a turn number or a range {first: N, last: M}",
    "audience": "'public' or a list of role ids",
    "scope": "'global' or a pair of role ids [a, b]",
    "ruled": "an outcome (accepted, modified or rejected), a list of them, or 'any'",
    "condition": "a condition (a mapping with one of all, any, not, track, released, move, chance)",
}

_YAML11_HINT = " (YAML reads unquoted yes/no/on/off as true/false: put the word in quotes)"
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "more than"),
    "less_than": ("lt", "less than"),
}


def _data_path(data: Any, loc: tuple[Any, ...], missing: bool) -> DataPath:
    """Keep only the parts of ``loc`` that navigate ``data`` (drop union branch labels).

    For a missing field the last part names a key absent from the data; it is kept so
    the message can name it (positions fall back to the enclosing mapping).
    """
    path: list[str | int] = []
    node = data
    last = len(loc) - 1
    for index, part in enumerate(loc):
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif missing and index == last and isinstance(node, dict) and isinstance(part, str):
            path.append(part)
        # Anything else is a union branch label (e.g. 'int', 'function-after[...]').
    return tuple(path)


def _get(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _field_name(path: DataPath) -> str:
    """How a message names the field: 'turn', 'audience[1]', 'effects.tension'."""
    named = [p for p in path if isinstance(p, str)]
    if not named:
        return "document"
    if path and isinstance(path[-1], int):
        return f"{named[-1]}[{path[-1]}]"
    if len(path) >= 2 and isinstance(path[-2], str) and path[-2] in ("effects", "views"):
        return f"{path[-2]}.{path[-1]}"
    return named[-1]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return repr(shown)
    return repr(value)


def _message(err: ErrorDetails, path: DataPath, data: Any, positions: Positions, model: Any) -> str:
    kind = err["type"]
    name = _field_name(path)
    ctx = err.get("ctx") or {}
    value = err.get("input")
    hint = _YAML11_HINT if positions.is_yaml11_bool(path) else ""
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        return _unknown_field_message(name, path, data, model)
    if kind in _TYPE_WORDS:
        return f"field '{name}' must be {_TYPE_WORDS[kind]}, not {_describe(value)}{hint}"
    if kind == "literal_error":
        return _choice_message(name, ctx, value, hint)
    if kind == "string_pattern_mismatch":
        return (
            f"field '{name}' must be an id: lower-case letters, digits, '-' and '_' "
            f"(got {_describe(value)})"
        )
    if kind in ("too_short", "string_too_short", "too_long"):
        return _length_message(kind, name, ctx, value)
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"field '{name}' must be {words} {ctx.get(key)} (got {_describe(value)})"
    if kind == "condition":
        return _condition_message(value)
    return _check_message(str(err["msg"]), name, value)


def _unknown_field_message(name: str, path: DataPath, data: Any, model: Any) -> str:
    """An unknown field, with the field meant if one is close; for a condition with two
    keys, how to combine them."""
    parent = _get(data, path[:-1])
    if name in CONDITION_KEYS and isinstance(parent, dict):
        present = [k for k in CONDITION_KEYS if k in parent]
        if len(present) > 1:
            return (
                "a condition takes exactly one of all, any, not, track, released, move, "
                f"chance (this one has {', '.join(present)}): combine them with all: "
                "or any:"
            )
    suggestion = _suggest(name, _field_names(model))
    return f"unknown field '{name}'" + _did_you_mean(suggestion)


def _choice_message(name: str, ctx: dict[str, Any], value: Any, hint: str) -> str:
    """A value outside a fixed list: the choices, in words."""
    expected = str(ctx.get("expected", "")).replace(" or ", ", ")
    choices = [c.strip() for c in expected.split(",") if c.strip()]
    words = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
    one_of = "one of " if len(choices) > 2 else ""
    if name == "op" and value == "":
        hint = " (an unquoted > starts a YAML block: put the operator in quotes: op: '>')"
    return f"field '{name}' must be {one_of}{words}, not {_describe(value)}{hint}"


def _length_message(kind: str, name: str, ctx: dict[str, Any], value: Any) -> str:
    """Too few items (or empty text), or too many items."""
    if kind == "too_long":
        return f"field '{name}' has too many items (at most {ctx.get('max_length')})"
    least = ctx.get("min_length", 1)
    if kind == "too_short" and isinstance(least, int) and least > 1:
        got = len(value) if isinstance(value, list) else "fewer"
        return f"field '{name}' must have at least {least} items (it has {got})"
    return f"field '{name}' must not be empty"


def _check_message(msg: str, name: str, value: Any) -> str:
    """A model check's own message, named after its field unless it names one itself."""
    msg = msg.removeprefix("Value error, ")
    if msg.startswith("must "):
        return f"field '{name}' {msg}, not {_describe(value)}"
    return msg if _names_a_field(msg, value) else f"field '{name}': {msg}"


def _names_a_field(msg: str, value: Any) -> bool:
    """Whether a model check's message starts with one of the fields it is about."""
    first = msg.split(" ", 1)[0]
    return isinstance(value, dict) and first in value


def _condition_message(value: Any) -> str:
    text = "a condition needs one of the keys all, any, not, track, released, move, chance"
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str):
                close = _suggest(key, list(CONDITION_KEYS))
                if close:
                    return f"{text} (did you mean '{close}' for '{key}'?)"
        if value:
            return f"{text} (found {', '.join(repr(k) for k in list(value)[:4])})"
    elif value is not None:
        return f"{text}, not {_describe(value)}"
    return text


def _did_you_mean(suggestion: str | None) -> str:
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def _suggest(name: str, fields: list[str]) -> str | None:
    matches = difflib.get_close_matches(name, fields, n=1, cutoff=0.7)
    return matches[0] if matches else None


def _field_names(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or fname for fname, info in model.model_fields.items()]
    return []


def _is_type_error(kind: str) -> bool:
    return kind in _TYPE_WORDS or kind == "literal_error"


def problems_from_validation(
    exc: ValidationError,
    data: Any,
    positions: Positions,
    model: Any = None,
    prefix: DataPath = (),
    *,
    loc: DataPath = (),
    list_fields: bool = False,
) -> list[Problem]:
    """One problem per data place; the errors of a field's alternative shapes are merged.

    ``loc`` is where in ``data`` the validated value sits, when only part of the
    document was validated (one inject of a file); ``prefix`` is prepended to positions
    only, for data that is itself part of a larger document. With ``list_fields`` an
    unknown field's message also lists the fields its mapping takes.
    """
    kept = _kept_errors(exc, data, model, loc)
    by_place: dict[tuple[DataPath, bool], list[str]] = {}
    type_words: dict[tuple[DataPath, bool], list[str]] = {}
    for err, path in kept:
        key = err["type"] == "extra_forbidden"
        owner = _model_at(model, path, data) if key else model
        place = (path, key)
        text = _message(err, path, data, positions, owner)
        if key and list_fields and owner is not None and text.startswith("unknown field"):
            text += f"; {_owner_name(owner, path)} takes: {fields_taken(owner)}"
        by_place.setdefault(place, [])
        if text not in by_place[place]:
            by_place[place].append(text)
        if _is_type_error(err["type"]):
            type_words.setdefault(place, []).append(err["type"])

    problems = []
    for (path, key), texts in by_place.items():
        if len(texts) > 1 and len(type_words.get((path, key), ())) == len(texts):
            text = _union_message(path, data, positions)
        else:
            text = texts[0]
        at = _problem_place(text, path, data, key)
        problems.append(positions.problem((*prefix, *at), text, key=key))
    return sorted(problems)


def _kept_errors(
    exc: ValidationError, data: Any, model: Any, loc: DataPath
) -> list[tuple[ErrorDetails, DataPath]]:
    """The errors worth reporting, each with its place in ``data``."""
    errors = []
    for err in exc.errors(include_url=False):
        full = (*loc, *err["loc"])
        path = _data_path(data, full, err["type"] == "missing")
        errors.append((err, path))

    # A value of one shape (a mapping, a list) that fails inside is reported inside;
    # "must be an integer" from the other alternatives of the same field is noise.
    deeper = {path[:i] for _, path in errors for i in range(len(path))}
    specific = {path for err, path in errors if not _is_type_error(err["type"])}
    kept = [
        (err, path)
        for err, path in errors
        if not (_is_type_error(err["type"]) and (path in deeper or path in specific))
    ]
    # A misspelt field is reported once, as unknown with its suggestion, not also missing.
    suggested = set()
    for err, path in kept:
        if err["type"] == "extra_forbidden":
            name = path[-1] if path else ""
            fix = _suggest(str(name), _field_names(_model_at(model, path, data)))
            if fix:
                suggested.add((*path[:-1], fix))
    return [(e, p) for e, p in kept if not (e["type"] == "missing" and p in suggested)]


def _problem_place(text: str, path: DataPath, data: Any, key: bool) -> DataPath:
    """Where a problem points: the mapping that lacks a missing field, the one field a
    model check is about, or else the value itself."""
    if text.startswith("missing required field"):
        return path[:-1]
    value = _get(data, path)
    first = text.split(" ", 1)[0]
    if not key and isinstance(value, dict) and first in value:
        return (*path, first)
    return path


def _owner_name(owner: type[BaseModel], path: DataPath) -> str:
    """How a message names the mapping with the unknown field: 'a hold', 'a move'."""
    if len(path) < 2:
        return "the document"
    parent = path[-2]
    if isinstance(parent, str):
        return f"'{parent}'"  # a nested mapping, named by its key (``move:``)
    names = _field_names(owner)
    return f"'{names[0]}'" if names else "it"  # a list item, named by its leading key


def _union_message(path: DataPath, data: Any, positions: Positions) -> str:
    name = _field_name(path)
    value = _get(data, path)
    words = _UNION_WORDS.get(name.split("[")[0].split(".")[-1], "of another kind")
    hint = _YAML11_HINT if positions.is_yaml11_bool(path) else ""
    return f"field '{name}' must be {words}, not {_describe(value)}{hint}"


def _model_at(model: Any, path: DataPath, data: Any = None) -> Any:
    """The pydantic model class that holds the last field of ``path`` (best effort).

    Where a field takes one of several models (conditions, script actions), the one
    whose leading key the data has is taken, so "did you mean" looks at the right fields.
    """
    current = model
    node = data
    parents = path[:-1]
    for index, part in enumerate(parents):
        node = _step(node, part)
        if isinstance(part, int):
            continue
        item = node  # the mapping the field's model describes: past any list indexes
        for later in parents[index + 1 :]:
            if not isinstance(later, int):
                break
            item = _step(item, later)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        found = _pick_model(_models_in(info.annotation), item)
        if found is None:
            return None
        current = found
    return current


def _step(node: Any, part: Any) -> Any:
    try:
        return node[part]
    except (KeyError, IndexError, TypeError):
        return None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every model class an annotation may hold (through lists, unions, Annotated)."""
    found: list[type[BaseModel]] = []
    candidates = [annotation]
    while candidates:
        item = candidates.pop(0)
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item not in found:
                found.append(item)
            continue
        candidates.extend(get_args(item))
    return found


def _pick_model(models: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    if len(models) <= 1 or not isinstance(node, dict):
        return models[0] if models else None

    # The model whose first field is a key of the mapping (``hold:``, ``all:``), or the
    # one sharing the most keys with it.
    def score(cls: type[BaseModel]) -> tuple[bool, int]:
        names = _field_names(cls)
        return (bool(names) and names[0] in node, sum(1 for k in node if k in names))

    return max(models, key=score)


def fields_taken(model: Any) -> str:
    """'hold, reason': the fields a model takes, for messages that list them."""
    return ", ".join(_field_names(model))
