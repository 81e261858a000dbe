"""Tests that need system packages (Pango for WeasyPrint, CJK fonts) skip where they are
missing and say what to install; under ``CI=true`` such a skip is a failure, because CI
installs them (``.ci/run``)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

PANGO_HINT = (
    'pip install "exercise[pdf]" and apt-get install libpango-1.0-0 '
    "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
)
CJK_HINT = "apt-get install fonts-noto-cjk"


def need(ok: bool, what: str, hint: str) -> None:
    """Skip (or, in CI, fail) when ``ok`` is false."""
    if ok:
        return
    message = f"{what} is not installed: {hint}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must install it)")
    pytest.skip(message)


def need_pdf() -> None:
    from exercise.render.pdf import pdf_available

    need(pdf_available(), "WeasyPrint or Pango", PANGO_HINT)


def cjk_fonts_installed() -> bool:
    """True when fontconfig knows Noto Sans CJK (Korean and Japanese faces)."""
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(
        ["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False
    ).stdout
    return "Noto Sans CJK" in out


def need_cjk() -> None:
    need(cjk_fonts_installed(), "Noto Sans CJK", CJK_HINT)
