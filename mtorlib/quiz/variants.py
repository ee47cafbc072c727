"""Question variants: numbers drawn from sourced ranges, stem, explanation and answer rendered.

A numeric question may declare ``variant`` (schema ``quiz_bank``, ``$defs/variant``)::

    variant:
      seed: per_attempt            # or per_learner
      parameters:
        measured_ng_ml: {min: 16, max: 24, step: 1, default: 16, unit: {en: ng/mL, zh: ng/mL},
                         limit: trough_ng_ml, refs: [19], why: "above the 4-15 ng/mL window of [19]"}
    compute: {function: "mtorlib.tdm:proportional_dose",
              args: {measured_ng_ml: {param: measured_ng_ml}, ...}}

Its stem and explanation hold ``{name}`` placeholders (``{name:.2f}`` / ``{name:.3g}`` for a set
precision); the explanation may also hold ``{answer}``. The answer of a variant is always the
library computation (:mod:`mtorlib.content.compute`) of the drawn values; the stored ``answer`` is
that of the ``default`` values, which is what :func:`mtorlib.quiz.load_questions` returns.

Seeds (:func:`seed_for`): a stable SHA-256 hash of the learner's name, the question id and, for a
new draw per attempt, the attempt number. Exam mode always fixes the variant per learner; practice
mode follows the question's ``seed`` rule (``per_attempt``: a new variant each attempt;
``per_learner``: the same numbers each time, for questions that build on each other).

* :func:`render` — the concrete question (a plain :class:`~mtorlib.quiz.Question`) for a seed.
* :func:`for_session` — concrete questions for a sitting (mode, learner, attempt numbers).
* :func:`for_export` — one rendered variant per question for an LMS export (``--variant-seed``).
* :func:`examples` — a frame of one question drawn for several attempts (for notebooks).
* :func:`check_variant` — the validator's rule (every parameter used, corners computable,
  tolerance sensible, ranges inside the sourced input limits).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pandas as pd

from .. import i18n
from ..content.compute import run as run_compute
from .questions import Question, QuizError

SEED_RULES = ("per_learner", "per_attempt")
MAX_VALUES = 1000  # grid points per parameter
MAX_TOLERANCE_SHARE = 0.1  # a tolerance wider than 10 % of the answer lets a rough guess pass
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::\.([0-9])([fg]))?\}")


def decimals(step: float) -> int:
    """Decimal places of a step as written (``0.5`` -> 1, ``2`` -> 0)."""
    return max(0, -Decimal(str(step)).normalize().as_tuple().exponent)


def grid(param: dict) -> list[float]:
    """Every value of a parameter: ``min, min + step, ..., max`` (rounded to the step's places)."""
    n = round((param["max"] - param["min"]) / param["step"])
    places = decimals(param["step"])
    return [round(param["min"] + k * param["step"], places) for k in range(n + 1)]


def seed_for(question_id: str, *, learner: str = "", attempt: int | None = None) -> int:
    """A stable 64-bit seed from the learner's name, the question id and (optionally) the attempt."""
    key = "\x1f".join([str(learner), question_id, "" if attempt is None else str(int(attempt))])
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def draw(parameters: Mapping[str, dict], seed: int) -> dict[str, float]:
    """One value per parameter, each drawn uniformly from its grid with ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    return {name: (values := grid(p))[int(rng.integers(len(values)))]
            for name, p in sorted(parameters.items())}


def _fmt(value: float, places: str | None, kind: str | None) -> str:
    if places is None:
        return f"{value:.4g}"
    return f"{value:.{places}{kind}}"


def fill(text: str, values: Mapping[str, float]) -> str:
    """``text`` with every ``{name}`` / ``{name:.Nf}`` placeholder replaced by its value."""
    def one(m):
        if m.group(1) not in values:
            raise QuizError(f"placeholder {{{m.group(1)}}} has no value; known: {', '.join(values)}")
        return _fmt(values[m.group(1)], m.group(2), m.group(3))
    return PLACEHOLDER.sub(one, text)


def placeholders(text: str) -> set[str]:
    """Names used as placeholders in ``text``."""
    return {m.group(1) for m in PLACEHOLDER.finditer(text)}


def concrete_compute(compute: dict, values: Mapping[str, float]) -> dict:
    """The computation with each ``{param: name}`` argument replaced by its value."""
    return {"function": compute["function"],
            "args": {k: values[v["param"]] if isinstance(v, dict) else v
                     for k, v in compute["args"].items()}}


def defaults(spec: dict) -> dict[str, float]:
    """The default value of every parameter (the variant stored in the bank)."""
    return {name: p["default"] for name, p in spec["parameters"].items()}


def _text(template: dict, values: Mapping[str, float]) -> dict:
    return {lang: fill(t, values) for lang, t in template.items()}


def at_values(q: Question, values: Mapping[str, float], answer: float | None = None) -> Question:
    """``q`` rendered with the given parameter values (answer computed unless given)."""
    spec = q.variant
    compute = concrete_compute(spec["compute"], values)
    if answer is None:
        answer = run_compute(compute)
    shown = {**values, "answer": answer}
    return replace(q, stem=_text(spec["stem"], values), explanation=_text(spec["explanation"], shown),
                   answer=answer, compute=compute, values=tuple(sorted(values.items())))


def render(q: Question, seed: int) -> Question:
    """The concrete variant of ``q`` for ``seed`` (a question without variants comes back as is)."""
    if q.variant is None:
        return q
    return at_values(q, draw(q.variant["parameters"], seed))


def for_session(questions: Sequence[Question], *, mode: str, learner: str = "",
                attempts: Mapping[str, int] | None = None) -> tuple[Question, ...]:
    """Concrete questions for a sitting.

    Exam mode: the variant fixed per learner (seeded from ``learner`` + question id). Practice:
    ``per_attempt`` questions drawn anew for attempt ``attempts[id]`` (default 1),
    ``per_learner`` ones as in the exam.
    """
    if mode not in ("practice", "exam"):
        raise QuizError(f"mode must be 'practice' or 'exam'; got {mode!r}")
    attempts = attempts or {}
    out = []
    for q in questions:
        if q.variant is None:
            out.append(q)
            continue
        per_attempt = mode == "practice" and q.variant["seed"] == "per_attempt"
        attempt = attempts.get(q.id, 1) if per_attempt else None
        out.append(render(q, seed_for(q.id, learner=learner, attempt=attempt)))
    return tuple(out)


def for_export(questions: Iterable[Question], seed: int) -> tuple[Question, ...]:
    """One rendered variant per question for an LMS file; the same ``seed`` gives the same file."""
    return tuple(render(q, seed_for(q.id, learner=f"export:{int(seed)}")) for q in questions)


def attempts_from(answers: Iterable[dict]) -> dict[str, int]:
    """The next attempt number of each question: earlier answers in a progress file, plus one."""
    counts: dict[str, int] = {}
    for a in answers:
        counts[a["question_id"]] = counts.get(a["question_id"], 0) + 1
    return {k: v + 1 for k, v in counts.items()}


def examples(q: Question, *, learner: str = "", attempts: Iterable[int] = (1, 2),
             lang: str | None = None) -> pd.DataFrame:
    """``q`` as drawn for practice ``attempts``: rows ``attempt, stem, answer, unit`` (for notebooks)."""
    rows = []
    for n in attempts:
        r = render(q, seed_for(q.id, learner=learner, attempt=n))
        rows.append({"attempt": n, "stem": i18n.text(r.stem, lang), "answer": round(r.answer, 3),
                     "unit": i18n.text(r.unit, lang) if r.unit else ""})
    return pd.DataFrame(rows, columns=["attempt", "stem", "answer", "unit"])


def corners(parameters: Mapping[str, dict]) -> list[dict[str, float]]:
    """Every combination of the parameters' minima and maxima (``2^k`` value sets)."""
    names = sorted(parameters)
    ends = [(parameters[n]["min"], parameters[n]["max"]) for n in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*ends)]
