"""Safe YAML loading that remembers where every value stood in the file.

Built from the parser's event stream (libyaml when available) with an explicit stack,
so that deep nesting cannot exhaust the interpreter's stack, aliases are counted as
they expand (an alias bomb is refused, never expanded), duplicate keys are errors
(PyYAML accepts them silently) and every value and key has a line and column.
Only plain data is built: strings, numbers, booleans, null, lists and mappings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exercise.problems import Problem, ProblemsError

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000

DataPath = tuple[str | int, ...]

_Parser = getattr(yaml, "CParser", None)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


@dataclass
class Positions:
    """Where each value (and each mapping key) of one document stands in its file."""

    file: str
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    yaml11_bools: set[DataPath] = field(default_factory=set)

    def at(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest ancestor we know."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(
        self, path: DataPath, message: str, *, key: bool = False, warning: bool = False
    ) -> Problem:
        line, col = self.at(path, key=key)
        return Problem(self.file, line, col, message, "warning" if warning else "error")


class _Builder:
    """Turns parser events into Python data plus positions, without recursion."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.positions = Positions(rel)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, mark: Any, message: str) -> ProblemsError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return ProblemsError([Problem(self.rel, line, col, message)])

    def scalar(self, event: Any, path: DataPath) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif tag not in _STANDARD_TAGS:
            raise self.fail(event.start_mark, f"YAML tag {tag!r} is not allowed in a pack")
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            if tag == "tag:yaml.org,2002:bool":
                if event.value.lower() in _YAML11_BOOLS:
                    self.positions.yaml11_bools.add(path)
                return self.constructor.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:int":
                return self.constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return self.constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:null":
                return None
        except (ValueError, yaml.YAMLError) as exc:
            raise self.fail(event.start_mark, f"cannot read value {event.value!r}: {exc}") from None
        raise self.fail(event.start_mark, f"YAML tag {tag!r} is not allowed in a pack")

    def build(self, events: Any) -> Any:
        """Consume one document's events; return its data (None for an empty file)."""
        # Each frame: [container, path, pending_key, anchor, start_count, is_mapping]
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(event.start_mark, "a pack file must hold one YAML document")
                continue
            if isinstance(
                event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
            ):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame[3]:
                    self.anchors[frame[3]] = (frame[0], self.nodes - frame[4])
                value = frame[0]
                if stack:
                    self._place(stack, value)
                else:
                    root = value
                continue

            parent = stack[-1] if stack else None
            if parent is not None and parent[5] and parent[2] is None:
                self._key(parent, event)
                continue
            path = self._child_path(parent)
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise self.fail(event.start_mark, "document is too large (too many values)")
            mark = (event.start_mark.line + 1, event.start_mark.column + 1)

            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(event.start_mark, f"unknown alias *{event.anchor}")
                value, size = self.anchors[event.anchor]
                self.nodes += size
                if self.nodes > MAX_NODES:
                    raise self.fail(
                        event.start_mark,
                        "aliases expand to too many values (a YAML alias bomb?)",
                    )
                self.positions.values[path] = mark
                self._place(stack, value)
                if not stack:
                    root = value
                continue
            if isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event, path)
                self.positions.values[path] = mark
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                if stack:
                    self._place(stack, value)
                else:
                    root = value
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.tag not in (None, "!") and event.tag not in _STANDARD_TAGS:
                    raise self.fail(event.start_mark, f"YAML tag {event.tag!r} is not allowed")
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        event.start_mark, f"document is nested too deeply (over {MAX_DEPTH} levels)"
                    )
                self.positions.values[path] = mark
                is_map = isinstance(event, yaml.MappingStartEvent)
                stack.append([{} if is_map else [], path, None, event.anchor, self.nodes, is_map])
                continue
        return root

    def _child_path(self, parent: list[Any] | None) -> DataPath:
        if parent is None:
            return ()
        if parent[5]:
            return (*parent[1], parent[2][0])
        return (*parent[1], len(parent[0]))

    def _key(self, frame: list[Any], event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event.start_mark, "mapping keys must be plain text")
        key = event.value
        if key == "<<" and event.implicit[0]:
            raise self.fail(event.start_mark, "YAML merge keys (<<) are not supported in a pack")
        if key in frame[0]:
            first = self.positions.keys.get((*frame[1], key), (0, 0))[0]
            raise self.fail(
                event.start_mark, f"duplicate key '{key}' (first defined on line {first})"
            )
        self.positions.keys[(*frame[1], key)] = (
            event.start_mark.line + 1,
            event.start_mark.column + 1,
        )
        frame[2] = (key,)

    def _place(self, stack: list[list[Any]], value: Any) -> None:
        if not stack:
            return
        frame = stack[-1]
        if frame[5]:
            frame[0][frame[2][0]] = value
            frame[2] = None
        else:
            frame[0].append(value)



def read_text(path: Path, rel: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user file as UTF-8 text, refusing huge or binary files with a Problem."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ProblemsError(
                [Problem(rel, 1, 1, f"file is too large ({size:,} bytes; the limit is "
                         f"{max_bytes:,})")]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ProblemsError([Problem(rel, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    if b"\x00" in raw:
        raise ProblemsError([Problem(rel, 1, 1, "not a text file (it contains binary data)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ProblemsError(
            [Problem(rel, line, col, "not UTF-8 text (is this a binary file?)")]
        ) from None


def load_text(text: str, rel: str) -> tuple[Any, Positions]:
    """Parse YAML ``text`` (named ``rel`` in messages) into data and its positions."""
    builder = _Builder(rel)
    try:
        if _Parser is not None:
            events = _iter_events(_Parser(text))
        else:  # pragma: no cover - libyaml is present on supported platforms
            events = yaml.parse(text, Loader=yaml.SafeLoader)
        data = builder.build(events)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        raise ProblemsError([Problem(rel, line, col, f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise ProblemsError([Problem(rel, 1, 1, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise ProblemsError([Problem(rel, 1, 1, "document is nested too deeply")]) from None
    return data, builder.positions


def _iter_events(parser: Any) -> Any:
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return
            yield event
            if isinstance(event, yaml.StreamEndEvent):
                return
    finally:
        parser.dispose()


def load_file(path: Path, rel: str) -> tuple[Any, Positions]:
    """Read and parse one YAML file of a pack."""
    return load_text(read_text(path, rel), rel)
