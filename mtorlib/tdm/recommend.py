"""Dose suggestion for a target trough window, a priori (covariates) or a posteriori (a MAP fit).

Steady-state troughs are linear in dose, so each parameter draw gives a trough per mg/day
(superposition of one 1-mg dose over past intervals, with a geometric tail for the terminal
phase). The point estimate (η = 0 a priori, η̂ a posteriori) fixes the predicted trough; a
deterministic quasi-random sample of η (Sobol points, no random state) from the prior or the
Laplace posterior gives the probability that the trough lands in the window.

* :func:`ss_trough_per_mg` — steady-state trough (ng/mL) per mg/day for parameter arrays.
* :func:`recommend_dose` — a :class:`Recommendation` with the dose rounded to a practical
  strength, its predicted trough, the probability in target, and an explanation in en and zh.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import pk
from ..i18n import LANGUAGES, tr
from .rules import (
    FORMS,
    MAX_DAILY_MG,
    TDMError,
    check_interval,
    check_window,
    round_to_strength,
    tablet_combination,
)

HORIZON_H = 1000.0  # past dosing history summed explicitly; the rest by a geometric tail
N_POINTS = 512  # quasi-random η points for the probability in target
NEAR_BEST = 0.005  # probabilities this close to the best count as ties (then: nearest middle)


def ss_trough_per_mg(params: dict, *, every_h: float) -> np.ndarray:
    """Steady-state trough (ng/mL) per 1 mg given every ``every_h`` h, one value per subject.

    Sum over k ≥ 1 of the single-dose curve at k·τ, k ≤ K (explicit), plus the tail
    c_K · r / (1 − r), r = c_K / c_(K−1) (exact once the terminal phase is mono-exponential).
    """
    tau = check_interval(every_h, "tdm.ss_trough_per_mg")
    k = max(8, int(np.ceil(HORIZON_H / tau)))
    single = pd.DataFrame({"time_h": [0.0], "amt_mg": [1.0]})
    conc = pk.predict(params, single, tau * np.arange(1, k + 1))
    last, before = conc[:, -1], conc[:, -2]
    ratio = np.divide(last, before, out=np.zeros_like(last), where=before > 0)
    ratio = np.clip(ratio, 0.0, 1.0 - 1e-9)
    return conc.sum(axis=1) + last * ratio / (1.0 - ratio)


def normal_points(mean: np.ndarray, cov: np.ndarray, n: int = N_POINTS) -> np.ndarray:
    """``n`` deterministic quasi-random points of N(mean, cov) (unscrambled Sobol, centred)."""
    from scipy.stats import norm, qmc  # on first use: scipy.stats takes ~0.6 s to import

    d = len(mean)
    u = qmc.Sobol(d, scramble=False).random(n) + 0.5 / n
    z = norm.ppf(u)
    w, v = np.linalg.eigh(cov)
    root = v * np.sqrt(np.maximum(w, 0.0))
    return mean + z @ root.T


@dataclass(frozen=True)
class Recommendation:
    """A suggested maintenance dose (teaching only) and why.

    ``dose_mg`` is rounded to a practical strength (mg per dose, every ``every_h`` h);
    ``predicted_trough_ng_ml`` is the steady-state trough at the point estimate;
    ``probability_in_target`` allows for the remaining uncertainty (prior or posterior);
    ``explanation`` is ``{"en": ..., "zh": ...}``.
    """

    dose_mg: float
    exact_dose_mg: float
    every_h: float
    form: str
    target_ng_ml: tuple[float, float]
    predicted_trough_ng_ml: float
    probability_in_target: float
    trough_per_mg: float
    basis: str
    explanation: dict

    @property
    def in_target(self) -> bool:
        lo, hi = self.target_ng_ml
        return lo <= self.predicted_trough_ng_ml <= hi


def _distribution(model, fit, covariates, interactions, where):
    """(point-estimate η, covariance, covariates, interactions, basis)."""
    if fit is None:
        omega2 = np.array([model.omega2[k] for k in model.eta_names], float)
        return np.zeros(len(omega2)), np.diag(omega2), covariates, tuple(interactions), "a_priori"
    if fit.model.model_id != model.model_id:
        raise TDMError(f"fit is for model {fit.model.model_id!r}, not {model.model_id!r} ({where})")
    if covariates is not None:
        raise TDMError(f"pass covariates=None with a fit (the fit's covariates are used) ({where})")
    p = fit.problem
    return fit.eta_vector, fit.cov, p.covariates, p.interactions, "a_posteriori"


def _choose(candidates, per_mg_point, per_mg_draws, lo, hi):
    """Index of the candidate with the best probability in target (ties: nearest middle)."""
    troughs = candidates[:, None] * per_mg_draws[None, :]
    prob = np.mean((troughs >= lo) & (troughs <= hi), axis=1)
    point = candidates * per_mg_point
    inside = (point >= lo) & (point <= hi)
    distance = np.abs(point - 0.5 * (lo + hi))
    if not inside.any():
        return int(np.argmin(distance)), prob
    score = np.where(inside, prob, -1.0)
    ties = score >= score.max() - NEAR_BEST
    return int(np.argmin(np.where(ties, distance, np.inf))), prob


def recommend_dose(model, *, target_ng_ml=None, every_h=24.0, fit=None, covariates=None,
                   interactions=(), form: str = "tablet") -> Recommendation:
    """Suggest a maintenance dose whose steady-state trough falls in ``target_ng_ml``.

    Parameters
    ----------
    model : PKModel from ``pk.load_model``.
    target_ng_ml : (lo, hi) trough window (ng/mL), same assay as the model's data; default the
        drug's window (:func:`mtorlib.pk.target_window`).
    every_h : dosing interval (h).
    fit : MapFit from :func:`mtorlib.tdm.map_estimate`, or None for an a priori suggestion.
    covariates, interactions : for an a priori suggestion (a fit carries its own).
    form : ``"tablet"`` (whole 0.5/1/2 mg tablets) or ``"solution"`` (1 mg/mL).

    Examples
    --------
    >>> rec = recommend_dose(pk.load_model("sirolimus_cheng2020"), covariates={"weight_kg": 20})
    >>> rec.dose_mg, round(rec.predicted_trough_ng_ml, 1), rec.basis
    (1.5, 9.1, 'a_priori')
    """
    where = "tdm.recommend_dose"
    if target_ng_ml is None:
        target_ng_ml = pk.target_window(model.drug).ng_ml
    lo, hi = check_window(target_ng_ml, where)
    tau = check_interval(every_h, where)
    if form not in FORMS:
        raise TDMError(f"form must be one of {', '.join(FORMS)}; got {form!r} ({where})")
    mean, cov, cov_values, inter, basis = _distribution(model, fit, covariates, interactions, where)
    etas = np.vstack([mean, normal_points(mean, cov)])
    params = pk.individual_parameters(model, covariates=cov_values, eta=etas, interactions=inter)
    per_mg = ss_trough_per_mg(params, every_h=tau)
    step = round_to_strength(1e-9, form=form)
    candidates = np.round(np.arange(1, int(MAX_DAILY_MG / step) + 1) * step, 6)
    best, prob = _choose(candidates, per_mg[0], per_mg[1:], lo, hi)
    dose = float(candidates[best])
    rec = dict(dose_mg=dose, exact_dose_mg=0.5 * (lo + hi) / per_mg[0], every_h=tau, form=form,
               target_ng_ml=(lo, hi), predicted_trough_ng_ml=float(dose * per_mg[0]),
               probability_in_target=float(prob[best]), trough_per_mg=float(per_mg[0]),
               basis=basis)
    text = {lang: explain(rec, fit=fit, lang=lang) for lang in LANGUAGES}
    return Recommendation(**rec, explanation=text)


def _how(dose: float, form: str, lang: str) -> str:
    if form == "solution":
        return tr("tdm.how_solution", lang, ml=dose)
    parts = [f"{n} × {s:g} mg" for s, n in tablet_combination(dose).items()]
    return tr("tdm.how_tablets", lang, tablets=" + ".join(parts))


def explain(rec: dict, *, fit, lang: str) -> str:
    """Plain-language account of a recommendation in ``lang`` (teaching only)."""
    lo, hi = rec["target_ng_ml"]
    if fit is None:
        lines = [tr("tdm.explain_prior", lang, per_mg=rec["trough_per_mg"], every_h=rec["every_h"])]
    else:
        lines = [tr("tdm.explain_posterior", lang, n_obs=len(fit.problem.times_h),
                    cl=fit.params["cl_l_h"], cl_typ=fit.typical["cl_l_h"],
                    per_mg=rec["trough_per_mg"], every_h=rec["every_h"])]
    lines.append(tr("tdm.explain_dose", lang, lo=lo, hi=hi, exact=rec["exact_dose_mg"],
                    dose=rec["dose_mg"], how=_how(rec["dose_mg"], rec["form"], lang),
                    trough=rec["predicted_trough_ng_ml"]))
    if not lo <= rec["predicted_trough_ng_ml"] <= hi:
        lines.append(tr("tdm.explain_outside", lang))
    lines.append(tr("tdm.explain_probability", lang, p=100 * rec["probability_in_target"]))
    lines.append(tr("tdm.explain_check", lang))
    return ("" if lang == "zh" else " ").join(lines)
