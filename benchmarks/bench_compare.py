"""PK explorer with kept scenarios: a slider move must stay as instant as with none kept.

Kept scenarios are reduced once when kept (``scenarios.compare.snapshot``, curves thinned to
their peaks, troughs and every 6th point by ``Kept.keep``), so a slider move simulates only the
live scenario; the overlay adds labels, the live snapshot (metrics) and a larger chart. Measured in one
process, alternating the two views so machine load hits both alike; ratios use this process's CPU
time (``time.process_time``), which other processes on the shared machine do not inflate:

* ratio of the widget slider move (incl. ``JupyterChart``) with 3 kept scenarios to the same move
  with none kept (budget 1.3: the kept curves are thinned, remove buttons reused);
* the same ratio for the pure pipeline (scenario + chart spec ``to_dict()``);
* for scale: the ratio had the kept scenarios been simulated again on each move (not done).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

import pandas as pd

from mtorlib.charts import comparison
from mtorlib.charts import concentration as charts
from mtorlib.scenarios import ExplorerSettings, compare, explore
from mtorlib.widgets import pk_explorer

SETTINGS = ExplorerSettings(model_id="sirolimus_golubovic2019", dose_mg=2.0, loading_mg=6.0,
                            days=28, interactions=("diltiazem",))
CONTROLS = {"days": 28, "loading_mg": 6.0, "interaction": "diltiazem", "dose_mg": 2.0}
KEEP = (({"loading_mg": 0.0}, {"loading_mg": 0.0}),  # (controls, settings): no loading dose,
        ({"interaction": ""}, {"interactions": ()}),  # no interacting drug,
        ({"dose_mg": 3.0}, {"dose_mg": 3.0}))  # a higher dose
ROUNDS = 15


def _alternate(a, b, rounds: int = ROUNDS, clock=time.process_time) -> tuple[float, float]:
    """Median times (s, ``clock``) of ``a()`` and ``b()`` run in turn, after one warm-up each."""
    a(), b()
    ta, tb = [], []
    for _ in range(rounds):
        for func, times in ((a, ta), (b, tb)):
            start = clock()
            func()
            times.append(clock() - start)
    return statistics.median(ta), statistics.median(tb)


def _set(view, values: dict) -> None:
    for name, value in values.items():
        view.controls[name].value = value


def _views():
    """The explorer with nothing kept, and one with the three scenarios of ``KEEP`` kept."""
    single, kept = pk_explorer("sirolimus_golubovic2019"), pk_explorer("sirolimus_golubovic2019")
    _set(single, CONTROLS)
    for change, _ in KEEP:
        _set(kept, CONTROLS)
        _set(kept, change)
        kept.keep()
    _set(kept, CONTROLS)
    return single, kept


def _mover(view):
    doses = iter([2.0, 2.5] * (ROUNDS + 5))

    def move():
        view.controls["dose_mg"].value = next(doses)
    return move


def _row(item, value, unit, budget):
    return {"item": item, "value": round(value, 2), "unit": unit, "budget": budget,
            "ok": bool(value <= budget)}


def run() -> pd.DataFrame:
    single, kept = _views()
    assert len(kept.compare.kept.scenarios) == 3
    t_single, t_kept = _alternate(_mover(single), _mover(kept))
    w_single, w_kept = _alternate(_mover(single), _mover(kept), clock=time.perf_counter)

    stored = compare.Kept()
    for _, kw in KEEP:  # kept as the button keeps them (curves thinned)
        stored = stored.keep(compare.snapshot(explore(replace(SETTINGS, **kw))))

    def pure_single():
        r = explore(SETTINGS)
        charts.concentration_time(r.sim, target_ng_ml=r.target_ng_ml).to_dict()

    def pure_kept():
        r = explore(SETTINGS)
        curves, _ = compare.overlay(compare.snapshot(r), stored, "en")
        comparison.scenario_overlay(curves, target_ng_ml=r.target_ng_ml).to_dict()

    def pure_resimulated():  # what re-simulating every kept scenario on each move would cost
        now = compare.snapshot(explore(SETTINGS))
        again = compare.Kept()
        for sc in stored.scenarios:
            again = again.keep(compare.snapshot(explore(sc.settings)))
        curves, _ = compare.overlay(now, again, "en")
        comparison.scenario_overlay(curves, target_ng_ml=now.settings.target_ng_ml).to_dict()

    p_single, p_kept = _alternate(pure_single, pure_kept)
    _, p_again = _alternate(pure_single, pure_resimulated, rounds=7)
    rows = [
        _row("widget slider move, none kept (28 d, 2-cmt), wall", 1000 * w_single, "ms", 100),
        _row("widget slider move, 3 kept, wall", 1000 * w_kept, "ms", 100),
        _row("widget slider move, none kept, CPU", 1000 * t_single, "ms", 100),
        _row("widget slider move, 3 kept, CPU", 1000 * t_kept, "ms", 100),
        _row("ratio widget move 3 kept / none kept (CPU)", t_kept / t_single, "x", 1.3),
        _row("ratio pipeline 3 kept / none kept (CPU)", p_kept / p_single, "x", 2.0),
        _row("ratio pipeline if kept were re-simulated (not done)", p_again / p_single, "x",
             float("inf")),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "unit", "budget", "ok"])
