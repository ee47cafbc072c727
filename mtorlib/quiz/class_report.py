"""A lecturer's class report from many learners' progress files, read as untrusted input.

:func:`class_report` reads each file with :func:`mtorlib.progress.read_file` (size-limited, JSON
only, schema-checked: a file that fails any check is listed as rejected, never half-read) and
returns a :class:`ClassReport` with

* ``frame`` — tidy rows ``learner, record, item_id, correct, completed, mode, time`` (one per
  answer or case attempt; ``record`` is ``"answer"`` or ``"case"``);
* ``per_learner`` / ``per_question`` — summaries (latest answer of each learner per question);
* ``html`` — a summary page in which every string from the files is escaped;
* ``rejected`` — ``(file name, reason)`` pairs.

The learner is named by the file name stem (``alice.json`` → ``alice``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import i18n, progress

MAX_BYTES = 1_000_000
MAX_FILES = 1000
COLUMNS = ["learner", "record", "item_id", "correct", "completed", "mode", "time"]


@dataclass(frozen=True)
class ClassReport:
    """Tidy ``frame``, its summaries, the escaped ``html`` page and the ``rejected`` files."""

    frame: pd.DataFrame
    per_learner: pd.DataFrame
    per_question: pd.DataFrame
    html: str
    rejected: tuple[tuple[str, str], ...]


def _files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.json")) if p.is_dir() else [p]
    return out


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
    """The summary page; every value is escaped (``to_html(escape=True)``, ``html.escape``)."""
    per_learner, per_question = report_parts
    t = lambda key, **kw: html.escape(i18n.tr(key, lang, **kw))  # noqa: E731
    out = [f"<h3>{t('report.title')}</h3>",
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
    out += [f"<h4>{t('report.per_question')}</h4>", _table(per_question, question_names)]
    return "\n".join(out)


def class_report(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES,
                 max_files: int = MAX_FILES, lang: str | None = None) -> ClassReport:
    """Read learners' progress files (files or folders of ``*.json``) into a :class:`ClassReport`.

    Parameters
    ----------
    paths : progress files, or folders whose ``*.json`` files are read.
    max_bytes : files larger than this are rejected (bytes).
    max_files : at most this many files are read; more raise ``ProgressError``.
    lang : language of the HTML page (default: current).
    """
    files = _files(paths)
    if len(files) > max_files:
        raise progress.ProgressError(f"{len(files)} files given; at most {max_files} are read")
    rows, rejected, seen = [], [], {}
    for f in files:
        try:
            data = progress.read_file(f, max_bytes=max_bytes)
        except progress.ProgressError as exc:
            rejected.append((f.name, str(exc).removeprefix(f"{f.name}: ")))
            continue
        learner = f.stem
        if learner in seen:
            rejected.append((f.name, f"learner name '{learner}' already read from {seen[learner]}"))
            continue
        seen[learner] = str(f)
        rows += _rows(learner, data)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    parts = summarise(frame)
    page = render_html(parts, rejected, len(files), lang)
    return ClassReport(frame, *parts, page, tuple(rejected))
