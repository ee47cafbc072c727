"""Quiz questions as records: loading banks, seeded selection by tags, answer checking.

* :func:`load_questions` — every question of the given banks (default: all) as :class:`Question`.
* :func:`questions_frame` — a tidy frame ``id, bank, type, topic, disease, difficulty``.
* :func:`select` — ``n`` questions matching tags, drawn with a passed ``numpy.random.Generator``.
* :func:`check` — whether a response is correct (option id, option ids, or a number).
* :func:`expected` — the correct response (what :func:`check` accepts as right).

Responses: single → one option id (``"b"``); multiple → an iterable of option ids; numeric → a
number. Anything else raises :class:`QuizError` naming the question, the value and what is allowed.

>>> q = Question.from_dict({"id": "x", "type": "numeric", "stem": {"en": "2+2", "zh": "2+2"},
...     "answer": 4, "tolerance": {"type": "absolute", "value": 0.5},
...     "explanation": {"en": "sum", "zh": "和"}, "refs": [7],
...     "tags": {"topic": "pk", "disease": "general", "difficulty": "easy"}})
>>> check(q, 4.4), check(q, 3.4)
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..content import load_kind
from ..content.packs import pack_of

TYPES = ("single", "multiple", "numeric")
TAGS = ("topic", "disease", "difficulty")


class QuizError(ValueError):
    """A bad response, an unknown question or bank, or a selection that cannot be made."""


@dataclass(frozen=True)
class Option:
    """One option of a choice question; ``text`` is ``{en, zh}``."""

    id: str
    text: dict
    correct: bool


@dataclass(frozen=True)
class Question:
    """One question of a bank (field names as in ``mtorlib/content/schemas/quiz_bank.schema.json``).

    A concrete question: ``stem``, ``explanation``, ``answer`` and ``compute`` hold numbers. A
    variant question also keeps its templates in ``variant`` (``seed``, ``parameters``, ``stem``,
    ``explanation``, ``compute``) and the values it was rendered with in ``values`` (``(name,
    value)`` pairs); :func:`load_questions` renders it at the parameters' defaults, and
    :mod:`mtorlib.quiz.variants` renders other draws.
    """

    id: str
    type: str
    stem: dict
    explanation: dict
    refs: tuple
    topic: str
    disease: str
    difficulty: str
    bank: str = ""
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance_type: str | None = None
    tolerance: float | None = None
    unit: dict | None = None
    compute: dict | None = None
    evidence: dict | None = None
    variant: dict | None = None
    values: tuple = ()
    pack: dict | None = None  # title {en, zh} of the content pack it comes from; None: built-in

    @classmethod
    def from_dict(cls, data: dict, bank: str = "", pack: dict | None = None) -> Question:
        """Build a question from one validated ``questions[]`` entry of a bank (of ``pack``)."""
        tol = data.get("tolerance") or {}
        question = cls(
            id=data["id"], type=data["type"], stem=data["stem"], explanation=data["explanation"],
            refs=tuple(data["refs"]), bank=bank, **{t: data["tags"][t] for t in TAGS},
            options=tuple(Option(o["id"], o["text"], o["correct"])
                          for o in data.get("options", ())),
            answer=data.get("answer"), tolerance_type=tol.get("type"), tolerance=tol.get("value"),
            unit=data.get("unit"), compute=data.get("compute"), evidence=data.get("evidence"),
            pack=pack,
        )
        if "variant" not in data:
            return question
        from .variants import at_values, defaults  # variants builds on this module

        spec = {**data["variant"], "stem": data["stem"], "explanation": data["explanation"],
                "compute": data["compute"]}
        question = replace(question, variant=spec)
        return at_values(question, defaults(spec), answer=data["answer"])

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


def load_questions(banks: Iterable[str] | None = None) -> tuple[Question, ...]:
    """All questions of the named banks (default: every bank, built-in and from the content packs
    in use), in file order.

    A pack's questions also join a named built-in bank whose id is their ``disease`` tag, after
    that bank's own questions (so a notebook's ``load_questions(["itp"])`` shows a department's
    ITP questions too). Pack questions carry the pack's title in ``pack``.
    """
    docs = {d.id: d for d in load_kind("quiz_bank")}
    names = list(docs) if banks is None else list(banks)
    unknown = [b for b in names if b not in docs]
    if unknown:
        raise QuizError(f"unknown quiz bank(s) {unknown}; valid banks: {', '.join(sorted(docs))}")
    titles = {b: None if (p := pack_of(d.path)) is None else p.title for b, d in docs.items()}
    out = []
    for b in names:
        out += [Question.from_dict(q, bank=b, pack=titles[b]) for q in docs[b].data["questions"]]
        if banks is not None and titles[b] is None:  # a built-in bank: pack questions of its disease
            out += [Question.from_dict(q, bank=other, pack=titles[other])
                    for other in docs if titles[other] is not None and other not in names
                    for q in docs[other].data["questions"] if q["tags"]["disease"] == b]
    return tuple(out)


def questions_frame(questions: Sequence[Question]) -> pd.DataFrame:
    """One row per question: ``id, bank, type, topic, disease, difficulty``."""
    cols = ["id", "bank", "type", *TAGS]
    return pd.DataFrame([{c: getattr(q, c) for c in cols} for q in questions], columns=cols)


def _matches(q: Question, wanted: dict) -> bool:
    return all(v is None or getattr(q, k) in v for k, v in wanted.items())


def select(questions: Sequence[Question], *, n: int, rng: np.random.Generator,
           topic: str | Iterable[str] | None = None, disease: str | Iterable[str] | None = None,
           difficulty: str | Iterable[str] | None = None) -> tuple[Question, ...]:
    """``n`` distinct questions whose tags match, in a random order drawn from ``rng``.

    Each tag filter is ``None`` (any), one value, or several values (any of them). The same seed
    and pool always give the same selection. :class:`QuizError` if fewer than ``n`` match.
    """
    if not isinstance(rng, np.random.Generator):
        raise QuizError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise QuizError(f"n must be a whole number >= 1; got {n!r}")
    wanted = {k: ({v} if isinstance(v, str) else None if v is None else set(v))
              for k, v in (("topic", topic), ("disease", disease), ("difficulty", difficulty))}
    pool = [q for q in questions if _matches(q, wanted)]
    if len(pool) < n:
        filters = ", ".join(f"{k}={sorted(v)}" for k, v in wanted.items() if v) or "no filter"
        raise QuizError(f"n={n} questions requested but only {len(pool)} match ({filters})")
    picks = rng.choice(len(pool), size=n, replace=False)
    return tuple(pool[i] for i in picks)


def within_tolerance(value: float, answer: float, *, kind: str, tolerance: float) -> bool:
    """Whether ``value`` is within an absolute or relative (fraction) tolerance of ``answer``."""
    if kind not in ("absolute", "relative"):
        raise QuizError(f"tolerance type must be 'absolute' or 'relative'; got {kind!r}")
    limit = tolerance if kind == "absolute" else tolerance * abs(answer)
    # a hair of slack so that a boundary value typed in decimal is not lost to binary rounding
    return abs(value - answer) <= limit + 1e-12 * max(1.0, abs(answer))


def _as_number(q: Question, response) -> float:
    if isinstance(response, bool) or not isinstance(response, int | float | np.number):
        if isinstance(response, str):
            try:
                response = float(response.strip().replace(",", "."))
            except ValueError:
                raise QuizError(f"answer to {q.id} must be a number; got {response!r}") from None
        else:
            raise QuizError(f"answer to {q.id} must be a number; got {response!r}")
    value = float(response)
    if not math.isfinite(value):
        raise QuizError(f"answer to {q.id} must be a finite number; got {response!r}")
    return value


def normalise(q: Question, response):
    """The canonical form of a response: an option id, a sorted tuple of ids, or a float."""
    allowed = ", ".join(q.option_ids)
    if q.type == "numeric":
        return _as_number(q, response)
    if q.type == "single":
        if not isinstance(response, str) or response not in q.option_ids:
            raise QuizError(f"answer to {q.id} must be one option id ({allowed}); got {response!r}")
        return response
    if isinstance(response, str) or not isinstance(response, Iterable):
        raise QuizError(
            f"answer to {q.id} must be a list of option ids ({allowed}); got {response!r}")
    ids = tuple(sorted(set(response)))
    bad = [r for r in ids if r not in q.option_ids]
    if bad:
        raise QuizError(f"answer to {q.id} has unknown option(s) {bad}; allowed: {allowed}")
    return ids


def check(q: Question, response) -> bool:
    """Whether ``response`` answers ``q`` correctly (multiple: exactly the correct set)."""
    given = normalise(q, response)
    if q.type == "numeric":
        return within_tolerance(given, q.answer, kind=q.tolerance_type, tolerance=q.tolerance)
    if q.type == "single":
        return given in q.correct_ids
    return frozenset(given) == q.correct_ids


def expected(q: Question):
    """The correct response to ``q``: an option id, a sorted tuple of ids, or the number."""
    if q.type == "numeric":
        return q.answer
    ids = tuple(sorted(q.correct_ids))
    return ids[0] if q.type == "single" else ids
