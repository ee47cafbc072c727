"""Interacting drug started and stopped mid-course: the phased engine vs the constant engine.

Workload: the PK benchmark regimen (bench_pk: 2-compartment model, 90 daily doses, hourly output)
for 1000 virtual patients, with clearance divided by 8.88 and restored (posaconazole-like window on
days 30-60). Reported as a same-process ratio to :func:`mtorlib.pk.predict` on the same regimen.
"""

from __future__ import annotations

import time

import pandas as pd

from benchmarks.bench_pk import population, workload
from benchmarks.timing import median_seconds
from mtorlib import pk

BUDGET_RATIO = 6.0  # the phased engine may cost up to this multiple of the constant one


def run() -> pd.DataFrame:
    """Benchmark table: item, value, unit, budget, ok."""
    ev, times = workload()
    p = population(1000)
    phases = {"starts_h": [0, 30 * 24, 60 * 24], "cl_factor": [1, 1 / 8.88, 1], "f_factor": [1, 1, 1]}
    t_const = median_seconds(lambda: pk.predict(p, ev, times), repeat=5, clock=time.process_time)
    t_phase = median_seconds(lambda: pk.predict_phased(p, ev, times, **phases), repeat=5,
                             clock=time.process_time)
    ratio = t_phase / t_const
    return pd.DataFrame([
        {"item": "phased engine, 1000 subjects (CPU)", "value": round(t_phase, 3), "unit": "s",
         "budget": "-", "ok": True},
        {"item": "phased / constant engine", "value": round(ratio, 2), "unit": "ratio",
         "budget": f"<= {BUDGET_RATIO:g}", "ok": ratio <= BUDGET_RATIO},
    ])
