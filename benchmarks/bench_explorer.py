"""PK explorer responsiveness: one update = simulate + summarise + chart spec ``to_dict()``.

Budgets (issue 3): median ≤ 30 ms for one patient, ≤ 60 ms with a 500-subject band; chart payload
≤ 150 KB of JSON. Also timed: the same update driven through a widget control (which includes
``alt.JupyterChart`` validating and serialising the spec), for the worst case of the explorer's
ranges (42 days, 2-compartment model, band on), against 100 ms, the delay below which a response
feels instantaneous (Miller 1968; Nielsen). The machine is shared: compare runs at low load.
"""

from __future__ import annotations

import json

import pandas as pd

from mtorlib import charts
from mtorlib.scenarios import ExplorerSettings, explore
from mtorlib.widgets import pk_explorer

from .timing import median_seconds

SETTINGS = {  # loading dose, an interaction, a missed dose: every step of the pipeline is exercised
    "model_id": "sirolimus_golubovic2019", "dose_mg": 2.0, "every_h": 24, "loading_mg": 6.0,
    "days": 28, "interactions": ("diltiazem",), "missed": 1,
}


def _update(band: bool, days: int = 28) -> dict:
    result = explore(ExplorerSettings(**{**SETTINGS, "days": days}, band=band))
    return charts.concentration_time(result.sim, target_ng_ml=result.target_ng_ml).to_dict()


def _row(item, value, unit, budget):
    return {"item": item, "value": round(value, 1), "unit": unit, "budget": budget,
            "ok": bool(value <= budget)}


def run() -> pd.DataFrame:
    one = 1000 * median_seconds(lambda: _update(False), repeat=15)
    band = 1000 * median_seconds(lambda: _update(True), repeat=15)
    payload = max(len(json.dumps(_update(b, days=42))) for b in (False, True)) / 1000

    view = pk_explorer("sirolimus_golubovic2019")
    c = view.controls
    c["days"].value, c["band"].value = 42, True
    doses = iter([2.0, 2.5] * 20)

    def move_slider():
        c["dose_mg"].value = next(doses)

    widget = 1000 * median_seconds(move_slider, repeat=11)
    rows = [
        _row("explorer update, one patient (28 d, 2-cmt)", one, "ms", 30),
        _row("explorer update, 500-subject band (28 d, 2-cmt)", band, "ms", 60),
        _row("chart payload, largest explorer chart (42 d)", payload, "KB", 150),
        _row("widget slider move with band, incl. JupyterChart (42 d)", widget, "ms", 100),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "unit", "budget", "ok"])
