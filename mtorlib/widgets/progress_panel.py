"""The learner's progress at a glance (for ``00_start_here``): counts, per-topic table, export.

``view = progress_view()`` reads the progress file (:func:`mtorlib.progress.load`) and shows how
many quiz answers and case attempts are recorded, and, for the latest answer to each question,
how many are correct per topic. ``view.controls``: ``refresh``, ``export`` (button), ``learner``
(Text: the learner's name, kept in the file) and ``export_to`` (Text: a folder, where the file is
named after the learner, or a file; empty means the current folder). The message under the
buttons says the full path written, or why nothing was written: every error is shown there,
never raised out of the click. ``view.last`` is the per-topic frame shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import i18n, progress
from ..content.safefiles import printable
from ..quiz import load_questions


@dataclass
class ProgressView:
    """``widget`` to display, its ``controls``, the ``body`` (counts and table), the ``message`` line
    and the ``last`` per-topic frame."""

    widget: w.VBox
    controls: dict = field(default_factory=dict)
    last: pd.DataFrame | None = None
    path: Path | None = None
    message: w.HTML | None = None
    body: w.HTML | None = None


def topic_summary(data: dict) -> pd.DataFrame:
    """Latest answer per question, counted by topic: ``topic, n_questions, n_correct``.

    Answers to questions no longer in any bank are counted under topic ``"other"``.
    """
    answers = progress.answers_frame(data)
    cols = ["topic", "n_questions", "n_correct"]
    if answers.empty:
        return pd.DataFrame(columns=cols)
    topics = {q.id: q.topic for q in load_questions()}
    latest = (answers.sort_values("time", kind="stable")
              .groupby("question_id", as_index=False).last())
    latest["topic"] = latest["question_id"].map(topics).fillna("other")
    out = (latest.groupby("topic", as_index=False)
           .agg(n_questions=("question_id", "size"), n_correct=("correct", "sum")))
    return out[cols].astype({"n_correct": int})


def _counts_html(data: dict) -> str:
    answers, cases = data["answers"], data["cases"]
    n, k = len(answers), sum(a["correct"] for a in answers)
    pct = round(100 * k / n) if n else 0
    q = len({a["question_id"] for a in answers})
    done = sum(c["completed"] for c in cases)
    c = len({c["case_id"] for c in cases})
    return (f"<p>{html.escape(i18n.tr('progress.questions', n=n, k=k, pct=pct, q=q))}<br>"
            f"{html.escape(i18n.tr('progress.cases', n=len(cases), k=done, c=c))}</p>")


def progress_view(path: str | Path | None = None) -> ProgressView:
    """A small panel over the learner's progress file (default :func:`progress.default_path`)."""
    view = ProgressView(widget=w.VBox(), path=Path(path) if path else None)
    body, message = w.HTML(), w.HTML()
    view.message, view.body = message, body
    refresh, export = w.Button(icon="refresh"), w.Button(icon="download")
    export_to = w.Text(value="", continuous_update=False)
    learner = w.Text(value="", continuous_update=False)
    view.controls.update(refresh=refresh, export=export, export_to=export_to, learner=learner)

    def show_error(text: str) -> None:
        message.value = f"<span style='color:#B34700'>{html.escape(text)}</span>"

    def draw(_lang=None):
        try:
            data = progress.load(view.path)
        except progress.ProgressError as exc:  # e.g. the progress path is a folder
            show_error(i18n.tr("progress.unusable", reason=str(exc)))
            data = progress.fresh()
        except OSError as exc:  # e.g. unreadable file, full or read-only disk while setting aside
            where = view.path or progress.default_path()
            show_error(i18n.tr("progress.unreadable", path=printable(str(where)),
                               reason=printable(exc.strerror or exc)))
            data = progress.fresh()
        if not learner.value and data.get("learner"):
            learner.value = data["learner"]
        view.last = topic_summary(data)
        where = view.path or progress.default_path()
        out = (f"<h4>{html.escape(i18n.tr('progress.title'))}</h4>"
               f"<p><small>{html.escape(i18n.tr('progress.file', path=str(where)))}</small></p>")
        if not data["answers"] and not data["cases"]:
            out += f"<p>{html.escape(i18n.tr('progress.empty'))}</p>"
        else:
            out += _counts_html(data)
            if not view.last.empty:
                names = {"topic": i18n.tr("progress.topic"),
                         "n_questions": i18n.tr("progress.n_questions"),
                         "n_correct": i18n.tr("progress.n_correct")}
                out += (f"<p><b>{html.escape(i18n.tr('progress.by_topic'))}</b></p>"
                        + view.last.rename(columns=names).to_html(index=False, border=0))
        body.value = out
        refresh.description = i18n.tr("progress.refresh")
        export.description = i18n.tr("progress.export")
        export_to.description = i18n.tr("progress.export_to")
        export_to.placeholder = i18n.tr("progress.export_hint")
        learner.description = i18n.tr("progress.learner")
        learner.placeholder = i18n.tr("progress.learner_hint")

    def on_export(_b=None):
        name = learner.value.strip()
        try:
            target = export_to.value.strip()
            dest = progress.user_path(target) if target else Path.cwd()
            if dest.is_dir():  # a folder: the file is named after the learner
                if not name:
                    show_error(i18n.tr("progress.need_name"))
                    return
                dest = dest / progress.export_name(name)
            written = progress.export(dest, path=view.path, learner=name or None)
        except Exception as exc:  # noqa: BLE001 - every error is shown here, never raised out of a click
            show_error(i18n.tr("progress.export_failed", reason=str(exc)))
            return
        message.value = html.escape(i18n.tr("progress.exported", path=str(written)))

    refresh.on_click(lambda _b: draw())
    export.on_click(on_export)
    view.widget.children = [body, w.VBox([learner, w.HBox([export_to, export, refresh])]), message]
    i18n.follow(view.widget, draw)
    return view
