"""Strict reading of a progress file, mine or a learner's (untrusted): :func:`read_file`, :func:`validate`.

Only a regular file is opened (never a FIFO or device, which could block), its size is bounded
before reading, the JSON is strict UTF-8 (no ``NaN``/``Infinity``, no integer over
:data:`MAX_INT_DIGITS` digits, no float that overflows), the schema
``mtorlib/content/schemas/progress.schema.json`` is checked by a fast predicate first (``jsonschema`` only
explains a failure, collecting at most :data:`MAX_PROBLEMS` problems), and text must be free of
control characters and broken Unicode. Every refusal is a :class:`ProgressError` naming the file.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.explain import explain
from ..content.paths import schema_dir
from ..content.safefiles import FileRefused, printable, read_regular
from ..content.schemacheck import compile_schema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

MAX_BYTES = 5_000_000  # largest progress file: a learner's own, and the class report's default limit
MAX_NUMBER = 1e9  # largest magnitude of any number in a progress file (scores, numeric answers)
MAX_PROBLEMS = 20  # schema problems collected per file: a file of 100,000 errors stays fast
MAX_INT_DIGITS = 20
TIME_EXAMPLE = "2026-11-30T09:23:03.120+00:00"  # what mtorlib.progress writes (UTC, milliseconds)
_BAD_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class ProgressError(ValueError):
    """A progress file that cannot be used (unreadable, too large, or not matching the schema)."""


class ProgressUnreadable(ProgressError):
    """The file could not be read (too large, not a regular file, an I/O error): it is not corrupt,
    so it is left where it is."""



def _schema() -> dict:
    return json.loads((schema_dir() / "progress.schema.json").read_text("utf-8"))


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # only to explain a failure: ~0.5 s to import

    return Draft202012Validator(_schema())


@cache
def _fast_check():
    return compile_schema(_schema())


def _where(path) -> str:
    return "/".join(map(str, path)) or "(top level)"


_ESCAPED = re.compile(r"\\(u00[01]|[bfnrt])")  # how json.dumps writes a control character


def _not_json(data) -> str:
    """Where and what the first value JSON cannot hold is (for :func:`_check_text`'s message)."""
    stack = [(data, ())]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            stack += [(v, (*at, k)) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, (*at, i)) for i, v in enumerate(value)]
        else:
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                kind = type(value)
                what = ("an integer too long to write" if isinstance(value, int) else
                        f"a value of type {kind.__module__.replace('builtins', '')}"
                        f"{'.' if kind.__module__ != 'builtins' else ''}{kind.__qualname__}")
                return (f"{_where(at)}: {what} cannot be kept in a progress file (allowed: text, "
                        f"numbers of at most {MAX_NUMBER:g}, true/false, null, lists and objects)")
    return "(top level): the record is nested too deeply to be kept in a progress file"


def _check_text(data, source: str) -> None:
    """Every text free of control characters and broken Unicode (one fast scan, then the path);
    every value one JSON can hold (not a NumPy number, a date or an integer of 5000 digits)."""
    try:
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        raise ProgressError(f"{source}: {_not_json(data)}") from None
    if not (_BAD_TEXT.search(text) or _ESCAPED.search(text)):
        return
    stack = [(data, ())]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            stack += [(v, (*at, k)) for k, v in value.items()]
            stack += [(k, (*at, "(name)")) for k in value]
        elif isinstance(value, list):
            stack += [(v, (*at, i)) for i, v in enumerate(value)]
        elif isinstance(value, str) and (bad := _BAD_TEXT.search(value)):
            raise ProgressError(f"{source}: {_where(at)}: text must not contain control characters "
                                f"or broken Unicode; found {printable(bad.group())}")


def validate(data: object, *, source: str = "progress") -> dict:
    """``data`` if it matches the progress schema and its values are sane; :class:`ProgressError`
    naming the field otherwise (at most :data:`MAX_PROBLEMS` schema problems are collected)."""
    if not _fast_check()(data):
        _check_text(data, source)  # a control character is named as such, not as a bad shape
        errors = list(islice(_validator().iter_errors(data), MAX_PROBLEMS + 1))
        if errors:
            err = min(errors[:MAX_PROBLEMS], key=lambda e: list(map(str, e.absolute_path)))
            n = len(errors) - 1
            more = f" (+{n}{' or more' if n >= MAX_PROBLEMS else ' more'})" if n else ""
            message = _time_message(err.instance) if err.validator == "pattern" and \
                err.absolute_path and err.absolute_path[-1] in ("time", "created") else explain(err)
            raise ProgressError(f"{source}: {_where(err.absolute_path)}: {printable(message)}{more}")
    _check_text(data, source)
    _check_dates(data, source)
    return data


def _time_message(value: str) -> str:
    return (f"must be an ISO 8601 date and time with a time zone, e.g. {TIME_EXAMPLE}; "
            f"got {value[:40]!r}")


def _check_dates(data: dict, source: str) -> None:
    """Every time stamp (already of the schema's shape) a real calendar date (no 30 February)
    that also stays one in UTC (``0001-01-01T00:00+05:00`` does not: every reader converts)."""
    stamps = [(("created",), data["created"])]
    stamps += [((part, i, "time"), rec["time"]) for part in ("cases", "answers")
               for i, rec in enumerate(data[part])]
    for at, stamp in stamps:
        try:
            datetime.fromisoformat(stamp).astimezone(UTC)
        except (ValueError, OverflowError):
            raise ProgressError(f"{source}: {_where(at)}: {_time_message(stamp)} "
                                "(a real calendar date)") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a progress file may hold")


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]}... is too large")
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a number of {len(text)} digits is too large")
    return int(text)


def parse(raw: bytes, source: str) -> dict:
    """Decode and validate the bytes of a progress file (strict UTF-8 JSON, then :func:`validate`)."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant, parse_float=_parse_float,
                          parse_int=_parse_int)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProgressError(f"{source}: cannot read progress: {printable(exc)[:200]}") from None
    return validate(data, source=source)


def read_file(path: str | Path, *, max_bytes: int = MAX_BYTES, root: str | Path | None = None) -> dict:
    """Read and validate one progress file; :class:`ProgressError` if it is not usable.

    Only a regular file of at most ``max_bytes`` bytes is opened (never a FIFO or device); with
    ``root``, a link leading outside that folder is refused.
    """
    path = Path(path)
    name = printable(path.name)
    try:
        raw = read_regular(path, max_bytes=max_bytes, root=root)
    except FileRefused as exc:
        raise ProgressUnreadable(f"{name}: {exc}") from None
    except OSError as exc:
        raise ProgressUnreadable(f"{name}: cannot be read: {printable(exc.strerror or exc)}") from None
    return parse(raw, name)
