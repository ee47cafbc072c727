"""Label rules for sirolimus dose adjustment, timing of troughs and rounding to real strengths.

* :func:`proportional_dose` — new = current × target / measured (Rapamune US PI §2) [mg/day].
* :func:`loading_dose` — 3 × (new − current) maintenance, at most 40 mg on any day, else split
  over days (sirolimus tablets US PI §2); returns a :class:`LoadingPlan`.
* :func:`trough_timing` — is a trough drawn ``days`` after a change interpretable? (US PI §2).
* :func:`fraction_of_steady_state` — 1 − 2^(−t/t½): how far an early trough is from steady state.
* :func:`round_to_strength` / :func:`tablet_combination` — a separate, explicit rounding step
  (tablets 0.5/1/2 mg, never split; oral solution 1 mg/mL) (US PI §3).

Rules compute; they do not round. Every invalid value raises :class:`TDMError` naming the field.

>>> proportional_dose(current_dose_mg=2, measured_ng_ml=4, target_ng_ml=8)
4.0
>>> plan = loading_dose(new_dose_mg=4, current_dose_mg=2); plan.loading_mg, plan.daily_mg
(6.0, (10.0,))
>>> round_to_strength(2.7)
2.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import checks
from ..pk.limits import MAX_CONC_NG_ML, MIN_CONC_NG_ML
from ..regimen import MAX_INTERVAL_H, MAX_TIME_H, MIN_INTERVAL_H

# Rapamune US PI §2 (rapamune_uspi_s2); generic sirolimus tablets US PI §2 (sirolimus_tabs_uspi_s2).
RELOAD_FACTOR = 3.0
MAX_DAILY_MG = 40.0
LABEL_SPLIT_DAYS = 2
HOLD_DAYS = (7, 14)
TROUGH_AFTER_LOADING_DAYS = (3, 4)
# Rapamune US PI §3 (rapamune_uspi_s3): tablets 0.5, 1 and 2 mg (not to be split); solution 1 mg/mL.
TABLET_STRENGTHS_MG = (0.5, 1.0, 2.0)
SOLUTION_MG_PER_ML = 1.0
# Oral-solution volume resolution: a teaching assumption (syringe reading), not a label value.
SOLUTION_STEP_ML = 0.1
FORMS = ("tablet", "solution")
# Input bounds (the library's input policy, docs/DEVELOPING.md): doses up to the label maximum on
# any day (MAX_DAILY_MG); levels within pk.limits' MIN/MAX_CONC_NG_ML; days within the regimen
# horizon (regimen.MAX_TIME_H, two years); a computed dose to round at most this many mg (a sanity
# cap far above any dose; a proportional dose above the label maximum is still shown, then refused
# by the label rules that apply it).
MAX_DAYS = MAX_TIME_H / 24.0
MAX_COMPUTED_MG = 1e6
MAX_HALF_LIFE_H = 1e4
INTERVAL_H = (MIN_INTERVAL_H, MAX_INTERVAL_H)
CONC_NG_ML = (MIN_CONC_NG_ML, MAX_CONC_NG_ML)


class TDMError(ValueError):
    """Invalid TDM input; the message names the field, the value and what is allowed."""


def check_positive(name: str, value, where: str, *, hi: float, allow_zero: bool = False) -> float:
    """``value`` as a float, finite, > 0 (or ≥ 0) and ≤ ``hi``; :class:`TDMError` otherwise."""
    return checks.number(value, name, where, lo=0, lo_open=not allow_zero, hi=hi, error=TDMError)


def check_conc(name: str, value, where: str) -> float:
    """A concentration (ng/mL) within :data:`CONC_NG_ML`; :class:`TDMError` otherwise."""
    return checks.number(value, name, where, lo=CONC_NG_ML[0], hi=CONC_NG_ML[1], error=TDMError)


def check_interval(value, where: str, name: str = "every_h") -> float:
    """A dosing interval (h) within :data:`INTERVAL_H`; :class:`TDMError` otherwise."""
    return checks.number(value, name, where, lo=INTERVAL_H[0], hi=INTERVAL_H[1], error=TDMError)


def check_window(window, where: str, *, name: str = "target_ng_ml") -> tuple[float, float]:
    """A concentration window ``(lo, hi)`` in ng/mL with 0 < lo < hi; :class:`TDMError` otherwise."""
    if not isinstance(window, (tuple, list)) or len(window) != 2:
        raise TDMError(f"{name} must be a pair (lo, hi) in ng/mL; got {window!r} ({where})")
    lo = check_conc(f"{name}[0]", window[0], where)
    hi = check_conc(f"{name}[1]", window[1], where)
    if lo >= hi:
        raise TDMError(f"{name} must have lo < hi; got {window!r} ({where})")
    return lo, hi


def proportional_dose(
    *, current_dose_mg: float, measured_ng_ml: float, target_ng_ml: float
) -> float:
    """Label proportional rule: new dose = current dose × target C0 / measured C0.

    Valid only for a steady-state trough (see :func:`trough_timing`); linear PK is assumed.

    Parameters
    ----------
    current_dose_mg : current maintenance dose (mg/day), > 0 and ≤ 40 (label maximum).
    measured_ng_ml : measured steady-state trough (ng/mL), within :data:`CONC_NG_ML`.
    target_ng_ml : target trough (ng/mL), within :data:`CONC_NG_ML`; for a window, its middle.

    Returns
    -------
    float : the new maintenance dose (mg/day), unrounded (see :func:`round_to_strength`).
    """
    where = "tdm.proportional_dose"
    dose = check_positive("current_dose_mg", current_dose_mg, where, hi=MAX_DAILY_MG)
    measured = check_conc("measured_ng_ml", measured_ng_ml, where)
    target = check_conc("target_ng_ml", target_ng_ml, where)
    return dose * target / measured


@dataclass(frozen=True)
class LoadingPlan:
    """A re-loading dose and how it is spread so that no day exceeds :data:`MAX_DAILY_MG`.

    ``loading_mg`` is the total extra dose (mg); ``daily_mg`` the total sirolimus on each loading
    day (loading share + new maintenance, mg); ``float(plan)`` is ``loading_mg``.
    """

    loading_mg: float
    new_dose_mg: float
    current_dose_mg: float
    daily_mg: tuple[float, ...]

    @property
    def split_days(self) -> int:
        """Number of days the loading dose is spread over (0 when no loading dose is needed)."""
        return len(self.daily_mg)

    def __float__(self) -> float:
        return self.loading_mg


def loading_dose(*, new_dose_mg: float, current_dose_mg: float) -> LoadingPlan:
    """Label re-loading rule: loading = 3 × (new − current maintenance), ≤ 40 mg on any day.

    When the trough must rise, the label suggests a loading dose on top of the new maintenance
    dose; if loading + maintenance would exceed 40 mg on one day, the loading dose is given over
    2 days (equal halves). If even that exceeds 40 mg a day, the label gives no rule and
    :class:`TDMError` is raised. No loading dose is given when the dose is not increased.

    Parameters
    ----------
    new_dose_mg : new maintenance dose (mg/day), > 0.
    current_dose_mg : current maintenance dose (mg/day), > 0.

    Returns
    -------
    LoadingPlan : total loading dose (mg) and the total dose per loading day (mg).
    """
    where = "tdm.loading_dose"
    new = check_positive("new_dose_mg (label daily maximum)", new_dose_mg, where, hi=MAX_DAILY_MG)
    current = check_positive("current_dose_mg", current_dose_mg, where, hi=MAX_DAILY_MG)
    if new <= current:
        return LoadingPlan(0.0, new, current, ())
    loading = RELOAD_FACTOR * (new - current)
    days = 1 if loading + new <= MAX_DAILY_MG else LABEL_SPLIT_DAYS
    if loading / days + new > MAX_DAILY_MG:
        raise TDMError(
            f"new_dose_mg {new:g} from current_dose_mg {current:g} needs a loading dose of "
            f"{loading:g} mg, more than {MAX_DAILY_MG:g} mg a day even over {LABEL_SPLIT_DAYS} days; "
            f"the label has no rule for this ({where})"
        )
    return LoadingPlan(loading, new, current, tuple([loading / days + new] * days))


@dataclass(frozen=True)
class TroughTiming:
    """Whether a trough ``days`` after a change can guide the next adjustment (US PI §2)."""

    days: float
    loading: bool
    ready: bool
    earliest_day: float
    hold_days: tuple[int, int]


def trough_timing(*, days: float, loading: bool = False) -> TroughTiming:
    """Label timing: keep a new dose 7–14 days before re-adjusting; trough ≥ 3–4 days after loading.

    Parameters
    ----------
    days : days since the dose change (or since the loading dose), ≥ 0.
    loading : whether the change included a loading dose.
    """
    days = check_positive("days", days, "tdm.trough_timing", hi=MAX_DAYS, allow_zero=True)
    earliest = TROUGH_AFTER_LOADING_DAYS[0] if loading else HOLD_DAYS[0]
    return TroughTiming(days, bool(loading), days >= earliest, float(earliest), HOLD_DAYS)


def fraction_of_steady_state(days: float, *, half_life_h: float) -> float:
    """Fraction of the steady-state level reached ``days`` after starting a constant regimen.

    1 − 2^(−t/t½), for linear PK without a loading dose. With t½ = 62 h (Rapamune, stable renal
    transplant; Swiss SmPC) a trough on day 3 is only ~55 % of the steady-state trough.
    """
    where = "tdm.fraction_of_steady_state"
    days = check_positive("days", days, where, hi=MAX_DAYS, allow_zero=True)
    half_life_h = check_positive("half_life_h", half_life_h, where, hi=MAX_HALF_LIFE_H)
    return 1.0 - 2.0 ** (-days * 24.0 / half_life_h)


def round_to_strength(dose_mg: float, *, form: str = "tablet") -> float:
    """Round a daily dose to what can be given: whole 0.5/1/2 mg tablets, or 0.1 mL of 1 mg/mL.

    Tablets must not be split, so any multiple of 0.5 mg (≥ 0.5 mg) is the set of tablet doses.
    Halves round up (``2.25`` → ``2.5``).

    Parameters
    ----------
    dose_mg : computed dose (mg), > 0.
    form : ``"tablet"`` or ``"solution"``.
    """
    where = "tdm.round_to_strength"
    dose = check_positive("dose_mg", dose_mg, where, hi=MAX_COMPUTED_MG)
    if form not in FORMS:
        raise TDMError(f"form must be one of {', '.join(FORMS)}; got {form!r} ({where})")
    step = min(TABLET_STRENGTHS_MG) if form == "tablet" else SOLUTION_STEP_ML * SOLUTION_MG_PER_ML
    units = max(1, math.floor(dose / step + 0.5 + 1e-9))
    return round(units * step, 6)


def tablet_combination(dose_mg: float) -> dict[float, int]:
    """Fewest whole tablets (strength mg → count) making ``dose_mg``, a multiple of 0.5 mg.

    >>> tablet_combination(3.5)
    {2.0: 1, 1.0: 1, 0.5: 1}
    """
    where = "tdm.tablet_combination"
    dose = check_positive("dose_mg", dose_mg, where, hi=MAX_COMPUTED_MG)
    smallest = min(TABLET_STRENGTHS_MG)
    units = round(dose / smallest)
    if abs(units * smallest - dose) > 1e-9:
        raise TDMError(
            f"dose_mg must be a multiple of {smallest:g} mg (round first); got {dose:g} ({where})"
        )
    out: dict[float, int] = {}
    remaining = dose
    for strength in sorted(TABLET_STRENGTHS_MG, reverse=True):
        count = int(remaining // strength + 1e-9)
        if count:
            out[strength] = count
            remaining -= count * strength
    return out
