"""PK/TDM task nodes: the correct answer is computed by a named library function.

A task's ``compute`` names ``"mtorlib.module:function"`` and keyword ``args``; an argument may be
another ``compute`` (e.g. a dose from a BSA that is itself computed). Only functions inside
``mtorlib`` may be named.

>>> spec = {"function": "mtorlib.tdm:proportional_dose",
...         "args": {"current_dose_mg": 2, "measured_ng_ml": 3, "target_ng_ml": 6}}
>>> expected_value(spec)
4.0
"""

from __future__ import annotations

import importlib
import math

from .model import CaseError


def resolve(name: str):
    """The callable for ``"mtorlib.module:function"``; :class:`CaseError` if it cannot be found."""
    module, _, func = name.partition(":")
    if not module.startswith("mtorlib") or not func:
        raise CaseError(f"compute.function must be 'mtorlib.module:function'; got {name!r}")
    try:
        target = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError) as exc:
        raise CaseError(f"compute.function {name!r} cannot be imported: {exc}") from None
    if not callable(target):
        raise CaseError(f"compute.function {name!r} is not callable")
    return target


def expected_value(spec: dict) -> float:
    """Run a ``compute`` spec (nested computations first) and return a finite float."""
    args = {k: expected_value(v) if isinstance(v, dict) else v for k, v in spec["args"].items()}
    try:
        value = resolve(spec["function"])(**args)
    except CaseError:
        raise
    except (TypeError, ValueError, LookupError) as exc:
        raise CaseError(f"compute {spec['function']} failed with args {args}: {exc}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CaseError(f"compute {spec['function']} must return a finite number; got {value!r}")
    return float(value)


def within(answer: float, expected: float, tolerance: dict) -> bool:
    """Whether ``answer`` is within the task tolerance (``{"abs": x}`` or ``{"rel": f}``)."""
    if "abs" in tolerance:
        return abs(answer - expected) <= tolerance["abs"] + 1e-12
    return abs(answer - expected) <= tolerance["rel"] * abs(expected) + 1e-12


def check_answer(task: dict, answer: float) -> tuple[bool, float]:
    """``(correct, expected)`` for a learner's numeric answer to a task."""
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        raise CaseError(f"answer must be a finite number; got {answer!r}")
    expected = expected_value(task["compute"])
    return within(float(answer), expected, task["tolerance"]), expected
