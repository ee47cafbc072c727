"""The learner's progress at a glance (for ``00_start_here``): counts, per-topic table, export.

``view = progress_view()`` reads the progress file (:func:`mtorlib.progress.load`) and shows how
many quiz answers and case attempts are recorded, and, for the latest answer to each question,
how many are correct per topic. ``view.controls``: ``refresh``, ``export`` (button) and
``export_to`` (Text with the destination path). ``view.last`` is the per-topic frame shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import i18n, progress
from ..quiz import load_questions


@dataclass
class ProgressView:
    """``widget`` to display, its ``controls`` and the ``last`` per-topic frame."""

    widget: w.VBox
    controls: dict = field(default_factory=dict)
    last: pd.DataFrame | None = None
    path: Path | None = None


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
    refresh, export = w.Button(icon="refresh"), w.Button(icon="download")
    export_to = w.Text(value="mtorlib-progress-export.json", continuous_update=False)
    view.controls.update(refresh=refresh, export=export, export_to=export_to)

    def draw(_lang=None):
        data = progress.load(view.path)
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

    def on_export(_b=None):
        try:
            dest = progress.export(Path(export_to.value).expanduser(), path=view.path)
        except (OSError, progress.ProgressError) as exc:  # shown, not a traceback in the log
            message.value = f"<span style='color:#D55E00'>{html.escape(str(exc))}</span>"
            return
        message.value = html.escape(i18n.tr("progress.exported", path=str(dest)))

    refresh.on_click(lambda _b: draw())
    export.on_click(on_export)
    view.widget.children = [body, w.HBox([refresh, export_to, export]), message]
    draw()
    view.widget._mtor_draw = draw
    i18n.on_change(draw)
    return view
