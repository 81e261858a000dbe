"""Turn pydantic validation errors into ``path:line:col: message`` problems.

Pydantic reports a location as a tuple of keys and indexes, with union branch names
mixed in; we walk that location against the data itself so only real keys remain,
then point at the value (or at the key, for an unknown field).
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from exercise.pack.yamlpos import DataPath, Positions
from exercise.problems import Problem

_TYPE_WORDS = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "is_instance_of": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
}


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[DataPath, bool]:
    """Keep only the parts of ``loc`` that navigate ``data``; say if the last one exists."""
    path: list[str | int] = []
    node = data
    exists = True
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part[:1].islower() and (
            part.replace("_", "").isalnum() and part not in ("int", "str", "list", "dict")
        ):
            # A field name that is absent from the data (a missing field).
            path.append(part)
            exists = False
            node = None
        # Anything else is a union branch label (e.g. 'int', 'TurnRange', 'track').
    return tuple(path), exists


def _field_name(path: DataPath) -> str:
    named = [p for p in path if isinstance(p, str)]
    if not named:
        return "document"
    last = named[-1]
    if path and isinstance(path[-1], int):
        return f"{last}[{path[-1]}]"
    return last


def _message(err: dict[str, Any], path: DataPath, positions: Positions, model: Any) -> str:
    kind = err["type"]
    name = _field_name(path)
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        hint = _suggest(name, model)
        return f"unknown field '{name}'" + (f" (did you mean '{hint}'?)" if hint else "")
    if kind in _TYPE_WORDS:
        msg = f"field '{name}' must be {_TYPE_WORDS[kind]}"
        if positions.is_yaml11_bool(path):
            msg += " (YAML reads unquoted yes/no/on/off as true/false: put it in quotes)"
        elif "input" in err and err["input"] is not None and kind != "missing":
            msg += f", not {_describe(err['input'])}"
        return msg
    if kind == "literal_error":
        return f"field '{name}' must be one of {ctx.get('expected', '')}: got {err['input']!r}"
    if kind == "string_pattern_mismatch":
        return (
            f"field '{name}' must be an id of lower-case letters, digits, '-' and '_' "
            f"(got {err['input']!r})"
        )
    if kind in ("too_short", "string_too_short"):
        return f"field '{name}' must not be empty"
    if kind == "too_long":
        return f"field '{name}' has too many items: {err['msg'].lower()}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"field '{name}' {err['msg'].lower()} (got {err['input']!r})"
    if kind == "condition":
        return f"field '{name}': {err['msg']}"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return f"field '{name}': {msg}"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"{shown!r}"
    return repr(value)


def _suggest(name: str, model: Any) -> str | None:
    fields: list[str] = []
    if isinstance(model, type) and issubclass(model, BaseModel):
        for fname, info in model.model_fields.items():
            fields.append(info.alias or fname)
    matches = difflib.get_close_matches(name, fields, n=1, cutoff=0.75)
    return matches[0] if matches else None


def problems_from_validation(
    exc: ValidationError,
    data: Any,
    positions: Positions,
    model: Any = None,
    prefix: DataPath = (),
) -> list[Problem]:
    """One problem per data place; union branch errors at one place are merged."""
    by_place: dict[tuple[DataPath, bool], list[str]] = {}
    for err in exc.errors(include_url=False):
        path, exists = _data_path(data, tuple(err["loc"]))
        key = err["type"] == "extra_forbidden"
        text = _message(err, path, positions, _model_at(model, path) if key else model)
        by_place.setdefault((path, key), [])
        if text not in by_place[(path, key)]:
            by_place[(path, key)].append(text)
        del exists
    problems = []
    for (path, key), texts in by_place.items():
        specific = [t for t in texts if " must be " not in t]
        if specific and len(specific) < len(texts):
            texts = specific  # a union branch matched the value's shape: its error counts
        if len(texts) > 1 and all(" must be " in t for t in texts):
            head = texts[0].split(" must be ")[0]
            kinds = [t.split(" must be ", 1)[1].split(", not ")[0] for t in texts]
            text = f"{head} must be " + " or ".join(dict.fromkeys(kinds))
        else:
            text = texts[0]
        problems.append(positions.problem((*prefix, *path), text, key=key))
    return sorted(problems)


def _model_at(model: Any, path: DataPath) -> Any:
    """The pydantic model class that holds the last field of ``path`` (best effort)."""
    from typing import get_args, get_origin

    current = model
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        annotation = info.annotation
        candidates = [annotation]
        while candidates:
            item = candidates.pop()
            if isinstance(item, type) and issubclass(item, BaseModel):
                current = item
                break
            candidates.extend(get_args(item))
            if get_origin(item) is None and not get_args(item):
                continue
        else:
            return None
    return current
