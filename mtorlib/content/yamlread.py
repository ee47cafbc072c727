"""Strict, safe YAML reading with a line for every field.

:func:`read_yaml` returns the data and a map from field path (a tuple of keys and indices) to the
1-based line where that field's value starts. It refuses what teaching content never needs and what
an attacker or a slip of the keyboard could bring in: anything but a regular file (a FIFO or a
device is never opened for a blocking read), empty or binary files, anchors and aliases (the
"billion laughs" bomb), any explicit tag (``!!python/object`` and the like), duplicate keys,
non-string keys, nesting deeper than :data:`MAX_DEPTH`, numbers that are not finite or larger
than :data:`MAX_NUMBER`, text with control characters or broken Unicode (lone surrogates), and
files over :data:`MAX_BYTES`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .. import checks
from .problems import ContentError, Problem, display_name
from .safefiles import FileRefused, read_regular

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_EVENTS = 8_000  # YAML values per file (the largest content file has about 1,200)
MAX_NUMBER = 1e15
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LONG_INT = re.compile(r"[-+]?(0[box])?[0-9a-fA-F_]{25,}")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq")
}


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


class _StrictLoader(_BASE):
    """Safe loader that keeps dates and timestamps as plain strings."""


# Dates stay strings (YYYY-MM-DD in content is text, not a datetime).
_StrictLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _fail(name: str, line: int | None, message: str, path: tuple = ()) -> ContentError:
    return ContentError([Problem(name, path, line, message)])


def _check_events(text: str, name: str) -> None:
    """Reject anchors, aliases, explicit tags and oversized files before anything is built."""
    for n, event in enumerate(yaml.parse(text, Loader=_StrictLoader)):
        line = event.start_mark.line + 1
        if n > MAX_EVENTS:
            raise _fail(name, line, f"has more than {MAX_EVENTS} YAML values (fields and list items); "
                                    "content files are far smaller: split it")
        if isinstance(event, yaml.AliasEvent):
            raise _fail(name, line, f"YAML alias '*{event.anchor}' is not allowed in content")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _fail(name, line, f"YAML anchor '&{anchor}' is not allowed in content")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
            raise _fail(name, line, f"YAML tag '{tag}' is not allowed (plain data only)")


class _BadValue(ValueError):
    """A scalar outside what content may hold (raised through :func:`mtorlib.checks.number`)."""


class _Builder:
    """Turns a composed node tree into Python data, recording lines and rejecting duplicates."""

    def __init__(self, name: str):
        self.name = name
        self.lines: dict[tuple, int] = {}
        self._scalar = yaml.SafeLoader("")

    def scalar(self, node, path: tuple):
        """One checked scalar: finite numbers within ±:data:`MAX_NUMBER`, text without controls."""
        line = node.start_mark.line + 1
        if node.tag.endswith(":int") and _LONG_INT.fullmatch(node.value.strip()):
            raise _fail(self.name, line, f"number with {len(node.value)} digits is too large; "
                                         f"numbers must be within ±{MAX_NUMBER:g}", path)
        try:
            value = self._scalar.construct_object(node)
        except ValueError as exc:  # e.g. an integer over Python's digit limit
            raise _fail(self.name, line, f"value cannot be read: {str(exc)[:120]}", path) from None
        if isinstance(value, str):
            bad = _BAD_TEXT.search(value)
            if bad:
                code = f"U+{ord(bad.group()):04X}"
                raise _fail(self.name, line, f"text contains the control character or broken "
                                             f"Unicode {code}; remove it", path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            field = ".".join(map(str, path)) or "value"
            try:
                checks.number(value, field, "content", lo=-MAX_NUMBER, hi=MAX_NUMBER, error=_BadValue)
            except _BadValue as exc:
                raise _fail(self.name, line, str(exc).removesuffix(" (content)"), path) from None
        return value

    def build(self, node, path: tuple):
        self.lines[path] = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise _fail(self.name, self.lines[path], f"nesting is deeper than {MAX_DEPTH} levels", path)
        if isinstance(node, MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*path, "<key>"))
                line = key_node.start_mark.line + 1
                if not isinstance(key, str):
                    raise _fail(self.name, line, f"keys must be text; got {key!r}", path)
                if key in out:
                    raise _fail(self.name, line, f"duplicate key '{key}'", path)
                out[key] = self.build(value_node, (*path, key))
                self.lines[(*path, key)] = line
            self.lines.pop((*path, "<key>"), None)
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        raise _fail(self.name, self.lines[path], f"unsupported YAML node {type(node).__name__}")


def read_yaml(path: str | Path) -> tuple[object, dict[tuple, int]]:
    """Read one YAML content file.

    Returns ``(data, lines)``; raises :class:`ContentError` with one problem naming the file
    (and line, where known) for any file that is not plain, safe, well-formed YAML.
    """
    path = Path(path)
    name = display_name(path)
    try:
        raw = read_regular(path, max_bytes=MAX_BYTES)
    except FileRefused as exc:
        rule = f"content files must be regular files under {MAX_BYTES} bytes"
        raise _fail(name, None, f"{exc} ({rule})") from None
    except OSError as exc:
        raise _fail(name, None, f"cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise _fail(name, None, "is a binary file (contains NUL bytes); expected YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(name, None, f"is not UTF-8 text (byte {exc.start}); expected YAML") from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise _fail(name, None, "is empty; expected a YAML mapping with 'kind' and 'id'")
    try:
        _check_events(text, name)
        node = yaml.compose(text, Loader=_StrictLoader)
    except ContentError:
        raise
    except RecursionError:
        raise _fail(name, None, f"nesting is deeper than {MAX_DEPTH} levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise _fail(name, line, f"is not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise _fail(name, None, f"is not valid YAML: {exc}") from None
    builder = _Builder(name)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise _fail(name, None, f"has a value YAML cannot read: {exc}") from None
    return data, builder.lines
