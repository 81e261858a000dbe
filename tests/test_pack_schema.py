"""``exercise schema``: a JSON Schema editors can use, that accepts real pack files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exercise.cli import main
from exercise.pack.yamlpos import load_file
from exercise.paths import bundled_pack

DATA = Path(__file__).parent / "data"
PACKS = [DATA / "mini-pack", DATA / "bad-packs" / "_base", bundled_pack()]


def schema(capsys, which: str = "all") -> dict:
    assert main(["schema", "--file", which]) == 0
    return json.loads(capsys.readouterr().out)


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_combined_schema_has_every_file_and_closed_objects(capsys):
    doc = schema(capsys)
    defs = doc["$defs"]
    assert {"manifest", "role", "injects", "Inject", "Track", "Position"} <= set(defs)
    assert defs["manifest"]["required"][:3] == ["id", "title", "summary"]
    assert "from" in defs["Inject"]["properties"]  # the YAML key, not the Python name
    objects = list(_objects(doc))
    assert len(objects) > 15
    assert all(obj.get("additionalProperties") is False for obj in objects)
    # every reference resolves inside the document
    for ref in _refs(doc):
        assert ref.startswith("#/$defs/") and ref.split("/")[-1] in defs, ref


@pytest.mark.parametrize("which", ["manifest", "role", "injects"])
def test_single_file_schemas_stand_alone(capsys, which):
    doc = schema(capsys, which)
    assert doc["$schema"].startswith("https://json-schema.org/")
    assert doc["additionalProperties"] is False
    for ref in _refs(doc):
        assert ref.split("/")[-1] in doc.get("$defs", {}), ref


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name or "bundled")
def test_schema_accepts_the_files_of_valid_packs(capsys, pack):
    jsonschema = pytest.importorskip("jsonschema")
    doc = schema(capsys)
    files = [("manifest", pack / "scenario.yaml")]
    files += [("role", p) for p in sorted((pack / "roles").glob("*.yaml"))]
    files += [("injects", p) for p in sorted((pack / "injects").glob("*.yaml"))]
    assert len(files) >= 3
    for which, path in files:
        data, _ = load_file(path, path.name)
        checker = jsonschema.Draft202012Validator({**doc, "$ref": f"#/$defs/{which}"})
        assert list(checker.iter_errors(data)) == [], path


def test_schema_rejects_an_unknown_field(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    doc = schema(capsys)
    data, _ = load_file(DATA / "mini-pack" / "roles" / "usa.yaml", "usa.yaml")
    data["nmae"] = "typo"
    checker = jsonschema.Draft202012Validator({**doc, "$ref": "#/$defs/role"})
    assert any("nmae" in e.message for e in checker.iter_errors(data))
