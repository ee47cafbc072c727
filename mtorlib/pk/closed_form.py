"""Exact linear PK with first-order absorption, vectorised across subjects (the engine core).

State per subject: amounts (mg) in depot, central and, for the 2-compartment model, peripheral
compartments, ``dA/dt = K A``. Between doses ``A(t0 + τ) = P(τ) A(t0)`` with the propagator
``P(τ) = exp(K τ)``, built from the eigenvalues (``-ka``, ``-k`` or ``-ka, -α, -β``) by Sylvester's
formula; subjects whose rate constants nearly coincide (ka ≈ k, ka ≈ α or β) use
``scipy.linalg.expm`` instead, which is exact there too. The amounts are stepped from dose to
dose, and the output at each time is one row of ``P`` times the amounts after the last dose, so
the exponentials are computed once per distinct time-after-dose, not once per output point.

Whole-blood concentration (ng/mL) = 1000 × central amount (mg) / ``vc_l`` (L).

Parameter keys (floats or arrays of shape ``(n_subjects,)``): ``ka_per_h``, ``cl_l_h``, ``vc_l``;
``q_l_h`` and ``vp_l`` for 2 compartments; optional ``f_rel`` (relative bioavailability factor
multiplying every dose, default 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..regimen import MAX_TIME_H, event_arrays
from .errors import PKInputError
from .limits import MAX_OUTPUT_VALUES, MAX_PARAMETER_SETS, MAX_SUBJECT_DOSES, PARAMETER_BOUNDS

KEYS_1CMT = ("ka_per_h", "cl_l_h", "vc_l")
KEYS_2CMT = (*KEYS_1CMT, "q_l_h", "vp_l")
OPTIONAL = ("f_rel",)
DEPOT, CENTRAL = 0, 1
CHUNK = 64  # subjects per output block
SMALL_N = 32  # up to this many subjects, step doses with matrix products
GAP_TOL = 1e-6  # relative eigenvalue gap below which the expm path is used


def as_arrays(params: dict) -> tuple[dict, int]:
    """Parameter dict as float arrays of one common length; checks keys and values."""
    if not isinstance(params, dict):
        raise PKInputError(f"params must be a dict with keys {', '.join(KEYS_1CMT)}; "
                           f"got {type(params).__name__} (pk.predict)")
    two = "q_l_h" in params or "vp_l" in params
    keys = KEYS_2CMT if two else KEYS_1CMT
    unknown = sorted(set(params) - set(KEYS_2CMT) - set(OPTIONAL))
    missing = [k for k in keys if k not in params]
    if unknown or missing:
        raise PKInputError(f"params keys {sorted(params)}: missing {missing}, unknown {unknown}; "
                           f"allowed: {', '.join(KEYS_2CMT + OPTIONAL)} (pk.predict)")
    out = {}
    for k in (*keys, *(o for o in OPTIONAL if o in params)):
        try:
            a = np.atleast_1d(np.asarray(params[k], dtype=float))
        except (TypeError, ValueError, OverflowError):
            raise PKInputError(f"params['{k}'] must be a number or a 1-D array of numbers; "
                               f"got {type(params[k]).__name__} (pk.predict)") from None
        if a.ndim != 1:
            raise PKInputError(f"params['{k}'] must be a number or a 1-D array; got shape {a.shape}")
        if len(a) > MAX_PARAMETER_SETS:
            raise PKInputError(f"params['{k}'] must hold at most {MAX_PARAMETER_SETS} subjects; got {len(a)} "
                               f"(pk.predict)")
        lo, hi = PARAMETER_BOUNDS[k]
        bad = ~np.isfinite(a) | (a < lo) | (a > hi)
        if bad.any():
            raise PKInputError(f"params['{k}'] must be finite and within [{lo:g}, {hi:g}]; "
                               f"got {float(a[bad][0])!r} (pk.predict)")
        out[k] = a
    n = max(len(a) for a in out.values())
    for k, a in out.items():
        if len(a) not in (1, n):
            raise PKInputError(f"params['{k}'] has {len(a)} values; all arrays need {n} or 1")
        out[k] = np.broadcast_to(a, (n,))
    return out, n


def rate_matrix(p: dict) -> np.ndarray:
    """``K`` of ``dA/dt = K A`` per subject, shape (n, m, m), m = 2 or 3 (1/h)."""
    ka, k10 = p["ka_per_h"], p["cl_l_h"] / p["vc_l"]
    n = len(ka)
    m = 3 if "q_l_h" in p else 2
    K = np.zeros((n, m, m))
    K[:, DEPOT, DEPOT] = -ka
    K[:, CENTRAL, DEPOT] = ka
    K[:, CENTRAL, CENTRAL] = -k10
    if m == 3:
        k12, k21 = p["q_l_h"] / p["vc_l"], p["q_l_h"] / p["vp_l"]
        K[:, CENTRAL, CENTRAL] -= k12
        K[:, CENTRAL, 2] = k21
        K[:, 2, CENTRAL] = k12
        K[:, 2, 2] = -k21
    return K


def eigenvalues(p: dict) -> np.ndarray:
    """Decay rates (positive, 1/h), shape (n, m): ``ka, k`` or ``ka, α, β`` with α > β."""
    ka, k10 = p["ka_per_h"], p["cl_l_h"] / p["vc_l"]
    if "q_l_h" not in p:
        return np.stack([ka, k10], axis=1)
    k12, k21 = p["q_l_h"] / p["vc_l"], p["q_l_h"] / p["vp_l"]
    s = k10 + k12 + k21
    alpha = 0.5 * (s + np.sqrt(s * s - 4.0 * k10 * k21))
    beta = k10 * k21 / alpha  # product form: no cancellation for the slow rate
    return np.stack([ka, alpha, beta], axis=1)


class Propagator:
    """``P(τ) = exp(K τ)`` for every subject, exact for any τ >= 0 (h)."""

    def __init__(self, p: dict):
        self.K = rate_matrix(p)
        lam = eigenvalues(p)
        n, m = lam.shape
        gaps = [np.abs(lam[:, i] - lam[:, j]) for i in range(m) for j in range(i + 1, m)]
        self.near = np.min(gaps, axis=0) <= GAP_TOL * lam.max(axis=1)
        self.lam = lam
        eye = np.eye(m)
        Z = np.empty((n, m, m, m))  # Z[:, i] = spectral projector of eigenvalue -lam_i
        safe = np.where(self.near[:, None], np.arange(1.0, m + 1.0), lam)  # unused where near
        for i in range(m):
            Zi = np.broadcast_to(eye, (n, m, m)).copy()
            for j in range(m):
                if j != i:
                    Zi = Zi @ ((self.K + safe[:, j, None, None] * eye)
                               / (safe[:, j] - safe[:, i])[:, None, None])
            Z[:, i] = Zi
        self.Z = Z

    def __call__(self, taus: np.ndarray, rows: slice | int = slice(None)) -> np.ndarray:
        """``P(τ)[rows]`` for each τ: shape (n, len(taus), m) for one row, (n, len, m, m) else."""
        taus = np.asarray(taus, float)
        E = np.exp(-self.lam[:, None, :] * taus[None, :, None])  # (n, U, m)
        Zr = self.Z[:, :, rows]  # (n, m_eig, m) or (n, m_eig, m, m)
        n, m = self.lam.shape
        out = (E @ Zr.reshape(n, m, -1)).reshape(E.shape[:2] + Zr.shape[2:])
        if self.near.any():
            idx = np.flatnonzero(self.near)
            from scipy.linalg import expm  # on first use: ~0.3 s to import, rarely needed

            P = expm(self.K[idx, None] * taus[None, :, None, None])
            out[idx] = P[:, :, rows]
        return out


def _dose_states(prop: Propagator, dose_t: np.ndarray, dose_a: np.ndarray, f: np.ndarray):
    """Amounts just after each dose (n, n_doses, m) (mg)."""
    n, m = prop.lam.shape
    ugaps, inv = np.unique(np.diff(dose_t), return_inverse=True)
    P = prop(ugaps) if len(ugaps) else None  # (n, G, m, m)
    A = np.empty((n, len(dose_t), m))
    if n <= SMALL_N:  # few subjects: one small matrix product per dose
        state = np.zeros((n, m, 1))
        for k in range(len(dose_t)):
            if k:
                state = P[:, inv[k - 1]] @ state
            state[:, DEPOT, 0] += f * dose_a[k]
            A[:, k] = state[:, :, 0]
        return A
    # many subjects: P[g][i][j] as contiguous (n,) arrays, m*m fused multiply-adds per dose
    P = P.transpose(1, 2, 3, 0).copy() if P is not None else None
    state = [np.zeros(n) for _ in range(m)]
    for k in range(len(dose_t)):
        if k:
            Pg = P[inv[k - 1]]
            state = [sum(Pg[i, j] * state[j] for j in range(m)) for i in range(m)]
        state[DEPOT] = state[DEPOT] + f * dose_a[k]
        for i in range(m):
            A[:, k, i] = state[i]
    return A


def check_times(times_h, n_subjects: int, where: str) -> np.ndarray:
    """Output times as a flat float array: finite, 0 to ``MAX_TIME_H``, at most
    ``MAX_OUTPUT_VALUES`` values for all subjects together; :class:`PKInputError` otherwise."""
    try:
        times = np.asarray(times_h, dtype=float).ravel()
    except (TypeError, ValueError, OverflowError):
        raise PKInputError(f"times_h must be numbers (h); got {type(times_h).__name__} ({where})") from None
    if n_subjects * len(times) > MAX_OUTPUT_VALUES:
        raise PKInputError(f"subjects × output times must be <= {MAX_OUTPUT_VALUES:,}; got {n_subjects} × "
                           f"{len(times)} ({where})")
    bad = ~np.isfinite(times) | (times < 0) | (times > MAX_TIME_H)
    if bad.any():
        got = float(times[bad][0])
        raise PKInputError(f"times_h must be finite and >= 0 and <= {MAX_TIME_H:g}; got {got!r} ({where})")
    return times


def predict(params: dict, events: pd.DataFrame, times_h) -> np.ndarray:
    """Whole-blood concentrations (ng/mL) at ``times_h`` for each subject.

    Parameters
    ----------
    params : dict
        See the module docstring; 2-compartment if ``q_l_h``/``vp_l`` are present.
    events : DataFrame
        ``time_h``, ``amt_mg`` (see :mod:`mtorlib.regimen`), shared by every subject.
    times_h : array-like
        Output times (h, 0 to :data:`mtorlib.regimen.MAX_TIME_H`), any order.

    Bounds (:mod:`mtorlib.pk.limits`): parameters within ``PARAMETER_BOUNDS``; at most
    ``MAX_PARAMETER_SETS`` subjects, ``MAX_OUTPUT_VALUES`` subjects × times and ``MAX_SUBJECT_DOSES``
    subjects × doses; :class:`PKInputError` otherwise.

    Returns
    -------
    ndarray, shape (n_subjects, n_times)

    Examples
    --------
    >>> from mtorlib import regimen
    >>> p = {"ka_per_h": 1.0, "cl_l_h": 10.0, "vc_l": 100.0}
    >>> c = predict(p, regimen.repeated(dose_mg=1, every_h=24, n_doses=1), [0, 1])
    >>> c.round(3).tolist()
    [[0.0, 5.966]]
    """
    p, n = as_arrays(params)
    t_ev, a_ev = event_arrays(events, "pk.predict")
    dose_t, where = np.unique(t_ev, return_inverse=True)
    dose_a = np.bincount(where, weights=a_ev)  # simultaneous doses add
    times = check_times(times_h, n, "pk.predict")
    if n * len(dose_t) > MAX_SUBJECT_DOSES:
        raise PKInputError(f"subjects × doses must be <= {MAX_SUBJECT_DOSES:,}; got {n} × {len(dose_t)} "
                           f"(pk.predict)")
    prop = Propagator(p)
    f = p.get("f_rel", np.ones(n))
    A = _dose_states(prop, dose_t, dose_a, f)
    # exp(K t) of a compartment model is entrywise >= 0 and so are the amounts: clipping the
    # round-off (~1e-18) of these small arrays makes every output >= 0 without a pass over it
    A = np.maximum(A, 0.0) * (1000.0 / p["vc_l"])[:, None, None]  # concentration units
    order = np.argsort(times, kind="stable")
    in_order = bool((order == np.arange(len(times))).all())
    ts = times[order]
    k_of = np.searchsorted(dose_t, ts, side="right") - 1  # last dose at or before t
    taus = ts - dose_t[np.maximum(k_of, 0)]
    utaus, u_of = np.unique(np.where(k_of >= 0, taus, 0.0), return_inverse=True)
    rowc = np.maximum(prop(utaus, rows=CENTRAL), 0.0).transpose(0, 2, 1)  # (n, m, U)
    out = np.empty((n, len(times)))
    runs = list(_runs(k_of, u_of))
    rows = {lo: rowc[:, :, u_of[lo:lo + (hi - lo) // reps]] for k, lo, hi, reps in runs if k >= 0}
    for s0 in range(0, n, CHUNK):  # subject chunks keep each block in cache
        s1 = min(n, s0 + CHUNK)
        for k, lo, hi, reps in runs:
            dest = out[s0:s1, lo:hi] if in_order else np.empty((s1 - s0, hi - lo))
            if k < 0:
                dest[:] = 0.0  # before the first dose
            else:
                L = (hi - lo) // reps
                view = dest.reshape(s1 - s0, reps, L)  # a view: one row per dose interval
                np.matmul(A[s0:s1, k:k + reps], rows[lo][s0:s1], out=view)
            if not in_order:
                out[s0:s1, order[lo:hi]] = dest
    return out


def _runs(k_of: np.ndarray, u_of: np.ndarray):
    """Group consecutive dose intervals whose output offsets are identical.

    Yields ``(first_interval, lo, hi, n_intervals)`` over the sorted output positions.
    """
    if len(k_of) == 0:
        return
    cuts = np.flatnonzero(np.diff(k_of)) + 1
    bounds = np.concatenate([[0], cuts, [len(k_of)]])
    run = None
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        k, key = int(k_of[lo]), u_of[lo:hi]
        if run and run[0] >= 0 and k == run[0] + run[3] and np.array_equal(key, run[4]):
            run[2], run[3] = hi, run[3] + 1
            continue
        if run:
            yield tuple(run[:4])
        run = [k, lo, hi, 1, key]
    yield tuple(run[:4])
