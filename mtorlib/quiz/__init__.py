"""Quiz engine (pure): banks of single-choice, multiple-choice and numeric questions.

* :func:`load_questions` / :func:`questions_frame` — the questions of ``cases/quiz/*.yaml``
  as records / as a frame.
* :func:`select` — seeded random selection by tags (topic, disease, difficulty).
* :func:`check` / :func:`expected` — answer checking (numeric: absolute or relative tolerance).
* :class:`Session` — practice (immediate feedback) or exam (hidden until :meth:`Session.finish`),
  with :meth:`Session.results` and :meth:`Session.review` (wrong answers with explanations).
* ``mtorlib.quiz.variants`` — questions with parameters drawn from sourced ranges, rendered per
  learner (exam) or per attempt (practice); ``mtorlib.quiz.review`` — the spaced (Leitner) review
  of wrong answers and missed case paths.
* ``mtorlib.quiz.rules`` — the validator's rules; ``mtorlib.quiz.export`` — Moodle XML and GIFT;
  ``mtorlib.quiz.qti`` — an IMS QTI 2.1 content package; ``mtorlib.quiz.xapi`` — a learner's
  progress file as xAPI statements; ``mtorlib.quiz.class_report`` — a lecturer's report from many
  learners' progress files, with ``mtorlib.quiz.item_analysis`` (item difficulty, common wrong
  answers, questions to revisit, case choices) and ``mtorlib.quiz.report_html`` (its page).
"""

from . import review, rules, variants  # noqa: F401  (rules registers the quiz_bank rule)
from .questions import (
    Option,
    Question,
    QuizError,
    check,
    expected,
    load_questions,
    questions_frame,
    select,
    within_tolerance,
)
from .session import Feedback, Review, Session

__all__ = [
    "Feedback", "Option", "Question", "QuizError", "Review", "Session", "check", "expected",
    "load_questions", "questions_frame", "select", "within_tolerance",
]
