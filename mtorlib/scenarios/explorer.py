"""The PK-explorer scenario: frozen :class:`ExplorerSettings` in, data-only :class:`ExplorerResult` out.

:func:`explore` is what the PK explorer widget runs on every change, and what a learner can run in
a cell: regimen → ``pk.simulate`` (typical patient, or a seeded population) plus the typical
steady state, half-life and time to steady state, and the facts a view needs (covariates used,
caveats of the chosen modifiers, the target window). It draws nothing: charts are built from
``result.sim`` by ``mtorlib.charts``. Vary a scenario with ``dataclasses.replace``.

>>> from dataclasses import replace
>>> base = ExplorerSettings(model_id="sirolimus_label", dose_mg=2, every_h=24, days=14)
>>> r = explore(base)
>>> round(r.steady.trough_ng_ml, 1), len(r.sim)
(5.7, 337)
>>> round(explore(replace(base, dose_mg=4)).steady.trough_ng_ml, 1)
11.4
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import pk, regimen
from ..checks import integer, number

N_BAND = 500  # virtual patients behind the population band
BAND_SEED = 2024  # fixed, so the band does not flicker while a slider moves
DEFAULT = "default"  # target_ng_ml: the default window of the model's drug (pk.target_window)


class ScenarioError(ValueError):
    """An explorer setting outside what :func:`explore` accepts."""


@dataclass(frozen=True)
class ExplorerSettings:
    """One explorer scenario (doses in mg, times in h, weight in kg, height in cm).

    Give ``dose_mg``, or ``mg_per_m2`` with ``height_cm`` and ``weight_kg`` (dose from the BSA).
    ``weight_kg`` is a covariate where the model has one; a model with a ``daily_dose_mg``
    covariate gets the regimen's daily dose. ``interactions`` are modifier names of
    ``pk.list_modifiers(drug)``; ``missed`` consecutive doses are missed from the middle of the
    course; ``band`` simulates ``N_BAND`` virtual patients (seed ``BAND_SEED``).
    ``target_ng_ml`` is ``(lo, hi)``, ``None`` for no window, or ``"default"`` for the drug's.
    """

    model_id: str = "sirolimus_label"
    dose_mg: float | None = 2.0
    every_h: float = 24.0
    loading_mg: float = 0.0
    days: float = 21.0
    mg_per_m2: float | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    interactions: tuple[str, ...] = ()
    missed: int = 0
    band: bool = False
    target_ng_ml: tuple[float, float] | None | str = DEFAULT


@dataclass(frozen=True, eq=False)
class ExplorerResult:
    """What one scenario produced (frames tidy, concentrations whole blood, ng/mL)."""

    settings: ExplorerSettings
    model: pk.PKModel
    dose_mg: float  # maintenance dose actually simulated (from the BSA if given per m²)
    bsa_m2: float | None
    events: pd.DataFrame  # time_h, amt_mg
    n_missed: int
    missed_from_h: float | None
    sim: pd.DataFrame  # subject, time_h, conc_ng_ml
    covariates: dict  # covariates passed to the engine
    steady: pk.SteadyState
    half_life_h: float
    t90_days: float
    caveats: tuple[str, ...]  # pk.* UI string keys (pk.modifier_caveats)
    target_ng_ml: tuple[float, float] | None

    @property
    def uses_weight(self) -> bool:
        """Whether body weight changed the simulation (the model has a weight covariate)."""
        return "weight_kg" in self.covariates


def display_times(days: float, every_h: float) -> np.ndarray:
    """Output grid (h) for a chart: hourly up to 14 days, then every 2 h (≤ about 500 points).

    Both steps divide 12 and 24 h, so every pre-dose trough is on the grid.
    """
    step = 1.0 if days <= 14 else 2.0
    return np.arange(0.0, days * 24 + step / 2, step)


def _window(target, drug: str) -> tuple[float, float] | None:
    if target is None:
        return None
    if isinstance(target, str):
        if target != DEFAULT:
            raise ScenarioError(f"target_ng_ml must be (lo, hi), None or {DEFAULT!r}; got {target!r} "
                                "(scenarios.explore)")
        return pk.target_window(drug).ng_ml
    try:
        lo, hi = target
    except (TypeError, ValueError):
        raise ScenarioError(f"target_ng_ml must be (lo, hi) in ng/mL; got {target!r} "
                            "(scenarios.explore)") from None
    lo = number(lo, "target_ng_ml[0]", "scenarios.explore", lo=0, error=ScenarioError)
    hi = number(hi, "target_ng_ml[1]", "scenarios.explore", lo=lo, lo_open=True, error=ScenarioError)
    return lo, hi


def explore(settings: ExplorerSettings) -> ExplorerResult:
    """Simulate and summarise one scenario; :class:`ScenarioError` for a bad setting."""
    if not isinstance(settings, ExplorerSettings):
        raise ScenarioError(f"settings must be an ExplorerSettings; got {type(settings).__name__} "
                            "(scenarios.explore)")
    s, where = settings, "scenarios.explore"
    every_h = number(s.every_h, "every_h", where, lo=0, lo_open=True, error=ScenarioError)
    missed = integer(s.missed, "missed", where, lo=0, error=ScenarioError)
    days = number(s.days, "days", where, lo=0, lo_open=True, hi=365, error=ScenarioError)
    model = pk.load_model(s.model_id)
    target = _window(s.target_ng_ml, model.drug)
    dose_mg, bsa = s.dose_mg, None
    if s.mg_per_m2 is not None:
        bsa = regimen.bsa_m2(height_cm=s.height_cm, weight_kg=s.weight_kg)
        dose_mg = regimen.dose_from_bsa(mg_per_m2=s.mg_per_m2, bsa_m2=bsa)
    n_doses = max(1, math.ceil(days * 24 / every_h))
    events = regimen.repeated(dose_mg=dose_mg, every_h=every_h, n_doses=n_doses,
                              loading_mg=s.loading_mg or None)
    missed_idx = list(range(n_doses // 2, min(n_doses // 2 + missed, n_doses)))
    missed_from_h = float(events["time_h"].iloc[missed_idx[0]]) if missed_idx else None
    if missed_idx:
        events = regimen.miss_doses(events, indices=missed_idx)
    covariates = pk.regimen_covariates(model, daily_dose_mg=dose_mg * 24 / every_h,
                                       weight_kg=s.weight_kg)
    interactions = tuple(s.interactions)
    common = {"covariates": covariates, "interactions": interactions}
    times = display_times(days, every_h)
    if s.band:
        rng = np.random.default_rng(BAND_SEED)
        sim = pk.simulate(model, events, times_h=times, n_subjects=N_BAND, rng=rng, **common)
    else:
        sim = pk.simulate(model, events, times_h=times, **common)
    return ExplorerResult(
        settings=s, model=model, dose_mg=float(dose_mg), bsa_m2=bsa, events=events, sim=sim,
        n_missed=len(missed_idx), missed_from_h=missed_from_h, covariates=covariates,
        steady=pk.steady_state(model, dose_mg=dose_mg, every_h=every_h, **common),
        half_life_h=pk.half_life_h(model, **common),
        t90_days=pk.time_to_steady_state_h(model, **common) / 24,
        caveats=pk.modifier_caveats(model.drug, interactions), target_ng_ml=target,
    )
