"""YAML in and out of the MSEL: a condition cell read back, and the careful writer.

A condition's cell holds its YAML flow form (``{all: [{track: tension, op: ">=", value:
5}, {released: t1-launch}]}``), read back with the pack's own safe loader. ``dump_injects``
writes inject files with PyYAML's own emitter in the pack's style (block style, bodies as
literal or folded blocks, id lists and effects in flow form): slow, but the reference the
fast writer in ``yamlout`` falls back to should it ever fail its read-back check.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from exercise.msel.cells import CellError
from exercise.msel.fields import inject_fields
from exercise.pack.yamlpos import load_text
from exercise.problems import ProblemsError

WIDTH = 88
_FLOW_LISTS = ("audience", "objectives", "tags")


class _FlowMap(dict[str, Any]):
    pass


class _FlowList(list[Any]):
    pass


class _Literal(str):
    pass


class _Folded(str):
    pass


class _Dumper(yaml.SafeDumper):
    """Safe YAML with a chosen style per value; never emits tags or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent lists under their key (``injects:\n  - id: ...``), as the pack does."""
        return super().increase_indent(flow, False)


_Dumper.add_representer(
    _FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    _Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="|")
)
_Dumper.add_representer(
    _Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">")
)


def parse_condition(text: str) -> Any:
    """A condition cell's data, read by the pack's loader (no tags, no alias bombs)."""
    try:
        data, _ = load_text(text, "condition")
    except ProblemsError as exc:
        first = exc.problems[0]
        message = re.sub(r" \(in [^()]* that starts on line \d+\)", "", first.message)
        where = f" (at character {first.col})" if first.line == 1 and "\n" not in text else ""
        raise CellError(f"condition: {message}{where}") from None
    return data


class _Quoted(str):
    pass


_Dumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
_BREAKS = ("\x85", "\u2028", "\u2029")


def _text(value: str, *, body: bool = False) -> Any:
    if any(mark in value for mark in _BREAKS):  # line breaks to YAML: only escaped is safe
        return _Quoted(value)
    if "\n" in value:
        return _Literal(value)
    if body and len(value) > WIDTH - 10:
        return _Folded(value)
    return value


def _condition(data: Any) -> Any:
    """Combinators in block style, each simple condition on one line in flow style."""
    if isinstance(data, dict) and len(data) == 1:
        key, value = next(iter(data.items()))
        if key in ("all", "any") and isinstance(value, list):
            return {key: [_condition(part) for part in value]}
        if key == "not":
            inner = _condition(value)
            return (
                {key: inner}
                if isinstance(inner, dict) and not isinstance(inner, _FlowMap)
                else _FlowMap(data)
            )
    return _FlowMap(data) if isinstance(data, dict) else data


def _styled(key: str, value: Any) -> Any:
    if key == "body" and isinstance(value, str):
        return _text(value, body=True)
    if isinstance(value, str):
        return _text(value)
    if key in _FLOW_LISTS and isinstance(value, list):
        return _FlowList(value)
    if isinstance(value, list):
        return [_text(item) if isinstance(item, str) else item for item in value]
    if key == "condition":
        return _condition(value)
    if isinstance(value, dict):
        return _FlowMap(value)
    return value


def dump_injects(items: list[dict[str, Any]], comment: str = "") -> str:
    """An inject file holding ``items`` (plain data), fields in the pack format's order.

    PyYAML's own emitter, slow but careful: the reference ``yamlout`` falls back to."""
    order = list(inject_fields())
    styled = []
    for item in items:
        keys = sorted(item, key=lambda k: order.index(k) if k in order else len(order))
        styled.append({key: _styled(key, item[key]) for key in keys})
    text = yaml.dump(
        {"injects": styled},
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        indent=2,
    )
    header = "".join(f"# {line}\n" for line in comment.splitlines() if line.strip())
    return header + text
