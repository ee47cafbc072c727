"""The transplant-ward scenario: sirolimus with a calcineurin inhibitor, and an azole started and
stopped mid-course (frozen :class:`TransplantSettings` in, data-only :class:`TransplantResult` out).

The typical patient of the chosen model is at steady state on ``dose_mg`` every ``every_h`` h
(a run-in of ten half-lives is simulated and cut off, so day 0 of the result is at steady state).
The azole is switched on at ``azole_start_day`` and off at ``azole_stop_day`` with
:func:`mtorlib.pk.simulate_windows`. A trough is "measured" on ``measure_day`` (the model's value,
or the learner's ``measured_ng_ml``); from that dose on, two answers are compared:

* the label's proportional rule (``tdm.proportional_dose``, US PI §2) on that one trough, toward the
  middle of the window, rounded to tablets;
* the Bayesian forecast a priori (``tdm.recommend_dose`` with the azole and the CNI in force): the
  dose whose steady-state trough on the azole is most likely inside the window.

Each answer is also simulated from the measurement day on (series ``label`` and ``bayes``), next
to the unchanged dose (``unchanged``). Caveats (UI keys ``transplant.caveat_*``) say what the
teaching model leaves out: the switch is instantaneous, the whole azole effect is on clearance (the
new level is approached slowly), and the model's rise is larger than the average rise seen in
transplant recipients (posaconazole: ``pk.quantity``).

>>> r = run_transplant(TransplantSettings())
>>> round(r.trough_before_ng_ml, 1), round(r.excursion, 1), r.label_dose_mg, r.recommendation.dose_mg
(6.0, 8.9, 0.5, 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import pk
from ..checks import integer, number
from ..tdm import TDMError, proportional_dose, recommend_dose, round_to_strength
from ..tdm.rules import HOLD_DAYS, MAX_DAILY_MG

AZOLES = ("posaconazole", "voriconazole")
CNIS = ("tacrolimus", "cyclosporine_4h_apart", "cyclosporine_simultaneous")
SERIES = ("unchanged", "label", "bayes")
WINDOW = ("sirolimus", "gvhd_prophylaxis_tacrolimus")  # the default target window (pk.target_window)
HSCT_RATIO = {"posaconazole": "sirolimus_posaconazole_hsct_conc_dose_ratio"}  # pk.quantity ids
MAX_DAYS = 365
RUN_IN_HALF_LIVES = 10  # the pre-azole steady state is reached to within 2**-10 (0.1 %)
NEAR_STEADY = 0.9  # a trough less than 90 % of the way to the new steady state is "early"
WHERE = "scenarios.transplant"


class TransplantError(ValueError):
    """A transplant-ward setting outside what :func:`run_transplant` accepts."""


@dataclass(frozen=True)
class TransplantSettings:
    """One ward scenario (mg, h, days; days count from a steady state on ``dose_mg``).

    ``cni``: one of :data:`CNIS` (see :func:`cni_interactions`); ``azole``: one of :data:`AZOLES`;
    ``azole_stop_day`` ``None``: not stopped within ``days``; ``measure_day`` ``None``: 7 days after
    the azole starts; ``measured_ng_ml`` ``None``: the model's trough that day; ``target_ng_ml``
    ``None``: the sourced tacrolimus/sirolimus prophylaxis window; ``covariates`` as
    ``(name, value)`` pairs (default: the model's reference patient).
    """

    model_id: str = "sirolimus_golubovic2019"
    dose_mg: float = 2.0
    every_h: float = 24.0
    cni: str = "tacrolimus"
    azole: str = "posaconazole"
    azole_start_day: int = 7
    azole_stop_day: int | None = 35
    days: int = 56
    measure_day: int | None = None
    measured_ng_ml: float | None = None
    target_ng_ml: tuple[float, float] | None = None
    covariates: tuple[tuple[str, float], ...] = ()
    form: str = "tablet"


@dataclass(frozen=True, eq=False)
class TransplantResult:
    """What one scenario produced (concentrations whole blood, ng/mL; days from steady state)."""

    settings: TransplantSettings
    model: pk.PKModel
    interactions: tuple[str, ...]  # the CNI modifier in force throughout (may be empty)
    target_ng_ml: tuple[float, float]
    sim: pd.DataFrame  # subject, time_h, conc_ng_ml, series (unchanged / label / bayes)
    troughs: pd.DataFrame  # day, trough_ng_ml (unchanged dose), azole (bool)
    trough_before_ng_ml: float  # just before the azole's first day
    trough_peak_ng_ml: float  # highest trough while the azole is given (unchanged dose)
    excursion: float  # trough_peak / trough_before
    steady_on_azole_ng_ml: float  # constant-modifier steady state (pk.steady_state)
    half_life_on_azole_days: float
    measure_day: int
    simulated_ng_ml: float  # the model's trough on the measurement day
    measured_ng_ml: float  # the level the answers use (typed, or the simulated one)
    fraction_to_steady: float  # how far the measured trough is from the old to the new steady state
    label_exact_mg: float
    label_dose_mg: float
    recommendation: object  # tdm.Recommendation (a priori, azole and CNI in force)
    hsct_ratio: pk.Quantity | None  # average rise seen in transplant recipients, if sourced
    model_ratio: float  # steady_on_azole / trough_before
    caveats: tuple[str, ...]  # transplant.caveat_* UI keys

    @property
    def azole_window_days(self) -> tuple[int, int]:
        """(start, stop) day of the azole shown; stop = the last day when not stopped."""
        s = self.settings
        return s.azole_start_day, s.azole_stop_day if s.azole_stop_day is not None else s.days


def cni_choices(model_id: str) -> tuple[str, ...]:
    """The CNI settings a model can show: a model fitted in patients on ciclosporin only that."""
    model = pk.load_model(model_id)
    return ("cyclosporine_4h_apart",) if "cyclosporine" in model.comedication else CNIS


def cni_interactions(model, cni: str) -> tuple[str, ...]:
    """Modifier names for the CNI: tacrolimus none (no clinically important PK interaction,
    Tortorici 2013); ciclosporin its sourced modifier, or none when the model already holds it."""
    model = pk.as_model(model)
    if cni not in CNIS:
        raise TransplantError(f"cni must be one of {', '.join(CNIS)}; got {cni!r} ({WHERE})")
    if cni not in cni_choices(model.model_id):
        raise TransplantError(f"{model.model_id} was fitted in patients on ciclosporin; cni must be "
                              f"{cni_choices(model.model_id)[0]!r}; got {cni!r} ({WHERE})")
    if cni == "tacrolimus" or "cyclosporine" in model.comedication:
        return ()
    return (cni,)


def _days(s: TransplantSettings) -> tuple[int, int, int | None, int]:
    days = integer(s.days, "days", WHERE, lo=2, hi=MAX_DAYS, error=TransplantError)
    start = integer(s.azole_start_day, "azole_start_day", WHERE, lo=1, hi=days - 1, error=TransplantError)
    stop = s.azole_stop_day
    if stop is not None:
        stop = integer(stop, "azole_stop_day", WHERE, lo=start + 1, hi=days, error=TransplantError)
    end = stop if stop is not None else days
    measure = start + 7 if s.measure_day is None else s.measure_day
    measure = integer(min(measure, end) if s.measure_day is None else measure, "measure_day", WHERE,
                      lo=start + 1, hi=end, error=TransplantError)
    return days, start, stop, measure


def _window(target) -> tuple[float, float]:
    if target is None:
        return pk.target_window(*WINDOW).ng_ml
    try:
        lo, hi = target
    except (TypeError, ValueError):
        raise TransplantError(f"target_ng_ml must be (lo, hi) in ng/mL; got {target!r} ({WHERE})") from None
    lo = number(lo, "target_ng_ml[0]", WHERE, lo=0, lo_open=True, hi=30, error=TransplantError)
    hi = number(hi, "target_ng_ml[1]", WHERE, lo=lo, lo_open=True, hi=30, error=TransplantError)
    return lo, hi


def run_transplant(settings: TransplantSettings) -> TransplantResult:
    """Simulate the azole course and compare the label rule with the Bayesian forecast."""
    if not isinstance(settings, TransplantSettings):
        raise TransplantError(f"settings must be a TransplantSettings; got "
                              f"{type(settings).__name__} ({WHERE})")
    s = settings
    days, start, stop, measure = _days(s)
    if s.azole not in AZOLES:
        raise TransplantError(f"azole must be one of {', '.join(AZOLES)}; got {s.azole!r} ({WHERE})")
    dose = number(s.dose_mg, "dose_mg", WHERE, lo=0, lo_open=True, hi=MAX_DAILY_MG, error=TransplantError)
    tau = number(s.every_h, "every_h", WHERE, lo=12, hi=24, error=TransplantError)
    if 24 % tau:
        raise TransplantError(f"every_h must be 12 or 24; got {tau:g} ({WHERE})")
    model = pk.load_model(s.model_id)
    if model.drug != "sirolimus":
        raise TransplantError(f"the ward shows sirolimus; {model.model_id} is a {model.drug} model ({WHERE})")
    cni = cni_interactions(model, s.cni)
    target = _window(s.target_ng_ml)
    cov = pk.reference_covariates(model.model_id) | dict(s.covariates)
    common = {"covariates": cov, "interactions": cni}
    run_in = math.ceil(RUN_IN_HALF_LIVES * pk.half_life_h(model, **common) / 24.0)
    steady_on = pk.steady_state(model, dose_mg=dose, every_h=tau, interactions=cni + (s.azole,),
                                covariates=cov).trough_ng_ml
    windows = [(s.azole, 24.0 * (run_in + start), None if stop is None else 24.0 * (run_in + stop))]
    step = 2.0 if days <= 60 else 4.0
    times = np.arange(0.0, days * 24.0 + step / 2, step)

    def course(doses_after: float | None) -> pd.DataFrame:
        n = round((run_in + days) * 24 / tau) + 1
        amounts = np.full(n, dose)
        if doses_after is not None:
            amounts[round((run_in + measure) * 24 / tau):] = doses_after
        events = pd.DataFrame({"time_h": tau * np.arange(n), "amt_mg": amounts})
        sim = pk.simulate_windows(model, events, windows=windows, times_h=times + 24.0 * run_in, **common)
        return sim.assign(time_h=times)

    unchanged = course(None)
    day_rows = np.isclose(unchanged.time_h % 24.0, 0.0)
    troughs = pd.DataFrame({"day": (unchanged.time_h[day_rows] / 24).round().astype(int).to_numpy(),
                            "trough_ng_ml": unchanged.conc_ng_ml[day_rows].to_numpy()})
    end = stop if stop is not None else days
    troughs["azole"] = (troughs.day > start) & (troughs.day <= end)
    before = float(troughs.trough_ng_ml[troughs.day == start].iloc[0])
    peak = float(troughs.trough_ng_ml[troughs.azole].max())
    simulated = float(troughs.trough_ng_ml[troughs.day == measure].iloc[0])
    measured = simulated if s.measured_ng_ml is None else number(
        s.measured_ng_ml, "measured_ng_ml", WHERE, lo=0, lo_open=True, hi=1000, error=TransplantError)
    mid = 0.5 * (target[0] + target[1])
    try:
        exact = proportional_dose(current_dose_mg=dose, measured_ng_ml=measured, target_ng_ml=mid)
        label = round_to_strength(exact, form=s.form)
        rec = recommend_dose(model, target_ng_ml=target, every_h=tau, covariates=cov,
                             interactions=cni + (s.azole,), form=s.form)
    except TDMError as err:
        raise TransplantError(f"{err} ({WHERE})") from None
    if label > MAX_DAILY_MG:
        raise TransplantError(f"the label rule gives {label:g} mg, above the label maximum of "
                              f"{MAX_DAILY_MG:g} mg a day: check the measured trough ({WHERE})")
    sim = pd.concat([unchanged.assign(series="unchanged"), course(label).assign(series="label"),
                     course(rec.dose_mg).assign(series="bayes")], ignore_index=True)
    fraction = (simulated - before) / (steady_on - before) if steady_on != before else 1.0
    quantity = pk.quantity(HSCT_RATIO[s.azole]) if s.azole in HSCT_RATIO else None
    caveats = ["transplant.caveat_switch", "transplant.caveat_clearance"]
    if fraction < NEAR_STEADY or measure - start < HOLD_DAYS[0]:
        caveats.append("transplant.caveat_not_steady")
    caveats.append("transplant.caveat_hsct" if quantity else "transplant.caveat_practice")
    if s.cni == "cyclosporine_4h_apart" and not cni:
        caveats.append("transplant.caveat_cni_in_model")
    return TransplantResult(
        settings=s, model=model, interactions=cni, target_ng_ml=target, sim=sim, troughs=troughs,
        trough_before_ng_ml=before, trough_peak_ng_ml=peak, excursion=peak / before,
        steady_on_azole_ng_ml=steady_on,
        half_life_on_azole_days=pk.half_life_h(model, covariates=cov, interactions=cni + (s.azole,)) / 24,
        measure_day=measure, simulated_ng_ml=simulated, measured_ng_ml=measured,
        fraction_to_steady=float(fraction), label_exact_mg=exact, label_dose_mg=label,
        recommendation=rec, hsct_ratio=quantity, model_ratio=steady_on / before,
        caveats=tuple(caveats),
    )
