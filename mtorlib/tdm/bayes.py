"""Bayesian (MAP) estimation of individual PK parameters from measured levels.

The objective is minus twice the log posterior of the log-scale random effects η (constants
dropped), with the model's own prior (η ~ N(0, diag ω²)) and residual error model
(SD² = (prop × C)² + add²)::

    J(η) = Σ_j [(y_j − C_j(η))² / SD_j² + ln SD_j²] + Σ_k η_k² / ω_k²

* :func:`make_problem` — validate inputs once; returns a :class:`MapProblem`.
* :func:`objective` — J for many η at once (rows), one vectorised ``pk.predict`` call.
* :func:`map_estimate` — minimise J with ``scipy.optimize.minimize`` (trust-region Newton on η;
  gradient and Hessian by central differences, all stencil points in one ``pk.predict`` call);
  returns a :class:`MapFit` with a Laplace posterior N(η̂, 2 H⁻¹) for uncertainty bands.

Inputs: ``events`` (``time_h``, ``amt_mg``), ``observations`` (``time_h``, ``conc_ng_ml``, whole
blood, same assay as the model). With no observations the fit is the prior. Because of the
ln SD² term, levels exactly at the typical prediction give η̂ close to, not exactly, 0 (a few %
with a proportional error model): the fit trades a slightly lower prediction for a smaller SD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import pk
from ..pk.limits import MAX_CONC_NG_ML
from ..regimen import MAX_TIME_H, check_events
from .rules import TDMError, check_positive

STEP = 1e-3  # finite-difference step on the log scale of η
MIN_SD_NG_ML = 1e-3  # floor of the residual SD, keeps J finite where a prediction is ~0
MAX_OBSERVATIONS = 1_000  # levels in one fit (input policy: bounds the cost of each objective call)
MAX_PROPORTIONAL = 10.0  # a residual SD of 1000 % of the level: beyond it a level carries no weight


@dataclass(frozen=True)
class MapProblem:
    """Validated inputs of one MAP fit (arrays in model units: h, ng/mL)."""

    model: object
    events: pd.DataFrame
    times_h: np.ndarray
    conc_ng_ml: np.ndarray
    covariates: dict | None
    interactions: tuple
    omega2: np.ndarray
    prop: float
    add_ng_ml: float

    @property
    def n_eta(self) -> int:
        return len(self.omega2)


def residual_sd(model, residual=None, where: str = "tdm.map_estimate") -> tuple[float, float]:
    """``(proportional fraction, additive SD ng/mL)``: ``residual`` if given, else the model's.

    A model without a residual error model (both zero, e.g. the label-derived reference model)
    cannot weigh measurements: pass ``residual=(prop, add_ng_ml)`` for it explicitly.
    """
    if residual is None:
        prop = float(model.residual["proportional"])
        add = float(model.residual["additive_ng_ml"])
        if prop == 0 and add == 0:
            raise TDMError(f"model {model.model_id!r} has no residual error model; pass "
                           f"residual=(proportional_fraction, additive_sd_ng_ml) ({where})")
        return prop, add
    if not isinstance(residual, (tuple, list)) or len(residual) != 2:
        raise TDMError(f"residual must be a pair (proportional_fraction, additive_sd_ng_ml); "
                       f"got {residual!r} ({where})")
    prop = check_positive("residual[0]", residual[0], where, hi=MAX_PROPORTIONAL, allow_zero=True)
    add = check_positive("residual[1]", residual[1], where, hi=MAX_CONC_NG_ML, allow_zero=True)
    if prop == 0 and add == 0:
        raise TDMError(f"residual must have a proportional or additive part > 0; got {residual!r} ({where})")
    return prop, add


def check_observations(observations, *, first_dose_h: float, where: str) -> pd.DataFrame:
    """Observations as a clean sorted ``time_h, conc_ng_ml`` frame; :class:`TDMError` if invalid."""
    if observations is None:
        return pd.DataFrame({"time_h": [], "conc_ng_ml": []}, dtype=float)
    if not isinstance(observations, pd.DataFrame):
        raise TDMError(f"observations must be a DataFrame with columns time_h, conc_ng_ml; "
                       f"got {type(observations).__name__} ({where})")
    missing = [c for c in ("time_h", "conc_ng_ml") if c not in observations.columns]
    if missing:
        raise TDMError(f"observations lacks column(s) {missing}; required: time_h, conc_ng_ml ({where})")
    if len(observations) > MAX_OBSERVATIONS:
        raise TDMError(f"observations must hold at most {MAX_OBSERVATIONS} levels; got {len(observations)} "
                       f"({where})")
    obs = pd.DataFrame({c: pd.to_numeric(observations[c], errors="coerce").astype(float)
                        for c in ("time_h", "conc_ng_ml")})
    for col, low, high in (("time_h", first_dose_h, MAX_TIME_H), ("conc_ng_ml", 0.0, MAX_CONC_NG_ML)):
        values = obs[col].to_numpy()
        bad = ~np.isfinite(values) | (values <= low) | (values > high)
        if bad.any():
            i = int(bad.argmax())
            rule = (f"after the first dose (> {low:g} h) and <= {high:g}" if col == "time_h"
                    else f"> 0 and <= {high:g}")
            raise TDMError(f"observations.{col} must be finite and {rule}; got "
                           f"{observations[col].iloc[i]!r} in row {i} ({where})")
    return obs.sort_values("time_h", kind="stable").reset_index(drop=True)


def make_problem(model, events, observations, *, covariates=None, interactions=(),
                 residual=None) -> MapProblem:
    """Check the inputs of a MAP fit once (events, observations, model prior and residual)."""
    where = "tdm.map_estimate"
    ev = check_events(events, where)
    obs = check_observations(observations, first_dose_h=float(ev.time_h.min()), where=where)
    omega2 = np.array([model.omega2[k] for k in model.eta_names], float)
    if len(omega2) == 0:
        raise TDMError(f"model {model.model_id!r} has no random effects to estimate ({where})")
    pk.typical_parameters(model, covariates, interactions=interactions)  # validates covariates
    prop, add = residual_sd(model, residual, where)
    return MapProblem(model, ev, obs.time_h.to_numpy(), obs.conc_ng_ml.to_numpy(),
                      covariates, tuple(interactions), omega2, prop, add)


def individual(problem: MapProblem, etas: np.ndarray) -> dict:
    """Individual parameters (dict of arrays, one entry per row of ``etas``)."""
    return pk.individual_parameters(problem.model, covariates=problem.covariates,
                                    eta=np.atleast_2d(etas), interactions=problem.interactions)


def objective(problem: MapProblem, etas, *, predict: Callable = pk.predict) -> np.ndarray:
    """J(η) for each row of ``etas`` (shape (m, n_eta) or (n_eta,)); returns shape (m,).

    ``predict(params, events, times_h) -> (m, n_obs)`` defaults to the closed-form engine; the
    benchmark passes an ODE-based predictor with the same signature.
    """
    etas = np.atleast_2d(np.asarray(etas, float))
    prior = np.sum(etas**2 / problem.omega2, axis=1)
    if len(problem.times_h) == 0:
        return prior
    conc = predict(individual(problem, etas), problem.events, problem.times_h)
    var = (problem.prop * conc) ** 2 + problem.add_ng_ml**2 + MIN_SD_NG_ML**2
    return np.sum((problem.conc_ng_ml - conc) ** 2 / var + np.log(var), axis=1) + prior


def stencil(n_eta: int, h: float = STEP) -> np.ndarray:
    """Offsets for a central-difference gradient and Hessian: 0, ±h e_i, ±h e_i ± h e_j (i<j)."""
    eye = np.eye(n_eta) * h
    rows = [np.zeros(n_eta), *eye, *(-eye)]
    for i in range(n_eta):
        for j in range(i + 1, n_eta):
            for si in (1, -1):
                for sj in (1, -1):
                    rows.append(si * eye[i] + sj * eye[j])
    return np.array(rows)


def derivatives(values: np.ndarray, n_eta: int, h: float = STEP):
    """(J, gradient, Hessian) from J on the :func:`stencil` points."""
    f0, plus, minus = values[0], values[1:1 + n_eta], values[1 + n_eta:1 + 2 * n_eta]
    grad = (plus - minus) / (2 * h)
    hess = np.diag((plus - 2 * f0 + minus) / h**2)
    k = 1 + 2 * n_eta
    for i in range(n_eta):
        for j in range(i + 1, n_eta):
            pp, pm, mp, mm = values[k:k + 4]
            hess[i, j] = hess[j, i] = (pp - pm - mp + mm) / (4 * h * h)
            k += 4
    return f0, grad, hess


@dataclass(frozen=True)
class MapFit:
    """A MAP fit: individual parameters, random effects and a Laplace posterior.

    ``params`` has the keys of ``pk.typical_parameters`` (floats); ``eta`` maps each name of
    ``model.eta_names`` to its estimate (log scale); ``cov`` is the posterior covariance of η.
    """

    problem: MapProblem = field(repr=False)
    eta: dict
    params: dict
    typical: dict
    cov: np.ndarray = field(repr=False)
    objective: float
    converged: bool
    n_evaluations: int

    @property
    def model(self):
        return self.problem.model

    @property
    def eta_vector(self) -> np.ndarray:
        return np.array([self.eta[k] for k in self.problem.model.eta_names])

    def shrinkage(self) -> dict:
        """Per η: posterior / prior variance, the weight of the prior (0 = data decide, 1 = prior).

        In a linear-Gaussian model the estimate is (1 − shrinkage) × the data-only estimate.
        """
        ratio = np.diag(self.cov) / self.problem.omega2
        return dict(zip(self.problem.model.eta_names, map(float, ratio), strict=True))

    def predict(self, times_h, *, events=None) -> pd.DataFrame:
        """Individual prediction (time_h, conc_ng_ml) under the fitted history or ``events``."""
        times = np.asarray(times_h, float).ravel()
        ev = self.problem.events if events is None else events
        conc = pk.predict(individual(self.problem, self.eta_vector), ev, times)
        return pd.DataFrame({"time_h": times, "conc_ng_ml": conc[0]})

    def sample_eta(self, n: int, *, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws of η from the Laplace posterior N(η̂, cov), shape (n, n_eta)."""
        return rng.multivariate_normal(self.eta_vector, self.cov, size=n, method="cholesky")

    def band(self, times_h, *, rng: np.random.Generator, events=None, n_samples: int = 300,
             level: float = 0.90) -> pd.DataFrame:
        """Prediction band from posterior draws: time_h, conc_ng_ml (median), lo_ng_ml, hi_ng_ml.

        ``events`` (default: the fitted history) may extend the history into the future.
        """
        times = np.asarray(times_h, float).ravel()
        ev = self.problem.events if events is None else events
        draws = individual(self.problem, self.sample_eta(n_samples, rng=rng))
        conc = pk.predict(draws, ev, times)
        tail = 50 * (1 - level)
        lo, mid, hi = np.percentile(conc, [tail, 50, 100 - tail], axis=0)
        return pd.DataFrame({"time_h": times, "conc_ng_ml": mid, "lo_ng_ml": lo, "hi_ng_ml": hi})


def minimise(problem: MapProblem, *, predict: Callable = pk.predict, gtol: float = 1e-3):
    """Minimise J over η; returns ``(eta, J, Hessian, converged, n_evaluations)``."""
    offsets = stencil(problem.n_eta)
    cache: dict[bytes, tuple] = {}

    def fgh(x):
        key = x.tobytes()
        if key not in cache:
            cache[key] = derivatives(objective(problem, x + offsets, predict=predict), problem.n_eta)
        return cache[key]

    from scipy.optimize import minimize  # on first use: ~0.4 s to import

    res = minimize(lambda x: fgh(x)[:2], np.zeros(problem.n_eta), jac=True,
                   hess=lambda x: fgh(x)[2], method="trust-exact", options={"gtol": gtol})
    f0, grad, hess = fgh(res.x)
    # a trust region can stall on finite-difference noise with |g| just above gtol: still optimal
    converged = bool(res.success) or float(np.max(np.abs(grad))) < 10 * gtol
    return res.x, float(f0), hess, converged, len(cache)


def laplace_cov(hess: np.ndarray) -> np.ndarray:
    """Posterior covariance 2 H⁻¹ of η (J = −2 log posterior); eigenvalues kept positive."""
    w, v = np.linalg.eigh(0.5 * (hess + hess.T))
    w = np.maximum(w, 1e-8 * max(w.max(), 1e-12))
    return (v / w) @ v.T * 2.0


def map_estimate(model, events, observations=None, *, covariates=None, interactions=(),
                 residual=None) -> MapFit:
    """Maximum a posteriori individual parameters from measured levels.

    Parameters
    ----------
    model : PKModel from ``pk.load_model`` (prior ω², residual error, covariate model).
    events : DataFrame ``time_h``, ``amt_mg``: the doses actually given.
    observations : DataFrame ``time_h`` (h, after the first dose), ``conc_ng_ml`` (> 0), or None.
    covariates : dict, optional, as for ``pk.typical_parameters``.
    interactions : names of modifiers, as for ``pk.typical_parameters``.
    residual : (proportional fraction, additive SD ng/mL), to override the model's error model.

    Returns
    -------
    MapFit : ``params`` (cl_l_h, vc_l, ...), ``eta``, ``cov``, ``predict(times_h)``, ``band``.

    Examples
    --------
    >>> from mtorlib import regimen
    >>> ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=14)
    >>> levels = pd.DataFrame({"time_h": [168.0, 336.0], "conc_ng_ml": [6.0, 7.0]})
    >>> fit = map_estimate(pk.load_model("sirolimus_cheng2020"), ev, levels)
    >>> round(fit.params["cl_l_h"], 2), fit.typical["cl_l_h"]
    (6.65, 5.63)
    """
    problem = make_problem(model, events, observations, covariates=covariates,
                           interactions=interactions, residual=residual)
    eta, j, hess, ok, n_eval = minimise(problem)
    indiv = individual(problem, eta)
    typical = pk.typical_parameters(model, covariates, interactions=interactions)
    params = {k: float(np.asarray(indiv[k]).ravel()[0]) for k in typical}
    return MapFit(problem, dict(zip(model.eta_names, map(float, eta), strict=True)), params,
                  {k: float(v) for k, v in typical.items()}, laplace_cov(hess), j, ok, n_eval)
