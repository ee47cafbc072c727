"""Scenario comparison for the PK explorer: keep up to :data:`MAX_KEPT` scenarios, overlay them.

* :func:`snapshot` — an :class:`~mtorlib.scenarios.ExplorerResult` reduced once to what a
  comparison needs (:class:`Scenario`: its curve, its :class:`Metrics`, its settings facts), so kept
  scenarios are never simulated again while a slider moves.
* :func:`metrics` — steady-state trough, peak and AUCτ (from ``pk.steady_state``) and two named
  measures of the climb: the drug's *time to steady state* (``pk.time_to_steady_state_h``: the
  average level at 90 %, 3.32 half-lives for one compartment, the same with or without a loading
  dose) and this regimen's *trough day* (:func:`trough_time_h`: the first pre-dose trough from which every
  later one stays within ±10 % of the steady-state trough, read from the typical patient's frame; a
  loading dose sized to the accumulation brings it sooner, an oversized one overshoots).
* :class:`Kept` — the kept scenarios (immutable): ``keep`` (refuses a 4th or a duplicate with
  :class:`KeepRefused`), ``remove``, ``clear``.
* :func:`labels` — a short name for each scenario saying what differs between them (current
  language); :func:`overlay` — the tidy frames a chart and a table are drawn from.

>>> from dataclasses import replace
>>> from mtorlib.scenarios import ExplorerSettings, explore
>>> base = ExplorerSettings(days=14)
>>> now = snapshot(explore(base))
>>> kept = Kept().keep(snapshot(explore(replace(base, loading_mg=6))))
>>> labels([now, *kept.scenarios], "en")
['Now: no loading dose', 'Kept 1: loading dose 6 mg']
>>> m = metrics(explore(base))  # 3.32 × 62 h = 8.6 days; the troughs reach 90 % on day 9
>>> round(m.t90_h / 24, 1), m.t_ss_h / 24
(8.6, 9.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd

from .. import pk
from ..checks import integer, number
from ..i18n import tr
from . import bands
from .explorer import ExplorerResult, ExplorerSettings, ScenarioError

MAX_KEPT = 3  # kept scenarios; with the live one, 4 lines stay readable
KEPT_STEP = 6  # a kept curve keeps every 6th point (6 h on the hourly grid) plus every peak and trough
FRACTION = 0.9  # steady state: average level at 90 %; troughs within ±10 % of the steady-state trough
ASPECTS = ("model", "dose", "every_h", "loading", "weight", "height", "interaction", "food",
           "hepatic", "missed", "days", "band", "target")


class KeepRefused(ScenarioError):
    """A scenario that cannot be kept: ``reason`` is ``"full"`` or ``"duplicate"``."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Metrics:
    """Steady state of the typical patient (ng/mL, ng·h/mL) and two times to approach it (h).

    ``t90_h``: the drug's time to steady state, the average level at ``fraction`` of steady state
    (``pk.time_to_steady_state_h``; set by the half-life, not by a loading dose). ``t_ss_h``: this
    regimen's trough day, the first pre-dose trough from which every later one stays within
    ±(1 − ``fraction``) of the steady-state trough, ``None`` when not settled within the days
    simulated (``days_h``).
    """

    trough_ng_ml: float
    peak_ng_ml: float
    auc_tau_ng_h_ml: float
    t_ss_h: float | None
    days_h: float
    t90_h: float
    fraction: float = FRACTION


@dataclass(frozen=True, eq=False)
class Scenario:
    """One scenario reduced for comparison: ``curve`` is ``time_h, p50[, p05, p95]`` (ng/mL)."""

    settings: ExplorerSettings
    drug: str
    facts: dict  # aspect -> language-free value (see ASPECTS)
    curve: pd.DataFrame
    metrics: Metrics


def half_lives(fraction=FRACTION) -> float:
    """Half-lives until a one-compartment level reaches ``fraction`` of steady state: log2(1/(1 − f)).

    3.32 for 90 % (log2 10), whatever the dose.
    """
    fraction = number(fraction, "fraction", "scenarios.half_lives", lo=0, lo_open=True, hi=1,
                      hi_open=True, error=ScenarioError)
    return float(np.log2(1 / (1 - fraction)))


def trough_time_h(troughs: pd.DataFrame, *, trough_ss_ng_ml, fraction=FRACTION) -> float | None:
    """Time (h) of the first pre-dose trough from which every later trough stays within ±(1 − f) of
    the steady-state trough (f = ``fraction``: ±10 % for 0.9), or None when the last trough shown is
    outside that band.

    ``troughs`` holds ``time_h, conc_ng_ml`` just before each dose (the first dose, at level 0, is
    skipped). An oversized loading dose overshoots: its high early troughs are not "reached"; the
    day is the one its overshoot has decayed into the band. For one compartment and no loading
    dose this is ln(1/(1 − f))/k rounded up to the next dose (k = ln 2 / t½).
    """
    ss = number(trough_ss_ng_ml, "trough_ss_ng_ml", "scenarios.trough_time_h", lo=0, lo_open=True,
                error=ScenarioError)
    fraction = number(fraction, "fraction", "scenarios.trough_time_h", lo=0, lo_open=True, hi=1,
                      error=ScenarioError)
    frame = troughs[troughs["time_h"] > troughs["time_h"].min()]
    c = frame["conc_ng_ml"].to_numpy(dtype=float)
    outside = np.flatnonzero((c < fraction * ss) | (c > (2 - fraction) * ss))
    first = int(outside[-1]) + 1 if len(outside) else 0
    return float(frame["time_h"].iloc[first]) if first < len(frame) else None


def _typical_troughs(result: ExplorerResult) -> pd.DataFrame:
    """The typical patient's pre-dose levels: from ``result.sim`` when it has them, else simulated."""
    dose_times = result.events["time_h"].to_numpy(dtype=float)
    sim = result.sim
    if sim["subject"].nunique() == 1:
        at_doses = sim[sim["time_h"].isin(dose_times)]
        if len(at_doses) == len(np.unique(dose_times)):
            return at_doses
    return pk.simulate(result.model, result.events, times_h=np.unique(dose_times),
                       covariates=result.covariates, interactions=tuple(result.settings.interactions))


def metrics(result: ExplorerResult) -> Metrics:
    """Trough, peak, AUCτ at steady state (``result.steady``) and the time to steady state."""
    ss = result.steady
    return Metrics(
        trough_ng_ml=ss.trough_ng_ml, peak_ng_ml=ss.peak_ng_ml, auc_tau_ng_h_ml=ss.auc_tau_ng_h_ml,
        t_ss_h=trough_time_h(_typical_troughs(result), trough_ss_ng_ml=ss.trough_ng_ml),
        days_h=float(result.sim["time_h"].max()), t90_h=24 * result.t90_days,
    )


@cache
def _modifiers(drug: str) -> dict:
    """name -> (category, {lang: label}) of the drug's modifiers (content read once per session)."""
    table = pk.list_modifiers(drug)
    return {row.name: (row.category, {"en": row.label_en, "zh": row.label_zh})
            for row in table.itertuples(index=False)}


def _facts(result: ExplorerResult) -> dict:
    s = result.settings
    offered = _modifiers(result.model.drug)
    chosen = {offered[name][0] if name in offered else "interaction": name for name in s.interactions}
    per_m2 = s.mg_per_m2 is not None
    return {
        "model": result.model.model_id,
        "dose": (float(s.mg_per_m2) if per_m2 else None, round(result.dose_mg, 3)),
        "every_h": float(s.every_h), "loading": float(s.loading_mg or 0),
        "weight": None if s.weight_kg is None else float(s.weight_kg),
        "height": float(s.height_cm) if per_m2 else None,
        "interaction": chosen.get("interaction", ""), "food": chosen.get("food", ""),
        "hepatic": chosen.get("hepatic", ""), "missed": result.n_missed, "days": float(s.days),
        "band": bool(s.band), "target": result.target_ng_ml,
    }


def snapshot(result: ExplorerResult, measured: Metrics | None = None) -> Scenario:
    """Reduce ``result`` once: its median (or typical) curve with the 5–95 % band, its metrics
    (``measured``: ``metrics(result)`` when already computed)."""
    if result.sim["subject"].nunique() > 1:
        curve = bands.percentile_band(result.sim)
    else:
        curve = pd.DataFrame({"time_h": result.sim["time_h"].to_numpy(dtype=float),
                              "p50": np.round(result.sim["conc_ng_ml"].to_numpy(dtype=float), 3)})
    return Scenario(settings=result.settings, drug=result.model.drug, facts=_facts(result),
                    curve=curve, metrics=measured or metrics(result))


def thin(curve: pd.DataFrame, step: int = KEPT_STEP) -> pd.DataFrame:
    """``curve`` (``time_h, p50[, p05, p95]``) with every ``step``-th point, the first and last, and
    every local peak and trough of ``p50``: the drawn shape keeps its peaks and troughs.

    Kept scenarios are drawn thinned (:meth:`Kept.keep`): a slider move then converts fewer chart
    points (``benchmarks/bench_compare.py``); the live curve stays at full resolution.
    """
    step = integer(step, "step", "scenarios.thin", lo=1, error=ScenarioError)
    c = curve["p50"].to_numpy(dtype=float)
    keep = np.zeros(len(c), dtype=bool)
    keep[::step] = True
    keep[[0, -1]] = True
    if len(c) > 2:
        mid, before, after = c[1:-1], c[:-2], c[2:]
        keep[1:-1] |= ((mid >= before) & (mid >= after)) | ((mid <= before) & (mid <= after))
    return curve[keep].reset_index(drop=True)


@dataclass(frozen=True)
class Kept:
    """The kept scenarios, oldest first (at most :data:`MAX_KEPT`); every change returns a new one."""

    scenarios: tuple[Scenario, ...] = ()

    def keep(self, scenario: Scenario) -> Kept:
        """Add ``scenario`` (its curve :func:`thin`-ned); :class:`KeepRefused` when full or when the
        same settings are kept."""
        if any(k.settings == scenario.settings for k in self.scenarios):
            raise KeepRefused("these settings are already kept (Kept.keep)", "duplicate")
        if len(self.scenarios) >= MAX_KEPT:
            raise KeepRefused(f"at most {MAX_KEPT} scenarios can be kept; remove one first "
                              "(Kept.keep)", "full")
        return Kept(self.scenarios + (replace(scenario, curve=thin(scenario.curve)),))

    def remove(self, index) -> Kept:
        """Without the kept scenario at ``index`` (0-based)."""
        if not self.scenarios:
            raise ScenarioError("no scenario is kept (Kept.remove)")
        i = integer(index, "index", "Kept.remove", lo=0, hi=len(self.scenarios) - 1,
                    error=ScenarioError)
        return Kept(self.scenarios[:i] + self.scenarios[i + 1:])

    def clear(self) -> Kept:
        """No kept scenario."""
        return Kept()


def _num(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"


def _modifier(name: str, drug: str, none_key: str, lang: str) -> str:
    if not name:
        return tr(none_key, lang)
    offered = _modifiers(drug)
    return offered[name][1][lang] if name in offered else name


def _describe(aspect: str, sc: Scenario, lang: str) -> str | None:
    v = sc.facts[aspect]
    if aspect == "model":
        return tr("pk.cmp_model", lang, drug=tr(f"pk.drug_{sc.drug}", lang), model=v)
    if aspect == "dose":
        per_m2, mg = v
        if per_m2 is None:
            return tr("pk.cmp_dose", lang, dose=_num(mg))
        return tr("pk.cmp_dose_m2", lang, per_m2=_num(per_m2), dose=_num(mg))
    simple = {
        "every_h": lambda: tr("pk.cmp_every", lang, h=_num(v)),
        "loading": lambda: (tr("pk.cmp_loading", lang, mg=_num(v)) if v
                            else tr("pk.cmp_no_loading", lang)),
        "weight": lambda: None if v is None else tr("pk.cmp_weight", lang, kg=_num(v)),
        "height": lambda: None if v is None else tr("pk.cmp_height", lang, cm=_num(v)),
        "interaction": lambda: _modifier(v, sc.drug, "pk.cmp_no_interaction", lang),
        "food": lambda: _modifier(v, sc.drug, "pk.cmp_no_food", lang),
        "hepatic": lambda: _modifier(v, sc.drug, "pk.cmp_normal_liver", lang),
        "missed": lambda: tr("pk.cmp_missed", lang, n=v) if v else tr("pk.cmp_no_missed", lang),
        "days": lambda: tr("pk.cmp_days", lang, n=_num(v)),
        "band": lambda: tr("pk.cmp_band" if v else "pk.cmp_typical", lang),
        "target": lambda: (tr("pk.cmp_target", lang, lo=_num(v[0]), hi=_num(v[1])) if v
                           else tr("pk.cmp_no_target", lang)),
    }
    return simple[aspect]()


def labels(scenarios: Sequence[Scenario], lang: str) -> list[str]:
    """One name per scenario (the first is the live one): its tag and what differs from the others.

    Only aspects whose values differ across ``scenarios`` are named, so two scenarios differing in
    the loading dose read "Now: no loading dose" and "Kept 1: loading dose 6 mg".
    """
    varying = [a for a in ASPECTS if len({repr(sc.facts[a]) for sc in scenarios}) > 1]
    out = []
    for i, sc in enumerate(scenarios):
        tag = tr("pk.cmp_now", lang) if i == 0 else tr("pk.cmp_kept", lang, n=i)
        parts = [text for a in varying if (text := _describe(a, sc, lang))]
        what = tr("pk.cmp_join", lang).join(parts) if parts else tr("pk.cmp_same", lang)
        out.append(tr("pk.cmp_label", lang, tag=tag, what=what))
    return out


def overlay(now: Scenario, kept: Kept, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(curves, table)`` of the live scenario then the kept ones, named by :func:`labels`.

    ``curves``: ``scenario, time_h, p50[, p05, p95]``; ``table``: ``scenario, trough_ng_ml,
    peak_ng_ml, auc_tau_ng_h_ml, t90_days, t_ss_days, days_shown`` (``t_ss_days`` NaN: not reached
    within the days shown).
    """
    shown = [now, *kept.scenarios]
    names = labels(shown, lang)
    curves = pd.concat([sc.curve.assign(scenario=name) for sc, name in zip(shown, names, strict=True)],
                       ignore_index=True)
    table = pd.DataFrame([{
        "scenario": name, "trough_ng_ml": sc.metrics.trough_ng_ml, "peak_ng_ml": sc.metrics.peak_ng_ml,
        "auc_tau_ng_h_ml": sc.metrics.auc_tau_ng_h_ml, "t90_days": sc.metrics.t90_h / 24,
        "t_ss_days": np.nan if sc.metrics.t_ss_h is None else sc.metrics.t_ss_h / 24,
        "days_shown": sc.metrics.days_h / 24,
    } for sc, name in zip(shown, names, strict=True)])
    return curves, table
