"""Dosing regimens as event tables.

An event table is a tidy DataFrame with columns ``time_h`` (hours from the start, sorted) and
``amt_mg`` (oral dose, mg). Every function returns a new table and never modifies its input.

* :func:`repeated` — ``n_doses`` doses every ``every_h`` hours, optional loading dose first
* :func:`change_dose` — doses at or after ``at_h`` get a new amount
* :func:`miss_doses` — drop doses by position; :func:`delay_dose` — give one dose late
* :func:`add_dose` — one extra dose at a time
* :func:`bsa_m2`, :func:`dose_from_bsa` — body surface area (Mosteller) and mg/m² dosing
* :func:`check_events` — validate a table built elsewhere (used by the PK engine)

Bad values raise :class:`RegimenError` (a ``ValueError``) naming the field, the value and what is
allowed.

>>> ev = repeated(dose_mg=2, every_h=24, n_doses=3, loading_mg=6)
>>> ev.amt_mg.tolist(), ev.time_h.tolist()
([6.0, 2.0, 2.0], [0.0, 24.0, 48.0])
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .content import register_compute

COLUMNS = ("time_h", "amt_mg")


class RegimenError(ValueError):
    """A dosing input is missing, not finite, out of range or of the wrong shape."""


def _number(value, field: str, where: str, *, positive: bool = False) -> float:
    """``value`` as a finite float >= 0 (> 0 if ``positive``), else :class:`RegimenError`."""
    allowed = "a finite number > 0" if positive else "a finite number >= 0"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise RegimenError(f"{field} must be {allowed}; got {value!r} ({where})")
    x = float(value)
    if not math.isfinite(x) or x < 0 or (positive and x == 0):
        raise RegimenError(f"{field} must be {allowed}; got {value!r} ({where})")
    return x


def _count(value, field: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise RegimenError(f"{field} must be an integer >= 1; got {value!r} ({where})")
    return int(value)


def _table(time_h, amt_mg) -> pd.DataFrame:
    df = pd.DataFrame({"time_h": np.asarray(time_h, float), "amt_mg": np.asarray(amt_mg, float)})
    return df.sort_values("time_h", kind="stable").reset_index(drop=True)


def event_arrays(events, where: str = "events") -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(time_h, amt_mg)`` arrays sorted by time (fast path for the PK engine)."""
    if not isinstance(events, pd.DataFrame):
        raise RegimenError(f"events must be a DataFrame with columns time_h, amt_mg; "
                           f"got {type(events).__name__} ({where})")
    missing = [c for c in COLUMNS if c not in events.columns]
    if missing:
        raise RegimenError(f"events lacks column(s) {missing}; required: time_h, amt_mg ({where})")
    if len(events) == 0:
        raise RegimenError(f"events must hold at least one dose; got an empty table ({where})")
    arrays = []
    for col in COLUMNS:
        values = pd.to_numeric(events[col], errors="coerce").to_numpy(float)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(bad.argmax())
            raise RegimenError(f"events.{col} must be finite and >= 0; got {float(values[i])!r} "
                               f"in row {i} ({where})")
        arrays.append(values)
    order = np.argsort(arrays[0], kind="stable")
    return arrays[0][order], arrays[1][order]


def check_events(events, where: str = "events") -> pd.DataFrame:
    """Validate an event table and return a clean sorted copy.

    Parameters
    ----------
    events : DataFrame
        Columns ``time_h`` (h, finite, >= 0) and ``amt_mg`` (mg, finite, >= 0); at least one row.
    where : str
        Name of the calling function, used in error messages.
    """
    return _table(*event_arrays(events, where))


def repeated(*, dose_mg, every_h, n_doses, loading_mg=None, start_h=0) -> pd.DataFrame:
    """Regular dosing, optionally starting with a loading dose.

    Parameters
    ----------
    dose_mg : float
        Maintenance dose (mg, > 0).
    every_h : float
        Dosing interval (h, > 0).
    n_doses : int
        Number of doses in total, the loading dose included (>= 1).
    loading_mg : float, optional
        Amount of the first dose (mg, > 0) instead of ``dose_mg``.
    start_h : float
        Time of the first dose (h, >= 0).

    Returns
    -------
    DataFrame
        ``time_h``, ``amt_mg``.

    Examples
    --------
    >>> repeated(dose_mg=2, every_h=12, n_doses=2, start_h=8).time_h.tolist()
    [8.0, 20.0]
    """
    where = "regimen.repeated"
    dose = _number(dose_mg, "dose_mg", where, positive=True)
    tau = _number(every_h, "every_h", where, positive=True)
    n = _count(n_doses, "n_doses", where)
    start = _number(start_h, "start_h", where)
    amounts = np.full(n, dose)
    if loading_mg is not None:
        amounts[0] = _number(loading_mg, "loading_mg", where, positive=True)
    return _table(start + tau * np.arange(n), amounts)


def change_dose(events, *, at_h, new_dose_mg) -> pd.DataFrame:
    """Give ``new_dose_mg`` for every dose at or after ``at_h`` (h); earlier doses unchanged.

    >>> ev = change_dose(repeated(dose_mg=2, every_h=24, n_doses=3), at_h=24, new_dose_mg=3)
    >>> ev.amt_mg.tolist()
    [2.0, 3.0, 3.0]
    """
    where = "regimen.change_dose"
    ev = check_events(events, where)
    at = _number(at_h, "at_h", where)
    new = _number(new_dose_mg, "new_dose_mg", where, positive=True)
    ev.loc[ev.time_h >= at, "amt_mg"] = new
    return ev


def _indices(indices, n: int, field: str, where: str) -> list[int]:
    out = []
    for i in indices if isinstance(indices, Iterable) else [indices]:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < n:
            raise RegimenError(f"{field} must hold dose positions 0..{n - 1}; got {i!r} ({where})")
        out.append(int(i))
    return out


def miss_doses(events, *, indices) -> pd.DataFrame:
    """Drop the doses at the given 0-based positions (in time order), e.g. forgotten doses.

    >>> miss_doses(repeated(dose_mg=2, every_h=24, n_doses=3), indices=[1]).time_h.tolist()
    [0.0, 48.0]
    """
    where = "regimen.miss_doses"
    ev = check_events(events, where)
    drop = _indices(indices, len(ev), "indices", where)
    if len(set(drop)) >= len(ev):
        raise RegimenError(f"indices would remove every dose; at least one must remain ({where})")
    return ev.drop(index=drop).reset_index(drop=True)


def delay_dose(events, *, index, by_h) -> pd.DataFrame:
    """Give the dose at 0-based position ``index`` ``by_h`` hours late (h, >= 0).

    >>> delay_dose(repeated(dose_mg=2, every_h=24, n_doses=2), index=1, by_h=6).time_h.tolist()
    [0.0, 30.0]
    """
    where = "regimen.delay_dose"
    ev = check_events(events, where)
    (i,) = _indices([index], len(ev), "index", where)
    ev.loc[i, "time_h"] += _number(by_h, "by_h", where)
    return _table(ev.time_h, ev.amt_mg)


def add_dose(events, *, time_h, amt_mg) -> pd.DataFrame:
    """Add one dose of ``amt_mg`` (mg, > 0) at ``time_h`` (h, >= 0), e.g. an extra or re-load dose.

    >>> add_dose(repeated(dose_mg=2, every_h=24, n_doses=1), time_h=12, amt_mg=1).amt_mg.tolist()
    [2.0, 1.0]
    """
    where = "regimen.add_dose"
    ev = check_events(events, where)
    t = _number(time_h, "time_h", where)
    a = _number(amt_mg, "amt_mg", where, positive=True)
    return _table(np.append(ev.time_h, t), np.append(ev.amt_mg, a))


def bsa_m2(*, height_cm, weight_kg) -> float:
    """Body surface area (m²) by the Mosteller formula, sqrt(height_cm × weight_kg / 3600).

    Source: Mosteller RD. Simplified calculation of body-surface area. N Engl J Med
    1987;317:1098. doi:10.1056/NEJM198710223171717.

    >>> round(bsa_m2(height_cm=180, weight_kg=80), 3)
    2.0
    """
    where = "regimen.bsa_m2"
    h = _number(height_cm, "height_cm", where, positive=True)
    w = _number(weight_kg, "weight_kg", where, positive=True)
    return math.sqrt(h * w / 3600.0)


def dose_from_bsa(*, mg_per_m2, bsa_m2) -> float:
    """Dose (mg) for a per-area dose (mg/m², > 0) and a body surface area (m², > 0).

    >>> dose_from_bsa(mg_per_m2=1.5, bsa_m2=1.0)
    1.5
    """
    where = "regimen.dose_from_bsa"
    return (_number(mg_per_m2, "mg_per_m2", where, positive=True)
            * _number(bsa_m2, "bsa_m2", where, positive=True))


register_compute(sys.modules[__name__])  # content may name these functions in ``compute``
