"""One PK-explorer scenario, computed from plain settings with the public engine functions.

:func:`explore` is what the PK explorer widget runs on every change, and what a learner can run in
a cell: regimen → ``pk.simulate`` (typical patient, or a seeded population) → ``pk_bands`` →
``charts.pk`` chart and caption, plus the typical steady state. :class:`Scenario` holds it all.

>>> s = explore(model_id="sirolimus_label", dose_mg=2, every_h=24, days=14)
>>> round(s.steady.trough_ng_ml, 1), len(s.sim)
(5.7, 337)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from . import pk, regimen
from .charts import pk as charts

N_BAND = 500  # virtual patients behind the population band
BAND_SEED = 2024  # fixed, so the band does not flicker while a slider moves


class ScenarioError(ValueError):
    """An explorer setting outside what :func:`explore` accepts."""


@dataclass(frozen=True)
class Scenario:
    """Everything one explorer update produced (frames are tidy, concentrations whole blood)."""

    model_id: str
    dose_mg: float
    bsa_m2: float | None
    events: pd.DataFrame
    n_missed: int
    missed_from_h: float | None
    sim: pd.DataFrame
    covariates: dict
    interactions: tuple
    steady: pk.SteadyState
    half_life_h: float
    t90_days: float
    chart: alt.LayerChart
    caption: str


def display_times(days: float, every_h: float) -> np.ndarray:
    """Output grid (h) for a chart: hourly up to 14 days, then every 2 h (≤ about 500 points).

    Both steps divide 12 and 24 h, so every pre-dose trough is on the grid.
    """
    step = 1.0 if days <= 14 else 2.0
    return np.arange(0.0, days * 24 + step / 2, step)


def explore(
    *,
    model_id: str,
    dose_mg: float | None = None,
    every_h: float = 24,
    loading_mg: float = 0,
    days: float = 21,
    mg_per_m2: float | None = None,
    height_cm: float | None = None,
    weight_kg: float | None = None,
    interactions: tuple[str, ...] = (),
    missed: int = 0,
    band: bool = False,
    target: tuple[float, float] | None = charts.DEFAULT_TARGET,
) -> Scenario:
    """Simulate, summarise and chart one regimen.

    Parameters
    ----------
    model_id : str
        A model of ``pk.list_models()``.
    dose_mg : float, optional
        Maintenance dose (mg); or give ``mg_per_m2`` with ``height_cm`` and ``weight_kg``.
    every_h, loading_mg, days : float
        Dosing interval (h), loading dose replacing the first dose (mg, 0 = none), days simulated.
    weight_kg : float, optional
        Body weight (kg): a covariate when the model has ``weight_kg``, and used for the BSA.
        A model with a ``daily_dose_mg`` covariate gets the regimen's daily dose.
    interactions : tuple of str
        Modifier names of ``pk.list_modifiers(drug)`` (interacting drug, food, hepatic class).
    missed : int
        Consecutive doses missed from the middle of the course (0 = none).
    band : bool
        Simulate ``N_BAND`` virtual patients (seed ``BAND_SEED``) and chart median + 5–95 % band.
    target : (float, float) or None
        Target window shaded on the chart (ng/mL).
    """
    if isinstance(every_h, bool) or not isinstance(every_h, int | float | np.number) or not every_h > 0:
        raise ScenarioError(f"every_h must be a number > 0; got {every_h!r} (pk_scenario.explore)")
    if isinstance(missed, bool) or not isinstance(missed, int | np.integer) or missed < 0:
        raise ScenarioError(f"missed must be an integer >= 0; got {missed!r} (pk_scenario.explore)")
    if isinstance(days, bool) or not isinstance(days, int | float | np.number) or not 0 < days <= 365:
        raise ScenarioError(f"days must be a number in (0, 365]; got {days!r} (pk_scenario.explore)")
    model = pk.load_model(model_id)
    bsa = None
    if mg_per_m2 is not None:
        bsa = regimen.bsa_m2(height_cm=height_cm, weight_kg=weight_kg)
        dose_mg = regimen.dose_from_bsa(mg_per_m2=mg_per_m2, bsa_m2=bsa)
    n_doses = max(1, math.ceil(days * 24 / every_h))
    loading = loading_mg if loading_mg else None
    events = regimen.repeated(dose_mg=dose_mg, every_h=every_h, n_doses=n_doses, loading_mg=loading)
    missed_idx = list(range(n_doses // 2, min(n_doses // 2 + missed, n_doses)))
    missed_from_h = float(events["time_h"].iloc[missed_idx[0]]) if missed_idx else None
    if missed_idx:
        events = regimen.miss_doses(events, indices=missed_idx)
    covariates = {"weight_kg": weight_kg} if "weight_kg" in model.covariates and weight_kg else {}
    if "daily_dose_mg" in model.covariates:  # dose-dependent CL/F (Jiao 2009): match the regimen
        covariates["daily_dose_mg"] = dose_mg * 24 / every_h
    interactions = tuple(interactions)
    common = {"covariates": covariates, "interactions": interactions}
    times = display_times(days, every_h)
    if band:
        rng = np.random.default_rng(BAND_SEED)
        sim = pk.simulate(model, events, times_h=times, n_subjects=N_BAND, rng=rng, **common)
    else:
        sim = pk.simulate(model, events, times_h=times, **common)
    return Scenario(
        model_id=model_id, dose_mg=float(dose_mg), bsa_m2=bsa, events=events, sim=sim,
        n_missed=len(missed_idx), missed_from_h=missed_from_h,
        covariates=covariates, interactions=interactions,
        steady=pk.steady_state(model, dose_mg=dose_mg, every_h=every_h, **common),
        half_life_h=pk.half_life_h(model, **common),
        t90_days=pk.time_to_steady_state_h(model, **common) / 24,
        chart=charts.concentration_time(sim, target=target),
        caption=charts.caption(sim, target=target),
    )
