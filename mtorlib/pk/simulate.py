"""Simulating a model for a regimen: one typical patient or a virtual population.

:func:`simulate` returns a tidy frame ``subject, time_h, conc_ng_ml`` (whole blood). Random
numbers come only from the passed ``numpy.random.Generator``.

>>> import numpy as np
>>> from mtorlib import regimen
>>> ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=7, loading_mg=6)
>>> sim = simulate("sirolimus_label", ev, n_subjects=3, rng=np.random.default_rng(1))
>>> sorted(sim.subject.unique().tolist()), sim.columns.tolist()
([0, 1, 2], ['subject', 'time_h', 'conc_ng_ml'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import checks
from ..regimen import check_events
from .closed_form import check_times, predict
from .errors import PKInputError
from .limits import MAX_FRAME_ROWS, MAX_SUBJECTS
from .models import as_model, individual_parameters, sample_eta

TAIL_H = 72.0  # default output continues this long after the last dose (h)


def default_times(events: pd.DataFrame) -> np.ndarray:
    """Hourly times from 0 to the last dose + 72 h (h)."""
    ev = check_events(events, "pk.simulate")
    return np.arange(0.0, float(ev.time_h.max()) + TAIL_H + 0.5, 1.0)


def add_residual(model, conc: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Simulated measurements ``C·(1 + ε_prop) + ε_add`` from the model's residual SDs.

    Values below zero are reported as 0 (a measurement cannot be negative).
    """
    model = as_model(model)
    res = model.residual
    eps_p = rng.standard_normal(conc.shape) * res["proportional"]
    eps_a = rng.standard_normal(conc.shape) * res["additive_ng_ml"]
    return np.maximum(conc * (1.0 + eps_p) + eps_a, 0.0)


def check_rng(rng, why: str):
    if not isinstance(rng, np.random.Generator):
        raise PKInputError(f"rng must be a numpy.random.Generator when {why}; got {rng!r} "
                           f"(use numpy.random.default_rng(seed))")
    return rng


def simulate(model, events, *, times_h=None, covariates=None, interactions=(), n_subjects=None,
             rng=None, residual=False) -> pd.DataFrame:
    """Concentration-time profiles of a typical patient or a virtual population.

    Parameters
    ----------
    model : PKModel or str
        A model or its id (see :func:`mtorlib.pk.list_models`).
    events : DataFrame
        Dosing events ``time_h``, ``amt_mg`` (see :mod:`mtorlib.regimen`).
    times_h : array-like, optional
        Output times (h); default hourly from 0 to the last dose + 72 h.
    covariates : dict, optional
        Covariate values (model units); reference values where not given.
    interactions : sequence of str
        Modifier names: interacting drugs, food, formulation, hepatic class.
    n_subjects : int, optional
        None: the typical subject only (subject 0). Otherwise that many virtual patients with
        log-normal variability from the model's ω² (at most ``pk.limits.MAX_SUBJECTS``; subjects ×
        times at most ``pk.limits.MAX_FRAME_ROWS``).
    rng : numpy.random.Generator
        Required when ``n_subjects`` is given or ``residual`` is True.
    residual : bool
        Add the model's residual error (simulated measured levels).

    Returns
    -------
    DataFrame
        ``subject`` (int), ``time_h`` (h), ``conc_ng_ml`` (whole blood, ng/mL).
    """
    where = "pk.simulate"
    n = 1 if n_subjects is None else checks.integer(n_subjects, "n_subjects", where, lo=1, hi=MAX_SUBJECTS,
                                                    error=PKInputError)
    times = check_times(default_times(events) if times_h is None else times_h, n, where)
    if n * len(times) > MAX_FRAME_ROWS:
        raise PKInputError(f"n_subjects × output times must be <= {MAX_FRAME_ROWS:,} rows; got {n} × "
                           f"{len(times)} ({where})")
    eta = None if n_subjects is None else sample_eta(model, n, check_rng(rng, "n_subjects is given"))
    params = individual_parameters(model, covariates=covariates, eta=eta, interactions=interactions)
    conc = predict(params, events, times)
    if residual:
        conc = add_residual(model, conc, check_rng(rng, "residual=True"))
    n, t = conc.shape
    return pd.DataFrame({"subject": np.repeat(np.arange(n), t), "time_h": np.tile(times, n),
                         "conc_ng_ml": conc.ravel()})
