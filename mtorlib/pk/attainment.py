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

import math

import numpy as np
import pandas as pd

from .closed_form import CENTRAL, DEPOT, Propagator, as_arrays
from .constants import target_window
from .errors import PKInputError
from .models import _model, individual_parameters, sample_eta


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
    edges = [float(e) for e in edges_kg]
    if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:], strict=False)) or edges[0] <= 0:
        raise PKInputError(f"edges_kg must be at least two increasing weights > 0; got {edges_kg!r}")
    return {f"{a:g}-{b:g} {label_unit}": {"weight_kg": (a + b) / 2} for a, b in zip(edges, edges[1:],
                                                                                  strict=False)}


def _doses(doses_mg) -> list[float]:
    doses = list(np.atleast_1d(np.asarray(doses_mg, dtype=float)))
    if not doses or any(not math.isfinite(d) or d <= 0 for d in doses):
        raise PKInputError(f"doses_mg must be one or more finite numbers > 0; got {doses_mg!r}")
    return doses


def target_attainment(model, *, doses_mg, every_h, target_ng_ml=None, covariate_grid=None,
                      interactions=(), n_subjects=1000, rng=None) -> pd.DataFrame:
    """Fraction of virtual patients whose steady-state trough falls in the target window.

    Parameters
    ----------
    model : PKModel or str
    doses_mg : sequence of float
        Doses to compare (mg per dose, > 0).
    every_h : float
        Dosing interval (h).
    target_ng_ml : (low, high), optional
        Target trough window (ng/mL), inclusive; default the drug's window (:func:`target_window`).
    covariate_grid : dict, optional
        band label -> covariate dict (e.g. :func:`weight_bands`); default one band "reference".
    n_subjects : int
        Virtual patients per band (the same random effects are reused for every dose).
    rng : numpy.random.Generator

    Returns
    -------
    DataFrame
        ``band, dose_mg, every_h, pta, below, above, median_trough_ng_ml, n_subjects`` plus one
        column per covariate of the grid. Residual error is not added (true troughs).
    """
    model = _model(model)
    if target_ng_ml is None:
        target_ng_ml = target_window(model.drug).ng_ml
    if not isinstance(rng, np.random.Generator):
        raise PKInputError(f"rng must be a numpy.random.Generator; got {rng!r}")
    try:
        low, high = (float(x) for x in target_ng_ml)
    except (TypeError, ValueError):
        msg = f"target_ng_ml must be a pair (low, high) in ng/mL; got {target_ng_ml!r}"
        raise PKInputError(msg) from None
    if not (0 <= low < high and math.isfinite(high)):
        raise PKInputError(f"target_ng_ml must be (low, high) with 0 <= low < high; got {target_ng_ml!r}")
    if isinstance(every_h, bool) or not isinstance(every_h, (int, float, np.integer, np.floating)) \
            or not math.isfinite(every_h) or every_h <= 0:
        raise PKInputError(f"every_h must be a finite number > 0; got {every_h!r}")
    if isinstance(n_subjects, bool) or not isinstance(n_subjects, (int, np.integer)) or n_subjects < 1:
        raise PKInputError(f"n_subjects must be an integer >= 1; got {n_subjects!r}")
    doses = _doses(doses_mg)
    grid = covariate_grid if covariate_grid is not None else {"reference": {}}
    if not isinstance(grid, dict) or not grid:
        raise PKInputError("covariate_grid must be a non-empty dict: band label -> covariates")
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
