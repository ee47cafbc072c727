"""One number check for the whole library: the input policy of every public function.

Policy (documented in ``docs/DEVELOPING.md``): a number argument must be a real number (Python
``int``/``float`` or a numpy scalar; never ``bool``, never text), finite, and within the bounds
the caller states (physical or sourced limits, and size caps that keep every call within a few
seconds). Anything else raises :class:`InputError` (a ``ValueError``) naming the argument, the
function and what is allowed. Each area raises its own subclass by passing ``error=``.

* :func:`number` -- a finite float within ``[lo, hi]`` (strict bounds with ``lo_open``/``hi_open``)
* :func:`integer` -- an int within ``[lo, hi]``

>>> number(2, "dose_mg", "regimen.repeated", lo=0, lo_open=True)
2.0
>>> number(float("nan"), "dose_mg", "regimen.repeated")
Traceback (most recent call last):
...
mtorlib.checks.InputError: dose_mg must be a finite number; got nan (regimen.repeated)
"""

from __future__ import annotations

import math
import numbers

import numpy as np


class InputError(ValueError):
    """An argument is not a number, not finite, or outside what is allowed."""


def _allowed(lo, hi, lo_open: bool, hi_open: bool) -> str:
    parts = []
    if lo is not None:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}")
    if hi is not None:
        parts.append(f"{'<' if hi_open else '<='} {hi:g}")
    return " and ".join(parts)


def _is_real(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real)


def number(
    value,
    name: str,
    where: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
    error: type[ValueError] = InputError,
) -> float:
    """``value`` as a finite float within the bounds, else ``error`` naming ``name`` and ``where``.

    ``lo``/``hi`` are inclusive unless ``lo_open``/``hi_open``; ``None`` means unbounded.
    """
    bounds = _allowed(lo, hi, lo_open, hi_open)
    allowed = "a finite number" + (f" {bounds}" if bounds else "")
    if not _is_real(value):
        raise error(f"{name} must be {allowed}; got {value!r} ({where})")
    try:
        x = float(value)
    except OverflowError:
        raise error(f"{name} must be {allowed}; got a number too large to use ({where})") from None
    if not math.isfinite(x):
        raise error(f"{name} must be {allowed}; got {x!r} ({where})")
    too_low = lo is not None and (x <= lo if lo_open else x < lo)
    too_high = hi is not None and (x >= hi if hi_open else x > hi)
    if too_low or too_high:
        raise error(f"{name} must be {allowed}; got {x:g} ({where})")
    return x


def integer(
    value,
    name: str,
    where: str,
    *,
    lo: int | None = None,
    hi: int | None = None,
    error: type[ValueError] = InputError,
) -> int:
    """``value`` as an int within ``[lo, hi]`` (numpy integers accepted), else ``error``."""
    bounds = _allowed(lo, hi, False, False)
    allowed = "a whole number" + (f" {bounds}" if bounds else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise error(f"{name} must be {allowed}; got {value!r} ({where})")
    n = int(value)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        shown = f"{n}" if abs(n) < 10**12 else "a number too large to use"
        raise error(f"{name} must be {allowed}; got {shown} ({where})")
    return n
