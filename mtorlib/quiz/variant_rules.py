"""The validator's rule for question variants (called from :mod:`mtorlib.quiz.rules`).

:func:`check_variant` yields ``(field_path, message)`` when a variant question

* lacks ``compute`` (a variant's answer is always computed), or names a parameter it does not declare;
* has a range that is empty, not a whole number of steps, too fine (more than 1000 values), or
  whose default is off the grid;
* has a range outside the sourced limits of its ``limit`` quantity (``mtorlib/data/input_limits.yaml``:
  both ends must be accepted without a warning);
* declares a parameter that the stem (English and Chinese) or the computation does not use, or
  uses a placeholder that is not a parameter (the explanation may also use ``{answer}``);
* cannot be computed at a corner of the ranges, or gives an answer there that a learner could not
  type without a plausibility warning, or whose tolerance is not sensible there (an absolute
  tolerance above 10 % of the answer, or below 0.1 % of it; a relative one outside the same bounds,
  0.001 to 0.1 as a fraction of the answer).
"""

from __future__ import annotations

from .. import plausibility
from ..content.compute import ComputeError
from ..content.compute import run as run_compute
from .variants import MAX_TOLERANCE_SHARE, MAX_VALUES, concrete_compute, corners, grid, placeholders


def _range(p: dict, ppath: tuple):
    if not p["min"] < p["max"]:
        yield (*ppath, "max"), f"max {p['max']} must be above min {p['min']}"
        return
    n = (p["max"] - p["min"]) / p["step"]
    if abs(n - round(n)) > 1e-9:
        yield (*ppath, "step"), (f"(max - min) / step must be a whole number; "
                                 f"({p['max']} - {p['min']}) / {p['step']} = {n:g}")
        return
    if round(n) + 1 > MAX_VALUES:
        yield (*ppath, "step"), f"the range has {round(n) + 1} values; at most {MAX_VALUES} allowed"
        return
    if not any(abs(v - p["default"]) < 1e-9 for v in grid(p)):
        yield (*ppath, "default"), (f"default {p['default']} must be one of the range's values "
                                    f"({p['min']} to {p['max']} in steps of {p['step']})")


def _limits(p: dict, ppath: tuple):
    quantity = p.get("limit")
    if quantity is None:
        return
    if quantity not in plausibility.quantities():
        yield (*ppath, "limit"), (f"unknown quantity {quantity!r}; valid: "
                                  f"{', '.join(plausibility.quantities())}")
        return
    for end in ("min", "max"):
        result = plausibility.check(quantity, p[end], "en")
        if result.status != "ok":
            yield (*ppath, end), f"{end} {p[end]} is {result.status} as a {quantity}: {result.text}"


def _uses(q: dict, path: tuple, params: dict):
    stem, expl = q["stem"], q["explanation"]
    args = q["compute"]["args"]
    named = {v["param"] for v in args.values() if isinstance(v, dict)}
    for name in params:
        ppath = (*path, "variant", "parameters", name)
        for lang, text in stem.items():
            if name not in placeholders(text):
                yield ppath, f"parameter '{name}' is not used in the {lang} stem (write {{{name}}})"
        if name not in named:
            yield ppath, f"parameter '{name}' is not used by compute.args (write {{param: {name}}})"
    for field, text_by_lang, extra in (("stem", stem, set()), ("explanation", expl, {"answer"})):
        for lang, text in text_by_lang.items():
            for name in sorted(placeholders(text) - set(params) - extra):
                yield (*path, field, lang), f"placeholder {{{name}}} is not a declared parameter"
    for key, v in args.items():
        if isinstance(v, dict) and v["param"] not in params:
            yield (*path, "compute", "args", key), f"'{v['param']}' is not a declared parameter"


def _tolerance(q: dict, value: float, values: dict, path: tuple):
    tol = q["tolerance"]
    if tol["type"] == "relative":  # a fraction of the answer: the same bounds, whatever the corner
        if tol["value"] > MAX_TOLERANCE_SHARE:
            yield (*path, "tolerance", "value"), (
                f"relative tolerance {tol['value']:g} ({100 * tol['value']:g} % of the answer) is more "
                f"than {100 * MAX_TOLERANCE_SHARE:g} %: a rough guess would pass; allowed 0.001 to "
                f"{MAX_TOLERANCE_SHARE:g}")
        elif tol["value"] < 0.001:
            yield (*path, "tolerance", "value"), (
                f"relative tolerance {tol['value']:g} is below 0.1 % of the answer: a correctly "
                f"rounded answer would be marked wrong; allowed 0.001 to {MAX_TOLERANCE_SHARE:g}")
        return
    if value == 0 or tol["value"] > MAX_TOLERANCE_SHARE * abs(value):
        yield (*path, "tolerance", "value"), (
            f"absolute tolerance {tol['value']} is more than {100 * MAX_TOLERANCE_SHARE:g} % of the "
            f"answer {value:.4g} at the range corner {values}: narrow it or use a relative tolerance")
    elif tol["value"] < 0.001 * abs(value):
        yield (*path, "tolerance", "value"), (
            f"absolute tolerance {tol['value']} is below 0.1 % of the answer {value:.4g} at the "
            f"range corner {values}: a correctly rounded answer would be marked wrong")


def _corners(q: dict, path: tuple, params: dict):
    quantity = plausibility.quantity_for_unit(q["unit"]["en"])
    for values in corners(params):
        try:
            value = run_compute(concrete_compute(q["compute"], values))
        except ComputeError as exc:
            yield (*path, "variant", "parameters"), f"not computable at the range corner {values}: {exc}"
            return
        problems = list(_tolerance(q, value, values, path))
        if quantity:
            result = plausibility.check(quantity, value, "en")
            if result.status != "ok":
                problems.append(((*path, "variant", "parameters"), (
                    f"the answer {value:.4g} at the range corner {values} is {result.status} "
                    f"as a {quantity}: {result.text}")))
        if problems:
            yield from problems
            return


def check_variant(q: dict, path: tuple):
    """Every check above for one question with ``variant`` (schema-valid)."""
    if q["type"] != "numeric" or "compute" not in q or "unit" not in q or "tolerance" not in q:
        yield (*path, "variant"), "variants are for numeric questions with 'compute', 'unit' and 'tolerance'"
        return
    params = q["variant"]["parameters"]
    problems = []
    for name, p in params.items():
        ppath = (*path, "variant", "parameters", name)
        problems += list(_range(p, ppath)) + list(_limits(p, ppath))
    problems += list(_uses(q, path, params))
    yield from problems
    if not problems:
        yield from _corners(q, path, params)
