"""Probability of target attainment (PTA) of steady-state troughs in a virtual population.

* :func:`steady_state_troughs` — exact steady-state trough per subject (vectorised)
* :func:`weight_bands` — a covariate grid of body-weight bands
* :func:`target_attainment` — tidy PTA table by dose and covariate band

>>> import numpy as np
>>> t = target_attainment("sirolimus_cheng2020", doses_mg=[1, 2], every_h=24,
...                       n_subjects=500, rng=np.random.default_rng(0))
>>> t[["band", "dose_mg"]].values.tolist()
[['reference', 1.0], ['reference', 2.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import checks
from ..regimen import MAX_DOSE_MG, WEIGHT_KG
from .closed_form import CENTRAL, DEPOT, Propagator, as_arrays
from .constants import target_window
from .errors import PKInputError
from .limits import MAX_BANDS, MAX_CONC_NG_ML, MAX_DOSE_LEVELS, MAX_SUBJECTS
from .models import as_model, individual_parameters, sample_eta
from .quantities import check_dosing


def steady_state_troughs(params: dict, *, dose_mg: float, every_h: float) -> np.ndarray:
    """Steady-state trough (ng/mL) of ``dose_mg`` every ``every_h`` h for each subject, shape (n,)."""
    p, n = as_arrays(params)
    prop = Propagator(p)
    m = prop.lam.shape[1]
    P = prop(np.array([float(every_h)]))[:, 0]  # (n, m, m)
    d = np.zeros((n, m))
    d[:, DEPOT] = p.get("f_rel", np.ones(n)) * dose_mg
    a_ss = np.linalg.solve(np.eye(m) - P, d[:, :, None])[:, :, 0]  # just after a dose
    return 1000.0 / p["vc_l"] * np.einsum("nj,nj->n", P[:, CENTRAL], a_ss)


def weight_bands(edges_kg, *, label_unit: str = "kg") -> dict[str, dict]:
    """Covariate grid of weight bands, each represented by its midpoint.

    >>> weight_bands([10, 20, 40])
    {'10-20 kg': {'weight_kg': 15.0}, '20-40 kg': {'weight_kg': 30.0}}
    """
    where = "pk.weight_bands"
    items = list(edges_kg) if isinstance(edges_kg, (list, tuple, np.ndarray, range)) else None
    if items is None or not 2 <= len(items) <= MAX_BANDS + 1:
        raise PKInputError(f"edges_kg must be a list of 2 to {MAX_BANDS + 1} increasing weights (kg); "
                           f"got {edges_kg!r:.80} ({where})")
    edges = [checks.number(e, f"edges_kg[{i}]", where, lo=WEIGHT_KG[0], hi=WEIGHT_KG[1], error=PKInputError)
             for i, e in enumerate(items)]
    if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
        raise PKInputError(f"edges_kg must be increasing; got {edges_kg!r:.80} ({where})")
    return {f"{a:g}-{b:g} {label_unit}": {"weight_kg": (a + b) / 2} for a, b in zip(edges, edges[1:],
                                                                                  strict=False)}


def _doses(doses_mg, every_h, where: str) -> tuple[list[float], float]:
    items = list(np.atleast_1d(doses_mg)) if not isinstance(doses_mg, (str, dict)) else []
    if not 1 <= len(items) <= MAX_DOSE_LEVELS:
        msg = f"doses_mg must be 1 to {MAX_DOSE_LEVELS} doses (mg); got {doses_mg!r:.80} ({where})"
        raise PKInputError(msg)
    doses = [checks.number(d, f"doses_mg[{i}]", where, lo=0, lo_open=True, hi=MAX_DOSE_MG, error=PKInputError)
             for i, d in enumerate(items)]
    return doses, check_dosing(doses[0], every_h, where)[1]


def target_attainment(model, *, doses_mg, every_h, target_ng_ml=None, covariate_grid=None,
                      interactions=(), n_subjects=1000, rng=None) -> pd.DataFrame:
    """Fraction of virtual patients whose steady-state trough falls in the target window.

    Parameters
    ----------
    model : PKModel or str
    doses_mg : sequence of float
        Doses to compare (mg per dose, > 0 and at most ``regimen.MAX_DOSE_MG``; up to 100 of them).
    every_h : float
        Dosing interval (h, within ``regimen.MIN_INTERVAL_H`` .. ``MAX_INTERVAL_H``).
    target_ng_ml : (low, high), optional
        Target trough window (ng/mL), inclusive; default the drug's window (:func:`target_window`).
    covariate_grid : dict, optional
        band label -> covariate dict (e.g. :func:`weight_bands`); default one band "reference".
    n_subjects : int
        Virtual patients per band (the same random effects are reused for every dose); at most
        ``pk.limits.MAX_SUBJECTS``, and at most ten times that over all bands.
    rng : numpy.random.Generator

    Returns
    -------
    DataFrame
        ``band, dose_mg, every_h, pta, below, above, median_trough_ng_ml, n_subjects`` plus one
        column per covariate of the grid. Residual error is not added (true troughs).
    """
    where = "pk.target_attainment"
    model = as_model(model)
    if target_ng_ml is None:
        target_ng_ml = target_window(model.drug).ng_ml
    if not isinstance(rng, np.random.Generator):
        raise PKInputError(f"rng must be a numpy.random.Generator; got {rng!r}")
    try:
        low, high = (float(x) for x in target_ng_ml)
    except (TypeError, ValueError):
        msg = f"target_ng_ml must be a pair (low, high) in ng/mL; got {target_ng_ml!r}"
        raise PKInputError(msg) from None
    if not (0 <= low < high <= MAX_CONC_NG_ML):
        raise PKInputError(f"target_ng_ml must be (low, high) with 0 <= low < high <= {MAX_CONC_NG_ML:g}; "
                           f"got {target_ng_ml!r} ({where})")
    n_subjects = checks.integer(n_subjects, "n_subjects", where, lo=1, hi=MAX_SUBJECTS, error=PKInputError)
    doses, every_h = _doses(doses_mg, every_h, where)
    grid = covariate_grid if covariate_grid is not None else {"reference": {}}
    if not isinstance(grid, dict) or not 1 <= len(grid) <= MAX_BANDS:
        raise PKInputError(f"covariate_grid must be a dict of 1 to {MAX_BANDS} bands: label -> covariates "
                           f"({where})")
    if n_subjects * len(grid) > MAX_SUBJECTS * 10:
        raise PKInputError(f"n_subjects × bands must be <= {MAX_SUBJECTS * 10:,}; got {n_subjects} × "
                           f"{len(grid)} ({where})")
    rows = []
    for band, cov in grid.items():
        eta = sample_eta(model, int(n_subjects), rng)
        params = individual_parameters(model, covariates=cov, eta=eta, interactions=interactions)
        unit = steady_state_troughs(params, dose_mg=1.0, every_h=every_h)  # linear in dose
        for dose in doses:
            c = unit * dose
            rows.append({"band": band, **cov, "dose_mg": dose, "every_h": float(every_h),
                         "pta": float(np.mean((c >= low) & (c <= high))),
                         "below": float(np.mean(c < low)), "above": float(np.mean(c > high)),
                         "median_trough_ng_ml": float(np.median(c)), "n_subjects": int(n_subjects)})
    return pd.DataFrame(rows)
