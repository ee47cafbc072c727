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
allowed. Every number is checked by :mod:`mtorlib.checks` against the bounds below (the library's
input policy, ``docs/DEVELOPING.md``): each names its source or its reason.

>>> ev = repeated(dose_mg=2, every_h=24, n_doses=3, loading_mg=6)
>>> ev.amt_mg.tolist(), ev.time_h.tolist()
([6.0, 2.0, 2.0], [0.0, 24.0, 48.0])
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from itertools import islice

import numpy as np
import pandas as pd

from . import checks
from .content import register_compute

COLUMNS = ("time_h", "amt_mg")

#: Largest single dose (mg): the sirolimus label's maximum on any day, loading dose included
#: (Rapamune US PI §2, rapamune_uspi_s2; sirolimus tablets US PI §2). Everolimus labels stay below.
MAX_DOSE_MG = 40.0
#: Shortest dosing interval (h): labels dose once or twice daily; an hour is a generous floor that
#: refuses intervals such as 1e-9 h (which would pile thousands of doses into one hour).
MIN_INTERVAL_H = 1.0
#: Longest dosing interval (h): four weeks; a longer gap is a new course, not a regimen.
MAX_INTERVAL_H = 24.0 * 28
#: Latest time of a dose or an output (h): two years, the longest horizon a teaching simulation
#: needs; keeps an hourly grid under 17,600 points.
MAX_TIME_H = 24.0 * 365 * 2
#: Most doses in one table: hourly for two years; bounds the engine's dose loop.
MAX_N_DOSES = 17_520
#: Physically possible body size (not plausibility): the shortest and tallest, lightest and
#: heaviest people recorded (about 25-272 cm, 0.26-635 kg), rounded outwards.
HEIGHT_CM = (20.0, 280.0)
WEIGHT_KG = (0.25, 650.0)
#: Largest body-surface-area dose (mg/m²): no label or consensus dose comes near it; with the
#: largest possible BSA (about 7 m²) it keeps every computed dose finite.
MAX_MG_PER_M2 = 40.0
#: Largest body surface area (m²): Mosteller at the largest height and weight above.
MAX_BSA_M2 = 8.0


class RegimenError(ValueError):
    """A dosing input is missing, not finite, out of range or of the wrong shape."""


def _number(value, field: str, where: str, *, positive: bool = False, hi: float = MAX_TIME_H) -> float:
    """``value`` as a finite float in [0, hi] ((0, hi] if ``positive``), else :class:`RegimenError`."""
    return checks.number(value, field, where, lo=0, lo_open=positive, hi=hi, error=RegimenError)


def _dose(value, field: str, where: str) -> float:
    return _number(value, field, where, positive=True, hi=MAX_DOSE_MG)


def _count(value, field: str, where: str) -> int:
    return checks.integer(value, field, where, lo=1, hi=MAX_N_DOSES, error=RegimenError)


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
    if len(events) > MAX_N_DOSES:
        raise RegimenError(f"events must hold at most {MAX_N_DOSES} doses; got {len(events)} ({where})")
    arrays = []
    for col, hi in (("time_h", MAX_TIME_H), ("amt_mg", MAX_DOSE_MG)):
        values = pd.to_numeric(events[col], errors="coerce").to_numpy(float)
        bad = ~np.isfinite(values) | (values < 0) | (values > hi)
        if bad.any():
            i = int(bad.argmax())
            raise RegimenError(f"events.{col} must be finite, >= 0 and <= {hi:g}; got "
                               f"{float(values[i])!r} in row {i} ({where})")
        arrays.append(values)
    order = np.argsort(arrays[0], kind="stable")
    return arrays[0][order], arrays[1][order]


def check_events(events, where: str = "events") -> pd.DataFrame:
    """Validate an event table and return a clean sorted copy.

    Parameters
    ----------
    events : DataFrame
        Columns ``time_h`` (h, 0 to :data:`MAX_TIME_H`) and ``amt_mg`` (mg, 0 to
        :data:`MAX_DOSE_MG`); 1 to :data:`MAX_N_DOSES` rows.
    where : str
        Name of the calling function, used in error messages.
    """
    return _table(*event_arrays(events, where))


def repeated(*, dose_mg, every_h, n_doses, loading_mg=None, start_h=0) -> pd.DataFrame:
    """Regular dosing, optionally starting with a loading dose.

    Parameters
    ----------
    dose_mg : float
        Maintenance dose (mg, > 0, at most :data:`MAX_DOSE_MG`).
    every_h : float
        Dosing interval (h, :data:`MIN_INTERVAL_H` to :data:`MAX_INTERVAL_H`).
    n_doses : int
        Number of doses in total, the loading dose included (1 to :data:`MAX_N_DOSES`).
    loading_mg : float, optional
        Amount of the first dose (mg, > 0, at most :data:`MAX_DOSE_MG`) instead of ``dose_mg``.
    start_h : float
        Time of the first dose (h, >= 0); the last dose must fall by :data:`MAX_TIME_H`.

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
    dose = _dose(dose_mg, "dose_mg", where)
    tau = checks.number(every_h, "every_h", where, lo=MIN_INTERVAL_H, hi=MAX_INTERVAL_H, error=RegimenError)
    n = _count(n_doses, "n_doses", where)
    start = _number(start_h, "start_h", where)
    if start + tau * (n - 1) > MAX_TIME_H:
        raise RegimenError(f"start_h + every_h × (n_doses − 1) must be <= {MAX_TIME_H:g} h (two years); "
                           f"got {start + tau * (n - 1):g} ({where})")
    amounts = np.full(n, dose)
    if loading_mg is not None:
        amounts[0] = _dose(loading_mg, "loading_mg", where)
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
    new = _dose(new_dose_mg, "new_dose_mg", where)
    ev.loc[ev.time_h >= at, "amt_mg"] = new
    return ev


def _indices(indices, n: int, field: str, where: str) -> list[int]:
    many = isinstance(indices, Iterable) and not isinstance(indices, str)
    items = list(islice(indices, n + 1)) if many else [indices]
    if len(items) > n:
        raise RegimenError(f"{field} must hold at most {n} dose positions; got {len(items)} ({where})")
    return [checks.integer(i, f"{field} (dose positions)", where, lo=0, hi=n - 1, error=RegimenError)
            for i in items]


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
    return check_events(ev, where)


def add_dose(events, *, time_h, amt_mg) -> pd.DataFrame:
    """Add one dose of ``amt_mg`` (mg, > 0) at ``time_h`` (h, >= 0), e.g. an extra or re-load dose.

    >>> add_dose(repeated(dose_mg=2, every_h=24, n_doses=1), time_h=12, amt_mg=1).amt_mg.tolist()
    [2.0, 1.0]
    """
    where = "regimen.add_dose"
    ev = check_events(events, where)
    t = _number(time_h, "time_h", where)
    a = _dose(amt_mg, "amt_mg", where)
    return check_events(_table(np.append(ev.time_h, t), np.append(ev.amt_mg, a)), where)


def bsa_m2(*, height_cm, weight_kg) -> float:
    """Body surface area (m²) by the Mosteller formula, sqrt(height_cm × weight_kg / 3600).

    ``height_cm`` within :data:`HEIGHT_CM`, ``weight_kg`` within :data:`WEIGHT_KG`.

    Source: Mosteller RD. Simplified calculation of body-surface area. N Engl J Med
    1987;317:1098. doi:10.1056/NEJM198710223171717.

    >>> round(bsa_m2(height_cm=180, weight_kg=80), 3)
    2.0
    """
    where = "regimen.bsa_m2"
    h = checks.number(height_cm, "height_cm", where, lo=HEIGHT_CM[0], hi=HEIGHT_CM[1], error=RegimenError)
    w = checks.number(weight_kg, "weight_kg", where, lo=WEIGHT_KG[0], hi=WEIGHT_KG[1], error=RegimenError)
    return math.sqrt(h * w / 3600.0)


def dose_from_bsa(*, mg_per_m2, bsa_m2) -> float:
    """Dose (mg) for a per-area dose (mg/m², > 0, at most :data:`MAX_MG_PER_M2`) and a body
    surface area (m², > 0, at most :data:`MAX_BSA_M2`).

    >>> dose_from_bsa(mg_per_m2=1.5, bsa_m2=1.0)
    1.5
    """
    where = "regimen.dose_from_bsa"
    return (_number(mg_per_m2, "mg_per_m2", where, positive=True, hi=MAX_MG_PER_M2)
            * _number(bsa_m2, "bsa_m2", where, positive=True, hi=MAX_BSA_M2))


register_compute(sys.modules[__name__])  # content may name these functions in ``compute``
