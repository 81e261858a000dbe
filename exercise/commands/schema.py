"""``exercise schema``: JSON Schema of the pack files and rehearsal scripts, for editors,
and of the report's JSON (``--file report``)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import BaseModel

from exercise.engine.script_format import Script
from exercise.pack.models import InjectFile, Manifest, Role

_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "manifest": (Manifest, "scenario.yaml"),
    "role": (Role, "roles/*.yaml"),
    "injects": (InjectFile, "injects/*.yaml"),
    "script": (Script, "rehearsal.yaml (a rehearsal script)"),
}


def schema_for(which: str) -> dict[str, Any]:
    if which == "report":
        from exercise.render.report_schema import REPORT_SCHEMA

        return REPORT_SCHEMA
    return _pack_schema(which)


def _pack_schema(which: str) -> dict[str, Any]:
    """The JSON Schema of one pack file kind, or of all of them under ``$defs``.

    In the combined document each file's own definitions are moved up to the root
    ``$defs``, so that their ``#/$defs/...`` references resolve there.
    """
    if which != "all":
        model, pattern = _FILES[which]
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["description"] = f"Scenario pack file {pattern}"
        return schema
    defs: dict[str, Any] = {}
    for name, (model, pattern) in _FILES.items():
        schema = model.model_json_schema(by_alias=True)
        defs.update(schema.pop("$defs", {}))
        schema["description"] = f"Scenario pack file {pattern}"
        defs[name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Scenario pack",
        "description": "Schemas of scenario.yaml, roles/*.yaml, injects/*.yaml and "
        "rehearsal scripts: #/$defs/manifest, #/$defs/role, #/$defs/injects and "
        "#/$defs/script.",
        "$defs": defs,
    }


def run(args: argparse.Namespace) -> int:
    print(json.dumps(schema_for(args.file), indent=2, sort_keys=False))
    return 0
