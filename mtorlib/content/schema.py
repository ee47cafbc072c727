"""JSON Schema checks for content files (schemas in ``mtorlib/content/schemas/<kind>.schema.json``).

Every schema is strict (``additionalProperties: false``) and describes every field. Shared
definitions (bilingual text, reference lists, evidence) live in ``common.schema.json`` and are
referenced as ``common.schema.json#/$defs/...``. ``jsonschema`` is imported when a file is first
checked, not with this module: a kernel whose content checks all come from the cache
(:mod:`mtorlib.content.diskcache`) never loads it (~0.5 s of a notebook's start).
"""

from __future__ import annotations

import json
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING

from .explain import explain
from .paths import schema_dir

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

BASE_URI = "https://mtorlib.invalid/schema/"
MAX_COLLECTED = 200  # schema errors collected per file: a file of many errors stays fast


@cache
def _schemas() -> dict[str, dict]:
    out = {}
    for path in sorted(schema_dir().glob("*.schema.json")):
        out[path.name.removesuffix(".schema.json")] = json.loads(path.read_text("utf-8"))
    return out


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource  # on first check (see the module's docstring)

    resources = [
        (BASE_URI + f"{name}.schema.json", Resource.from_contents(schema))
        for name, schema in _schemas().items()
    ]
    return Registry().with_resources(resources)


def kinds() -> list[str]:
    """Content kinds that have a schema (``common`` holds shared definitions only)."""
    return [k for k in _schemas() if k != "common"]


def schema_for(kind: str) -> dict:
    """The JSON Schema of one kind; ``LookupError`` naming the known kinds otherwise."""
    try:
        return _schemas()[kind]
    except KeyError:
        raise LookupError(f"no schema for kind '{kind}'; known kinds: {', '.join(kinds())}") from None


@cache
def validator(kind: str) -> Draft202012Validator:
    """A validator for one kind, resolving ``$ref`` against the local schemas only."""
    from jsonschema import Draft202012Validator  # on first check (see the module's docstring)

    schema = dict(schema_for(kind))
    schema.setdefault("$id", BASE_URI + f"{kind}.schema.json")
    return Draft202012Validator(schema, registry=_registry())


def schema_errors(kind: str, data: object) -> list[tuple[tuple, str]]:
    """All schema violations of ``data`` as ``(field_path, message)`` pairs, deepest first."""
    out = []
    for err in islice(validator(kind).iter_errors(data), MAX_COLLECTED):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = sorted(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(allowed)):
                out.append(((*path, key), f"unknown key '{key}'; allowed: {', '.join(allowed)}"))
            continue
        out.append((path, _message(err)))
    return sorted(out, key=lambda pm: (len(pm[0]), str(pm[0])), reverse=False)


def _message(err) -> str:
    if err.validator == "required":
        return err.message.replace("is a required property", "is required but missing")
    if err.validator == "type":
        got = f"{type(err.instance).__name__} {err.instance!r:.60}"
        return f"must be of type {err.validator_value}; got {got}"
    if err.validator == "enum":
        allowed = ", ".join(map(str, err.validator_value))
        return f"{err.instance!r:.60} is not allowed; allowed: {allowed}"
    if err.validator == "oneOf" and "is valid under each of" in err.message:
        kinds = [s.get("description", "?") for s in err.validator_value]
        return f"must be exactly one of: {'; '.join(kinds)} (it matches more than one)"
    if err.validator in ("oneOf", "anyOf") and err.context:
        best = min(err.context, key=lambda e: len(list(e.absolute_path)))
        return _message(best)
    return explain(err)
