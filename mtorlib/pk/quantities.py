"""Derived PK quantities of a typical patient, computed exactly from the propagator.

* :func:`steady_state` — trough, peak, AUCτ, average and accumulation at steady state
* :func:`half_life_h` — terminal half-life (slowest rate constant)
* :func:`time_to_steady_state_h` — time for regular dosing to reach a fraction of steady state

>>> round(half_life_h("sirolimus_label"), 1)
62.0
>>> round(time_to_steady_state_h("sirolimus_label") / 24, 1)
8.6
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..regimen import MAX_DOSE_MG, MAX_INTERVAL_H, MIN_INTERVAL_H
from .closed_form import CENTRAL, DEPOT, Propagator, as_arrays
from .errors import PKInputError
from .models import as_model, typical_parameters


@dataclass(frozen=True)
class SteadyState:
    """Steady state of regular dosing (typical patient, whole blood).

    Attributes
    ----------
    trough_ng_ml, peak_ng_ml, cavg_ng_ml : float
        Pre-dose, maximum and average concentration over one interval (ng/mL).
    tmax_h : float
        Time of the peak after a dose (h).
    auc_tau_ng_h_ml : float
        AUC over one interval (ng·h/mL) = 1000 · F_rel · dose / CL.
    accumulation_ratio : float
        AUCτ at steady state / AUC over the first interval.
    """

    model_id: str
    dose_mg: float
    every_h: float
    trough_ng_ml: float
    peak_ng_ml: float
    tmax_h: float
    cavg_ng_ml: float
    auc_tau_ng_h_ml: float
    accumulation_ratio: float


def check_dosing(dose_mg, every_h, where: str) -> tuple[float, float]:
    """``(dose_mg, every_h)`` within the bounds of :mod:`mtorlib.regimen`; :class:`PKInputError`."""
    dose = checks.number(dose_mg, "dose_mg", where, lo=0, lo_open=True, hi=MAX_DOSE_MG, error=PKInputError)
    tau = checks.number(every_h, "every_h", where, lo=MIN_INTERVAL_H, hi=MAX_INTERVAL_H, error=PKInputError)
    return dose, tau


class _Typical:
    """Propagator algebra for one parameter set (n = 1)."""

    def __init__(self, params: dict):
        p, _ = as_arrays(params)
        self.p = p
        self.prop = Propagator(p)
        self.K = self.prop.K[0]
        self.m = self.K.shape[0]
        self.scale = 1000.0 / p["vc_l"][0]
        self.f = p.get("f_rel", np.ones(1))[0]

    def P(self, tau: float) -> np.ndarray:
        return self.prop(np.array([tau]))[0, 0]

    def conc(self, a0: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Central concentration t hours after state a0 (ng/mL)."""
        rows = self.prop(np.atleast_1d(t), rows=CENTRAL)[0]  # (T, m)
        return self.scale * rows @ a0

    def auc(self, a0: np.ndarray, tau: float) -> float:
        """∫0^τ C dt from state a0 with no further dose (ng·h/mL)."""
        integral = np.linalg.solve(self.K, (self.P(tau) - np.eye(self.m)) @ a0)
        return float(self.scale * integral[CENTRAL])


def steady_state(model, *, dose_mg, every_h, covariates=None, interactions=()) -> SteadyState:
    """Steady state of ``dose_mg`` every ``every_h`` hours for the typical patient.

    >>> ss = steady_state("sirolimus_label", dose_mg=2, every_h=24)
    >>> round(ss.auc_tau_ng_h_ml), round(ss.trough_ng_ml, 1)
    (157, 5.7)
    """
    model = as_model(model)
    dose, tau = check_dosing(dose_mg, every_h, "pk.steady_state")
    s = _Typical(typical_parameters(model, covariates, interactions))
    d = np.zeros(s.m)
    d[DEPOT] = s.f * dose
    a_ss = np.linalg.solve(np.eye(s.m) - s.P(tau), d)  # state just after a dose at steady state
    grid = np.linspace(0.0, tau, 401)
    c = s.conc(a_ss, grid)
    i = int(np.argmax(c))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    from scipy.optimize import minimize_scalar  # on first use: ~0.4 s to import

    best = minimize_scalar(lambda t: -s.conc(a_ss, t)[0], bounds=(lo, hi), method="bounded",
                           options={"xatol": 1e-9})
    tmax, peak = (best.x, -best.fun) if -best.fun >= c[i] else (grid[i], c[i])
    auc_ss = s.auc(a_ss, tau)
    return SteadyState(
        model_id=model.model_id, dose_mg=dose, every_h=tau,
        trough_ng_ml=float(s.conc(a_ss, tau)[0]), peak_ng_ml=float(peak), tmax_h=float(tmax),
        cavg_ng_ml=auc_ss / tau, auc_tau_ng_h_ml=auc_ss,
        accumulation_ratio=auc_ss / s.auc(d, tau))


def half_life_h(model, covariates=None, interactions=()) -> float:
    """Terminal half-life ln 2 / (slowest rate constant) of the typical patient (h).

    In flip-flop kinetics (ka below the elimination rates) this is the absorption half-life.
    """
    s = _Typical(typical_parameters(as_model(model), covariates, interactions))
    return float(math.log(2) / s.prop.lam[0].min())


def time_to_steady_state_h(model, *, fraction=0.9, covariates=None, interactions=()) -> float:
    """Time (h) until regular dosing reaches ``fraction`` of its steady-state average level.

    Computed for constant input (the average of regular dosing), so it does not depend on the
    dose or interval; for one compartment ≈ ln(1/(1 − fraction)) × t½ / ln 2 (3.32 t½ for 90 %).
    ``fraction`` in (0, 0.999]: steady state is approached, never reached (1 would take forever).
    """
    fraction = checks.number(fraction, "fraction", "pk.time_to_steady_state_h", lo=0, hi=0.999,
                             lo_open=True, error=PKInputError)
    s = _Typical(typical_parameters(as_model(model), covariates, interactions))
    e = np.zeros(s.m)
    e[DEPOT] = 1.0
    css = -np.linalg.solve(s.K, e)[CENTRAL]

    def reached(t):  # fraction of steady state after t hours of constant input
        return np.linalg.solve(s.K, (s.P(t) - np.eye(s.m)) @ e)[CENTRAL] / css - fraction

    hi = 1.0
    while reached(hi) < 0:
        hi *= 2.0
    from scipy.optimize import brentq  # on first use: ~0.4 s to import

    return float(brentq(reached, 0.0, hi, xtol=1e-9))
