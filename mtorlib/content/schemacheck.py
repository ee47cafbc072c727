"""A fast yes/no check for the JSON Schema subset of the progress file (speed, not messages).

``jsonschema`` needs about 0.5 ms per answer, so a learner's 4 MB file took over 20 s to load.
:func:`compile_schema` turns a schema into one Python predicate (about 100x faster); the caller
asks ``jsonschema`` for the message only when the predicate says no. Keywords outside the
supported subset raise ``ValueError`` when compiling, so the schema cannot silently outgrow it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}
_IGNORED = {"$schema", "$id", "title", "description"}


def compile_schema(schema: dict) -> Callable[[object], bool]:
    """A predicate equal to ``jsonschema``'s ``is_valid`` for the supported keywords."""
    checks = tuple(_keyword(key, arg, schema) for key, arg in schema.items() if key not in _IGNORED)
    if len(checks) == 1:
        return checks[0]

    def check(value) -> bool:
        for c in checks:
            if not c(value):
                return False
        return True

    return check


def _keyword(key: str, arg, schema: dict) -> Callable[[object], bool]:  # noqa: C901 - one table
    if key == "type":
        return _TYPES[arg]
    if key == "const":
        return lambda v: type(v) is type(arg) and v == arg
    if key == "enum":
        return lambda v: any(type(v) is type(a) and v == a for a in arg)
    if key == "minLength":
        return lambda v: not isinstance(v, str) or len(v) >= arg
    if key == "maxLength":
        return lambda v: not isinstance(v, str) or len(v) <= arg
    if key == "pattern":
        rx = re.compile(arg)
        return lambda v: not isinstance(v, str) or rx.search(v) is not None
    if key == "maxItems":
        return lambda v: not isinstance(v, list) or len(v) <= arg
    if key == "minimum":
        return lambda v: not _TYPES["number"](v) or v >= arg
    if key == "maximum":
        return lambda v: not _TYPES["number"](v) or v <= arg
    if key == "items":
        item = compile_schema(arg)
        return lambda v: not isinstance(v, list) or all(map(item, v))
    if key == "maxProperties":
        return lambda v: not isinstance(v, dict) or len(v) <= arg
    if key == "required":
        return lambda v: not isinstance(v, dict) or all(k in v for k in arg)
    if key == "properties":
        props = {k: compile_schema(s) for k, s in arg.items()}

        def properties(v) -> bool:
            if isinstance(v, dict):
                for k, x in v.items():
                    p = props.get(k)
                    if p is not None and not p(x):
                        return False
            return True

        return properties
    if key == "additionalProperties":
        known = set(schema.get("properties", {}))
        if arg is False:
            return lambda v: not isinstance(v, dict) or set(v) <= known
        extra = compile_schema(arg)
        return lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)
    if key == "propertyNames":
        name = compile_schema(arg)
        return lambda v: not isinstance(v, dict) or all(map(name, v))
    if key == "anyOf":
        subs = [compile_schema(s) for s in arg]
        return lambda v: any(s(v) for s in subs)
    raise ValueError(f"schema keyword '{key}' is not supported by the fast check")
