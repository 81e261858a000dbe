"""Project-wide checks a reviewer would otherwise do by hand."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed: install the 'test' extra")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed: install the 'test' extra")
    result = subprocess.run([ruff, "format", "--check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers_hold() -> None:
    """The import-linter contracts in pyproject.toml: layers, and no Textual in the core."""
    linter = Path(sys.executable).parent / "lint-imports"
    if not linter.exists():
        pytest.fail("import-linter is not installed: install the 'test' extra")
    result = subprocess.run([str(linter)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_help_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exercise", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    for command in ("run", "validate", "briefs", "simulate", "preview", "report", "session"):
        assert command in result.stdout


def test_every_tcss_is_a_file_and_no_inline_css() -> None:
    ui = ROOT / "exercise" / "ui"
    offenders = [
        str(path.relative_to(ROOT))
        for path in ui.rglob("*.py")
        if "DEFAULT_CSS" in path.read_text() or "\nCSS = " in path.read_text()
    ]
    assert offenders == []
