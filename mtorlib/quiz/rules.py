"""Semantic rules for quiz banks (registered for kind ``quiz_bank`` in ``content.documents.RULES``).

:func:`check_bank` yields ``(field_path, message)`` for: question ids repeated within a bank or
across banks; single-choice questions without exactly one correct option; multiple-choice without
a correct option; option letters repeated; choice questions carrying numeric fields and numeric
questions carrying options or lacking ``answer``/``tolerance``/``unit``; and numeric answers whose
named library computation (``compute``) disagrees with the stored answer beyond the tolerance.
:func:`run_compute` is the same computation, for tests and the quiz view.
"""

from __future__ import annotations

import importlib
import math

from .questions import within_tolerance

_SEEN_KEY = "quiz_question_ids"
# Only the pure numeric engines may be named: running a computation must never touch files.
COMPUTE_MODULES = ("mtorlib.pk", "mtorlib.regimen", "mtorlib.tdm")
_NUMERIC_ONLY = ("answer", "tolerance", "unit", "compute")


class ComputeError(ValueError):
    """A ``compute`` entry that cannot be imported or run."""


def _resolve(value, name: str):
    if name == "model" and isinstance(value, str):
        from .. import pk  # imported lazily: the PK engine is only needed by computed questions

        return pk.load_model(value)
    return value


def run_compute(compute: dict) -> float:
    """Run ``{function: "module:func", args: {...}}`` and return its number.

    A ``model`` argument given as a string is loaded with ``mtorlib.pk.load_model``. Only
    public functions of :data:`COMPUTE_MODULES` may be named. :class:`ComputeError` says what
    failed.
    """
    spec = compute["function"]
    module_name, _, func_name = spec.partition(":")
    top = ".".join(module_name.split(".")[:2])
    if top not in COMPUTE_MODULES or not func_name or func_name.startswith("_"):
        raise ComputeError(f"function must be a public function of {', '.join(COMPUTE_MODULES)} "
                           f"('module:function'); got {spec!r}")
    try:
        func = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise ComputeError(f"cannot import {spec}: {exc}") from None
    try:
        kwargs = {k: _resolve(v, k) for k, v in compute["args"].items()}
        value = func(**kwargs)
    except Exception as exc:  # the validator reports any failure of the named computation
        raise ComputeError(
            f"{spec}(**{compute['args']}) failed: {type(exc).__name__}: {exc}") from None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ComputeError(f"{spec} returned {value!r}, not a number") from None
    if not math.isfinite(value):
        raise ComputeError(f"{spec} returned {value!r}, not a finite number")
    return value


def _check_choice(q: dict, path: tuple):
    options = q.get("options")
    if not options:
        yield (*path, "options"), f"a {q['type']} question needs 'options' (at least 2)"
        return
    letters = [o["id"] for o in options]
    for i, letter in enumerate(letters):
        if letters.index(letter) != i:
            yield (*path, "options", i, "id"), f"option id '{letter}' appears twice"
    n_correct = sum(o["correct"] for o in options)
    if q["type"] == "single" and n_correct != 1:
        yield (*path, "options"), (
            f"a single-choice question needs exactly 1 correct option; got {n_correct}")
    if q["type"] == "multiple" and n_correct < 1:
        yield (*path, "options"), "a multiple-choice question needs >= 1 correct option; got 0"
    for key in _NUMERIC_ONLY:
        if key in q:
            yield (*path, key), f"'{key}' is for numeric questions only; this one is {q['type']}"


def _check_numeric(q: dict, path: tuple):
    if "options" in q:
        yield (*path, "options"), "a numeric question takes 'answer' and 'tolerance', not 'options'"
    for key in ("answer", "tolerance", "unit"):
        if key not in q:
            yield (*path, key), f"a numeric question needs '{key}'"
    if "compute" in q and "answer" in q and "tolerance" in q:
        try:
            value = run_compute(q["compute"])
        except ComputeError as exc:
            yield (*path, "compute"), str(exc)
            return
        tol = q["tolerance"]
        if not within_tolerance(q["answer"], value, kind=tol["type"], tolerance=tol["value"]):
            yield (*path, "answer"), (
                f"stored answer {q['answer']} differs from "
                f"{q['compute']['function']} = {value:.6g} "
                f"by more than the {tol['type']} tolerance {tol['value']}")


def check_bank(doc, ctx):
    """Every rule above, for one schema-valid quiz bank; ids are tracked across banks in ``ctx``."""
    seen = ctx.extra.setdefault(_SEEN_KEY, {})
    local: dict[str, int] = {}
    for i, q in enumerate(doc.data["questions"]):
        path = ("questions", i)
        qid = q["id"]
        if qid in local:
            yield (*path, "id"), f"question id '{qid}' is also used by questions[{local[qid]}]"
        elif qid in seen and seen[qid] != doc.name:
            yield (*path, "id"), f"question id '{qid}' is also used in {seen[qid]}"
        local.setdefault(qid, i)
        seen.setdefault(qid, doc.name)
        if q["type"] == "numeric":
            yield from _check_numeric(q, path)
        else:
            yield from _check_choice(q, path)
