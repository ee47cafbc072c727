"""Interacting drugs started or stopped mid-course: sourced modifiers switched on over a window.

A window ``(name, start_h, stop_h)`` switches one modifier of :mod:`mtorlib.pk.modifiers` on at
``start_h`` and off at ``stop_h`` (``None``: not stopped within the simulation); clearance changes at
those times and doses given inside the window are absorbed with the modifier's bioavailability
factor. The amounts in the body carry over (see :mod:`mtorlib.pk.phased`).

* :func:`modifier_effect` — one modifier as (clearance factor, bioavailability factor)
* :func:`phase_table` — windows → phases ``start_h, cl_factor, f_factor, active``
* :func:`simulate_windows` — like :func:`mtorlib.pk.simulate`, with windows
* :func:`trough_after_switch` — the trough some days after a start or stop, scaled to a measured
  steady-state trough (one number: usable in case tasks and quiz questions)

Teaching simplifications, stated wherever these results are shown:

* **The switch is instantaneous.** The sources give no onset or offset time course of the
  inhibition (for voriconazole or posaconazole with sirolimus, none was retrieved), so the
  interacting drug acts fully from its first dose and not at all after its last.
* Interactions come from single-dose studies (AUC ratios). Where no half-life change was reported
  (azoles with sirolimus) the whole effect is on clearance, so the half-life on the azole is the
  AUC ratio times longer and the new level is approached slowly; if part of the real effect is on
  bioavailability, the level moves faster than shown.

Equivalence with the constant modifiers: a modifier that divides CL/F by the AUC ratio ``R`` and,
with a reported half-life ratio ``h``, scales the apparent volumes by ``h / R`` is the same linear
system as true clearance × ``1 / h`` with doses × ``R / h`` (``h = R`` without half-life data):
same rate constants, concentrations scaled alike. So a window covering the whole simulation gives
exactly :func:`mtorlib.pk.simulate` with the modifier in ``interactions``.

>>> round(trough_after_switch("sirolimus_label", modifier="posaconazole", trough_ng_ml=6,
...                           days=7), 1)  # 6 ng/mL before, dose unchanged
16.3
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import number
from .closed_form import DEPOT, Propagator, as_arrays
from .errors import PKInputError
from .models import PKModel, as_model, individual_parameters, sample_eta, typical_parameters
from .modifiers import modifier as modifier_record
from .phased import predict_phased
from .simulate import add_residual, check_rng, default_times

MAX_H = 24.0 * 365 * 5  # windows within 5 years of the start (size cap)
CHANGES = ("start", "stop")


@dataclass(frozen=True)
class ModifierWindow:
    """One modifier in force over ``[start_h, stop_h)`` (h; ``stop_h=None``: not stopped)."""

    name: str
    start_h: float
    stop_h: float | None = None


def modifier_effect(drug: str, name: str) -> tuple[float, float]:
    """``(cl_factor, f_factor)``: the modifier as true-clearance and bioavailability multipliers.

    >>> [round(x, 4) for x in modifier_effect("sirolimus", "diltiazem")]
    [1.1792, 1.8868]
    """
    m = modifier_record(drug, name)
    if m["category"] == "hepatic":
        return float(m["cl_factor"]), 1.0
    ratio = float(m["auc_ratio"])
    if m["applies_to"] == "f_rel":
        return 1.0, ratio
    h = float(m.get("half_life_ratio", ratio))
    return 1.0 / h, ratio / h


def _window(w, i: int, where: str) -> ModifierWindow:
    if isinstance(w, ModifierWindow):
        name, start, stop = w.name, w.start_h, w.stop_h
    elif isinstance(w, (tuple, list)) and len(w) in (2, 3) and isinstance(w[0], str):
        name, start, stop = w[0], w[1], (w[2] if len(w) == 3 else None)
    else:
        raise PKInputError(f"windows[{i}] must be (name, start_h) or (name, start_h, stop_h); "
                           f"got {w!r} ({where})")
    start = number(start, f"windows[{i}].start_h", where, lo=0, hi=MAX_H, error=PKInputError)
    if stop is not None:
        stop = number(stop, f"windows[{i}].stop_h", where, lo=start, lo_open=True, hi=MAX_H,
                      error=PKInputError)
    return ModifierWindow(name, start, stop)


def _check_groups(model: PKModel, windows: list[ModifierWindow], interactions, where: str):
    constant = {modifier_record(model.drug, n)["group"]: n for n in interactions}
    for i, w in enumerate(windows):
        g = modifier_record(model.drug, w.name)["group"]
        if g in model.comedication:
            raise PKInputError(f"{model.model_id} was fitted in patients already taking {g}; "
                               f"a window of {w.name!r} would count it twice ({where})")
        if g in constant:
            raise PKInputError(f"{w.name!r} (windows[{i}]) and {constant[g]!r} in interactions are "
                               f"in the same group {g!r}; give it once ({where})")
        for j, other in enumerate(windows[:i]):
            if modifier_record(model.drug, other.name)["group"] != g:
                continue
            a_stop, b_stop = w.stop_h or math.inf, other.stop_h or math.inf
            if w.start_h < b_stop and other.start_h < a_stop:
                raise PKInputError(f"windows[{j}] ({other.name!r}) and windows[{i}] ({w.name!r}) "
                                   f"overlap in group {g!r}; one at a time ({where})")


def phase_table(model, windows: Sequence, *, interactions=()) -> pd.DataFrame:
    """Phases from windows: ``start_h`` (first 0), ``cl_factor``, ``f_factor``, ``active`` (names).

    >>> phase_table("sirolimus_label", [("voriconazole", 48, 120)]).active.tolist()
    ['', 'voriconazole', '']
    """
    where = "pk.phase_table"
    model = as_model(model)
    if isinstance(windows, (str, ModifierWindow)) or not isinstance(windows, Sequence):
        raise PKInputError(f"windows must be a list of (name, start_h[, stop_h]); got {windows!r} ({where})")
    ws = [_window(w, i, where) for i, w in enumerate(windows)]
    _check_groups(model, ws, (interactions,) if isinstance(interactions, str) else interactions, where)
    cuts = sorted({0.0, *(w.start_h for w in ws), *(w.stop_h for w in ws if w.stop_h is not None)})
    rows = []
    for t in cuts:
        on = [w.name for w in ws if w.start_h <= t < (w.stop_h or math.inf)]
        effects = [modifier_effect(model.drug, name) for name in on]
        rows.append({"start_h": t, "cl_factor": math.prod(e[0] for e in effects),
                     "f_factor": math.prod(e[1] for e in effects), "active": " + ".join(on)})
    return pd.DataFrame(rows)


def simulate_windows(model, events, *, windows, times_h=None, covariates=None, interactions=(),
                     n_subjects=None, rng=None, residual=False) -> pd.DataFrame:
    """Concentration-time profiles with modifiers switched on and off (see the module notes).

    Parameters as :func:`mtorlib.pk.simulate`, plus ``windows``: a list of
    ``(name, start_h, stop_h)`` or :class:`ModifierWindow` (h from the first event time 0).
    ``interactions`` stay in force throughout. Returns ``subject, time_h, conc_ng_ml``.
    """
    model = as_model(model)
    phases = phase_table(model, windows, interactions=interactions)
    times = default_times(events) if times_h is None else np.asarray(times_h, dtype=float).ravel()
    eta = None
    if n_subjects is not None:
        if isinstance(n_subjects, bool) or not isinstance(n_subjects, (int, np.integer)) or n_subjects < 1:
            raise PKInputError(f"n_subjects must be None or an integer >= 1; got {n_subjects!r}")
        eta = sample_eta(model, int(n_subjects), check_rng(rng, "n_subjects is given"))
    params = individual_parameters(model, covariates=covariates, eta=eta, interactions=interactions)
    conc = predict_phased(params, events, times, starts_h=phases.start_h, cl_factor=phases.cl_factor,
                          f_factor=phases.f_factor)
    if residual:
        conc = add_residual(model, conc, check_rng(rng, "residual=True"))
    n, t = conc.shape
    return pd.DataFrame({"subject": np.repeat(np.arange(n), t), "time_h": np.tile(times, n),
                         "conc_ng_ml": conc.ravel()})


def trough_after_switch(model="sirolimus_label", *, modifier, trough_ng_ml, days, every_h=24.0,
                        change="start", dose_factor=1.0) -> float:
    """Predicted trough (ng/mL) ``days`` after an interacting drug starts or stops.

    The typical patient of ``model`` is at steady state on a regular dose every ``every_h`` hours
    with ``modifier`` off (``change="start"``) or on (``"stop"``) and a measured trough
    ``trough_ng_ml``. At time 0 the modifier starts or stops and, from the dose at time 0 on, the
    dose is multiplied by ``dose_factor`` (0.5 = a 50 % cut, 0 = doses held). Linear kinetics: the
    result is ``trough_ng_ml`` × the model's trough ratio, so the dose itself cancels; an
    individual's difference from the typical patient is assumed to scale all levels alike.
    Teaching only; the switch is instantaneous (see the module notes).
    """
    where = "pk.trough_after_switch"
    model = as_model(model)
    trough = number(trough_ng_ml, "trough_ng_ml", where, lo=0, lo_open=True, hi=1000, error=PKInputError)
    tau = number(every_h, "every_h", where, lo=0, lo_open=True, hi=168, error=PKInputError)
    d = number(days, "days", where, lo=0, lo_open=True, hi=365, error=PKInputError)
    factor = number(dose_factor, "dose_factor", where, lo=0, hi=10, error=PKInputError)
    if change not in CHANGES:
        raise PKInputError(f"change must be one of {', '.join(CHANGES)}; got {change!r} ({where})")
    n_doses = 24.0 * d / tau
    if abs(n_doses - round(n_doses)) > 1e-9:
        raise PKInputError(f"days × 24 must be a whole number of dosing intervals ({tau:g} h) so the "
                           f"result is a trough; got days = {d:g} ({where})")
    _check_groups(model, [ModifierWindow(modifier, 0.0)], (), where)
    cl, f = modifier_effect(model.drug, modifier)
    (cl0, f0), (cl1, f1) = ((1.0, 1.0), (cl, f)) if change == "start" else ((cl, f), (1.0, 1.0))
    p = typical_parameters(model)
    prop = Propagator(as_arrays({**p, "cl_l_h": p["cl_l_h"] * cl0})[0])
    P = prop(np.array([tau]))[0, 0]
    dose = np.zeros(P.shape[0])
    dose[DEPOT] = p["f_rel"] * f0  # a unit dose: the level cancels in the ratio
    before = P @ np.linalg.solve(np.eye(len(dose)) - P, dose)  # just before a dose at steady state
    events = pd.DataFrame({"time_h": tau * np.arange(round(n_doses)), "amt_mg": factor})
    c = predict_phased(p, events, [0.0, 24.0 * d], starts_h=[0.0], cl_factor=[cl1], f_factor=[f1],
                       initial_amounts=before)[0]
    return float(trough * c[1] / c[0])
