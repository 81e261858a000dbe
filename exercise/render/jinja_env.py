"""The sandboxed Jinja environment every brief and report is rendered with.

Templates are user content: a pack's own folder (``manifest.templates``, default
``reports/``) or ``--templates DIR`` overrides the bundled templates file by file. So:

* ``ImmutableSandboxedEnvironment`` — no attribute escapes, no mutation of data;
* ``StrictUndefined`` — a misspelt variable is an error, not an empty string;
* HTML autoescaping for ``*.html`` / ``*.html.j2`` templates;
* template names and files cannot leave their folder (``..``, absolute names, symlinks);
* resource bounds the sandbox lacks: small ``range``, no huge ``*``/``**``/``%``
  results, no giant padding widths, a cap on output size, and a wall-clock limit (the
  render runs in a worker thread that is interrupted when time is up).

Any failure becomes a :class:`RenderError` whose message is ``template:line: message``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import re
import threading
import time
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
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from exercise.problems import UserError
from exercise.render import markdown as mdconv

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
        where = f"{template}:{line}" if line else template
        super().__init__(f"{where}: {message}")


class RenderTimeout(Exception):
    """Raised inside the render thread when the wall-clock limit is reached."""


class FolderLoader(BaseLoader):
    """Loads ``name`` from one folder only; the resolved file must stay inside it."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
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


_WIDE_PERCENT = re.compile(r"%[-#0 +]*(\*|\d{4,})")
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*?(\d{4,})")


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox plus bounds on the cheap ways to burn memory from a template."""

    intercepted_binops = frozenset({"*", "**", "%"})
    template_folders: list[Path] = []  # noqa: RUF012 - set per environment

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 64 and abs(left) > 1:
                raise SecurityError("power too large for a template")
        elif operator == "*":
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
    env.filters["markdown"] = mdconv.markdown_html
    env.filters["md"] = mdconv.md_text
    env.filters["md_block"] = mdconv.md_block
    env.filters["md_cell"] = mdconv.md_cell
    env.filters["md_quote"] = mdconv.md_quote
    env.filters["css_string"] = _css_string
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


def _message(exc: BaseException) -> str:
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


def render(
    env: ReportEnvironment,
    name: str,
    context: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_output: int = MAX_OUTPUT_CHARS,
) -> str:
    """Render template ``name`` with ``context``, bounded in time and output size."""
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            template = env.get_template(name)
            parts: list[str] = []
            size = 0
            for chunk in template.generate(context):
                size += len(chunk)
                if size > max_output:
                    raise SecurityError(f"output larger than {max_output} characters")
                parts.append(chunk)
            result["text"] = "".join(parts)
        except BaseException as exc:  # reported to the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=work, name=f"render {name}", daemon=True)
    started = time.monotonic()
    with gc_paused():
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            _interrupt(thread)
            thread.join(5.0)
    if thread.is_alive() or not result:
        raise RenderError(name, None, f"rendering took longer than {timeout:g} s; stopped")
    error = result.get("error")
    if error is not None:
        if isinstance(error, RenderTimeout):
            error = RenderTimeout(
                f"rendering took longer than {timeout:g} s "
                f"({time.monotonic() - started:.1f} s); stopped"
            ).with_traceback(error.__traceback__)
        template, line = _template_frame(error, env)
        if isinstance(error, TemplateNotFound) and line is None:
            template = name
        raise RenderError(template, line, _message(error)) from None
    return result["text"]
