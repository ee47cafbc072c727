"""PK charts tested as Vega-Lite specifications (``to_dict()``) built from synthetic tidy frames."""

import json

import numpy as np
import pandas as pd
import pytest

import mtorlib
import mtorlib.pk
from mtorlib import charts
from mtorlib.charts import concentration
from mtorlib.charts.render import PALETTE
from mtorlib.scenarios import bands


def one_compartment(times_h, cl_l_h, v_l=100.0, dose_mg=2.0, tau_h=24.0):
    """Steady-state bolus curve: C = Dose/V * exp(-k t') / (1 - exp(-k tau)) (ng/mL)."""
    k = cl_l_h / v_l
    return 1000 * dose_mg / v_l * np.exp(-k * (times_h % tau_h)) / (1 - np.exp(-k * tau_h))


def population(n=500, days=28, step_h=1.0, seed=7):
    times = np.arange(0, days * 24 + step_h, step_h)
    cls = 5 * np.exp(np.random.default_rng(seed).normal(0, 0.3, n))
    return pd.DataFrame({
        "subject": np.repeat(np.arange(n), len(times)),
        "time_h": np.tile(times, n),
        "conc_ng_ml": np.concatenate([one_compartment(times, c) for c in cls]),
    })


def single(days=14):
    times = np.arange(0, days * 24 + 1, 1.0)
    return pd.DataFrame({"subject": 0, "time_h": times, "conc_ng_ml": one_compartment(times, 5)})


def layers(spec):
    return spec["layer"]


def values(spec, layer):
    """Rows of a layer's inline data (Altair moves them to top-level ``datasets``)."""
    return spec["datasets"][layer["data"]["name"]]


def test_single_curve_has_target_rect_and_line():
    spec = charts.concentration_time(single()).to_dict()
    rect, line = layers(spec)
    assert rect["mark"]["type"] == "rect"
    assert rect["encoding"]["y"]["field"] == "lo" and rect["encoding"]["y2"]["field"] == "hi"
    assert values(spec, rect) == [{"lo": 5.0, "hi": 15.0}]
    assert rect["mark"]["color"] == PALETTE[2]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["x"]["field"] == "day"  # 14 days: plotted in days
    assert len(values(spec, line)) == 14 * 24 + 1


def test_target_is_adjustable_and_optional():
    spec = charts.concentration_time(single(), target_ng_ml=(3, 8)).to_dict()
    assert values(spec, layers(spec)[0]) == [{"lo": 3.0, "hi": 8.0}]
    spec = charts.concentration_time(single(), target_ng_ml=None).to_dict()
    assert [lay["mark"]["type"] for lay in layers(spec)] == ["line"]


def test_short_simulation_is_plotted_in_hours():
    short = single().query("time_h <= 48")
    spec = charts.concentration_time(short).to_dict()
    assert layers(spec)[1]["encoding"]["x"]["field"] == "hour"


def test_population_is_summarised_before_charting():
    sim = population()  # 500 x 673 = 336,500 rows; Altair alone would refuse them
    spec = charts.concentration_time(sim).to_dict()
    rect, area, median = layers(spec)
    assert area["mark"]["type"] == "area"
    assert (area["encoding"]["y"]["field"], area["encoding"]["y2"]["field"]) == ("p05", "p95")
    assert median["encoding"]["y"]["field"] == "p50"
    rows = values(spec, median)
    assert len(rows) == 28 * 24 + 1
    assert all(r["p05"] <= r["p50"] <= r["p95"] for r in rows)


def test_band_values_are_the_percentiles_across_subjects():
    # subject i has constant concentration i: percentiles are known exactly
    n, times = 101, np.arange(0.0, 97.0, 4.0)
    sim = pd.DataFrame({"subject": np.repeat(np.arange(n), len(times)),
                        "time_h": np.tile(times, n),
                        "conc_ng_ml": np.repeat(np.arange(n, dtype=float), len(times))})
    spec = charts.concentration_time(sim).to_dict()
    rows = values(spec, layers(spec)[2])
    assert {(r["p05"], r["p50"], r["p95"]) for r in rows} == {(5.0, 50.0, 95.0)}


def test_band_off_draws_median_only_and_sample_is_small():
    sim = population(n=200, days=7)
    spec = charts.concentration_time(sim, band=False, n_sample=5).to_dict()
    marks = [lay["mark"]["type"] for lay in layers(spec)]
    assert marks == ["rect", "line", "line"]
    sample = values(spec, layers(spec)[1])
    assert len({r["id"] for r in sample}) == 5 and len(sample) == 5 * (7 * 24 + 1)
    spec = charts.concentration_time(population(n=50, days=28), n_sample=10).to_dict()
    assert len(values(spec, layers(spec)[1])) <= concentration.MAX_SAMPLE_ROWS


def test_series_are_coloured_with_the_palette():
    a, b = single().assign(scenario="alone"), single().assign(scenario="with azole")
    b["conc_ng_ml"] *= 3
    spec = charts.concentration_time(pd.concat([a, b]), series="scenario").to_dict()
    colour = layers(spec)[1]["encoding"]["color"]
    assert colour["field"] == "scenario"
    assert colour["scale"] == {"domain": ["alone", "with azole"], "range": PALETTE[:2]}


@pytest.mark.slow
def test_payload_of_population_chart_is_within_budget():
    spec = charts.concentration_time(population(n=500, days=28), n_sample=5).to_dict()
    assert len(json.dumps(spec)) <= 150_000


def test_titles_follow_the_language():
    mtorlib.set_language("zh")
    spec = charts.concentration_time(single()).to_dict()
    assert spec["title"] == "全血药物浓度-时间曲线"
    assert layers(spec)[1]["encoding"]["y"]["title"] == "全血浓度（ng/mL）"
    mtorlib.set_language("en")
    spec = charts.concentration_time(single()).to_dict()
    assert spec["title"] == "Whole-blood concentration over time"


@pytest.mark.parametrize("target", [(15, 5), (-1, 5), ("a", 2), (5,), (5, float("inf"))])
def test_bad_target_raises_naming_the_field(target):
    with pytest.raises(charts.ChartError, match="target_ng_ml"):
        charts.concentration_time(single(), target_ng_ml=target)


def test_missing_column_raises():
    with pytest.raises(bands.BandError, match="conc_ng_ml"):
        charts.concentration_time(single().drop(columns="conc_ng_ml"))


def pta_frame():
    doses, bands = [0.5, 1.0, 1.5, 2.0], ["10-20 kg", "20-40 kg", "40-70 kg"]
    return pd.DataFrame([{"band": b, "dose_mg": d, "pta": min(1.0, d * (i + 1) / 4)}
                         for d in doses for i, b in enumerate(bands)])


def test_pta_heatmap_cells_and_labels():
    spec = charts.pta_heatmap(pta_frame()).to_dict()
    cells, text = layers(spec)
    assert cells["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert cells["encoding"]["color"]["scale"] == {"domain": [0, 1], "range": ["#FFFFFF", PALETTE[0]]}
    rows = spec["datasets"][spec["data"]["name"]]  # both layers share the top-level data
    assert len(rows) == 12
    assert {r["label"] for r in rows if r["p"] == 1.0} == {"100%"}


def test_pta_heatmap_rejects_non_probabilities():
    bad = pta_frame().assign(pta=2.0)
    with pytest.raises(charts.ChartError, match="0..1"):
        charts.pta_heatmap(bad)


def test_compare_drugs_side_by_side_with_own_targets():
    sim = pd.concat([single().assign(drug="sirolimus"), single().assign(drug="everolimus")])
    spec = charts.compare_drugs(sim, targets_ng_ml={"everolimus": (2, 6)}).to_dict()
    left, right = spec["hconcat"]
    assert (left["title"], right["title"]) == ("Sirolimus", "Everolimus")
    assert values(spec, right["layer"][0]) == [{"lo": 2.0, "hi": 6.0}]
    assert values(spec, left["layer"][0]) == [{"lo": 5.0, "hi": 15.0}]
    assert spec["resolve"] == {"scale": {"y": "shared"}}
    default = charts.compare_drugs(sim).to_dict()  # each drug's own sourced default window
    assert values(default, default["hconcat"][1]["layer"][0]) == [
        dict(zip(("lo", "hi"), mtorlib.pk.target_window("everolimus").ng_ml, strict=True))]


def test_captions_state_the_numbers_in_both_languages():
    sim = single()
    conc = sim["conc_ng_ml"].to_numpy()
    pct = round(100 * np.mean((conc >= 5) & (conc <= 15)))
    text = charts.caption(sim)
    assert f"{pct}% of the time" in text and "5–15 ng/mL" in text and "day 14" in text
    mtorlib.set_language("zh")
    assert "目标范围 5–15 ng/mL" in charts.caption(sim)
    mtorlib.set_language("en")
    band = charts.caption(population(n=101, days=7))
    assert band.startswith("Median of 101 simulated patients")


def test_caption_for_pta_names_the_best_cell():
    assert "1.5 mg in band 40-70 kg (100%)" in charts.caption(kind="pta", pta=pta_frame())


def test_pta_heatmap_reads_the_engine_table():
    table = mtorlib.pk.target_attainment(
        "sirolimus_cheng2020", doses_mg=[1, 2], every_h=24, n_subjects=200,
        covariate_grid=mtorlib.pk.weight_bands([10, 20, 40]), rng=np.random.default_rng(3))
    spec = charts.pta_heatmap(table).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    expected = zip(table["band"], table["dose_mg"], strict=True)
    assert sorted((r["band"], r["dose"]) for r in rows) == sorted(expected)


def test_caption_rejects_unknown_kind():
    with pytest.raises(charts.ChartError, match="kind"):
        charts.caption(single(), kind="pie")


def test_percentile_band_per_series():
    a = population(n=50, days=3).assign(scenario="a")
    b = a.assign(scenario="b", conc_ng_ml=a["conc_ng_ml"] * 2)
    band = bands.percentile_band(pd.concat([a, b]), series="scenario")
    assert list(band.columns) == ["scenario", "time_h", "p05", "p50", "p95"]
    pa, pb = (band[band.scenario == s].reset_index(drop=True) for s in "ab")
    np.testing.assert_allclose(pb["p50"], 2 * pa["p50"], atol=2e-3)  # rounded to 3 decimals


def test_percentile_band_needs_a_common_time_grid():
    sim = population(n=3, days=1).iloc[:-1]  # last subject lacks its final time
    with pytest.raises(bands.BandError, match="same times"):
        bands.percentile_band(sim)


@pytest.mark.parametrize("probs", [(), (5, 101), (-1,)])
def test_percentile_band_rejects_bad_percentiles(probs):
    with pytest.raises(bands.BandError, match="probs"):
        bands.percentile_band(single(), probs=probs)


def test_sample_subjects_keeps_the_first_n():
    sample = bands.sample_subjects(population(n=20, days=1), n=3)
    assert sorted(sample["subject"].unique()) == [0, 1, 2]
    with pytest.raises(bands.BandError, match="n must be"):
        bands.sample_subjects(single(), n=-1)


def test_percentile_band_does_not_depend_on_row_order():
    sim = population(n=30, days=2)
    shuffled = sim.sample(frac=1.0, random_state=1)
    pd.testing.assert_frame_equal(bands.percentile_band(sim), bands.percentile_band(shuffled))
