"""A learner's progress: case results and quiz answers in one versioned JSON file.

The file is ``$MTORLIB_PROGRESS`` or ``~/.mtorlib/progress.json`` (:func:`default_path`). Every
write is atomic (temporary file in the same folder, ``fsync``, ``os.replace``), so a process killed
while saving leaves the old file or the new one, never half of one. A file that cannot be read or
does not match ``mtorlib/content/schemas/progress.schema.json`` is moved aside to
``progress.json.corrupt-<n>`` with a :class:`ProgressWarning`, and a fresh file is started; a
progress path that is not a regular file (a folder, a device, a FIFO) is refused with
:class:`ProgressError` and nothing is moved.

* :func:`load` — the progress record (a dict); :func:`reset` — start again.
* :func:`record_case` / :func:`record_answer` — append one case attempt / one quiz answer.
* :func:`export` / :func:`import_` — copy the file out (with the learner's name, refusing to
  write over a folder, link or device); merge another learner file in (validated).
* :func:`export_name` — the export's file name, made from the learner's name.
* :func:`user_path` — a typed file name with ``~`` made the home folder (export, import, widget).
* :func:`answers_frame` / :func:`cases_frame` — tidy frames of a progress record.
* :func:`read_file` / :func:`validate` — strict reading of any progress file (regular files only,
  size-limited, schema-checked, finite numbers, text without control characters or broken
  Unicode), from :mod:`mtorlib.progress.read`.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import checks
from ..content.safefiles import FileRefused, atomic_write, check_target, printable
from .read import MAX_BYTES, MAX_NUMBER, ProgressError, ProgressUnreadable, read_file, validate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ENV_VAR", "MAX_BYTES", "MODES", "VERSION", "ProgressError", "ProgressUnreadable",
           "ProgressWarning",
           "answers_frame", "cases_frame", "default_path", "export", "export_name", "fresh",
           "import_", "learner_name", "load", "read_file", "record_answer", "record_case", "reset",
           "user_path", "validate"]

ENV_VAR = "MTORLIB_PROGRESS"
VERSION = 1
MODES = ("practice", "exam")
EXPORT_PREFIX = "mtorlib-progress-"


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


def _dumps(data: dict) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    except ValueError as exc:  # NaN or infinity: never written as non-standard JSON
        raise ProgressError(f"progress: only finite numbers can be saved ({exc})") from None


def _write(path: Path, data: dict) -> None:
    """Atomically replace ``path`` (a regular file or a link to one) with ``data`` as JSON.

    A record larger than a progress file may be (:data:`MAX_BYTES`) is refused and the old file
    kept: it could not be read back.
    """
    text = _dumps(data)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ProgressError(f"progress: the record would exceed {MAX_BYTES} bytes; not saved "
                            "(export it and start a new file with reset)")
    try:
        atomic_write(path, text, allow_link=True)
    except FileRefused as exc:
        raise ProgressError(f"progress file {exc}") from None
    _remember(path, data)


def _check_own(path: Path) -> None:
    """Refuse a progress path that exists but is not a regular file (nothing is moved)."""
    try:
        check_target(path, allow_link=True)
    except FileRefused as exc:
        raise ProgressError(f"{exc}; nothing was changed. Set {ENV_VAR} to a file path.") from None


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
        _check_own(path)  # a dangling link, for one
        return fresh()
    _check_own(path)
    try:
        cached = _last.get(_stat_key(path))
        if cached is not None:
            return json.loads(cached)
        data = read_file(path)
        _remember(path, data)
        return data
    except ProgressUnreadable:
        raise  # too large or unreadable is not corrupt: nothing is moved
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
    _dumps(entry)
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
    elif not isinstance(answer, str | int):
        answer = checks.number(answer, "answer", "progress.record_answer", lo=-MAX_NUMBER, hi=MAX_NUMBER,
                               error=ProgressError)
    entry = {"question_id": question_id, "answer": answer, "correct": correct, "mode": mode,
             "time": _now()}
    return _update("answers", entry, path)


def learner_name(name: str) -> str:
    """A learner's name as kept in the file: trimmed, 1-100 characters, no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise ProgressError("a learner name is needed (1-100 characters)")
    name = " ".join(name.split())
    validate({**fresh(), "learner": name}, source="learner name")
    return name


def export_name(learner: str) -> str:
    """The export's file name for ``learner``: ``mtorlib-progress-<name>.json`` (letters of any
    script and digits kept, everything else ``-``)."""
    slug = re.sub(r"[^\w]+", "-", learner_name(learner), flags=re.UNICODE).strip("-_")
    return f"{EXPORT_PREFIX}{slug[:60] or 'learner'}.json"


def user_path(name: str | Path) -> Path:
    """``name`` as a path with a leading ``~`` or ``~user`` made that home folder (as a shell
    would); :class:`ProgressError` for a user this computer does not know."""
    try:
        return Path(name).expanduser()
    except RuntimeError:  # ~nouser: no such user (or no home folder known)
        user = str(name).split("/", 1)[0].split(os.sep, 1)[0]
        raise ProgressError(f"cannot use {printable(name)}: {printable(user)} names no known user's "
                            "home folder (write ~/ for your own, or give the full path)") from None


def export(dest: str | Path, path: str | Path | None = None, *, learner: str | None = None) -> Path:
    """Write a validated copy of the learner's progress to ``dest`` (atomically); returns the
    absolute path written.

    ``learner`` (optional) is kept in the learner's own file and in the copy. ``dest`` must be a
    new file or a regular file: a folder, a link, a device or a name with a NUL byte is refused
    with :class:`ProgressError` and nothing is written.
    """
    dest = user_path(dest)
    try:
        dest = check_target(dest).absolute()
    except (FileRefused, ValueError, OSError) as exc:
        raise ProgressError(f"cannot export there: {printable(exc)}") from None
    data = load(path)
    if learner is not None:
        data["learner"] = learner_name(learner)
        _write(Path(path) if path is not None else default_path(), data)
    try:
        atomic_write(dest, _dumps(data))
    except FileRefused as exc:
        raise ProgressError(f"cannot export there: {exc}") from None
    except OSError as exc:
        raise ProgressError(f"cannot export to {printable(dest)}: {printable(exc.strerror or exc)}") from None
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
    other = read_file(user_path(src))
    path = Path(path) if path is not None else default_path()
    _check_own(path)
    data = load(path)
    merged = {**data, "created": min(data["created"], other["created"]),
              "cases": _merge(data["cases"], other["cases"]),
              "answers": _merge(data["answers"], other["answers"])}
    validate(merged, source="merged progress")
    _write(path, merged)
    return merged


def reset(path: str | Path | None = None) -> dict:
    """Start a fresh, empty progress file (the old content is replaced); returns it."""
    path = Path(path) if path is not None else default_path()
    _check_own(path)
    data = fresh()
    _write(path, data)
    return data


def answers_frame(data: dict) -> pd.DataFrame:  # pandas imported here: the CLI starts without it
    """Quiz answers as rows ``question_id, answer, correct, mode, time``."""
    cols = ["question_id", "answer", "correct", "mode", "time"]
    rows = [{**a, "answer": json.dumps(a["answer"])} for a in data["answers"]]
    import pandas as pd

    return pd.DataFrame(rows, columns=cols)


def cases_frame(data: dict) -> pd.DataFrame:
    """Case attempts as rows ``case_id, n_choices, completed, time`` plus one column per counter."""
    rows = [{"case_id": c["case_id"], "n_choices": len(c["choices"]), "completed": c["completed"],
             "time": c["time"], **{f"score_{k}": v for k, v in c["score"].items()}}
            for c in data["cases"]]
    import pandas as pd

    return pd.DataFrame(rows, columns=None if rows else ["case_id", "n_choices", "completed", "time"])
