"""Computed answers: ``{function: "mtorlib.module:function", args: {...}}`` run by the library.

Case dose tasks and numeric quiz questions never store a typed-in answer alone: they name the
library computation, and the validator runs it. An argument may itself be a computation (a dose
from a BSA that is computed too). Only public functions of the pure engines that registered
themselves (``mtorlib.pk``, ``mtorlib.regimen``, ``mtorlib.tdm``; see
:func:`mtorlib.content.registry.register_compute`) may be named, so validating content can never
write a file.

>>> import mtorlib.tdm  # registers its functions
>>> run({"function": "mtorlib.tdm:proportional_dose",
...      "args": {"current_dose_mg": 2, "measured_ng_ml": 3, "target_ng_ml": 6}})
4.0
"""

from __future__ import annotations

import math

from .. import checks
from .registry import compute_modules

MAX_ARG = 1e6  # largest magnitude of a number argument
MAX_COUNT = 1000  # largest count argument (``n_doses``, ``n_*``): bounds the work of a computation
MAX_NESTING = 4


class ComputeError(ValueError):
    """A computation that names a forbidden or unknown function, or that fails."""


def resolve(name: str):
    """The callable for ``"mtorlib.module:function"``, from a registered compute module only."""
    module_name, _, func_name = str(name).partition(":")
    modules = compute_modules()
    if module_name not in modules or not func_name or func_name.startswith("_"):
        raise ComputeError(f"function must be a public function of {', '.join(sorted(modules))} "
                           f"('module:function'); got {name!r}")
    target = getattr(modules[module_name], func_name, None)
    if target is None:
        raise ComputeError(f"cannot import {name}: {module_name} has no function {func_name!r}")
    if not callable(target):
        raise ComputeError(f"{name} is not callable")
    return target


def _bounded(name: str, value, where: str):
    """A number argument within ±:data:`MAX_ARG`; a count (``n_*``) at most :data:`MAX_COUNT`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if name.startswith("n_"):
        return checks.integer(value, name, where, lo=0, hi=MAX_COUNT, error=ComputeError)
    checks.number(value, name, where, lo=-MAX_ARG, hi=MAX_ARG, error=ComputeError)
    return value


def run(spec: dict, _depth: int = 0) -> float:
    """Run a computation (nested ones first) and return a finite float; :class:`ComputeError`.

    Arguments are bounded before the call (:func:`_bounded`), nesting to :data:`MAX_NESTING`.
    """
    if _depth > MAX_NESTING:
        raise ComputeError(f"computations may be nested at most {MAX_NESTING} deep")
    func = resolve(spec["function"])
    args = {k: run(v, _depth + 1) if isinstance(v, dict) else _bounded(k, v, spec["function"])
            for k, v in spec["args"].items()}
    try:
        value = func(**args)
    except Exception as exc:  # the validator reports any failure of the named computation
        raise ComputeError(f"{spec['function']}(**{args}) failed: {type(exc).__name__}: {exc}") from None
    try:  # records such as tdm.LoadingPlan convert to their headline number
        number = None if isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not math.isfinite(number):
        raise ComputeError(f"{spec['function']} must return a finite number; got {value!r}")
    return number
