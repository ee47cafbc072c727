"""An independent numerical reference for the exact engine: the same ODEs, integrated by LSODA.

:func:`ode_predict` has the signature of :func:`mtorlib.pk.predict` but knows nothing of
propagators or eigenvalues: it integrates ``dA/dt = K A`` (the rate matrix of
:func:`mtorlib.pk.closed_form.rate_matrix`) with ``scipy.integrate.solve_ivp``, subject by subject,
restarting at each dose. It is the oracle of the engine's tests and the baseline of its benchmarks
(slow by design: thousands of times slower than the closed form); never used by the engine.

>>> from mtorlib import regimen
>>> from mtorlib.pk import predict
>>> p = {"ka_per_h": 1.0, "cl_l_h": 10.0, "vc_l": 100.0}
>>> ev = regimen.repeated(dose_mg=1, every_h=24, n_doses=2)
>>> bool(abs(ode_predict(p, ev, [30.0]) - predict(p, ev, [30.0])).max() < 1e-6)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.integrate import solve_ivp

from ..regimen import event_arrays
from .closed_form import CENTRAL, DEPOT, as_arrays, check_times, rate_matrix


def ode_predict(params: dict, events: pd.DataFrame, times_h, *, rtol: float = 1e-10,
                atol: float = 1e-12) -> np.ndarray:
    """Whole-blood concentrations (ng/mL), shape (n_subjects, n_times), by numerical integration.

    Parameters as for :func:`mtorlib.pk.predict`; ``rtol``/``atol`` are LSODA's tolerances
    (amounts in mg). Doses at the same time add; outputs before the first dose are 0.
    """
    p, n = as_arrays(params)
    K = rate_matrix(p)
    f = p.get("f_rel", np.ones(n))
    t_ev, a_ev = event_arrays(events, "pk.reference.ode_predict")
    dose_t, where = np.unique(t_ev, return_inverse=True)
    dose_a = np.bincount(where, weights=a_ev)
    times = check_times(times_h, n, "pk.reference.ode_predict")
    out = np.zeros((n, len(times)))
    for i in range(n):
        state = np.zeros(K.shape[1])
        for k, t0 in enumerate(dose_t):
            state[DEPOT] += f[i] * dose_a[k]
            last = k + 1 == len(dose_t)
            t1 = max(times.max(initial=t0), t0) + 1.0 if last else dose_t[k + 1]
            inside = (times >= t0) & ((times <= t1) if last else (times < t1))
            t_eval = np.unique(np.r_[times[inside], t1])
            sol = solve_ivp(lambda _t, a, m=K[i]: m @ a, (t0, t1), state, method="LSODA",
                            t_eval=t_eval, rtol=rtol, atol=atol)
            out[i, inside] = sol.y[CENTRAL, np.searchsorted(t_eval, times[inside])]
            state = sol.y[:, -1].copy()
    return out * (1000.0 / p["vc_l"])[:, None]
