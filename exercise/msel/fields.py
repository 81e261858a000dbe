"""The inject fields of the pack format, by the names a sheet and YAML use."""

from __future__ import annotations

from typing import Any

from exercise.pack.models import Inject


def inject_fields() -> dict[str, Any]:
    """Inject fields by their YAML name, with their pydantic field info."""
    return {info.alias or name: info for name, info in Inject.model_fields.items()}
