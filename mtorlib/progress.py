"""A learner's progress: case results and quiz answers in one versioned JSON file.

The file is ``$MTORLIB_PROGRESS`` or ``~/.mtorlib/progress.json`` (:func:`default_path`). Every
write is atomic (temporary file in the same folder, ``fsync``, ``os.replace``), so a process killed
while saving leaves the old file or the new one, never half of one. A file that cannot be read or
does not match ``mtorlib/content/schemas/progress.schema.json`` is moved aside to
``progress.json.corrupt-<n>`` with a :class:`ProgressWarning`, and a fresh file is started.

* :func:`load` — the progress record (a dict); :func:`reset` — start again.
* :func:`record_case` / :func:`record_answer` — append one case attempt / one quiz answer.
* :func:`export` / :func:`import_` — copy the file out; merge another learner file in (validated).
* :func:`answers_frame` / :func:`cases_frame` — tidy frames of a progress record.
* :func:`read_file` — strict reading of any progress file (size-limited, schema-checked).
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pandas as pd
from jsonschema import Draft202012Validator

from .content.paths import schema_dir

ENV_VAR = "MTORLIB_PROGRESS"
VERSION = 1
MAX_BYTES = 5_000_000
MODES = ("practice", "exam")


class ProgressError(ValueError):
    """A progress file that cannot be used (unreadable, too large, or not matching the schema)."""


class ProgressWarning(UserWarning):
    """A corrupt progress file was set aside and a fresh one started."""


def default_path() -> Path:
    """``$MTORLIB_PROGRESS`` if set, else ``~/.mtorlib/progress.json``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.home() / ".mtorlib" / "progress.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def fresh() -> dict:
    """An empty progress record."""
    return {"format": "mtorlib-progress", "version": VERSION, "created": _now(),
            "cases": [], "answers": []}


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((schema_dir() / "progress.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def validate(data: object, *, source: str = "progress") -> dict:
    """``data`` if it matches the progress schema; :class:`ProgressError` naming the field otherwise."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(map(str, err.absolute_path)) or "(top level)"
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ProgressError(f"{source}: {where}: {err.message[:200]}{more}")
    return data


def read_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> dict:
    """Read and validate one progress file; :class:`ProgressError` if it is not usable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ProgressError(f"{path.name}: {size} bytes is over the limit of {max_bytes}")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ProgressError(f"{path.name}: cannot read progress: {type(exc).__name__}: {exc}") from None
    return validate(data, source=path.name)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every platform lets a folder be opened
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(path: Path, data: dict) -> None:
    """Atomically replace ``path`` with ``data`` as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    _remember(path, data)


def _set_aside(path: Path) -> Path:
    n = 1
    while (target := path.with_name(f"{path.name}.corrupt-{n}")).exists():
        n += 1
    os.replace(path, target)
    return target


# The last file read or written, keyed by path and (mtime, size): saves re-validating an unchanged
# file on every answer. Copies go in and out so that callers cannot alter the cached record.
_last: dict = {}


def _stat_key(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_mtime_ns, st.st_size, st.st_ino)


def _remember(path: Path, data: dict) -> None:
    _last.clear()
    _last[_stat_key(path)] = json.dumps(data)


def load(path: str | Path | None = None) -> dict:
    """The learner's progress; a missing file gives an empty record, a corrupt one is set aside."""
    path = Path(path) if path is not None else default_path()
    if not path.exists():
        return fresh()
    try:
        cached = _last.get(_stat_key(path))
        if cached is not None:
            return json.loads(cached)
        data = read_file(path)
        _remember(path, data)
        return data
    except ProgressError as exc:
        target = _set_aside(path)
        warnings.warn(f"progress file was corrupt ({exc}); kept as {target.name} and started afresh",
                      ProgressWarning, stacklevel=2)
        data = fresh()
        _write(path, data)
        return data


def _update(section: str, entry: dict, path) -> dict:
    path = Path(path) if path is not None else default_path()
    validate({**fresh(), section: [entry]}, source=f"new {section[:-1]}")
    data = load(path)
    data[section].append(entry)
    _write(path, data)
    return data


def record_case(case_id: str, *, choices: list[str], score: dict, completed: bool,
                path: str | Path | None = None) -> dict:
    """Append one case attempt (option ids chosen, score counters) and save; returns the record."""
    entry = {"case_id": case_id, "choices": list(choices), "score": dict(score),
             "completed": completed, "time": _now()}
    return _update("cases", entry, path)


def record_answer(question_id: str, *, answer, correct: bool, mode: str,
                  path: str | Path | None = None) -> dict:
    """Append one quiz answer (option id, option ids or number) and save; returns the record."""
    if mode not in MODES:
        raise ProgressError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    if isinstance(answer, tuple | list | set | frozenset):
        answer = sorted(answer)
    entry = {"question_id": question_id, "answer": answer, "correct": correct, "mode": mode,
             "time": _now()}
    return _update("answers", entry, path)


def export(dest: str | Path, path: str | Path | None = None) -> Path:
    """Write a validated copy of the learner's progress to ``dest`` (atomically); returns ``dest``."""
    dest = Path(dest)
    _write(dest, load(path))
    return dest


def _merge(ours: list, theirs: list) -> list:
    seen = {json.dumps(e, sort_keys=True) for e in ours}
    out = list(ours)
    for e in theirs:
        key = json.dumps(e, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return sorted(out, key=lambda e: e["time"])


def import_(src: str | Path, path: str | Path | None = None) -> dict:
    """Merge the progress file ``src`` into the learner's (duplicates dropped, oldest first).

    ``src`` is validated first; :class:`ProgressError` leaves the learner's file untouched.
    """
    other = read_file(src)
    path = Path(path) if path is not None else default_path()
    data = load(path)
    merged = {**data, "created": min(data["created"], other["created"]),
              "cases": _merge(data["cases"], other["cases"]),
              "answers": _merge(data["answers"], other["answers"])}
    validate(merged, source="merged progress")
    _write(path, merged)
    return merged


def reset(path: str | Path | None = None) -> dict:
    """Start a fresh, empty progress file (the old content is replaced); returns it."""
    data = fresh()
    _write(Path(path) if path is not None else default_path(), data)
    return data


def answers_frame(data: dict) -> pd.DataFrame:
    """Quiz answers as rows ``question_id, answer, correct, mode, time``."""
    cols = ["question_id", "answer", "correct", "mode", "time"]
    rows = [{**a, "answer": json.dumps(a["answer"])} for a in data["answers"]]
    return pd.DataFrame(rows, columns=cols)


def cases_frame(data: dict) -> pd.DataFrame:
    """Case attempts as rows ``case_id, n_choices, completed, time`` plus one column per counter."""
    rows = [{"case_id": c["case_id"], "n_choices": len(c["choices"]), "completed": c["completed"],
             "time": c["time"], **{f"score_{k}": v for k, v in c["score"].items()}}
            for c in data["cases"]]
    return pd.DataFrame(rows, columns=None if rows else ["case_id", "n_choices", "completed", "time"])
