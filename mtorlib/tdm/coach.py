"""The TDM coach pipeline (pure): typed history → fit → forecast → label rule vs Bayesian answer.

A learner types a once-daily dose history and measured levels as short lines:

* doses: ``day, dose_mg`` — from that day on, ``dose_mg`` once daily (day 0 = first dose);
* levels: ``day, conc_ng_ml`` for a trough drawn just before that day's dose, or
  ``day, conc_ng_ml, hours_after_dose`` for a level drawn after that day's dose.

* :func:`parse_doses` / :func:`parse_levels` — strict parsing; :class:`TDMError` names the line.
* :func:`history_events` — the dose events given before the last level (``time_h, amt_mg``).
* :func:`label_answer` — the label's proportional rule on the last level, with the reasons why it
  may differ from the Bayesian answer (early trough, not a trough, one level vs all levels).
* :func:`run` — everything the coach widget shows, as a :class:`CoachResult`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import regimen
from .bayes import MapFit, map_estimate
from .recommend import Recommendation, recommend_dose
from .rules import (
    HOLD_DAYS,
    MAX_DAILY_MG,
    TDMError,
    check_window,
    proportional_dose,
    round_to_strength,
)

DAY_H = 24.0
TROUGH_TOLERANCE_H = 2.0  # teaching assumption: a level within 2 h of the next dose is a trough
MAX_DAY = 365  # longest history the coach accepts (keeps the forecast small and fast)


def _rows(text: str, field: str, widths: tuple[int, ...]) -> list[tuple[int, list[float]]]:
    if not isinstance(text, str):
        raise TDMError(f"{field} must be text; got {type(text).__name__}")
    rows = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) not in widths:
            raise TDMError(f"{field} line {n} must have {' or '.join(map(str, widths))} "
                           f"comma-separated numbers; got {raw.strip()!r}")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise TDMError(f"{field} line {n} must hold numbers only; got {raw.strip()!r}") from None
        if not all(np.isfinite(values)) or min(values) < 0:
            raise TDMError(f"{field} line {n} must hold finite numbers >= 0; got {raw.strip()!r}")
        if values[0] > MAX_DAY:
            raise TDMError(f"{field} line {n}: day must be <= {MAX_DAY}; got {values[0]:g}")
        rows.append((n, values))
    return rows


def parse_doses(text: str) -> pd.DataFrame:
    """Dose changes ``day, dose_mg`` → DataFrame ``day, dose_mg`` (sorted; first day is 0)."""
    rows = _rows(text, "doses", (2,))
    if not rows:
        raise TDMError("doses must have at least one line 'day, dose_mg' (e.g. '0, 2')")
    for n, (day, dose) in rows:
        if day != int(day):
            raise TDMError(f"doses line {n}: day must be a whole number; got {day:g}")
        if not 0 < dose <= MAX_DAILY_MG:
            raise TDMError(f"doses line {n}: dose_mg must be > 0 and <= {MAX_DAILY_MG:g} "
                           f"(label maximum on any day); got {dose:g}")
    days = [d for _, (d, _) in rows]
    if len(set(days)) != len(days):
        raise TDMError(f"doses: each day may appear once; got days {days}")
    out = pd.DataFrame([v for _, v in rows], columns=["day", "dose_mg"]).sort_values("day")
    if out.day.iloc[0] != 0:
        raise TDMError(f"doses: the first line must be day 0 (first dose); got day {out.day.iloc[0]:g}")
    return out.reset_index(drop=True)


def parse_levels(text: str) -> pd.DataFrame:
    """Levels ``day, conc[, hours_after_dose]`` → DataFrame ``day, conc_ng_ml, time_h``."""
    rows = _rows(text, "levels", (2, 3))
    out = []
    for n, values in rows:
        day, conc = values[0], values[1]
        if conc <= 0:
            raise TDMError(f"levels line {n}: conc_ng_ml must be > 0; got {conc:g}")
        after = values[2] if len(values) == 3 else None
        if after is not None and not 0 < after < DAY_H:
            raise TDMError(f"levels line {n}: hours_after_dose must be > 0 and < 24; got {after:g}")
        if after is None and day != int(day):
            raise TDMError(f"levels line {n}: a trough day must be a whole number; got {day:g}")
        if after is None and day < 1:
            raise TDMError(f"levels line {n}: a trough needs day >= 1 (after the first dose); got {day:g}")
        out.append({"day": day, "conc_ng_ml": conc, "time_h": day * DAY_H + (after or 0.0)})
    frame = pd.DataFrame(out, columns=["day", "conc_ng_ml", "time_h"])
    return frame.sort_values("time_h", kind="stable").reset_index(drop=True)


def history_events(doses: pd.DataFrame, *, until_day: int) -> pd.DataFrame:
    """Once-daily events from the dose table for days 0 … ``until_day`` − 1 (``time_h, amt_mg``)."""
    days = np.arange(int(until_day))
    idx = np.searchsorted(doses.day.to_numpy(), days, side="right") - 1
    return pd.DataFrame({"time_h": days * DAY_H, "amt_mg": doses.dose_mg.to_numpy()[idx]})


@dataclass(frozen=True)
class LabelAnswer:
    """The label proportional rule on the last level, and why it may differ from the fit."""

    current_dose_mg: float
    measured_ng_ml: float
    target_ng_ml: float
    exact_dose_mg: float
    dose_mg: float
    reasons: tuple[str, ...]  # keys of tdm.why_* UI strings
    days_on_dose: float
    hours_after_dose: float


def label_answer(doses: pd.DataFrame, levels: pd.DataFrame, *, target_ng_ml, form="tablet"):
    """Proportional rule (US PI §2) on the last level toward the window middle, with reasons."""
    lo, hi = check_window(target_ng_ml, "tdm.label_answer")
    if levels.empty:
        raise TDMError("levels must have at least one line for the label rule")
    last = levels.iloc[-1]
    dose_day = int(np.floor((last.time_h - 1e-9) / DAY_H))  # the dose interval holding the level
    changes = doses.day.to_numpy()
    current = float(doses.dose_mg.to_numpy()[np.searchsorted(changes, dose_day, side="right") - 1])
    since = float(last.time_h / DAY_H - changes[changes <= dose_day].max())
    after = float(last.time_h - dose_day * DAY_H)
    target = 0.5 * (lo + hi)
    exact = proportional_dose(current_dose_mg=current, measured_ng_ml=float(last.conc_ng_ml),
                              target_ng_ml=target)
    reasons = []
    if since < HOLD_DAYS[0]:
        reasons.append("tdm.why_early")
    if abs(after - DAY_H) > TROUGH_TOLERANCE_H:
        reasons.append("tdm.why_not_trough")
    if len(levels) > 1:
        reasons.append("tdm.why_all_levels")
    reasons.append("tdm.why_prior")
    return LabelAnswer(current, float(last.conc_ng_ml), target, exact,
                       round_to_strength(exact, form=form), tuple(reasons), since, after)


@dataclass(frozen=True)
class CoachResult:
    """What the coach shows: inputs as frames, the fit, both answers and the forecast band."""

    doses: pd.DataFrame
    levels: pd.DataFrame
    events: pd.DataFrame
    fit: MapFit
    recommendation: Recommendation
    label: LabelAnswer
    forecast: pd.DataFrame  # time_h, conc_ng_ml, lo_ng_ml, hi_ng_ml, series
    start_day: int


def run(model, dose_text: str, level_text: str, *, target_ng_ml=(5.0, 15.0), form="tablet",
        forecast_days: int = 21, covariates=None, rng: np.random.Generator,
        n_samples: int = 200) -> CoachResult:
    """Parse, fit, recommend and forecast (the new dose from the day after the last level)."""
    if model.drug != "sirolimus":
        raise TDMError(f"the coach applies the sirolimus label rules to once-daily dosing; "
                       f"{model.model_id} is a {model.drug} model")
    doses, levels = parse_doses(dose_text), parse_levels(level_text)
    if levels.empty:
        raise TDMError("levels must have at least one line 'day, conc_ng_ml' (e.g. '7, 4.2')")
    if not isinstance(forecast_days, int) or not 1 <= forecast_days <= 90:
        raise TDMError(f"forecast_days must be an integer 1-90; got {forecast_days!r}")
    start = int(np.ceil(levels.time_h.iloc[-1] / DAY_H - 1e-9))  # a trough: the next dose is new
    events = history_events(doses, until_day=start)
    fit = map_estimate(model, events, levels[["time_h", "conc_ng_ml"]], covariates=covariates)
    rec = recommend_dose(model, target_ng_ml=target_ng_ml, fit=fit, form=form)
    label = label_answer(doses, levels, target_ng_ml=target_ng_ml, form=form)
    future = regimen.repeated(dose_mg=rec.dose_mg, every_h=DAY_H, n_doses=forecast_days,
                              start_h=start * DAY_H)
    all_events = pd.concat([events, future], ignore_index=True)
    times = np.linspace(0.0, (start + forecast_days) * DAY_H, 12 * (start + forecast_days) + 1)
    band = fit.band(times, rng=rng, events=all_events, n_samples=n_samples)
    label_events = regimen.repeated(dose_mg=label.dose_mg, every_h=DAY_H, n_doses=forecast_days,
                                    start_h=start * DAY_H)
    label_curve = fit.predict(times, events=pd.concat([events, label_events])).conc_ng_ml
    frame = pd.concat([band.assign(series="bayes"),
                       pd.DataFrame({"time_h": times, "conc_ng_ml": label_curve, "lo_ng_ml": np.nan,
                                     "hi_ng_ml": np.nan, "series": "label"})], ignore_index=True)
    return CoachResult(doses, levels, events, fit, rec, label, frame, start)
