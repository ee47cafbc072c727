"""A lecturer's class report from many learners' progress files, read as untrusted input.

:func:`class_report` reads each file with :func:`mtorlib.progress.read_file` (regular files only,
never a FIFO or device; no link leading out of the folder given; size-limited, strict JSON,
schema-checked, finite numbers, text without control characters: a file that fails any check is
listed as rejected with its reason, never half-read, and the others are still read) and returns
a :class:`ClassReport` with

* ``frame`` — tidy rows ``learner, record, item_id, correct, completed, mode, time, answer`` (one
  per answer or case attempt; ``record`` is ``"answer"`` or ``"case"``; ``answer`` as text: an
  option letter, letters joined by ``,``, or a number);
* ``per_learner`` / ``per_question`` — summaries (latest answer of each learner per question);
* ``steps`` — one row per move of a case attempt: ``learner, case_id, attempt, node_id, choice``;
* ``tables`` — the item analysis (:mod:`mtorlib.quiz.item_analysis`): item difficulty, the most
  common wrong answers, the questions to revisit in class, the choices taken in the cases;
* ``html`` — a complete UTF-8 HTML page in which every string from the files is escaped: the
  questions to revisit, the figures (inline SVG, when a ``figures`` renderer is given: see
  :mod:`mtorlib.charts.class_report`) and the tables, questions named by their stems;
* ``rejected`` — ``(file name, reason)`` pairs, names with control characters escaped.

The learner is named by the ``learner`` field of the file (the name typed when exporting), or
by the file name stem for files without one. A second file with the same learner name is
rejected and names the first file (two exports of one person, or two people to tell apart).

:func:`to_csv` writes the frame for a spreadsheet with formula injection neutralised: a text
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe (``'=1+1``), which spreadsheets show as text and never evaluate. A cell that is a
plain number (``-5``, ``-2.5e-07``) is left as it is: a spreadsheet reads it as a number, never
as a formula. Numeric answers are written in full (``repr`` of the float: read back, it is the
same number).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .. import cases, progress
from ..content import ContentError
from ..content.safefiles import printable
from . import item_analysis
from .questions import load_questions
from .report_html import render_html

MAX_BYTES = progress.MAX_BYTES  # the largest file a learner's own progress may grow to: never rejected
MAX_FILES = 5000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")  # ASCII digits only
COLUMNS = ["learner", "record", "item_id", "correct", "completed", "mode", "time", "answer"]
STEP_COLUMNS = ["learner", "case_id", "attempt", "node_id", "choice"]


@dataclass(frozen=True)
class Tables:
    """The item analysis of a class (frames of :mod:`mtorlib.quiz.item_analysis`)."""

    difficulty: pd.DataFrame
    wrong_answers: pd.DataFrame
    revisit: pd.DataFrame
    case_choices: pd.DataFrame


@dataclass(frozen=True)
class ClassReport:
    """Tidy ``frame``, its summaries, the case ``steps``, the item analysis ``tables``, the escaped
    ``html`` page (with ``n_figures`` inline charts) and the ``rejected`` files."""

    frame: pd.DataFrame
    per_learner: pd.DataFrame
    per_question: pd.DataFrame
    html: str
    rejected: tuple[tuple[str, str], ...]
    steps: pd.DataFrame = None
    tables: Tables = None
    n_figures: int = 0


def _files(paths: Iterable[str | Path]) -> list[tuple[Path, Path | None]]:
    """``(file, folder it was found in)``: the ``*.json`` entries of folders, files as given."""
    out: list[tuple[Path, Path | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            with os.scandir(p) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(".json"))
            out += [(p / n, p) for n in names]
        else:
            out.append((p, None))
    return out


def neutralise(value):
    """A CSV cell that no spreadsheet evaluates: text starting like a formula gets a ``'``
    (a plain number such as ``-5`` is not a formula and is left as it is)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (RFC 4180 line ends, so a cell holding a line break is quoted) with
    every text cell passed through :func:`neutralise`."""
    return frame.map(neutralise).to_csv(index=False, lineterminator="\r\n")


def answer_key(answer) -> str:
    """A stored answer as text: an option letter, sorted letters joined by ``,``, or a number in
    full (``repr``: ``0.1``, ``1234567.0``, ``-5``; read back it is the same number)."""
    if isinstance(answer, list):
        return ",".join(sorted(map(str, answer)))
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        return repr(answer)
    return str(answer)


def _rows(learner: str, data: dict) -> list[dict]:
    rows = [{"learner": learner, "record": "answer", "item_id": a["question_id"],
             "correct": a["correct"], "completed": None, "mode": a["mode"], "time": a["time"],
             "answer": answer_key(a["answer"])}
            for a in data["answers"]]
    rows += [{"learner": learner, "record": "case", "item_id": c["case_id"], "correct": None,
              "completed": c["completed"], "mode": None, "time": c["time"], "answer": None}
             for c in data["cases"]]
    return rows


def _steps(learner: str, data: dict) -> list[dict]:
    """One row per move (``"node:option"``) of each case attempt; ``attempt`` is its time (UTC)."""
    return [{"learner": learner, "case_id": c["case_id"],
             "attempt": datetime.fromisoformat(c["time"]).astimezone(UTC),
             "node_id": move.partition(":")[0], "choice": move.partition(":")[2]}
            for c in data["cases"] for move in c["choices"]]


def summarise(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``per_learner`` (answers, pct_correct, cases_completed) and ``per_question`` (learners, pct)."""
    answers = frame[frame["record"] == "answer"]
    latest = (answers.sort_values("time", kind="stable", key=item_analysis.time_order)
              .groupby(["learner", "item_id"], as_index=False).last())
    latest = latest.assign(correct=latest["correct"].astype(bool))
    learners = sorted(frame["learner"].unique())
    per_learner = pd.DataFrame({"learner": learners})
    per_learner["answers"] = per_learner["learner"].map(answers.groupby("learner").size()).fillna(0)
    pct = latest.groupby("learner")["correct"].mean().mul(100).round(1)
    per_learner["pct_correct"] = per_learner["learner"].map(pct)
    cases = frame[(frame["record"] == "case") & (frame["completed"] == True)]  # noqa: E712
    per_learner["cases_completed"] = (per_learner["learner"]
                                      .map(cases.groupby("learner")["item_id"].nunique()).fillna(0))
    per_learner = per_learner.astype({"answers": int, "cases_completed": int})
    per_question = (latest.groupby("item_id", as_index=False)
                    .agg(learners=("learner", "nunique"), pct_correct=("correct", "mean")))
    per_question["pct_correct"] = (per_question["pct_correct"] * 100).round(1)
    per_question = per_question.rename(columns={"item_id": "question_id"})
    return per_learner, per_question.sort_values(["pct_correct", "question_id"]).reset_index(drop=True)


def class_report(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES,
                 max_files: int = MAX_FILES, lang: str | None = None,
                 figures: Callable[[Tables, str | None], list] | None = None) -> ClassReport:
    """Read learners' progress files (files or folders of ``*.json``) into a :class:`ClassReport`.

    Parameters
    ----------
    paths : progress files, or folders whose ``*.json`` files are read.
    max_bytes : files larger than this are rejected (bytes).
    max_files : at most this many files are read; more raise ``ProgressError`` (counted before
        any file is opened).
    lang : language of the HTML page (default: current).
    figures : ``figures(tables, lang)`` -> ``[(heading, svg), ...]``, the charts drawn into the
        page (:func:`mtorlib.charts.class_report.figures`, which renders them offline); none
        without it.
    """
    files = _files(paths)
    if len(files) > max_files:
        raise progress.ProgressError(f"{len(files)} files given; at most {max_files} are read")
    rows, steps, rejected, seen = [], [], [], {}
    for f, folder in files:
        name = printable(f.name)
        try:
            data = progress.read_file(f, max_bytes=max_bytes, root=folder)
        except progress.ProgressError as exc:
            rejected.append((name, str(exc).removeprefix(f"{name}: ")))
            continue
        learner = data.get("learner") or printable(f.stem)
        if learner in seen:
            rejected.append((name, f"learner name '{learner}' is also in {seen[learner]}; "
                                   "only the first file is counted"))
            continue
        seen[learner] = name
        rows += _rows(learner, data)
        steps += _steps(learner, data)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    steps_frame = pd.DataFrame(steps, columns=STEP_COLUMNS)
    parts = summarise(frame)
    tables = analyse(frame, steps_frame, lang)
    shown = figures(tables, lang) if figures is not None else []
    page = render_html(parts, rejected, len(files), lang, tables=tables, figures=shown)
    return ClassReport(frame, *parts, page, tuple(rejected), steps=steps_frame, tables=tables,
                       n_figures=len(shown))


def _lookups(steps: pd.DataFrame) -> tuple[dict, dict]:
    """Questions and cases by id, from the content in use (empty if it cannot be loaded)."""
    try:
        questions = {q.id: q for q in load_questions()}
    except ContentError:
        questions = {}
    found = {}
    for case_id in sorted(set(steps["case_id"])):
        try:
            found[case_id] = cases.load_case(case_id)
        except (LookupError, ContentError):
            continue
    return questions, found


def analyse(frame: pd.DataFrame, steps: pd.DataFrame, lang: str | None = None) -> Tables:
    """The item analysis of a class (:mod:`mtorlib.quiz.item_analysis`), titles from the content."""
    questions, case_lookup = _lookups(steps)
    difficulty = item_analysis.item_difficulty(frame, questions, lang)
    return Tables(difficulty, item_analysis.wrong_answers(frame, questions, lang),
                  item_analysis.revisit(difficulty),
                  item_analysis.case_choices(steps, case_lookup, lang))
