"""The sandboxed Jinja environment every brief and report is rendered with.

Templates are user content: a pack's own folder (``manifest.templates``, default
``reports/``) or ``--templates DIR`` overrides the bundled templates file by file. So:

* ``ImmutableSandboxedEnvironment`` — no attribute escapes, no mutation of data;
* ``StrictUndefined`` — a misspelt variable is an error, not an empty string;
* HTML autoescaping for ``*.html`` / ``*.html.j2`` templates;
* template names and files cannot leave their folder (``..``, absolute names, symlinks);
* resource bounds the sandbox lacks: small ``range``, no huge ``*``/``**``/``%``
  results, no str method or filter that grows text without bound (``ljust``,
  ``replace``, ``indent``, nested format widths...), and a cap on output size;
* templates from a pack or ``--templates`` render in a child process with hard CPU-time
  and memory limits (:mod:`exercise.render.child`); the bundled ones, which are ours,
  in a thread interrupted when time is up.

Any failure becomes a :class:`RenderError` whose message is ``template:line: message``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import re
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from exercise.problems import UserError
from exercise.render import markdown as mdconv
from exercise.render.charts import chart_img

DEFAULT_TIMEOUT_S = 30.0
MAX_OUTPUT_CHARS = 200_000_000
MAX_RANGE = 10_000
MAX_SEQUENCE = 1_000_000
MAX_WIDTH = 1_000
MAX_TEMPLATE_BYTES = 1_000_000


class RenderError(UserError):
    """A template could not be loaded or rendered; ``str()`` is ``template:line: message``."""

    def __init__(self, template: str, line: int | None, message: str) -> None:
        self.template = template
        self.line = line
        self.message = message
        where = f"{template}:{line}" if line else template
        super().__init__(f"{where}: {message}")


class RenderTimeout(Exception):
    """Raised inside the render thread when the wall-clock limit is reached."""


class FolderLoader(BaseLoader):
    """Loads ``name`` from one folder only; the resolved file must stay inside it."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..' with TemplateNotFound
        if template.startswith(("/", "\\")) or any(":" in p or "\\" in p for p in pieces):
            raise TemplateNotFound(template)
        path = self.folder.joinpath(*pieces)
        if not path.is_file():
            raise TemplateNotFound(template)
        root = self.folder.resolve()
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise SecurityError(f"template '{template}' resolves outside its folder {root}")
        if resolved.stat().st_size > MAX_TEMPLATE_BYTES:
            raise SecurityError(f"template '{template}' is larger than {MAX_TEMPLATE_BYTES} bytes")
        try:
            source = resolved.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise SecurityError(f"template '{template}' is not UTF-8 text") from exc
        mtime = resolved.stat().st_mtime
        return source, str(path), lambda: resolved.is_file() and resolved.stat().st_mtime == mtime


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range of {len(rng)} items is too long (at most {MAX_RANGE})")
    return rng


_WIDE_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d{4,}|\d*\.(?:\*|\d{4,}))")
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*?(\d{4,})|\{[^{}]*:[^{}]*\{")
MAX_INT_BITS = 100_000
#: str methods whose result can be far larger than their inputs
_GROWING = frozenset(
    {
        "ljust",
        "rjust",
        "center",
        "zfill",
        "expandtabs",
        "replace",
        "translate",
        "maketrans",
        "format",
        "format_map",
    }
)


def _result_size(method: str, text: str, args: tuple[Any, ...]) -> int:
    """An upper bound of the length ``text.<method>(*args)`` would have."""
    if method in ("ljust", "rjust", "center", "zfill"):
        width = args[0] if args else 0
        return width if isinstance(width, int) else 0
    if method == "expandtabs":
        size = args[0] if args else 8
        return len(text) + text.count("\t") * size if isinstance(size, int) else 0
    if method == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
        old, new = args[0], args[1]
        count = text.count(old) if old else len(text) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            count = min(count, args[2])
        return len(text) + count * len(new)
    return 0


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox plus bounds on the cheap ways to burn memory from a template."""

    intercepted_binops = frozenset({"*", "**", "%"})
    template_folders: list[Path] = []  # noqa: RUF012 - set per environment

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Bound the str methods that grow their text (``'x'.ljust(4000000000)``)."""
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        if isinstance(owner, str) and method in _GROWING:
            if method in ("translate", "maketrans"):
                raise SecurityError(f"str.{method} is not available in templates")
            if _result_size(method, owner, args) > MAX_SEQUENCE:
                raise SecurityError(f"str.{method} would make a text too large for a template")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 64 and abs(left) > 1:
                raise SecurityError("power too large for a template")
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() * max(right, 0) > MAX_INT_BITS
            ):
                raise SecurityError("power too large for a template")
        elif operator == "*":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                raise SecurityError("number too large for a template")
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_SEQUENCE
                ):
                    raise SecurityError("repetition too large for a template")
        elif operator == "%" and isinstance(left, str) and _WIDE_PERCENT.search(left):
            raise SecurityError("format width too large for a template")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``item.key`` on the plain dicts of a context: the key first, without the
        exception a failed attribute lookup costs (reports make hundreds of thousands)."""
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FORMAT.search(value.__self__):

            def refuse(*args: Any, **kwargs: Any) -> str:
                raise SecurityError("format width too large for a template")

            return refuse
        return wrapped


def _format_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if _WIDE_PERCENT.search(str(value)):
            raise SecurityError("format width too large for a template")
        return original(value, *args, **kwargs)

    return guarded


def _width_guard(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> Any:
        if isinstance(width, int) and width > MAX_WIDTH:
            raise SecurityError(f"{name} width {width} is too large (at most {MAX_WIDTH})")
        return original(value, width, *args, **kwargs)

    return guarded


def _indent_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
        step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        if (str(value).count("\n") + 1) * step + len(str(value)) > MAX_SEQUENCE:
            raise SecurityError("indent would make a text too large for a template")
        return original(value, width, *args, **kwargs)

    return guarded


def _replace_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(eval_ctx: Any, value: Any, old: Any, new: Any, *args: Any) -> Any:
        if _result_size("replace", str(value), (str(old), str(new), *args)) > MAX_SEQUENCE:
            raise SecurityError("replace would make a text too large for a template")
        return original(eval_ctx, value, old, new, *args)

    guarded.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


def _ranges(numbers: Any) -> str:
    """[1, 2, 3, 5] -> '1–3, 5' (turn lists read better as ranges)."""
    values = sorted({int(n) for n in numbers})
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        parts.append(str(values[i]) if i == j else f"{values[i]}–{values[j]}")
        i = j + 1
    return ", ".join(parts)


def _lines(text: object) -> Markup:
    """Typed text as HTML with its line breaks kept: escaped, a ``<br>`` per newline.
    (A ``pre-wrap`` span would do the same, but each inline box costs the PDF renderer
    far more than a line break.)"""
    value = str(text)
    if "\n" not in value and "\r" not in value:
        return escape(value)  # most texts are one line: as cheap as autoescaping
    return Markup("<br>").join(escape(line) for line in value.splitlines())


def _css_string(value: Any) -> Markup:
    """Text that is safe inside a quoted CSS string (page footers): no quotes or escapes."""
    return Markup(re.sub(r"[^\w .,:;/+·–—-]", "", str(value))[:120])


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith((".html", ".html.j2", ".htm", ".svg", ".xml"))


def template_folders(
    override: Path | str | None, pack_root: Path | str | None, pack_templates: str | None
) -> list[Path]:
    """The folders searched in order: ``--templates``, the pack's, then the bundled ones."""
    from exercise.paths import bundled_templates

    folders: list[Path] = []
    if override:
        folder = Path(override)
        if not folder.is_dir():
            raise UserError(f"--templates {folder}: no such folder")
        folders.append(folder)
    if pack_root is not None:
        root = Path(pack_root).resolve()
        folder = (root / (pack_templates or "reports")).resolve()
        if not folder.is_relative_to(root):
            raise UserError(
                f"{Path(pack_root) / 'scenario.yaml'}: templates folder "
                f"'{pack_templates}' escapes the pack"
            )
        if folder.is_dir():
            folders.append(folder)
    bundled = bundled_templates().resolve()
    if bundled not in {f.resolve() for f in folders}:
        folders.append(bundled)
    return folders


def make_environment(folders: list[Path]) -> ReportEnvironment:
    """A sandboxed environment loading templates from ``folders`` (first match wins)."""
    env = ReportEnvironment(
        loader=ChoiceLoader([FolderLoader(folder) for folder in folders]),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.template_folders = [folder.resolve() for folder in folders]
    env.globals.pop("lipsum", None)
    env.globals["range"] = _bounded_range
    for name in ("center", "indent", "wordwrap", "truncate"):
        env.filters[name] = _width_guard(name, env.filters[name])
    env.filters["format"] = _format_guard(env.filters["format"])
    env.filters["indent"] = _indent_guard(env.filters["indent"])
    env.filters["replace"] = _replace_guard(env.filters["replace"])
    env.filters["markdown"] = mdconv.markdown_html
    env.filters["md"] = mdconv.md_text
    env.filters["md_block"] = mdconv.md_block
    env.filters["md_cell"] = mdconv.md_cell
    env.filters["md_quote"] = mdconv.md_quote
    env.filters["css_string"] = _css_string
    env.filters["chart_img"] = chart_img
    env.filters["lines"] = _lines
    env.filters["ranges"] = _ranges
    env.filters["signed"] = lambda n: f"{n:+d}" if isinstance(n, int) else str(n)
    return env


# ---------------------------------------------------------------------- rendering


def _template_frame(exc: BaseException, env: ReportEnvironment) -> tuple[str, int | None]:
    """The innermost template file and line in ``exc``'s traceback (Jinja maps them)."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.filename or exc.name or "template", exc.lineno
    found: tuple[str, int | None] | None = None
    folders = [str(folder) for folder in env.template_folders]
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename
        if any(str(Path(name).resolve()).startswith(folder) for folder in folders):
            found = (name, frame.lineno)
    return found or ("template", None)


def error_message(exc: BaseException) -> str:
    if isinstance(exc, RenderTimeout):
        return str(exc)
    if isinstance(exc, TemplateNotFound):
        return f"template '{exc.name}' not found (names must stay inside the templates folder)"
    if isinstance(exc, SecurityError):
        return f"refused by the template sandbox: {exc}"
    if isinstance(exc, TemplateSyntaxError):
        return exc.message or "syntax error"
    if isinstance(exc, TemplateError):
        return exc.message or type(exc).__name__
    if isinstance(exc, RecursionError):
        return "templates nest or recurse too deeply"
    if isinstance(exc, MemoryError):
        return "the template used too much memory"
    return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building and rendering a report makes millions
    of short-lived objects and no cycles, and collections would make it superlinear."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _interrupt(thread: threading.Thread) -> None:
    """Raise RenderTimeout inside ``thread`` (checked between Python bytecodes)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(RenderTimeout)
        )


def generate(
    env: ReportEnvironment,
    name: str,
    context: Mapping[str, Any],
    max_output: int = MAX_OUTPUT_CHARS,
) -> str:
    """Render ``name`` here and now, refusing output larger than ``max_output``."""
    template = env.get_template(name)
    parts: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > max_output:
            raise SecurityError(f"output larger than {max_output} characters")
        parts.append(chunk)
    return "".join(parts)


def error_place(exc: BaseException, env: ReportEnvironment, name: str) -> tuple[str, int | None]:
    """The template and line a render failure points at (``name`` when none)."""
    template, line = _template_frame(exc, env)
    if line is None and (isinstance(exc, TemplateNotFound) or template == "template"):
        template = name
    return template, line


def is_trusted(env: ReportEnvironment) -> bool:
    """Whether ``env`` reads only the project's own bundled templates."""
    from exercise.paths import bundled_templates

    return env.template_folders == [bundled_templates().resolve()]


def render(
    env: ReportEnvironment,
    name: str,
    context: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_output: int = MAX_OUTPUT_CHARS,
    max_memory_mb: int | None = None,
) -> str:
    """Render template ``name`` with ``context``, bounded in time, memory and size.

    Templates from a pack or ``--templates`` render in a child process with hard limits
    (see :mod:`exercise.render.child`); the bundled ones, which are ours, in a thread.
    """
    if is_trusted(env):
        return _render_in_thread(env, name, context, timeout=timeout, max_output=max_output)
    from exercise.render.child import DEFAULT_MEMORY_MB, render_in_child

    kind, text, line, message = render_in_child(
        env.template_folders,
        name,
        context,
        timeout=timeout,
        max_output=max_output,
        megabytes=max_memory_mb or DEFAULT_MEMORY_MB,
    )
    if kind == "text":
        return str(text)
    raise RenderError(str(text), line, message)


def _render_in_thread(
    env: ReportEnvironment,
    name: str,
    context: Mapping[str, Any],
    *,
    timeout: float,
    max_output: int,
) -> str:
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["text"] = generate(env, name, context, max_output)
        # Whatever a pack's template raises is handed to the caller's thread, which
        # turns it into a positioned RenderError.
        except BaseException as exc:  # noqa: BLE001
            result["error"] = exc

    thread = threading.Thread(target=work, name=f"render {name}", daemon=True)
    with gc_paused():
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            _interrupt(thread)
            thread.join(5.0)
    stopped = f"rendering stopped: it exceeded {timeout:g} s"
    if thread.is_alive() or not result:
        raise RenderError(name, None, stopped)
    error = result.get("error")
    if error is not None:
        template, line = error_place(error, env, name)
        message = stopped if isinstance(error, RenderTimeout) else error_message(error)
        raise RenderError(template, line, message) from None
    return str(result["text"])
