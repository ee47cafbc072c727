"""Semantic rules for quiz banks (registered for kind ``quiz_bank`` with :mod:`mtorlib.content.registry`).

:func:`check_bank` yields ``(field_path, message)`` for: question ids repeated within a bank or
across banks (a content pack's also differ from the installed banks'); single-choice questions
without exactly one correct option; multiple-choice without a correct option; option letters
repeated; choice questions carrying numeric fields and numeric
questions carrying options or lacking ``answer``/``tolerance``/``unit``; numeric answers whose
named library computation (``compute``, at the variant's default values) disagrees with the stored
answer beyond the tolerance; the rules of :mod:`mtorlib.quiz.variant_rules` for variant questions;
an Oxford 2009 "minus" level with a grade other than D, and a reference cited inline in English but
not in Chinese (the shared helpers of :mod:`mtorlib.cases.rules`).
"""

from __future__ import annotations

from .. import pk, regimen, tdm  # noqa: F401  (they register the functions a question may name)
from ..cases.rules import check_inline_refs, check_minus_grade
from ..content import register_rule
from ..content.compute import ComputeError
from ..content.compute import run as run_compute
from .questions import within_tolerance
from .variant_rules import check_variant
from .variants import concrete_compute, defaults

_SEEN_KEY = "quiz_question_ids"
_SEEDED_KEY = "quiz_question_ids_installed"
_NUMERIC_ONLY = ("answer", "tolerance", "unit", "compute", "variant")


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
    if "variant" in q:
        problems = list(check_variant(q, path))
        yield from problems
        if problems:
            return
    elif "compute" in q and any(isinstance(v, dict) for v in q["compute"]["args"].values()):
        yield (*path, "compute", "args"), "{param: ...} arguments need a 'variant' with parameters"
        return
    if "compute" in q and "answer" in q and "tolerance" in q:
        spec = concrete_compute(q["compute"], defaults(q["variant"])) if "variant" in q else q["compute"]
        try:
            value = run_compute(spec)
        except ComputeError as exc:
            yield (*path, "compute"), str(exc)
            return
        tol = q["tolerance"]
        if not within_tolerance(q["answer"], value, kind=tol["type"], tolerance=tol["value"]):
            yield (*path, "answer"), (
                f"stored answer {q['answer']} differs from "
                f"{q['compute']['function']} = {value:.6g} "
                f"by more than the {tol['type']} tolerance {tol['value']}")


@register_rule("quiz_bank")
def check_bank(doc, ctx):
    """Every rule above, for one schema-valid quiz bank; ids are tracked across banks in ``ctx``."""
    seen = ctx.extra.setdefault(_SEEN_KEY, {})
    if ctx.base and not ctx.extra.get(_SEEDED_KEY):  # a pack: the installed banks' ids are taken
        ctx.extra[_SEEDED_KEY] = True
        for other in ctx.base:
            if other.kind == "quiz_bank":
                for q in other.data["questions"]:
                    seen.setdefault(q["id"], other.name)
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
        ev = q.get("evidence")
        if ev is not None and (ev.get("minus") or str(ev["level"]).endswith(("-", "\u2212"))):
            yield from check_minus_grade(ev, (*path, "evidence"))
        yield from check_inline_refs(q, path)
        if q["type"] == "numeric":
            yield from _check_numeric(q, path)
        else:
            yield from _check_choice(q, path)
