"""Spaced review: the questions and cases due today, from the learner's progress file.

``view = review_view()`` reads the progress file, asks :func:`mtorlib.quiz.review.due` what is due
today (Leitner boxes 1-5, intervals 0/1/3/7/14 days) and shows the due questions in the practice
quiz (:func:`~mtorlib.widgets.quiz_view`, variants on, answers saved to the progress file as
usual, so the schedule moves on) and lists the cases whose best path was missed, to replay in
their disease notebook. Fields (``view.fields``): ``header``, ``cases``. ``view.due`` is the
tuple of due :class:`~mtorlib.quiz.review.ReviewItem`; ``view.quiz`` the quiz view (None when no
question is due).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import ipywidgets as w

from .. import cases, i18n, progress
from ..quiz import load_questions
from ..quiz.review import due as due_items
from . import chrome
from .question_view import QuizView, quiz_view


@dataclass
class ReviewView:
    """``widget`` to display, the ``due`` items, the ``quiz`` view (or None) and the ``fields``."""

    widget: w.VBox
    due: tuple = ()
    quiz: QuizView | None = None
    fields: dict = field(default_factory=dict)


def _case_line(case_id: str, lang=None) -> str:
    try:
        case = cases.load_case(case_id)
    except LookupError:  # a case no longer in the suite
        return ""
    return f"<li>{html.escape(i18n.text(case.title, lang))}</li>"


def review_view(*, today: date | None = None, progress_path=None,
                lecturer: bool | None = None) -> ReviewView:
    """The review due on ``today`` (default: today in UTC) from the progress file."""
    today = today or datetime.now(UTC).date()
    data = progress.load(progress_path)
    items = due_items(data, today)
    bank = {q.id: q for q in load_questions()}
    questions = [bank[i.item_id] for i in items if i.kind == "question" and i.item_id in bank]
    case_ids = [i.item_id for i in items if i.kind == "case"]
    view = ReviewView(widget=w.VBox(), due=items)
    view.fields.update(header=w.HTML(), cases=w.HTML())
    if questions:
        view.quiz = quiz_view(questions, mode="practice", progress_path=progress_path,
                              lecturer=lecturer, variants=True)

    def draw(_lang=None):
        view.fields["header"].value = (
            f"<h4>{html.escape(i18n.tr('review.title'))}</h4>"
            f"<p>{html.escape(i18n.tr('review.due', n=len(questions), k=len(case_ids)))}</p>"
            + ("" if items else f"<p>{html.escape(i18n.tr('review.nothing_due'))}</p>"))
        lines = "".join(_case_line(c) for c in case_ids)
        view.fields["cases"].value = (f"<p>{html.escape(i18n.tr('review.cases'))}</p><ul>{lines}</ul>"
                                      if lines else "")

    parts = [view.fields["header"]] + ([view.quiz.widget] if view.quiz else [chrome.notice()])
    view.widget.children = [*parts, view.fields["cases"]]
    i18n.follow(view.widget, draw)
    return view
