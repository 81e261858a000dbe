"""Where the bundled pack and its templates live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_pack() -> Path:
    """The bundled scenario pack: inside the wheel, or the repository root in a checkout."""
    shipped = _PACKAGE / "_pack"
    if (shipped / "scenario.yaml").is_file():
        return shipped
    return _PACKAGE.parent


def bundled_templates() -> Path:
    """The bundled report and brief templates (a pack's own ``reports/`` overrides them)."""
    return bundled_pack() / "reports"
