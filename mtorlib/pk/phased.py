"""Exact linear PK when clearance and bioavailability change at given times (piecewise constant).

An interacting drug started or stopped mid-course changes the rate constants, not the amounts in
the body: the state (mg in depot, central and peripheral compartments) carries over at a change
time and only the propagator ``P(τ) = exp(K τ)`` changes. :func:`predict_phased` therefore steps
the state from breakpoint to breakpoint (every dose time and every change time), using in each
step the propagator of the phase in force, and reads each output from the last breakpoint before
it, exactly as :func:`mtorlib.pk.predict` does for constant parameters.

Phases: ``starts_h[0] == 0``; phase ``i`` holds on ``[starts_h[i], starts_h[i + 1])``. In phase ``i``
clearance is ``cl_l_h × cl_factor[i]`` and every dose given in it is absorbed with
``f_rel × f_factor[i]`` (a dose exactly at a change time belongs to the new phase). Volumes and
absorption rate do not change, so concentrations are continuous at every change time.

>>> from mtorlib import regimen
>>> from mtorlib.pk import predict
>>> p = {"ka_per_h": 1.0, "cl_l_h": 10.0, "vc_l": 100.0}
>>> ev = regimen.repeated(dose_mg=1, every_h=24, n_doses=1)
>>> c = predict_phased(p, ev, [1, 24, 48], starts_h=[0, 24], cl_factor=[1, 0.5], f_factor=[1, 1])
>>> c.round(3).tolist()
[[5.966, 1.008, 0.304]]
>>> predict(p, ev, [1, 24, 48]).round(3).tolist()  # clearance unchanged: faster decline after 24 h
[[5.966, 1.008, 0.091]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import integer, number
from ..regimen import event_arrays
from .closed_form import CENTRAL, DEPOT, Propagator, as_arrays
from .errors import PKInputError

WHERE = "pk.predict_phased"
MAX_PHASES = 1000  # size cap: one propagator per phase
MAX_FACTOR = 1e3  # a clearance or bioavailability factor outside [1e-3, 1e3] is a unit error


def check_phases(starts_h, cl_factor, f_factor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Phase arrays as floats: starts from 0, strictly increasing; factors finite and > 0."""
    arrays = []
    for name, values in (("starts_h", starts_h), ("cl_factor", cl_factor), ("f_factor", f_factor)):
        seq = np.atleast_1d(np.asarray(values, dtype=object))
        if seq.ndim != 1:
            raise PKInputError(f"{name} must be a list of numbers; got shape {seq.shape} ({WHERE})")
        lo = 0.0 if name == "starts_h" else 1.0 / MAX_FACTOR
        hi = None if name == "starts_h" else MAX_FACTOR
        arrays.append(np.array([number(v, f"{name}[{i}]", WHERE, lo=lo, hi=hi, error=PKInputError)
                                for i, v in enumerate(seq)]))
    starts, cl, f = arrays
    integer(len(starts), "number of phases", WHERE, lo=1, hi=MAX_PHASES, error=PKInputError)
    if len(cl) != len(starts) or len(f) != len(starts):
        raise PKInputError(f"starts_h, cl_factor and f_factor need one value per phase; got "
                           f"{len(starts)}, {len(cl)}, {len(f)} ({WHERE})")
    if starts[0] != 0.0 or (np.diff(starts) <= 0).any():
        raise PKInputError(f"starts_h must begin at 0 and increase strictly; got {starts.tolist()} ({WHERE})")
    return starts, cl, f


def _initial(initial_amounts, n: int, m: int) -> np.ndarray:
    if initial_amounts is None:
        return np.zeros((n, m))
    a = np.asarray(initial_amounts, dtype=float)
    if a.shape not in ((m,), (n, m), (1, m)) or not np.isfinite(a).all() or (a < 0).any():
        raise PKInputError(f"initial_amounts must be finite, >= 0 and of shape ({m},) or ({n}, {m}) "
                           f"(mg per compartment); got shape {a.shape} ({WHERE})")
    return np.broadcast_to(a, (n, m)).copy()


def _states(props, phase_of, gaps, dose_amt, f, a0) -> np.ndarray:
    """Amounts just after each breakpoint's dose (n, n_breaks, m) (mg)."""
    n, m = a0.shape
    steps = {}
    for ph, prop in enumerate(props):  # one propagator call per phase, for its distinct gaps
        sel = np.flatnonzero(phase_of[:-1] == ph)
        if len(sel):
            ug, inv = np.unique(gaps[sel], return_inverse=True)
            P = prop(ug)  # (n, G, m, m)
            for k, g in zip(sel, inv, strict=True):
                steps[k] = P[:, g]
    A = np.empty((n, len(phase_of), m))
    state = a0[:, :, None]
    for k in range(len(phase_of)):
        if k:
            state = steps[k - 1] @ state
        state = state.copy()
        state[:, DEPOT, 0] += f[:, k] * dose_amt[k]
        A[:, k] = state[:, :, 0]
    return A


def predict_phased(params: dict, events: pd.DataFrame, times_h, *, starts_h, cl_factor, f_factor,
                   initial_amounts=None) -> np.ndarray:
    """Whole-blood concentrations (ng/mL) with piecewise-constant clearance and bioavailability.

    Parameters
    ----------
    params : dict
        As for :func:`mtorlib.pk.predict` (``ka_per_h``, ``cl_l_h`` (L/h), ``vc_l`` (L), optional
        ``q_l_h``, ``vp_l``, ``f_rel``), floats or arrays of shape (n_subjects,).
    events : DataFrame
        ``time_h``, ``amt_mg`` (see :mod:`mtorlib.regimen`), shared by every subject.
    times_h : array-like
        Output times (h, finite, >= 0), any order.
    starts_h, cl_factor, f_factor : sequences of numbers, one per phase
        Phase start times (h; first 0, increasing) and the multipliers of clearance and of the
        bioavailability of doses given in that phase (dimensionless, > 0).
    initial_amounts : array, shape (m,) or (n_subjects, m), optional
        Amounts (mg) in each compartment at time 0 before any dose (default: none), e.g. a
        steady state reached before the simulation starts.

    Returns
    -------
    ndarray, shape (n_subjects, n_times)
    """
    p, n = as_arrays(params)
    starts, cl, ff = check_phases(starts_h, cl_factor, f_factor)
    t_ev, a_ev = event_arrays(events, WHERE)
    times = np.asarray(times_h, dtype=float).ravel()
    if not np.isfinite(times).all() or (times < 0).any():
        bad = times[~np.isfinite(times) | (times < 0)][0]
        raise PKInputError(f"times_h must be finite and >= 0; got {float(bad)!r} ({WHERE})")
    breaks = np.unique(np.concatenate([t_ev, starts]))
    dose_amt = np.zeros(len(breaks))
    np.add.at(dose_amt, np.searchsorted(breaks, t_ev), a_ev)  # simultaneous doses add
    phase_of = np.searchsorted(starts, breaks, side="right") - 1
    props = [Propagator({**p, "cl_l_h": p["cl_l_h"] * c}) for c in cl]
    f = p.get("f_rel", np.ones(n))[:, None] * ff[phase_of][None, :]
    a0 = _initial(initial_amounts, n, props[0].lam.shape[1])
    A = _states(props, phase_of, np.diff(breaks), dose_amt, f, a0)
    # the state after a breakpoint's dose is exact and entrywise >= 0; clip its round-off
    A = np.maximum(A, 0.0) * (1000.0 / p["vc_l"])[:, None, None]
    order = np.argsort(times, kind="stable")
    ts = times[order]
    k_of = np.searchsorted(breaks, ts, side="right") - 1  # last breakpoint at or before t (k >= 0)
    ph_of = phase_of[k_of]
    rows, u_of = [None] * len(props), np.empty(len(ts), dtype=int)
    for ph, prop in enumerate(props):  # exponentials once per distinct time after a breakpoint
        sel = np.flatnonzero(ph_of == ph)
        if len(sel):
            utaus, u_of[sel] = np.unique(ts[sel] - breaks[k_of[sel]], return_inverse=True)
            rows[ph] = np.maximum(prop(utaus, rows=CENTRAL), 0.0).transpose(0, 2, 1)  # (n, m, U)
    out = np.empty((n, len(ts)))
    for k, lo, hi, reps in _runs(k_of, u_of, ph_of):
        L = (hi - lo) // reps  # consecutive breakpoints with the same output offsets: one product
        block = A[:, k:k + reps] @ rows[phase_of[k]][:, :, u_of[lo:lo + L]]  # (n, reps, L)
        out[:, lo:hi] = block.reshape(n, hi - lo)
    result = np.empty_like(out)
    result[:, order] = out
    return result


def _runs(k_of: np.ndarray, u_of: np.ndarray, ph_of: np.ndarray):
    """``(first_breakpoint, lo, hi, n_breakpoints)`` over sorted outputs: consecutive breakpoints
    of one phase whose output offsets are identical form one run."""
    if len(k_of) == 0:
        return
    cuts = np.flatnonzero(np.diff(k_of)) + 1
    bounds = np.concatenate([[0], cuts, [len(k_of)]])
    run = None
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        k, key = int(k_of[lo]), u_of[lo:hi]
        if run:
            first = u_of[run[1]:run[1] + (run[2] - run[1]) // run[3]]
            if k == run[0] + run[3] and ph_of[lo] == ph_of[run[1]] and np.array_equal(key, first):
                run[2], run[3] = hi, run[3] + 1
                continue
            yield tuple(run)
        run = [k, lo, hi, 1]
    yield tuple(run)
