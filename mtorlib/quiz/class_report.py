"""A lecturer's class report from many learners' progress files, read as untrusted input.

:func:`class_report` reads each file with :func:`mtorlib.progress.read_file` (regular files only,
never a FIFO or device; no link leading out of the folder given; size-limited, strict JSON,
schema-checked, finite numbers, text without control characters: a file that fails any check is
listed as rejected with its reason, never half-read, and the others are still read) and returns
a :class:`ClassReport` with

* ``frame`` — tidy rows ``learner, record, item_id, correct, completed, mode, time`` (one per
  answer or case attempt; ``record`` is ``"answer"`` or ``"case"``);
* ``per_learner`` / ``per_question`` — summaries (latest answer of each learner per question);
* ``html`` — a complete UTF-8 HTML page in which every string from the files is escaped;
* ``rejected`` — ``(file name, reason)`` pairs, names with control characters escaped.

The learner is named by the ``learner`` field of the file (the name typed when exporting), or
by the file name stem for files without one. A second file with the same learner name is
rejected and names the first file (two exports of one person, or two people to tell apart).

:func:`to_csv` writes the frame for a spreadsheet with formula injection neutralised: a text
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe (``'=1+1``), which spreadsheets show as text and never evaluate.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import i18n, progress
from ..content.safefiles import printable

MAX_BYTES = 1_000_000
MAX_FILES = 5000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["learner", "record", "item_id", "correct", "completed", "mode", "time"]


@dataclass(frozen=True)
class ClassReport:
    """Tidy ``frame``, its summaries, the escaped ``html`` page and the ``rejected`` files."""

    frame: pd.DataFrame
    per_learner: pd.DataFrame
    per_question: pd.DataFrame
    html: str
    rejected: tuple[tuple[str, str], ...]


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
    """A CSV cell that no spreadsheet evaluates: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (RFC 4180 line ends, so a cell holding a line break is quoted) with
    every text cell passed through :func:`neutralise`."""
    return frame.map(neutralise).to_csv(index=False, lineterminator="\r\n")


def _rows(learner: str, data: dict) -> list[dict]:
    rows = [{"learner": learner, "record": "answer", "item_id": a["question_id"],
             "correct": a["correct"], "completed": None, "mode": a["mode"], "time": a["time"]}
            for a in data["answers"]]
    rows += [{"learner": learner, "record": "case", "item_id": c["case_id"], "correct": None,
              "completed": c["completed"], "mode": None, "time": c["time"]}
             for c in data["cases"]]
    return rows


def summarise(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``per_learner`` (answers, pct_correct, cases_completed) and ``per_question`` (learners, pct)."""
    answers = frame[frame["record"] == "answer"]
    latest = (answers.sort_values("time", kind="stable")
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


def _table(frame: pd.DataFrame, names: dict) -> str:
    return frame.rename(columns=names).to_html(index=False, escape=True, border=0, na_rep="–")


def render_html(report_parts: tuple, rejected: list, n_files: int, lang: str | None = None) -> str:
    """The summary page, a complete UTF-8 HTML document; every value is escaped
    (``to_html(escape=True)``, ``html.escape``)."""
    per_learner, per_question = report_parts
    t = lambda key, **kw: html.escape(i18n.tr(key, lang, **kw))  # noqa: E731
    code = lang or i18n.get_language()
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if code == "zh" else "en"}">',
           f'<head><meta charset="utf-8"><title>{t("report.title")}</title></head>', "<body>",
           f"<h3>{t('report.title')}</h3>",
           f"<p>{t('report.files', n=n_files, bad=len(rejected))}</p>"]
    if rejected:
        items = "".join(f"<li>{html.escape(name)}: {html.escape(reason)}</li>"
                        for name, reason in rejected)
        out.append(f"<h4>{t('report.rejected')}</h4><ul>{items}</ul>")
    learner_names = {"learner": i18n.tr("report.learner", lang),
                     "answers": i18n.tr("report.answers", lang),
                     "pct_correct": i18n.tr("report.pct_correct", lang),
                     "cases_completed": i18n.tr("report.cases_completed", lang)}
    out += [f"<h4>{t('report.per_learner')}</h4>", _table(per_learner, learner_names)]
    question_names = {"question_id": i18n.tr("report.question", lang),
                      "learners": i18n.tr("report.learners", lang),
                      "pct_correct": i18n.tr("report.pct_correct", lang)}
    out += [f"<h4>{t('report.per_question')}</h4>", _table(per_question, question_names),
            "</body>", "</html>"]
    return "\n".join(out) + "\n"


def class_report(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES,
                 max_files: int = MAX_FILES, lang: str | None = None) -> ClassReport:
    """Read learners' progress files (files or folders of ``*.json``) into a :class:`ClassReport`.

    Parameters
    ----------
    paths : progress files, or folders whose ``*.json`` files are read.
    max_bytes : files larger than this are rejected (bytes).
    max_files : at most this many files are read; more raise ``ProgressError`` (counted before
        any file is opened).
    lang : language of the HTML page (default: current).
    """
    files = _files(paths)
    if len(files) > max_files:
        raise progress.ProgressError(f"{len(files)} files given; at most {max_files} are read")
    rows, rejected, seen = [], [], {}
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
    frame = pd.DataFrame(rows, columns=COLUMNS)
    parts = summarise(frame)
    page = render_html(parts, rejected, len(files), lang)
    return ClassReport(frame, *parts, page, tuple(rejected))
