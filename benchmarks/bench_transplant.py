"""Transplant-ward responsiveness: one update = scenario (three simulated courses, the label rule and
the Bayesian forecast) + chart spec ``to_dict()``, and the same driven through the dose slider
(which includes ``alt.JupyterChart`` validating and serialising the spec), against 100 ms, the delay
below which a response feels instantaneous (Miller 1968; Nielsen). Chart payload ≤ 150 KB of JSON
for the longest course the view offers (120 days). The machine is shared: compare at low load.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd

from mtorlib.charts.transplant import azole_course
from mtorlib.scenarios.transplant import TransplantSettings, run_transplant
from mtorlib.widgets import transplant_ward

from .timing import median_seconds

BASE = TransplantSettings()


def _spec(settings: TransplantSettings) -> dict:
    r = run_transplant(settings)
    return azole_course(r.sim, azole_days=r.azole_window_days, azole_name="Posaconazole",
                        target_ng_ml=r.target_ng_ml, measure_day=r.measure_day,
                        suggestions={"label": r.label_dose_mg, "bayes": r.recommendation.dose_mg}).to_dict()


def _row(item, value, unit, budget):
    return {"item": item, "value": round(value, 1), "unit": unit, "budget": budget,
            "ok": bool(value <= budget)}


def run() -> pd.DataFrame:
    scenario = 1000 * median_seconds(lambda: run_transplant(BASE), repeat=15)
    update = 1000 * median_seconds(lambda: _spec(BASE), repeat=11)
    payload = len(json.dumps(_spec(replace(BASE, days=120)))) / 1000
    view = transplant_ward()
    doses = iter([2.0, 2.5] * 20)

    def move_slider():
        view.controls["dose_mg"].value = next(doses)

    widget = 1000 * median_seconds(move_slider, repeat=11)
    rows = [
        _row("transplant scenario (56 d, 2-cmt, 3 courses + forecast)", scenario, "ms", 60),
        _row("transplant update incl. chart spec", update, "ms", 100),
        _row("chart payload, 120-day course", payload, "KB", 150),
        _row("widget dose-slider move, incl. JupyterChart", widget, "ms", 100),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "unit", "budget", "ok"])
