"""The PK explorer driven through its controls and compared with the public pipeline."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import mtorlib
from mtorlib import pk, regimen, scenarios
from mtorlib.charts.concentration import fmt_number
from mtorlib.scenarios import ExplorerSettings, ScenarioError, explore
from mtorlib.scenarios import explorer as explorer_scenario
from mtorlib.widgets import pk_explorer
from mtorlib.widgets.explorer_view import summary_text


@pytest.fixture
def view():
    return pk_explorer()


def test_starts_with_label_model_and_shows_notice(view):
    assert view.last.model.model_id == "sirolimus_label"
    assert "For teaching only" in view.notice.value and view.notice in view.widget.children
    fresh = explore(view.settings)  # the view shows exactly what the scenario computes
    assert view.last.settings == view.settings and fresh.steady == view.last.steady
    pd.testing.assert_frame_equal(fresh.sim, view.last.sim)
    assert view.chart in view.widget.children and view.summary in view.widget.children


def test_dose_interaction_and_loading_match_the_engine(view):
    view.controls["dose_mg"].value = 3
    view.controls["loading_mg"].value = 9
    view.controls["interaction"].value = "posaconazole"
    view.controls["days"].value = 10
    s = view.last
    events = regimen.repeated(dose_mg=3, every_h=24, n_doses=10, loading_mg=9)
    expected = pk.simulate("sirolimus_label", events, times_h=np.arange(0, 241.0),
                           covariates={"weight_kg": 70.0}, interactions=("posaconazole",))
    pd.testing.assert_frame_equal(s.events, events)
    np.testing.assert_allclose(s.sim["conc_ng_ml"], expected["conc_ng_ml"], rtol=1e-12)
    ss = pk.steady_state("sirolimus_label", dose_mg=3, every_h=24, interactions=("posaconazole",))
    assert s.steady.trough_ng_ml == pytest.approx(ss.trough_ng_ml)
    assert f"{ss.trough_ng_ml:.3g}" in view.summary.value
    assert "exaggerates the half-life" in view.summary.value  # clearance-only interaction caveat


def test_food_and_liver_controls_add_modifiers(view):
    view.controls["food"].value = "high_fat_meal_tablet"
    view.controls["hepatic"].value = "child_pugh_b"
    assert view.last.settings.interactions == ("high_fat_meal_tablet", "child_pugh_b")
    assert "exaggerates" not in view.summary.value  # food and liver: no interaction caveat
    t_half = pk.half_life_h("sirolimus_label", interactions=("child_pugh_b",))
    assert view.last.half_life_h == pytest.approx(t_half)
    assert t_half > pk.half_life_h("sirolimus_label")  # lower clearance, longer half-life


def test_ciclosporin_is_not_offered_for_a_model_built_on_it(view):
    names = [v for _, v in view.controls["interaction"].options]
    assert "cyclosporine_simultaneous" not in names  # sirolimus_label data came with ciclosporin
    view.controls["model"].value = "sirolimus_cheng2020"
    names = [v for _, v in view.controls["interaction"].options]
    assert "cyclosporine_4h_apart" in names


def test_switching_model_starts_at_its_reference_weight(view):
    view.controls["model"].value = "sirolimus_cheng2020"
    assert view.controls["weight_kg"].value == 28.5
    assert view.last.covariates == {"weight_kg": 28.5}


def test_built_for_a_child_model_starts_at_its_reference_weight():
    view = pk_explorer("sirolimus_cheng2020")
    assert view.controls["weight_kg"].value == 28.5 and view.last.covariates == {"weight_kg": 28.5}


def test_dose_dependent_model_gets_the_daily_dose(view):
    view.controls["model"].value = "sirolimus_jiao2009"
    view.controls["every_h"].value = 12
    view.controls["dose_mg"].value = 1.5
    assert view.last.covariates == {"daily_dose_mg": 3.0}
    expected = pk.steady_state("sirolimus_jiao2009", dose_mg=1.5, every_h=12,
                               covariates={"daily_dose_mg": 3.0})
    assert view.last.steady.trough_ng_ml == pytest.approx(expected.trough_ng_ml)


def test_everolimus_offers_its_own_modifiers(view):
    view.controls["model"].value = "everolimus_label"
    names = [v for _, v in view.controls["interaction"].options]
    assert "erythromycin" in names and "voriconazole" not in names
    assert view.last.model.model_id == "everolimus_label"


def test_bsa_dosing_uses_mosteller(view):
    view.controls["model"].value = "sirolimus_cheng2020"
    view.controls["basis"].value = "mg_m2"
    view.controls["height_cm"].value = 130
    view.controls["mg_per_m2"].value = 1.5
    bsa = regimen.bsa_m2(height_cm=130, weight_kg=28.5)
    assert view.last.bsa_m2 == pytest.approx(bsa)
    assert view.last.dose_mg == pytest.approx(1.5 * bsa)
    assert view.controls["dose_mg"].layout.display == "none"
    assert "m²" in view.summary.value


def test_missed_doses_are_dropped_from_the_middle(view):
    view.controls["days"].value = 14
    view.controls["missed"].value = 2
    times = view.last.events["time_h"].tolist()
    assert len(times) == 12 and 7 * 24.0 not in times and 8 * 24.0 not in times
    assert view.last.missed_from_h == 7 * 24


def test_band_simulates_a_seeded_population(view):
    view.controls["band"].value = True
    s = view.last
    assert s.sim["subject"].nunique() == explorer_scenario.N_BAND
    again = pk.simulate("sirolimus_label", s.events,
                        times_h=explorer_scenario.display_times(21, 24),
                        covariates={"weight_kg": 70.0}, n_subjects=explorer_scenario.N_BAND,
                        rng=np.random.default_rng(explorer_scenario.BAND_SEED))
    np.testing.assert_allclose(s.sim["conc_ng_ml"], again["conc_ng_ml"])
    spec = view.chart.chart.to_dict()
    assert [lay["mark"]["type"] for lay in spec["layer"]] == ["rect", "area", "line"]


def test_target_slider_moves_the_shaded_window(view):
    view.controls["target"].value = (3, 8)
    spec = view.chart.chart.to_dict()
    assert spec["datasets"][spec["layer"][0]["data"]["name"]] == [{"lo": 3.0, "hi": 8.0}]


def test_language_switch_rerenders_titles_and_labels(view):
    mtorlib.set_language("zh")
    assert view.chart.chart.to_dict()["title"] == "全血药物浓度-时间曲线"
    assert view.controls["dose_mg"].description == "剂量（mg）"
    assert "典型患者稳态" in view.summary.value and "模拟全血浓度" in view.caption.value
    mtorlib.set_language("en")
    assert view.controls["dose_mg"].description == "Dose (mg)"


def test_chart_description_follows_the_dose_slider_and_the_language(view):
    view.controls["dose_mg"].value = 4
    t, c = view.last.sim["time_h"].to_numpy(), view.last.sim["conc_ng_ml"].to_numpy()
    trough, peak = c[t >= t.max() - 24].min(), c[t >= t.max() - 24].max()
    text = view.chart.chart.to_dict()["description"]
    assert f"trough {trough:.3g} ng/mL, peak {peak:.3g} ng/mL" in text
    mtorlib.set_language("zh")
    try:
        assert f"谷浓度 {trough:.3g} ng/mL" in view.chart.chart.to_dict()["description"]
    finally:
        mtorlib.set_language("en")


def test_rejected_input_shows_the_engine_message(view):
    view.controls["model"].value = "sirolimus_cheng2020"
    view.controls["weight_kg"].value = 150  # outside the Cheng 2020 covariate range
    assert view.last is None
    assert "weight_kg" in view.summary.value and "150" in view.summary.value
    view.controls["weight_kg"].value = 30
    assert view.last is not None


BASE = ExplorerSettings(model_id="sirolimus_label", dose_mg=2, every_h=24, days=14)


@pytest.mark.parametrize(("field", "value"), [("missed", -1), ("days", 0), ("missed", 1.5),
                                              ("target_ng_ml", (8, 3)), ("target_ng_ml", "wide")])
def test_explore_rejects_bad_settings(field, value):
    with pytest.raises(ScenarioError, match=field):
        explore(replace(BASE, **{field: value}))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"every_h": 0}, "every_h must be a finite number > 0"),
    ({"every_h": "24"}, "every_h must be a finite number > 0"),
])
def test_explore_rejects_a_bad_interval(kwargs, match):
    with pytest.raises(ScenarioError, match=match):
        explore(replace(BASE, **kwargs))


def test_explore_accepts_numpy_numbers():
    a = explore(replace(BASE, every_h=np.int64(24), days=np.int64(14), missed=np.int64(1)))
    b = explore(replace(BASE, missed=1))
    assert a.steady.trough_ng_ml == b.steady.trough_ng_ml


def test_explore_result_is_data_only_and_scales_with_dose():
    """Linear kinetics: doubling the dose doubles every concentration; the window is sourced."""
    one, two = explore(BASE), explore(replace(BASE, dose_mg=4))
    np.testing.assert_allclose(two.sim["conc_ng_ml"], 2 * one.sim["conc_ng_ml"], rtol=1e-12)
    assert one.target_ng_ml == pk.target_window("sirolimus").ng_ml == (5.0, 15.0)
    assert explore(replace(BASE, target_ng_ml=None)).target_ng_ml is None
    assert one.caveats == () and not one.uses_weight  # no weight given: the model's reference
    assert explore(replace(BASE, weight_kg=70.0)).uses_weight
    fields = {f: type(getattr(one, f)).__module__ for f in one.__dataclass_fields__}
    assert not any(m.startswith(("altair", "ipywidgets")) for m in fields.values())


def test_explore_carries_the_caveat_and_the_dose_rule():
    azole = explore(replace(BASE, interactions=("posaconazole",)))
    assert azole.caveats == ("pk.interaction_caveat",)
    jiao = explore(replace(BASE, model_id="sirolimus_jiao2009", every_h=12, dose_mg=1.5))
    assert jiao.covariates == {"daily_dose_mg": 3.0} and not jiao.uses_weight


def test_widget_and_scenarios_exports_are_the_same_objects():
    assert scenarios.explore is explore
    from mtorlib.widgets.explorer_view import pk_explorer as builder
    assert pk_explorer is builder


def test_every_slider_stays_inside_its_limits(view):
    """No control can reach an impossible value: ranges inside input_limits / regimen limits."""
    from mtorlib import plausibility
    c = view.controls
    allowed = plausibility.limits("target_ng_ml")["allowed"]
    assert allowed["min"] < c["target"].min and c["target"].max == allowed["max"] == 30
    c["target"].value = (0, 100)  # the slider clamps to the allowed window, never 0 or above 30
    assert plausibility.check_window(*c["target"].value).accepted
    daily = plausibility.limits("dose_mg_day")["allowed"]["max"]
    assert c["dose_mg"].max * 24 / min(c["every_h"].options) <= daily
    assert 0 < c["dose_mg"].min and c["loading_mg"].max <= regimen.MAX_DOSE_MG
    assert regimen.WEIGHT_KG[0] <= c["weight_kg"].min < c["weight_kg"].max <= regimen.WEIGHT_KG[1]
    assert regimen.HEIGHT_CM[0] <= c["height_cm"].min < c["height_cm"].max <= regimen.HEIGHT_CM[1]
    assert c["missed"].min == 0 and c["days"].min >= 1


def test_target_window_table_comes_from_the_constants():
    mtorlib.set_language("en")
    table = pk.target_window_table("sirolimus", ["immune_cytopenia", "renal_transplant_ciclosporin"])
    assert table["Window (ng/mL)"].tolist() == ["5–15", "4–12"]
    assert table["Assay"].tolist() == ["mixed or not stated (see the note)", "chromatographic"]
    assert table["Sources"].iloc[0].startswith("[8]")
    assert len(pk.target_window_table("sirolimus")) == 8  # incl. the GVHD prophylaxis window (09)
    zh = pk.target_window_table("sirolimus", ["alps"], lang="zh")
    assert list(zh.columns) == ["适用情形", "目标范围（ng/mL）", "检测方法", "出处"]
    assert zh["检测方法"].iloc[0] == "未报告"


def test_summary_tells_the_drugs_time_to_steady_state_from_the_trough_day():
    base = ExplorerSettings(model_id="sirolimus_label", dose_mg=2, days=21)
    t90 = pk.time_to_steady_state_h("sirolimus_label") / 24  # 3.32 half-lives of 62 h: 8.6 days
    plain = summary_text(explore(base), "en")
    loaded = summary_text(explore(replace(base, loading_mg=6)), "en")
    for text in (plain, loaded):  # the drug's time to steady state ignores the loading dose
        assert f"after {fmt_number(t90)} days (3.3 half-lives), with or without a loading dose" in text
    assert "on day 9." in plain and "§2" not in plain
    assert "on day 6." in loaded and "not the drug's time to steady state" in loaded and "§2" in loaded
    zh = summary_text(explore(replace(base, loading_mg=6)), "zh")
    assert f"{fmt_number(t90)} 天" in zh and "第 6 天" in zh
    short = summary_text(explore(replace(base, days=4)), "en")
    assert "does not reach 90% of the steady-state trough within the 4 days shown" in short


def test_model_choices_are_readable_names_that_follow_the_language(view):
    ids = list(pk.list_models()["model_id"])
    for lang, word in (("zh", "说明书模型（Rapamune）"), ("en", "Label model (Rapamune)")):
        mtorlib.set_language(lang)
        labels = [label for label, _ in view.controls["model"].options]
        assert [value for _, value in view.controls["model"].options] == ids
        assert not [label for label in labels if any(i in label for i in ids)]
        assert any(label.endswith(word) for label in labels)



def test_sliders_show_their_value_read_only_so_nothing_typed_is_clamped_silently(view):
    sliders = {n: c for n, c in view.controls.items() if hasattr(c, "readout")}
    assert set(view.readouts) == set(sliders) and {"dose_mg", "weight_kg", "target"} <= set(sliders)
    assert not [n for n, c in sliders.items() if c.readout]  # no typable readout left
    assert view.readouts["target"].value == "5.0 – 15.0"  # the whole window, at .1f
    view.controls["weight_kg"].value = 42.5
    assert view.readouts["weight_kg"].value == "42.50"
    view.controls["basis"].value = "mg_m2"  # the mg slider hides, and its value with it
    readouts = view.readouts
    assert readouts["dose_mg"].layout.display == "none" and readouts["height_cm"].layout.display is None
