"""The transplant ward: scenario against independent values, chart spec, widget driven by its
controls, and Chinese rendering without English UI words."""

import re
from dataclasses import replace
from html import unescape

import ipywidgets as w
import numpy as np
import pytest

from mtorlib import i18n, pk, tdm
from mtorlib.charts.transplant import TransplantChartError, azole_course
from mtorlib.scenarios.transplant import (
    TransplantError,
    TransplantSettings,
    cni_interactions,
    run_transplant,
)
from mtorlib.widgets import transplant_ward

BASE = TransplantSettings()
CHENG = TransplantSettings(model_id="sirolimus_cheng2020", dose_mg=1.5, cni="tacrolimus")


@pytest.fixture(scope="module")
def default():
    return run_transplant(BASE)


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _cov(model_id):
    return pk.reference_covariates(model_id)


# --- scenario -------------------------------------------------------------------------------

def test_trough_before_the_azole_is_the_steady_state(default):
    ss = pk.steady_state(BASE.model_id, dose_mg=2, every_h=24, covariates=_cov(BASE.model_id))
    assert default.trough_before_ng_ml == pytest.approx(ss.trough_ng_ml, rel=1e-3)
    first = default.troughs[default.troughs.day <= BASE.azole_start_day].trough_ng_ml
    assert np.allclose(first, ss.trough_ng_ml, rtol=1e-3)


def test_long_azole_window_reaches_the_constant_modifier_steady_state():
    s = replace(CHENG, azole_start_day=1, azole_stop_day=None, days=150, measure_day=150)
    r = run_transplant(s)
    on = pk.steady_state(s.model_id, dose_mg=1.5, every_h=24, covariates=_cov(s.model_id),
                         interactions=("posaconazole",))
    assert r.troughs.trough_ng_ml.iloc[-1] == pytest.approx(on.trough_ng_ml, rel=1e-3)
    assert r.steady_on_azole_ng_ml == pytest.approx(on.trough_ng_ml)
    assert r.fraction_to_steady == pytest.approx(1.0, abs=1e-3)
    assert "transplant.caveat_not_steady" not in r.caveats


def test_trough_a_week_after_the_start_matches_the_closed_switch_formula(default):
    expected = pk.trough_after_switch(BASE.model_id, modifier="posaconazole",
                                      trough_ng_ml=default.trough_before_ng_ml, days=7)
    assert default.simulated_ng_ml == pytest.approx(expected, rel=2e-3)
    assert default.measure_day == BASE.azole_start_day + 7


def test_trough_after_the_stop_matches_the_closed_switch_formula():
    s = replace(CHENG, azole_start_day=1, azole_stop_day=100, days=110, measure_day=100)
    r = run_transplant(s)
    at_stop = float(r.troughs.trough_ng_ml[r.troughs.day == 100].iloc[0])
    expected = pk.trough_after_switch(s.model_id, modifier="posaconazole", trough_ng_ml=at_stop,
                                      days=5, change="stop")
    assert float(r.troughs.trough_ng_ml[r.troughs.day == 105].iloc[0]) == pytest.approx(expected, rel=2e-3)


def test_label_dose_is_the_hand_computed_proportional_rule():
    r = run_transplant(replace(BASE, measured_ng_ml=20.0))
    assert r.measured_ng_ml == 20.0
    assert r.label_exact_mg == pytest.approx(2 * 7.5 / 20)  # window 3-12: middle 7.5 ng/mL
    assert r.label_dose_mg == 1.0  # 0.75 mg rounds up to whole 0.5-mg tablets
    assert r.target_ng_ml == (3.0, 12.0)


def test_bayesian_answer_is_recommend_dose_with_the_azole_in_force(default):
    model = pk.load_model(BASE.model_id)
    rec = tdm.recommend_dose(model, target_ng_ml=(3.0, 12.0), covariates=_cov(BASE.model_id),
                             interactions=("posaconazole",))
    assert default.recommendation == rec


def test_excursion_and_series(default):
    t = default.troughs
    on = t[t.azole]
    assert default.trough_peak_ng_ml == on.trough_ng_ml.max()
    assert default.excursion == pytest.approx(default.trough_peak_ng_ml / default.trough_before_ng_ml)
    assert on.trough_ng_ml.is_monotonic_increasing  # an unchanged dose climbs while the azole is on
    assert set(default.sim.series) == {"unchanged", "label", "bayes"}
    # before the dose change all three courses are the same
    early = default.sim[default.sim.time_h <= 24 * default.measure_day]
    by = early.pivot(index="time_h", columns="series", values="conc_ng_ml")
    assert np.allclose(by["label"], by["unchanged"]) and np.allclose(by["bayes"], by["unchanged"])


def test_linear_in_dose():
    a, b = run_transplant(CHENG), run_transplant(replace(CHENG, dose_mg=3.0))
    ua, ub = (r.sim[r.sim.series == "unchanged"].conc_ng_ml.to_numpy() for r in (a, b))
    assert np.allclose(ub, 2 * ua)


def test_cni_choices_follow_the_model():
    assert cni_interactions("sirolimus_cheng2020", "cyclosporine_4h_apart") == ("cyclosporine_4h_apart",)
    assert cni_interactions("sirolimus_cheng2020", "tacrolimus") == ()
    assert cni_interactions("sirolimus_label", "cyclosporine_4h_apart") == ()
    with pytest.raises(TransplantError, match="ciclosporin"):
        cni_interactions("sirolimus_label", "tacrolimus")
    r = run_transplant(replace(CHENG, cni="cyclosporine_simultaneous"))
    ss = pk.steady_state(CHENG.model_id, dose_mg=1.5, every_h=24, covariates=_cov(CHENG.model_id),
                         interactions=("cyclosporine_simultaneous",))
    assert r.trough_before_ng_ml == pytest.approx(ss.trough_ng_ml, rel=1e-3)
    label = run_transplant(replace(BASE, model_id="sirolimus_label", cni="cyclosporine_4h_apart"))
    assert "transplant.caveat_cni_in_model" in label.caveats


def test_caveats_and_the_sourced_hsct_ratio(default):
    assert default.caveats[:2] == ("transplant.caveat_switch", "transplant.caveat_clearance")
    assert "transplant.caveat_not_steady" in default.caveats and default.fraction_to_steady < 0.9
    assert default.hsct_ratio.value == 2.6 and "transplant.caveat_hsct" in default.caveats
    assert default.model_ratio > default.hsct_ratio.value
    vori = run_transplant(replace(BASE, azole="voriconazole"))
    assert vori.hsct_ratio is None and "transplant.caveat_practice" in vori.caveats


@pytest.mark.parametrize(("change", "match"), [
    ({"azole": "fluconazole"}, "azole must be one of"),
    ({"azole_stop_day": 7}, "azole_stop_day"),
    ({"measure_day": 40}, "measure_day"),
    ({"measured_ng_ml": 0}, "measured_ng_ml"),
    ({"dose_mg": 41}, "dose_mg"),
    ({"model_id": "everolimus_label"}, "sirolimus"),
    ({"target_ng_ml": (12, 3)}, "target_ng_ml"),
    ({"every_h": 8}, "every_h"),
    ({"measured_ng_ml": 0.1}, "label maximum"),
])
def test_bad_settings_are_refused_with_the_field(change, match):
    with pytest.raises(TransplantError, match=match):
        run_transplant(replace(BASE, **change))


# --- chart ----------------------------------------------------------------------------------

def _layers(chart):
    return chart.to_dict()["layer"]


def test_chart_shades_the_azole_and_the_window_and_marks_the_change(default):
    chart = azole_course(default.sim, azole_days=(7, 35), azole_name="Posaconazole",
                         target_ng_ml=(3, 12), measure_day=14, suggestions={"label": 0.5, "bayes": 0.5})
    spec = chart.to_dict()
    datasets = spec["datasets"]
    values = {k: v for k, v in datasets.items()}
    flat = [row for rows in values.values() for row in rows]
    assert {"start": 7.0, "stop": 35.0, "text": "Posaconazole"} in flat
    assert {"lo": 3.0, "hi": 12.0} in flat
    assert any(row.get("day") == 14.0 and "Day 14" in row.get("text", "") for row in flat)
    names = {row["series"] for row in flat if "series" in row}
    assert names == {"Dose unchanged", "Label rule: 0.5 mg/day", "Bayesian forecast: 0.5 mg/day"}
    assert len(flat) < 5000
    marks = [layer["mark"]["type"] for layer in _layers(chart)]
    assert marks.count("rect") == 2 and "rule" in marks and "line" in marks


def test_chart_in_chinese_and_bad_input(default):
    i18n.set_language("zh")
    chart = azole_course(default.sim, azole_days=(7, 35), azole_name="泊沙康唑", target_ng_ml=(3, 12),
                         measure_day=14, suggestions={})
    assert chart.to_dict()["title"] == i18n.tr("transplant.chart_title", "zh")
    with pytest.raises(TransplantChartError, match="series"):
        azole_course(default.sim.assign(series="other"), azole_days=(7, 35), azole_name="x",
                     target_ng_ml=(3, 12), measure_day=14, suggestions={})
    with pytest.raises(TransplantChartError, match="start < stop"):
        azole_course(default.sim, azole_days=(35, 7), azole_name="x", target_ng_ml=(3, 12),
                     measure_day=14, suggestions={})
    with pytest.raises(TransplantChartError, match="conc_ng_ml"):
        azole_course(default.sim.drop(columns="conc_ng_ml"), azole_days=(7, 35), azole_name="x",
                     target_ng_ml=(3, 12), measure_day=14, suggestions={})


# --- widget ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def view():
    return transplant_ward()


@pytest.mark.slow
def test_widget_runs_the_public_pipeline(view):
    c = view.controls
    c["dose_mg"].value = 3.0
    c["start"].value = 10
    c["measure"].value = 20
    assert view.settings == replace(BASE, dose_mg=3.0, azole_start_day=10, measure_day=20,
                                    target_ng_ml=(3.0, 12.0))
    expected = run_transplant(view.settings)
    assert view.last.label_dose_mg == expected.label_dose_mg
    assert view.last.trough_before_ng_ml == expected.trough_before_ng_ml
    assert f"{expected.label_exact_mg:.2f}" in view.answers.value
    assert "teaching" in view.notice.value.lower()
    c["stopped"].value = False
    assert view.settings.azole_stop_day is None and c["stop"].layout.display == "none"
    c["stopped"].value = True
    c["window"].value = ""
    assert view.last.target_ng_ml == pk.target_window("sirolimus").ng_ml
    c["window"].value = "gvhd_prophylaxis_tacrolimus"


@pytest.mark.slow
def test_widget_checks_the_typed_trough(view):
    c = view.controls
    c["measured"].value = "abc"
    assert view.last is None and "not a number" in view.message.value and view.answers.value == ""
    c["measured"].value = "20"
    assert view.last.measured_ng_ml == 20.0 and view.message.value == ""
    c["measured"].value = "40"
    assert view.last.measured_ng_ml == 40.0 and "warning" in view.message.value.lower()
    c["measured"].value = "-3"
    assert view.last is None
    c["measured"].value = ""
    assert view.last.measured_ng_ml == view.last.simulated_ng_ml


@pytest.mark.slow
def test_widget_model_change_offers_only_its_cni(view):
    c = view.controls
    c["model"].value = "sirolimus_label"
    assert [v for _, v in c["cni"].options] == ["cyclosporine_4h_apart"]
    assert view.last.interactions == () and "ciclosporin is part of the model" in view.caveats.value
    c["model"].value = "sirolimus_cheng2020"
    assert [v for _, v in c["cni"].options][0] == "tacrolimus"
    c["measure"].value = 40  # after the azole stopped: refused by the scenario, said in the view
    assert view.last is None and "measure_day" in view.answers.value
    c["measure"].value = 14
    c["model"].value = BASE.model_id


def _shown(view) -> bool:
    return view.chart.layout.display != "none"


@pytest.mark.slow
def test_widget_errors_clear_the_result_and_hide_the_chart(monkeypatch):
    from mtorlib.widgets import transplant_view

    calls = []
    real = transplant_view.run_transplant
    monkeypatch.setattr(transplant_view, "run_transplant", lambda s: calls.append(s) or real(s))
    view = transplant_ward()
    assert len(calls) == 1 and view.last is not None and _shown(view)  # one run at build
    c = view.controls

    def cleared() -> bool:
        return view.last is None and view.summary.value == view.caveats.value == "" and not _shown(view)

    c["measured"].value = "abc"  # refused typed number
    assert cleared() and "not a number" in view.message.value
    c["measured"].value = ""
    assert view.last is not None and _shown(view) and view.summary.value and view.caveats.value
    c["measure"].value = 40  # refused by the scenario
    assert cleared() and "measure_day" in view.answers.value
    c["measure"].value = 14

    def broken(s):
        raise RuntimeError("solver diverged")

    monkeypatch.setattr(transplant_view, "run_transplant", broken)  # an unexpected error
    c["dose_mg"].value = 3.0
    assert cleared() and "This setting cannot be simulated: solver diverged" in view.answers.value
    monkeypatch.setattr(transplant_view, "run_transplant", real)
    monkeypatch.setattr(transplant_view.charts, "azole_course", lambda *a, **k: broken(None))  # chart fails
    c["dose_mg"].value = 2.5
    assert cleared() and "solver diverged" in view.answers.value
    monkeypatch.undo()
    c["dose_mg"].value = 2.0
    assert view.last.settings.dose_mg == 2.0 and _shown(view) and view.summary.value


def test_widget_whose_first_run_fails_shows_the_message_and_no_chart(monkeypatch):
    from mtorlib.widgets import transplant_view

    real = transplant_view.run_transplant

    def broken(s):
        raise RuntimeError("solver diverged")

    monkeypatch.setattr(transplant_view, "run_transplant", broken)
    view = transplant_ward()
    assert view.last is None and not _shown(view) and "solver diverged" in view.answers.value
    monkeypatch.setattr(transplant_view, "run_transplant", real)
    view.controls["dose_mg"].value = 3.0
    assert view.last.settings.dose_mg == 3.0 and _shown(view)
    assert view.chart.chart.to_dict()["title"] == i18n.tr("transplant.chart_title")


def _visible(widget) -> str:
    out = []
    if isinstance(widget, w.HTML):
        out.append(unescape(re.sub(r"<[^>]+>", " ", widget.value)))
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, (w.Dropdown, w.ToggleButtons)):
        out += [str(label) for label, _ in widget.options] if widget.options and isinstance(
            widget.options[0], tuple) else []
    for child in getattr(widget, "children", ()):
        out.append(_visible(child))
    return " ".join(out)


def test_chinese_view_shows_no_english_ui_word():
    i18n.set_language("zh")
    view = transplant_ward()
    cat = i18n.catalogue()
    keys = [k for k in cat if k.startswith(("transplant.", "common."))]
    english = {x.lower() for k in keys for x in re.findall(r"[A-Za-z]{3,}", cat[k]["en"])}
    english -= {x.lower() for k in keys for x in re.findall(r"[A-Za-z]{3,}", cat[k]["zh"])}
    seen = {x.lower() for x in re.findall(r"[A-Za-z]{3,}", _visible(view.widget))}
    assert "泊沙康唑" in _visible(view.widget)
    assert sorted(seen & english) == []


def test_default_window_is_the_sourced_prophylaxis_window():
    window = pk.target_window("sirolimus", "gvhd_prophylaxis_tacrolimus")
    assert window.ng_ml == (3.0, 12.0) and window.refs == ("dfci_tacsir_ric", "sirolimus_hct_pk_review")
    assert not window.default and pk.target_window("sirolimus").ng_ml == (5.0, 15.0)



def _parent(box, child):
    """The box whose children hold ``child`` (depth first), or None."""
    if child in getattr(box, "children", ()):
        return box
    return next((p for c in getattr(box, "children", ()) if (p := _parent(c, child))), None)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_trough_is_said_under_its_field_and_the_chart_gives_up_its_space(monkeypatch, lang):
    from mtorlib.widgets import transplant_view

    def broken(s):
        raise RuntimeError("not reached: the typed trough is refused first")

    i18n.set_language(lang)
    monkeypatch.setattr(transplant_view, "run_transplant", broken)  # fast: no simulation
    view = transplant_ward()
    view.controls["measured"].value = "-5"
    order = list(_parent(view.widget, view.controls["measured"]).children)
    assert order.index(view.message) == order.index(view.controls["measured"]) + 1
    assert "-5" in view.message.value and view.answers.value == "" and not _shown(view)
    assert "not reached" not in view.message.value
    if lang == "zh":
        assert "。 " not in unescape(view.message.value) and "实测谷浓度" in view.message.value
    view.widget.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_patient_models_are_offered_by_readable_name(monkeypatch, lang):
    from mtorlib.widgets import transplant_view

    def broken(s):
        raise RuntimeError("no simulation needed")

    monkeypatch.setattr(transplant_view, "run_transplant", broken)
    i18n.set_language(lang)
    view = transplant_ward()
    options, models = view.controls["model"].options, transplant_view.MODELS
    assert [value for _, value in options] == list(models)
    assert not [label for label, _ in options if "_" in label or any(m in label for m in models)]
    assert [label for label, _ in options] == [i18n.text(pk.load_model(m).name, lang) for m in models]
    i18n.set_language("zh" if lang == "en" else "en")  # the labels follow the switch
    assert [label for label, _ in options] != [label for label, _ in view.controls["model"].options]
    view.widget.close()



def test_ward_sliders_show_their_value_read_only(monkeypatch):
    from mtorlib.widgets import transplant_view

    def broken(s):
        raise RuntimeError("no simulation needed")

    monkeypatch.setattr(transplant_view, "run_transplant", broken)
    view = transplant_ward()
    c, readouts = view.controls, view.readouts
    assert set(readouts) == {"dose_mg", "start", "stop", "days", "measure"}
    assert not [n for n in readouts if c[n].readout]  # nothing typed is clamped silently
    c["dose_mg"].value = 3.5
    assert readouts["dose_mg"].value == "3.50"
    c["stopped"].value = False  # the stop day hides, and its value with it
    assert c["stop"].layout.display == readouts["stop"].layout.display == "none"
    view.widget.close()
