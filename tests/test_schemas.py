"""Every content schema is strict and describes every field."""

import json

import pytest
from jsonschema import Draft202012Validator

from mtorlib.content.paths import SCHEMA_DIR

SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))


def _objects(node, path="#"):
    """Every sub-schema that declares properties, with its JSON pointer."""
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_strict_and_described(path):
    schema = json.loads(path.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema.get("description"), f"{path.name}: top-level description missing"
    for pointer, obj in _objects(schema):
        assert obj.get("additionalProperties") is False, f"{path.name} {pointer}: not strict"
        for name, prop in obj["properties"].items():
            assert isinstance(prop, dict) and prop.get("description"), (
                f"{path.name} {pointer}/properties/{name}: no description")


def test_there_are_schemas():
    names = {p.name for p in SCHEMAS}
    assert {"common.schema.json", "references.schema.json", "evidence_levels.schema.json",
            "ui_strings.schema.json", "sources.schema.json"} <= names
