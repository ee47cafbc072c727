"""The TDM-coach scenario (pure): dose and level frames → fit → forecast → label rule vs Bayesian answer.

Inputs are tidy frames (the coach widget parses the typed lines into them):

* doses: ``day, dose_mg`` — from that day on, ``dose_mg`` once daily (day 0 = first dose);
* levels: ``time_h, conc_ng_ml`` — hours after the first dose; a level drawn just before a dose
  (``time_h`` a whole number of days) is a trough.

* :func:`check_doses` / :func:`check_levels` — :class:`~mtorlib.tdm.TDMError` naming the row.
* :func:`history_events` — the dose events given before the last level (``time_h, amt_mg``).
* :func:`label_answer` — the label's proportional rule on the last level, with the reasons why it
  may differ from the Bayesian answer (early trough, not a trough, one level vs all levels).
* :func:`check_settings` — the plausibility of the typed numbers (``mtorlib.plausibility``): an
  impossible target window or forecast length raises :class:`~mtorlib.tdm.TDMError` saying what is
  allowed; an implausible one (or a level above an assay's range) gives a :class:`CoachWarning`.
* :func:`fit_warnings` — a level the dose history cannot explain: a posterior η beyond
  ``ETA_LIMIT_SD`` SDs of the model's own ω (teaching rule: under the model's own prior such an
  estimate is expected in < 0.3 % of patients), so the fit is not to be trusted.
* :func:`run_coach` — :class:`CoachSettings` → :class:`CoachResult`, everything the coach shows.
  When the fit is not trusted, ``CoachResult.withheld`` is True: no dose is recommended.

>>> import pandas as pd
>>> doses = pd.DataFrame({"day": [0], "dose_mg": [1.5]})
>>> levels = pd.DataFrame({"time_h": [168.0, 336.0], "conc_ng_ml": [4.1, 4.4]})
>>> r = run_coach(CoachSettings(doses=doses, levels=levels, covariates=(("weight_kg", 20.0),)))
>>> r.label.dose_mg, r.recommendation.dose_mg, r.start_day
(3.5, 3.0, 14)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import pk, plausibility, regimen
from ..i18n import tr
from ..pk.limits import MAX_CONC_NG_ML
from ..tdm.bayes import MapFit, map_estimate
from ..tdm.recommend import Recommendation, recommend_dose
from ..tdm.rules import (
    HOLD_DAYS,
    MAX_DAILY_MG,
    TDMError,
    proportional_dose,
    round_to_strength,
)

DAY_H = 24.0
TROUGH_TOLERANCE_H = 2.0  # teaching assumption: a level within 2 h of the next dose is a trough
MAX_DAY = 365  # longest history the coach accepts (keeps the forecast small and fast)
#: Teaching rule, not a clinical one: a fitted random effect η beyond 3 SDs of the model's own ω
#: (|η| / ω > 3, two-sided probability 0.27 % under the model's prior) means the levels do not
#: fit this model and dose history; the fit is shown but no dose is recommended from it.
ETA_LIMIT_SD = 3.0


def _frame(frame, columns: tuple[str, ...], name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TDMError(f"{name} must be a DataFrame with columns {', '.join(columns)}; "
                       f"got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TDMError(f"{name} lacks column(s) {', '.join(missing)}; needs {', '.join(columns)}")
    kinds = [frame[c].dtype for c in columns]
    if not all(pd.api.types.is_numeric_dtype(k) and not pd.api.types.is_bool_dtype(k) for k in kinds):
        raise TDMError(f"{name} columns {', '.join(columns)} must hold numbers only (not text)")
    out = frame[list(columns)].astype(float)
    if not np.isfinite(out.to_numpy()).all():
        raise TDMError(f"{name} must hold finite numbers only")
    return out


def check_doses(doses) -> pd.DataFrame:
    """Dose changes ``day, dose_mg`` sorted by day; the first is day 0, days whole and unique."""
    out = _frame(doses, ("day", "dose_mg"), "doses")
    if out.empty:
        raise TDMError("doses must have at least one row 'day, dose_mg' (e.g. day 0, 2 mg)")
    for i, (day, dose) in enumerate(out.itertuples(index=False)):
        if day != int(day) or not 0 <= day <= MAX_DAY:
            raise TDMError(f"doses row {i + 1}: day must be a whole number 0-{MAX_DAY}; got {day:g}")
        if not 0 < dose <= MAX_DAILY_MG:
            raise TDMError(f"doses row {i + 1}: dose_mg must be > 0 and <= {MAX_DAILY_MG:g} "
                           f"(label maximum on any day); got {dose:g}")
    if out.day.duplicated().any():
        raise TDMError(f"doses: each day may appear once; got days {[f'{d:g}' for d in out.day]}")
    out = out.sort_values("day").reset_index(drop=True)
    if out.day.iloc[0] != 0:
        raise TDMError(f"doses: the first dose must be on day 0; got day {out.day.iloc[0]:g}")
    return out


def check_levels(levels) -> pd.DataFrame:
    """Levels ``time_h, conc_ng_ml`` (h after the first dose) sorted by time; at least one."""
    out = _frame(levels, ("time_h", "conc_ng_ml"), "levels")
    if out.empty:
        raise TDMError("levels must have at least one level (e.g. a trough on day 7, 4.2 ng/mL)")
    for i, (time_h, conc) in enumerate(out.itertuples(index=False)):
        if not 0 < time_h <= MAX_DAY * DAY_H:
            raise TDMError(f"levels row {i + 1}: time_h must be > 0 and <= {MAX_DAY * DAY_H:g}; "
                           f"got {time_h:g}")
        if conc <= 0:
            raise TDMError(f"levels row {i + 1}: conc_ng_ml must be > 0; got {conc:g}")
        if conc > MAX_CONC_NG_ML:
            raise TDMError(tr("tdm.in_level_max", value=f"{conc:g}", max=f"{MAX_CONC_NG_ML:g}"))
    return out.sort_values("time_h", kind="stable").reset_index(drop=True)


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
    lo, hi = _window(target_ng_ml)
    doses, levels = check_doses(doses), check_levels(levels)
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
class CoachWarning:
    """A value accepted with a warning: a typed ``quantity`` (``plausibility``) or ``"fit"``.

    ``value`` is the number (a pair for ``"target_window"``); ``detail`` for ``"fit"`` is
    ``(parameter, fitted, typical, eta_sd, unit)``. :meth:`text` renders it in ``lang`` when shown.
    """

    quantity: str
    value: float | tuple
    detail: tuple = ()

    def text(self, lang: str | None = None) -> str:
        """The warning as learner-facing text (what is unusual and its likely cause)."""
        if self.quantity == "fit":
            name, fitted, typical, sd, unit = self.detail
            return tr("tdm.warn_fit", lang, name=name, fitted=fitted, typical=typical, unit=unit,
                      ratio=fitted / typical if fitted >= typical else typical / fitted,
                      more=tr("tdm.warn_higher" if fitted >= typical else "tdm.warn_lower", lang),
                      sd=abs(sd), limit=ETA_LIMIT_SD)
        if self.quantity == "target_window":
            return plausibility.check_window(*self.value, lang=lang).text
        return plausibility.check(self.quantity, self.value, lang).text


def _window(target) -> tuple[float, float]:
    """The target window as a pair of floats, refused (``TDMError``) when impossible."""
    if not isinstance(target, (tuple, list)) or len(target) != 2:
        raise TDMError(tr("tdm.in_window_pair", value=str(target)[:40]))
    verdict = plausibility.check_window(*target)
    if not verdict.accepted:
        raise TDMError(verdict.text)
    return verdict.value


def check_settings(settings: CoachSettings) -> tuple[CoachWarning, ...]:
    """Refuse (``TDMError``) or warn about the typed numbers of ``settings`` (window, days, levels)."""
    s = settings
    warnings = []
    if s.target_ng_ml is not None:
        lo, hi = _window(s.target_ng_ml)
        if plausibility.check_window(lo, hi).status == "warning":
            warnings.append(CoachWarning("target_window", (lo, hi)))
    days = plausibility.check("forecast_days", s.forecast_days)
    if not days.accepted:
        raise TDMError(days.text)
    levels = check_levels(s.levels)
    high = [c for c in levels.conc_ng_ml
            if plausibility.check("trough_ng_ml", float(c)).status == "warning"]
    if high:
        warnings.append(CoachWarning("trough_ng_ml", max(high)))
    return tuple(warnings)


def fit_warnings(fit: MapFit) -> tuple[CoachWarning, ...]:
    """One :class:`CoachWarning` for the fitted η farthest beyond ``ETA_LIMIT_SD`` SDs of ω, if any."""
    names = {"cl_l_h": ("CL/F", "L/h"), "vc_l": ("V/F", "L")}
    sds = {k: eta / float(np.sqrt(fit.model.omega2[k])) for k, eta in fit.eta.items()
           if k in fit.params}  # eta names are parameter names
    worst = max(sds, key=lambda k: abs(sds[k]), default=None)
    if worst is None or abs(sds[worst]) <= ETA_LIMIT_SD:
        return ()
    name, unit = names.get(worst, (worst, ""))
    return (CoachWarning("fit", float(fit.eta[worst]), (
        name, float(fit.params[worst]), float(fit.typical[worst]), float(sds[worst]), unit)),)


@dataclass(frozen=True, eq=False)
class CoachSettings:
    """One coach scenario: the history as frames, the window, the formulation and the forecast.

    ``covariates`` are ``(name, value)`` pairs (e.g. ``(("weight_kg", 20.0),)``); ``target_ng_ml``
    ``None`` means the drug's default window (``pk.target_window``); ``seed`` seeds the band.
    """

    doses: pd.DataFrame = field(repr=False)
    levels: pd.DataFrame = field(repr=False)
    model_id: str = "sirolimus_cheng2020"
    target_ng_ml: tuple[float, float] | None = None
    form: str = "tablet"
    forecast_days: int = 21
    covariates: tuple[tuple[str, float], ...] = ()
    seed: int = 2024
    n_samples: int = 200


@dataclass(frozen=True, eq=False)
class CoachResult:
    """What the coach shows: inputs as frames, the fit, both answers and the forecast band."""

    settings: CoachSettings
    doses: pd.DataFrame
    levels: pd.DataFrame
    events: pd.DataFrame
    fit: MapFit
    recommendation: Recommendation
    label: LabelAnswer
    forecast: pd.DataFrame  # time_h, conc_ng_ml, lo_ng_ml, hi_ng_ml, series
    start_day: int
    target_ng_ml: tuple[float, float]
    warnings: tuple[CoachWarning, ...] = ()
    withheld: bool = False  # True when the fit is not trusted: no dose answer is given


def run_coach(settings: CoachSettings) -> CoachResult:
    """Fit, recommend and forecast (the new dose from the day after the last level)."""
    if not isinstance(settings, CoachSettings):
        raise TDMError(f"settings must be a CoachSettings; got {type(settings).__name__}")
    s = settings
    model = pk.load_model(s.model_id)
    if model.drug != "sirolimus":
        raise TDMError(f"the coach applies the sirolimus label rules to once-daily dosing; "
                       f"{model.model_id} is a {model.drug} model")
    warnings = check_settings(s)
    target = _window(s.target_ng_ml if s.target_ng_ml is not None
                     else pk.target_window(model.drug).ng_ml)
    doses, levels = check_doses(s.doses), check_levels(s.levels)
    days = int(s.forecast_days)
    covariates = dict(s.covariates)
    start = int(np.ceil(levels.time_h.iloc[-1] / DAY_H - 1e-9))  # a trough: the next dose is new
    events = history_events(doses, until_day=start)
    fit = map_estimate(model, events, levels, covariates=covariates)
    untrusted = fit_warnings(fit)
    warnings += untrusted
    rec = recommend_dose(model, target_ng_ml=target, fit=fit, form=s.form)
    label = label_answer(doses, levels, target_ng_ml=target, form=s.form)
    future = regimen.repeated(dose_mg=rec.dose_mg, every_h=DAY_H, n_doses=days,
                              start_h=start * DAY_H)
    all_events = pd.concat([events, future], ignore_index=True)
    times = np.linspace(0.0, (start + days) * DAY_H, 12 * (start + days) + 1)
    band = fit.band(times, rng=np.random.default_rng(s.seed), events=all_events,
                    n_samples=s.n_samples)
    label_events = regimen.repeated(dose_mg=label.dose_mg, every_h=DAY_H, n_doses=days,
                                    start_h=start * DAY_H)
    label_curve = fit.predict(times, events=pd.concat([events, label_events])).conc_ng_ml
    frame = pd.concat([band.assign(series="bayes"),
                       pd.DataFrame({"time_h": times, "conc_ng_ml": label_curve, "lo_ng_ml": np.nan,
                                     "hi_ng_ml": np.nan, "series": "label"})], ignore_index=True)
    if untrusted:  # show the fit to the history only: no forecast on a recommended dose
        frame = frame[(frame.series == "bayes") & (frame.time_h <= start * DAY_H)]
        frame = frame.reset_index(drop=True)
    return CoachResult(s, doses, levels, events, fit, rec, label, frame, start, target,
                       warnings, bool(untrusted))
