"""A quiz sitting: practice (feedback at once) or exam (correctness hidden until the end).

:class:`Session` is immutable: :meth:`Session.submit` returns a new session and a
:class:`Feedback`; :meth:`Session.finish` ends an exam. :meth:`Session.results` (a tidy frame, one
row per question) and :meth:`Session.review` (wrong or unanswered questions with the correct
answer and the explanation) are available at any time in practice mode and only after
:meth:`Session.finish` in exam mode.

>>> from mtorlib.quiz.questions import Question
>>> q = Question.from_dict({"id": "q1", "type": "single", "stem": {"en": "?", "zh": "?"},
...     "options": [{"id": "a", "text": {"en": "A", "zh": "A"}, "correct": True},
...                 {"id": "b", "text": {"en": "B", "zh": "B"}, "correct": False}],
...     "explanation": {"en": "A.", "zh": "A。"}, "refs": [7],
...     "tags": {"topic": "pk", "disease": "general", "difficulty": "easy"}})
>>> s, fb = Session((q,), mode="exam").submit("q1", "b")
>>> fb.correct is None, s.finish().score()
(True, (0, 1))
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .questions import Question, QuizError, check, expected, normalise

MODES = ("practice", "exam")


@dataclass(frozen=True)
class Feedback:
    """What the learner sees after submitting (exam mode: ``correct``/``explanation`` None)."""

    question_id: str
    response: object
    correct: bool | None
    expected: object = None
    explanation: dict | None = None


@dataclass(frozen=True)
class Review:
    """A wrong or unanswered question after the sitting, with the right answer and why."""

    question: Question
    response: object
    expected: object
    explanation: dict


@dataclass(frozen=True)
class Session:
    """Questions in order, the mode, and the responses so far (question id -> response)."""

    questions: tuple[Question, ...]
    mode: str = "practice"
    responses: tuple[tuple[str, object], ...] = field(default=())
    finished: bool = False

    def __post_init__(self):
        if self.mode not in MODES:
            raise QuizError(f"mode must be one of {', '.join(MODES)}; got {self.mode!r}")
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise QuizError(f"a session cannot hold the same question twice: {ids}")

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise QuizError(f"question {question_id!r} is not in this session; "
                        f"valid: {', '.join(q.id for q in self.questions)}")

    def response(self, question_id: str):
        """The learner's current response to a question (None if unanswered)."""
        return dict(self.responses).get(question_id)

    def submit(self, question_id: str, response) -> tuple[Session, Feedback]:
        """Record a response (replacing an earlier one) and return the new session and feedback."""
        if self.finished:
            raise QuizError("this exam is finished; start a new session to answer again")
        q = self.question(question_id)
        given = normalise(q, response)
        kept = tuple((k, v) for k, v in self.responses if k != question_id)
        new = replace(self, responses=(*kept, (question_id, given)))
        if self.mode == "exam":
            return new, Feedback(question_id, given, None)
        return new, Feedback(question_id, given, check(q, given), expected(q), q.explanation)

    def swap(self, question: Question) -> Session:
        """The session with ``question`` in place of the one with its id (another variant of it),
        its earlier response dropped; :class:`QuizError` in a finished sitting."""
        if self.finished:
            raise QuizError("this exam is finished; start a new session to answer again")
        self.question(question.id)
        return replace(self, questions=tuple(question if q.id == question.id else q
                                             for q in self.questions),
                       responses=tuple((k, v) for k, v in self.responses if k != question.id))

    def finish(self) -> Session:
        """End the sitting; correctness becomes visible in exam mode."""
        return replace(self, finished=True)

    def _require_visible(self, what: str) -> None:
        if self.mode == "exam" and not self.finished:
            raise QuizError(f"{what} is hidden until the exam is finished (call finish())")

    def results(self) -> pd.DataFrame:
        """One row per question.

        Columns: ``question_id, type, topic, disease, difficulty, answered, correct``.
        """
        self._require_visible("the result")
        answers = dict(self.responses)
        rows = [{
            "question_id": q.id, "type": q.type, "topic": q.topic, "disease": q.disease,
            "difficulty": q.difficulty, "answered": q.id in answers,
            "correct": q.id in answers and check(q, answers[q.id]),
        } for q in self.questions]
        return pd.DataFrame(rows, columns=["question_id", "type", "topic", "disease", "difficulty",
                                           "answered", "correct"])

    def score(self) -> tuple[int, int]:
        """``(n_correct, n_questions)``."""
        res = self.results()
        return int(res["correct"].sum()), len(res)

    def review(self) -> tuple[Review, ...]:
        """Wrong and unanswered questions, in order, with the expected answer and explanation."""
        self._require_visible("the review")
        answers = dict(self.responses)
        return tuple(
            Review(q, answers.get(q.id), expected(q), q.explanation)
            for q in self.questions
            if q.id not in answers or not check(q, answers[q.id])
        )
