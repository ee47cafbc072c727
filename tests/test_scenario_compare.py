"""Scenario comparison: metrics against closed forms, the kept-scenario state, labels, the overlay."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from mtorlib import pk
from mtorlib.charts import comparison
from mtorlib.charts.concentration import ChartError
from mtorlib.scenarios import ExplorerSettings, ScenarioError, compare, explore

BASE = ExplorerSettings(model_id="sirolimus_label", dose_mg=2, every_h=24, days=21)


@pytest.fixture(scope="module")
def base():
    return compare.snapshot(explore(BASE))


@pytest.mark.parametrize("model_id, interactions", [
    ("sirolimus_label", ()), ("sirolimus_label", ("posaconazole",)),
    ("sirolimus_golubovic2019", ()), ("everolimus_label", ()),
])
def test_steady_state_auc_is_f_dose_over_clearance(model_id, interactions):
    s = replace(BASE, model_id=model_id, dose_mg=3, every_h=12, days=4, interactions=interactions)
    result = explore(s)
    p = pk.typical_parameters(result.model, result.covariates, interactions)
    expected = 1000 * p.get("f_rel", 1.0) * 3 / p["cl_l_h"]  # mg / (L/h) -> ng·h/mL
    assert compare.metrics(result).auc_tau_ng_h_ml == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("every_h", [24, 12])
def test_time_to_90pct_trough_is_ln10_over_k_rounded_up_to_a_dose(every_h):
    result = explore(replace(BASE, every_h=every_h))  # one compartment, absorption fast (ka 4.3/h)
    k = math.log(2) / pk.half_life_h("sirolimus_label")
    exact = math.log(10) / k  # 1 − e^(−kt) = 0.9: 3.32 half-lives, 206 h
    t = compare.metrics(result).t_ss_h
    assert exact <= t < exact + every_h
    assert t == math.ceil(exact / every_h) * every_h


@pytest.mark.parametrize("fraction, expected_doses", [(1.0, 1), (0.8, 4)])
def test_loading_dose_of_a_fraction_of_the_accumulation_ratio(fraction, expected_doses):
    # loading f·R·D (R = 1/(1 − e^(−kτ))): trough n = ss·(1 − (1 − f)·e^(−k(n−1)τ)), so 90 % after
    # the first trough when f = 1 and after 1 + ceil(t½ / τ) = 4 troughs when f = 0.8 (t½ = 62 h)
    k = math.log(2) / pk.half_life_h("sirolimus_label")
    loading = fraction * 2 / (1 - math.exp(-k * 24))
    result = explore(replace(BASE, loading_mg=loading))
    assert compare.metrics(result).t_ss_h == expected_doses * 24


def _settled_day(result):
    """Independently: the day after the last simulated trough outside ±10 % of steady state."""
    days = int(result.settings.days)
    troughs = pk.simulate(result.model, result.events, times_h=24.0 * np.arange(days + 1),
                          covariates=result.covariates)["conc_ng_ml"].to_numpy(dtype=float)
    ratio = troughs[1:] / result.steady.trough_ng_ml  # day 1 .. days
    outside = [day for day, r in enumerate(ratio, start=1) if not 0.9 <= r <= 1.1]
    return (outside[-1] + 1 if outside else 1), ratio


@pytest.mark.parametrize("loading", [None, 6, 15, 30])
def test_trough_day_is_when_troughs_settle_within_10pct_so_an_overshoot_is_not_reached(loading):
    result = explore(replace(BASE, loading_mg=loading))
    day, ratio = _settled_day(result)
    assert compare.metrics(result).t_ss_h == day * 24
    if loading is None:
        assert day == 9  # rising troughs: the first at 90 %, as before
    elif loading == 6:
        assert day < 9 and ratio[day - 1] >= 0.9  # sized near the accumulation: sooner
    else:
        assert ratio[0] > 1.1 and day > 1  # 15 mg: day-1 trough ~176 % of steady state
        assert ratio[day - 2] > 1.1 >= ratio[day - 1]  # the day the overshoot decays into ±10 %


def test_band_and_typical_give_the_same_metrics(base):
    banded = compare.snapshot(explore(replace(BASE, band=True)))
    assert banded.metrics == base.metrics  # the band's run simulates the typical patient's troughs
    assert {"p05", "p95"} <= set(banded.curve.columns) and "p05" not in base.curve.columns


def test_trough_time_from_a_frame():
    troughs = pd.DataFrame({"time_h": [0.0, 24, 48, 72], "conc_ng_ml": [0.0, 4.0, 8.9, 9.5]})
    assert compare.trough_time_h(troughs, trough_ss_ng_ml=10) == 72
    assert compare.trough_time_h(troughs, trough_ss_ng_ml=10, fraction=0.85) == 48
    assert compare.trough_time_h(troughs, trough_ss_ng_ml=20) is None
    over = pd.DataFrame({"time_h": [0.0, 24, 48, 72, 96], "conc_ng_ml": [0.0, 9.5, 12.0, 10.5, 9.8]})
    assert compare.trough_time_h(over, trough_ss_ng_ml=10) == 72  # 9.5 at 24 h, then overshoot
    assert compare.trough_time_h(over.iloc[:3], trough_ss_ng_ml=10) is None  # still above 110 %
    with pytest.raises(ScenarioError, match="trough_ss_ng_ml"):
        compare.trough_time_h(troughs, trough_ss_ng_ml=0)


def test_not_reached_within_the_days_shown_is_none():
    m = compare.metrics(explore(replace(BASE, days=5)))  # 90 % needs 9 days
    assert m.t_ss_h is None and m.days_h == 120


def test_keep_three_refuse_fourth_and_duplicate_remove_clear(base):
    others = [compare.snapshot(explore(replace(BASE, dose_mg=d))) for d in (3, 4, 5)]
    kept = compare.Kept()
    for sc in [base, *others[:2]]:
        kept = kept.keep(sc)
    with pytest.raises(compare.KeepRefused, match="at most 3") as full:
        kept.keep(others[2])
    assert full.value.reason == "full" and len(kept.scenarios) == 3
    with pytest.raises(compare.KeepRefused) as dup:
        compare.Kept((base,)).keep(compare.snapshot(explore(BASE)))
    assert dup.value.reason == "duplicate"
    fewer = kept.remove(1)
    assert [sc.settings for sc in fewer.scenarios] == [base.settings, others[1].settings]
    assert len(kept.scenarios) == 3  # a new record
    with pytest.raises(ScenarioError, match="index"):
        fewer.remove(2)
    with pytest.raises(ScenarioError, match="no scenario"):
        compare.Kept().remove(0)
    assert fewer.clear().scenarios == ()


def test_labels_name_what_differs(base):
    loaded = compare.snapshot(explore(replace(BASE, loading_mg=6)))
    azole = compare.snapshot(explore(replace(BASE, interactions=("posaconazole",))))
    child = compare.snapshot(explore(replace(BASE, model_id="sirolimus_cheng2020", weight_kg=28.5,
                                             dose_mg=None, mg_per_m2=1.5, height_cm=130)))
    assert compare.labels([base, loaded], "en") == ["Now: no loading dose", "Kept 1: loading dose 6 mg"]
    assert compare.labels([azole, base], "en") == ["Now: Posaconazole", "Kept 1: no interacting drug"]
    adult, kid = compare.labels([base, child], "en")
    assert "sirolimus_label" in adult and "2 mg" in adult and "70 kg" not in adult  # weight unset
    assert "sirolimus_cheng2020" in kid and "1.5 mg/m²" in kid and "28.5 kg" in kid and "130 cm" in kid
    assert compare.labels([base, base], "en") == ["Now: same settings", "Kept 1: same settings"]
    zh = compare.labels([azole, loaded, base], "zh")
    assert zh[0].startswith("当前：") and "，" in zh[0] and "泊沙康唑" in zh[0]
    assert len(set(zh)) == 3


def test_overlay_frames_follow_the_order(base):
    loaded = compare.snapshot(explore(replace(BASE, loading_mg=6)))
    curves, table = compare.overlay(base, compare.Kept((loaded,)), "en")
    assert list(pd.unique(curves["scenario"])) == list(table["scenario"])
    assert table["t_ss_days"].tolist() == [9.0, 6.0]  # the loading dose shortens it
    assert table["trough_ng_ml"].iloc[0] == table["trough_ng_ml"].iloc[1]  # same steady state


def _layers(chart):
    spec = chart.to_dict()
    return spec, [layer for layer in spec["layer"] if "strokeDash" in layer.get("encoding", {})]


def test_chart_has_one_series_per_scenario_with_distinct_dashes():
    short = replace(BASE, days=4)
    kept = compare.Kept(tuple(compare.snapshot(explore(replace(short, **kw)))
                              for kw in ({"loading_mg": 6}, {"band": True}, {"dose_mg": 3})))
    curves, _ = compare.overlay(compare.snapshot(explore(short)), kept, "en")
    spec, (line,) = _layers(comparison.scenario_overlay(curves, target_ng_ml=(5, 15)))
    names = list(pd.unique(curves["scenario"]))
    rows = spec["datasets"][line["data"]["name"]]
    assert list(dict.fromkeys(r["scenario"] for r in rows)) == names
    dash = line["encoding"]["strokeDash"]
    colour = line["encoding"]["color"]
    assert dash["field"] == colour["field"] == "scenario" and dash["scale"]["domain"] == names
    assert len({tuple(d) for d in dash["scale"]["range"]}) == 4
    assert len(set(colour["scale"]["range"])) == 4
    areas = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "area"]
    (area,) = areas  # the band is drawn for the one population scenario only
    assert {r["scenario"] for r in spec["datasets"][area["data"]["name"]]} == {names[2]}
    assert line["encoding"]["color"]["legend"] and area["encoding"]["color"] == line["encoding"]["color"]
    assert "ng/mL" in comparison.overlay_caption(curves) and names[3] in comparison.overlay_caption(curves)
    assert spec["description"] == comparison.overlay_caption(curves)  # set once: no copy when shown


def test_chart_refuses_more_scenarios_than_dash_patterns():
    curves = pd.DataFrame({"scenario": list("abcde"), "time_h": np.zeros(5), "p50": np.ones(5)})
    with pytest.raises(ChartError, match="1 to 4"):
        comparison.scenario_overlay(curves)


def test_thinned_curve_keeps_every_peak_trough_and_the_ends(base):
    curve = base.curve  # hourly, 21 days of 2 mg/day: a peak and a trough in every dosing interval
    thinned = compare.thin(curve)
    c = curve["p50"].to_numpy()
    peaks = curve["time_h"].to_numpy()[1:-1][(c[1:-1] > c[:-2]) & (c[1:-1] > c[2:])]
    assert len(peaks) == 21 and set(peaks) <= set(thinned["time_h"])  # one peak per dose
    assert set(range(24, 21 * 24 + 1, 24)) <= set(thinned["time_h"])  # every pre-dose trough
    assert thinned["p50"].max() == c.max() and len(thinned) < len(curve) / 3
    assert compare.Kept().keep(base).scenarios[0].curve.equals(thinned)


def test_time_to_steady_state_is_3_32_half_lives_whatever_the_loading_dose():
    t_half = pk.half_life_h("sirolimus_label")
    assert compare.half_lives(0.9) == pytest.approx(math.log(10) / math.log(2))  # 3.32
    for loading in (0, 6):
        m = compare.metrics(explore(replace(BASE, loading_mg=loading)))
        assert 0 < m.t90_h - math.log2(10) * t_half < 1  # 8.6 days; absorption adds < 1 h
    _, table = compare.overlay(base_of(0), compare.Kept((base_of(6),)), "en")
    assert table["t90_days"].round(1).tolist() == [8.6, 8.6] and table["t_ss_days"].tolist() == [9.0, 6.0]


def base_of(loading):
    return compare.snapshot(explore(replace(BASE, loading_mg=loading)))
