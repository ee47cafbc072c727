"""PK/TDM task nodes: the correct answer is computed by a named library function.

A task's ``compute`` names ``"mtorlib.module:function"`` and keyword ``args``; an argument may be
another ``compute`` (e.g. a dose from a BSA that is itself computed). Only public functions of
the pure engines may be named (those registered with :func:`mtorlib.content.register_compute`).

>>> spec = {"function": "mtorlib.tdm:proportional_dose",
...         "args": {"current_dose_mg": 2, "measured_ng_ml": 3, "target_ng_ml": 6}}
>>> expected_value(spec)
4.0
"""

from __future__ import annotations

import math

from .. import pk, regimen, tdm  # noqa: F401  (they register the functions a task may name)
from ..content import compute
from .model import CaseError


def expected_value(spec: dict) -> float:
    """Run a ``compute`` spec (see :mod:`mtorlib.content.compute`); :class:`CaseError` if it fails."""
    try:
        return compute.run(spec)
    except compute.ComputeError as exc:
        raise CaseError(f"compute: {exc}") from None


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
