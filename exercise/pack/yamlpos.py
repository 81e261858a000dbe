"""Safe YAML loading that remembers where every value stood in the file.

Built from the parser's event stream (libyaml when available) with an explicit stack,
so that deep nesting cannot exhaust the interpreter's stack, aliases are counted as
they expand (an alias bomb is refused, never expanded), duplicate keys are errors
(PyYAML accepts them silently) and every value and key has a line and column.
Only plain data is built: strings, numbers, booleans, null, lists and mappings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from exercise.pack.yamlhints import indent_hint, operator_hint, tag_operator_hint
from exercise.problems import Problem, ProblemsError
from exercise.text import first_control, printable

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
_TOO_DEEP = f"document is nested too deeply (over {MAX_DEPTH} levels)"
MAX_NODES = 1_000_000

DataPath = tuple[str | int, ...]
# A parent container's frame, saved while a child is open: (container, marks, is_map,
# pending key, key mark, anchor, node count at its start, the mark the child opened at).
_Frame = tuple[Any, Any, bool, Any, Any, Any, int, Any]
_TOP_LEVEL: _Frame = (None, None, False, None, None, None, 0, None)

try:  # libyaml's parser: the events come from C, many times faster than pure Python
    from yaml import _yaml

    _Parser: type[_yaml.CParser] | None = _yaml.CParser
except ImportError:  # pragma: no cover - libyaml is present on supported platforms
    _Parser = None
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
_YAML_WORDS = (
    ("parsing ", ""),
    ("scanning ", ""),
    ("a quoted scalar", "quoted text"),
    ("a block collection", "an indented list or mapping"),
    ("a block mapping", "an indented mapping"),
    ("a flow sequence", "a [...] list"),
    ("a flow mapping", "a {...} mapping"),
)
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


class Positions:
    """Where each value (and each mapping key) of one document stands in its file.

    Marks are kept per container (keyed by the container's identity) rather than per
    full path, so building them costs one small tuple per value; a path is resolved by
    walking the data when a problem needs a place, which is rare.
    """

    __slots__ = ("file", "marks", "root", "root_mark", "stripped", "yaml11")

    def __init__(self, file: str) -> None:
        self.file = file
        self.root: Any = None
        self.root_mark: tuple[int, int] = (1, 1)
        # id(container) -> {key: (value mark, key mark)} or [value mark, ...], where a
        # mark is the parser's own (0-based line and column): kept as is, converted
        # only when a problem needs a place.
        self.marks: dict[int, Any] = {}
        # (id(container), key or index) of values YAML 1.1 read as booleans (yes/no/on/off)
        self.yaml11: set[tuple[int, Any]] = set()
        # warnings for text whose control characters were removed (escape sequences)
        self.stripped: list[Problem] = []

    def at(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest ancestor we know.

        With ``key`` the position of the mapping key itself (for unknown fields).
        """
        node = self.root
        best = self.root_mark
        last = len(path) - 1
        for index, part in enumerate(path):
            marks = self.marks.get(id(node))
            if marks is None:
                break
            if isinstance(node, dict):
                entry = marks.get(part) if isinstance(part, str) else None
                if entry is None:
                    break
                if key and index == last:
                    return entry[1].line + 1, entry[1].column + 1
                best = (entry[0].line + 1, entry[0].column + 1)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(marks):
                best = (marks[part].line + 1, marks[part].column + 1)
            else:
                break
            node = node[part]
        return best

    def is_yaml11_bool(self, path: DataPath) -> bool:
        """Whether the value at ``path`` is a bare yes/no/on/off that YAML made a boolean."""
        if not path:
            return False
        node = self.root
        for part in path[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return False
        return (id(node), path[-1]) in self.yaml11

    def problem(
        self, path: DataPath, message: str, *, key: bool = False, warning: bool = False
    ) -> Problem:
        line, col = self.at(path, key=key)
        return Problem(self.file, line, col, message, "warning" if warning else "error")


def _implicit_resolvers() -> dict[str, list[tuple[str, Any]]]:
    """Plain-scalar resolvers by first character, for the tags a pack may hold."""
    wanted = {
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:timestamp",
    }
    table: dict[str, list[tuple[str, Any]]] = {}
    for char, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in resolvers if tag in wanted]
        if kept:
            table[char] = kept
    return table


_RESOLVERS = _implicit_resolvers()
_SPECIAL_FIRST = frozenset(_RESOLVERS)
_PLAIN_FLOAT = re.compile(r"^[-+]?[0-9]+\.[0-9]*$")


class _Builder:
    """Turns parser events into Python data plus positions, without recursion.

    This is the hot path of ``exercise validate`` (a few hundred thousand events for a
    large pack), so the loop keeps the current container in local variables and
    resolves plain scalars itself, calling PyYAML's constructors only for the rare
    values that need them (octal, sexagesimal, special floats...).
    """

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.positions = Positions(rel)
        self.constructor = yaml.constructor.SafeConstructor()

    def strip(self, event: Any) -> str:
        """A double-quoted scalar's text without control characters, noted as a warning
        (only ``"\\e..."``-style escapes can put them there: YAML refuses raw ones)."""
        mark = event.start_mark
        self.positions.stripped.append(
            Problem(
                self.rel,
                mark.line + 1,
                mark.column + 1,
                "removed control characters (terminal escape codes) from this text",
                "warning",
            )
        )
        return printable(event.value)

    def fail(self, mark: Any, message: str) -> ProblemsError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return ProblemsError([Problem(self.rel, line, col, message)])

    def scalar(self, event: Any) -> tuple[Any, bool]:
        """The value of a scalar event, and whether it is a YAML 1.1 yes/no boolean."""
        value = event.value
        tag = self._tag(event)
        if tag is None or tag == "tag:yaml.org,2002:timestamp":
            return value, False  # text (dates stay text; the models parse and explain them)
        if tag == "tag:yaml.org,2002:int":
            digits = value[1:] if value[:1] in ("+", "-") else value
            if digits.isdigit() and digits.isascii() and (digits[0] != "0" or len(digits) == 1):
                try:
                    return int(value), False
                except ValueError:
                    raise self.fail(event.start_mark, "number is too large") from None
            return self._construct(event, tag), False
        if tag == "tag:yaml.org,2002:float" and _PLAIN_FLOAT.match(value):
            return float(value), False
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() in ("true", "yes", "on"), value.lower() in _YAML11_BOOLS
        if tag == "tag:yaml.org,2002:null":
            return None, False
        return self._construct(event, tag), False

    def _tag(self, event: Any) -> str | None:
        """The scalar's tag, resolved for plain scalars (an empty one is null); None for
        text, quoted or plain."""
        tag: str | None = event.tag
        value = event.value
        if tag is None:
            if not event.implicit[0]:
                return None  # quoted: always a string
            if not value:
                return "tag:yaml.org,2002:null"
            for candidate, regexp in _RESOLVERS.get(value[0], ()):
                if regexp.match(value):
                    return candidate
            return None
        if tag == "!" or tag == "tag:yaml.org,2002:str":
            return None
        if tag not in _STANDARD_TAGS or tag in _CONTAINER_TAGS:
            raise self.fail(event.start_mark, _tag_message(tag))
        return tag

    def _construct(self, event: Any, tag: str) -> Any:
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            if tag == "tag:yaml.org,2002:int":
                return self.constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return self.constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:bool":
                return self.constructor.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:null":
                return None
            return event.value
        except (ValueError, TypeError, IndexError, yaml.YAMLError):
            raise self.fail(
                event.start_mark, f"cannot read {event.value[:40]!r} as a {tag.rsplit(':', 1)[-1]}"
            ) from None

    def build(self, get_event: Any) -> Any:
        """Consume one stream's events; return its data (None for an empty file)."""
        anchors: dict[str, tuple[Any, int]] = {}
        stack: list[_Frame] = []  # the enclosing containers; the innermost one's frame below
        container, marks, is_map, pending, key_mark, anchor, start, mark = _TOP_LEVEL
        nodes = documents = 0
        root: Any = None
        key_of, value_of, scalar = self.key, self.value, self.scalar

        while (event := get_event()) is not None:
            cls = event.__class__
            if is_map and pending is None and cls is not _MappingEnd:
                key = event.value if cls is _ScalarEvent else None  # most keys are plain
                plain = key and not event.style and event.tag is None and key != "<<"
                pending = key if plain and key not in marks else key_of(event, marks)
                key_mark = event.start_mark
                continue
            mark, is_yaml11 = event.start_mark, False
            if cls is _ScalarEvent:
                value = event.value  # most values are text as written: no call for them
                resolvable = event.implicit[0] and (not value or value[0] in _SPECIAL_FIRST)
                value, is_yaml11 = (
                    value_of(event, anchors)  # noted under its anchor, or cleaned of escapes
                    if event.anchor or event.style == '"'
                    else scalar(event)
                    if event.tag is not None or resolvable
                    else (value, False)
                )
                nodes += 1
            elif cls is _MappingStart or cls is _SequenceStart:
                nodes += 1
                stack.append((container, marks, is_map, pending, key_mark, anchor, start, mark))
                is_map = cls is _MappingStart
                container, marks = self.open(event, is_map, len(stack), nodes)
                pending, key_mark, anchor, start = None, None, event.anchor, nodes
                continue
            elif cls is _MappingEnd or cls is _SequenceEnd:
                value = container  # placed in its parent below, at the mark it opened at
                if anchor:
                    anchors[anchor] = (value, nodes - start)
                container, marks, is_map, pending, key_mark, anchor, start, mark = stack.pop()
            elif cls is _AliasEvent:
                value, nodes = self.alias(event, anchors, nodes)
            else:  # stream and document start and end
                documents = self.check_document(event, documents)
                continue
            if nodes > MAX_NODES:
                raise self.fail(mark, "document is too large (too many values)")
            if is_yaml11 and container is not None:  # a bare yes/no/on/off, for the hint
                self.positions.yaml11.add((id(container), pending if is_map else len(container)))
            if container is None:
                root = self.set_root(value, mark)
            elif is_map:
                container[pending] = value
                marks[pending] = (mark, key_mark)
                pending = None
            else:
                container.append(value)
                marks.append(mark)
        return root

    def key(self, event: Any, marks: dict[str, Any]) -> str:
        """A mapping key: plain text, neither a merge key nor one the mapping already has."""
        if event.__class__ is not _ScalarEvent:
            raise self.fail(event.start_mark, "mapping keys must be plain text")
        key: str = event.value
        mark = event.start_mark
        if event.tag is not None and event.tag not in ("!", "tag:yaml.org,2002:str"):
            raise self.fail(mark, _tag_message(event.tag))
        if key == "<<" and event.implicit[0]:
            raise self.fail(mark, "YAML merge keys (<<) are not supported in a pack")
        if key in marks:
            first = marks[key][1].line + 1
            raise self.fail(mark, f"duplicate key '{key}' (first defined on line {first})")
        if event.style == '"' and first_control(key) is not None:
            key = self.strip(event)
        return key

    def value(self, event: Any, anchors: dict[str, tuple[Any, int]]) -> tuple[Any, bool]:
        """A scalar's value, and whether it is a YAML 1.1 yes/no; with control characters
        removed from double-quoted text, and noted as its anchor's value if it has one."""
        value = event.value
        if event.tag is None and (
            not event.implicit[0] or (value and value[0] not in _SPECIAL_FIRST)
        ):
            is_yaml11 = False  # quoted, or plain text that cannot be anything else
        else:
            value, is_yaml11 = self.scalar(event)
        if event.style == '"' and isinstance(value, str) and first_control(value) is not None:
            value = self.strip(event)
        if event.anchor:
            anchors[event.anchor] = (value, 1)
        return value, is_yaml11

    def open(self, event: Any, is_map: bool, depth: int, nodes: int) -> tuple[Any, Any]:
        """A new, empty container and its marks (registered in the positions); refused
        with a foreign tag, too deep, or one too many."""
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _CONTAINER_TAGS:
            raise self.fail(event.start_mark, _tag_message(tag))
        if depth > MAX_DEPTH:
            raise self.fail(event.start_mark, _TOO_DEEP)
        if nodes > MAX_NODES:
            raise self.fail(event.start_mark, "document is too large (too many values)")
        container: Any = {} if is_map else []
        marks: Any = {} if is_map else []
        self.positions.marks[id(container)] = marks
        return container, marks

    def alias(self, event: Any, anchors: dict[str, tuple[Any, int]], nodes: int) -> tuple[Any, int]:
        """The anchored value an alias names, and the node count with its values added."""
        target = anchors.get(event.anchor)
        if target is None:
            raise self.fail(event.start_mark, f"unknown alias *{event.anchor}")
        value, size = target
        nodes += size
        if nodes > MAX_NODES:
            raise self.fail(
                event.start_mark, "aliases expand to too many values (a YAML alias bomb?)"
            )
        return value, nodes

    def check_document(self, event: Any, documents: int) -> int:
        """The count of documents so far: a pack file holds one."""
        if event.__class__ is not _DocumentStart:
            return documents
        if documents:
            raise self.fail(event.start_mark, "a pack file must hold one YAML document")
        return documents + 1

    def set_root(self, value: Any, mark: Any) -> Any:
        """Note the document's top-level value and where it starts."""
        self.positions.root = value
        self.positions.root_mark = (mark.line + 1, mark.column + 1)
        return value


def _tag_message(tag: str) -> str:
    hint = tag_operator_hint(tag)
    if hint is not None:
        return hint
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tag {shown!r} is not allowed in a pack (only plain text, numbers, lists)"


_ScalarEvent = yaml.ScalarEvent
_AliasEvent = yaml.AliasEvent
_MappingStart = yaml.MappingStartEvent
_MappingEnd = yaml.MappingEndEvent
_SequenceStart = yaml.SequenceStartEvent
_SequenceEnd = yaml.SequenceEndEvent
_DocumentStart = yaml.DocumentStartEvent
_NODE_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
_CONTAINER_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def read_bytes(path: Path, rel: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a user file, refusing huge files (and anything that is not a file)."""
    try:
        if not path.is_file():
            raise ProblemsError([Problem(rel, 1, 1, "not a regular file")])
        size = path.stat().st_size
        if size > max_bytes:
            raise ProblemsError(
                [
                    Problem(
                        rel, 1, 1, f"file is too large ({size:,} bytes; the limit is {max_bytes:,})"
                    )
                ]
            )
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)  # the file may grow between stat and read
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ProblemsError([Problem(rel, 1, 1, f"cannot read file: {reason}")]) from None
    if len(raw) > max_bytes:
        raise ProblemsError([Problem(rel, 1, 1, f"file is too large (the limit is {max_bytes:,})")])
    return raw


def decode(raw: bytes, rel: str) -> str:
    """UTF-8 text of a user file, or a Problem for binary data and other encodings."""
    if b"\x00" in raw:
        raise ProblemsError([Problem(rel, 1, 1, "not a text file (it contains binary data)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ProblemsError(
            [Problem(rel, line, col, "not UTF-8 text (save the file as UTF-8; is it binary?)")]
        ) from None


def read_text(path: Path, rel: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user file as UTF-8 text, refusing huge or binary files with a Problem."""
    return decode(read_bytes(path, rel, max_bytes=max_bytes), rel)


def load_text(text: str, rel: str) -> tuple[Any, Positions]:
    """Parse YAML ``text`` (named ``rel`` in messages) into data and its positions."""
    builder = _Builder(rel)
    parser: Any = None
    try:
        if _Parser is not None:
            parser = _Parser(text)
            get_event = parser.get_event
        else:  # pragma: no cover - libyaml is present on supported platforms
            get_event = iter(yaml.parse(text, Loader=yaml.SafeLoader)).__next__
            get_event = _until_stop(get_event)
        data = builder.build(get_event)
    except yaml.MarkedYAMLError as exc:
        raise _explained(exc, text, rel) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        reason = exc.reason or "unreadable character"
        raise ProblemsError([Problem(rel, line, col, f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[:1] or ["unreadable"]
        raise ProblemsError([Problem(rel, 1, 1, f"invalid YAML: {first[0]}")]) from None
    except UnicodeError:
        raise ProblemsError([Problem(rel, 1, 1, "not valid Unicode text")]) from None
    except (RecursionError, MemoryError):
        raise ProblemsError([Problem(rel, 1, 1, "document is too large or too deep")]) from None
    finally:
        if parser is not None:
            parser.dispose()
    return data, builder.positions


def _explained(exc: yaml.MarkedYAMLError, text: str, rel: str) -> ProblemsError:
    """The parser's complaint at its place, in the pack author's words where we can."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    reason = exc.problem or exc.context or "invalid YAML"
    if _is_parser_depth_limit(exc):
        return ProblemsError([Problem(rel, line, col, _TOO_DEEP)])
    marks = [m.line for m in (exc.problem_mark, exc.context_mark) if m is not None]
    hint = operator_hint(text, marks) or (
        indent_hint(text, exc.problem_mark.line, reason) if exc.problem_mark else None
    )
    if hint is not None:
        line, col, words = hint
        return ProblemsError([Problem(rel, line, col, f"invalid YAML: {words}")])
    if reason.startswith("found character") and _char_at(text, exc.problem_mark) == "\t":
        reason = "a tab character: indent YAML with spaces, not tabs"
    elif exc.problem and exc.context and "next token" in exc.context:
        pass
    elif exc.problem and exc.context and exc.context_mark is not None:
        where = exc.context_mark.line + 1
        context = exc.context.removeprefix("while ")
        for word, plain in _YAML_WORDS:
            context = context.replace(word, plain)
        reason += f" (in {context} that starts on line {where})"
    elif reason == "mapping values are not allowed in this context":
        reason = "unexpected ':' (put text that contains ': ' in quotes)"
    return ProblemsError([Problem(rel, line, col, f"invalid YAML: {reason}")])


def _is_parser_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """True when the parser itself refused deep nesting (newer libyaml builds have a limit).

    Its wording is the parser's, so any mention of nesting or of raising the flow level
    counts: the user then sees the project's own message whatever PyYAML says.
    """
    words = f"{exc.problem or ''} {exc.context or ''}".lower()
    return "nesting" in words or "flow level" in words


def _char_at(text: str, mark: Any) -> str:
    """The character at a parser mark ('' if unknown); marks count lines and columns."""
    if mark is None:
        return ""
    lines = text.splitlines()
    row: int = mark.line
    column: int = mark.column
    if 0 <= row < len(lines) and 0 <= column < len(lines[row]):
        return lines[row][column]
    return ""


def _until_stop(get: Any) -> Any:  # pragma: no cover - pure-Python fallback only
    def get_event() -> Any:
        try:
            return get()
        except StopIteration:
            return None

    return get_event


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset (libyaml counts in characters)."""
    position = max(0, min(position, len(text)))
    before = text[:position]
    line = before.count("\n") + 1
    return line, position - (before.rfind("\n") + 1) + 1


def load_file(path: Path, rel: str) -> tuple[Any, Positions]:
    """Read and parse one YAML file of a pack."""
    return load_text(read_text(path, rel), rel)
