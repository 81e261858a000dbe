"""The engine runs without the UI: importing it must not pull in Textual."""

from __future__ import annotations

import subprocess
import sys

ENGINE_MODULES = [
    "exercise.pack.models",
    "exercise.pack.loader",
    "exercise.pack.checks",
    "exercise.engine",
    "exercise.render",
    "exercise.services",
]


def test_engine_modules_import_without_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import exercise.pack, exercise.engine, exercise.render, exercise.services\n"
        "for pkg in (exercise.pack, exercise.engine, exercise.render, exercise.services):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('TEXTUAL:' + ','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "TEXTUAL:", f"engine imported Textual: {out}"


def test_engine_sources_do_not_mention_textual() -> None:
    from pathlib import Path

    import exercise

    root = Path(exercise.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for folder in ("pack", "engine", "render", "services")
        for path in (root / folder).rglob("*.py")
        if "import textual" in path.read_text() or "from textual" in path.read_text()
    ]
    assert offenders == []
