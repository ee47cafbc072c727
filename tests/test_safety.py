"""Safety facts as data (rules), the frames, the monitoring planner, the chart and the views."""

import datetime as dt
import re

import pandas as pd
import pytest

import mtorlib
from mtorlib import evidence, i18n, safety
from mtorlib.charts.safety import adverse_event_chart
from mtorlib.content import check_paths
from mtorlib.content.paths import DATA_DIR
from mtorlib.widgets import adverse_event_view, monitoring_planner

START = dt.date(2025, 1, 6)  # a Monday


def _bad_copy(tmp_path, name, replacements):
    text = (DATA_DIR / name).read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return [p.message for p in check_paths([path])]


def test_rule_catches_a_figure_without_a_source(tmp_path):
    messages = _bad_copy(tmp_path, "safety_facts.yaml", [
        ("percent: 10.8, of: 111, refs: [52]", "percent: 10.8, of: 111, refs: []"),
        ("percent: 11.1, events: 5, of: 45", "percent: 15.1, events: 5, of: 45"),
        ("qualifier: range, percent: 13, percent_high: 58", "qualifier: range, percent: 13, percent_high: 8"),
    ])
    assert any("a figure or warning needs at least one source" in m for m in messages)
    assert any("does not match 5/45" in m for m in messages)
    assert any("high end must be >= percent" in m for m in messages)


def test_rule_catches_a_not_stated_item_with_a_number_and_a_stated_one_without_source(tmp_path):
    messages = _bad_copy(tmp_path, "safety_facts.yaml", [
        ("not stated by the sources reached. Do not quote", "not stated: 12 % of them. Do not quote"),
        ("    refs: [fishman_gans_2019]\n", "    refs: []\n"),
    ])
    assert any("must not give a percentage" in m for m in messages)
    assert any("a stated item needs at least one source" in m for m in messages)


def test_monitoring_rule_catches_unknown_indication_and_timing_on_not_stated(tmp_path):
    messages = _bad_copy(tmp_path, "safety_monitoring.yaml", [
        ("indications: [gvhd]", "indications: [gvhd, tma]"),
        ("    indications: [itp, aiha, prca, alps]\n    refs: []",
         "    indications: [itp, aiha, prca, alps]\n"
         "    timing: {from_day: 3, text: {en: a, zh: 甲}, refs: [9]}\n    refs: []"),
    ])
    assert any("unknown indication 'tma'" in m for m in messages)
    assert any("a not-stated item cannot have a timing" in m for m in messages)


def test_every_figure_has_a_source_and_the_published_numbers():
    f = safety.adverse_events()
    assert len(f) >= 30 and all(f["refs"].map(len) > 0)
    assert (f["source"] != i18n.tr("safety.not_stated")).all()
    row = f.set_index("id").loc["tma_hct"]
    assert (row["percent"], row["comparator_percent"]) == (10.8, 4.2)
    assert row["figure"] == "10.8 % vs 4.2 % (no sirolimus (n = 216))"
    assert f.set_index("id").loc["range_thrombocytopenia", "figure"] == "4–45 %"
    assert f.set_index("id").loc["ic_mucositis_li", "figure"] == "11.1 % (5/45)"


def test_table_filter_by_population_and_drug():
    every = safety.adverse_events()
    ic = safety.adverse_events(population="immune_cytopenia")
    assert set(ic["id"]) == set(every[every["population"] == "Immune cytopenias"]["id"])
    assert set(ic["id"]) == {"ic_mucositis_li", "ic_mucositis_zhang", "ic_infection_zhang", "ic_alt_zhang",
                             "ic_any_ae_prca"}
    evr_onc = safety.adverse_events(population="oncology", drug="everolimus")
    assert set(evr_onc["id"]) == {"onc_stomatitis", "onc_infections", "onc_hyperglycaemia", "onc_pneumonitis"}
    assert safety.adverse_events(population="immune_cytopenia", drug="everolimus").empty
    with pytest.raises(safety.SafetyError, match="population must be one of transplant, hct"):
        safety.adverse_events(population="ITP")


def test_monitoring_plan_dates_by_hand():
    plan = safety.monitoring_plan(START, "itp")
    trough = plan[plan["item"] == "Sirolimus whole-blood trough (C0)"].iloc[0]
    assert trough["date"] == pd.Timestamp("2025-01-13")  # 6 Jan + 7 days
    assert trough["until"] == pd.Timestamp("2025-01-20")  # 6 Jan + 14 days
    from_start = plan[plan["date"] == pd.Timestamp("2025-01-06")]["item"].tolist()
    assert from_start == ["Contraception (if pregnancy is possible)", "Sun and UV protection",
                          "No live vaccines"]
    undated = plan[plan["date"].isna()]
    assert set(undated["when"]) == {"timing not stated by the sources"}
    assert {"Complete blood count", "Cholesterol and triglycerides", "Urine protein", "Blood glucose",
            "Liver tests", "Kidney function (creatinine)"} <= set(undated["item"])
    pjp = plan[plan["item"] == "Pneumocystis (PJP) prophylaxis"].iloc[0]
    assert pjp["source"] == "not stated by the sources" and not pjp["stated"]
    assert list(plan.columns) == safety.PLAN_COLUMNS


def test_monitoring_plan_by_indication_and_bad_input():
    gvhd = safety.monitoring_plan(dt.date(2024, 12, 30), "gvhd")
    pjp = gvhd[gvhd["item"] == "Pneumocystis (PJP) prophylaxis"].iloc[0]
    assert pjp["stated"] and "PTCy" in pjp["source"]
    trough = gvhd[gvhd["item"].str.contains("trough")].iloc[0]
    assert trough["date"] == pd.Timestamp("2025-01-06")  # across the new year: 30 Dec + 7 days
    with pytest.raises(safety.SafetyError, match="indication must be one of itp, aiha, prca, alps, gvhd"):
        safety.monitoring_plan(START, "ttp")
    with pytest.raises(safety.SafetyError, match="start must be a date"):
        safety.monitoring_plan("2025-01-06", "itp")
    with pytest.raises(safety.SafetyError, match="start must be a date"):
        safety.monitoring_plan(dt.datetime(2025, 1, 6, 8, 0), "itp")


def test_statements_teach_what_is_not_stated():
    inf = safety.infection_frame()
    not_stated = set(inf[~inf["stated"]]["id"])
    assert {"pjp_label", "pjp_immune_cytopenia", "inactivated_on_sirolimus"} <= not_stated
    assert not inf[~inf["stated"]]["text"].str.contains(r"\d\s*%").any()
    warnings = safety.warnings_frame()
    assert {"tma_cni", "sos_vod_busulfan", "proteinuria_trough", "pneumonitis_ild", "wound_lymphocele",
            "hyperlipidaemia", "hyperglycaemia", "angioedema_acei", "embryo_fetal_contraception",
            "male_fertility", "skin_cancer_sun"} <= set(warnings["id"])
    assert "OR 8.8" in warnings.set_index("id").loc["sos_vod_busulfan", "text"]
    assert not any(re.search(r"\[[a-z][a-z0-9_]+\]", t) for t in warnings["text"])  # readable citations
    assert len(safety.confounder_frame()) >= 4


def test_chart_spec():
    frame = safety.adverse_events(population="hct")
    spec = adverse_event_chart(frame).to_dict()
    layers = spec["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "point", "point"]
    assert layers[2]["mark"]["filled"] is False
    assert layers[1]["encoding"]["x"]["scale"]["domain"] == [0, 100]
    rows = next(iter(spec["datasets"].values()))
    assert rows[0]["percent"] == 10.8 and rows[0]["comparator_percent"] == 4.2
    assert rows[0]["row"] == "Thrombotic microangiopathy · [52]"
    tips = {t["field"] for t in layers[1]["encoding"]["tooltip"]}
    assert {"population", "source", "figure", "setting", "drug"} <= tips
    with pytest.raises(ValueError, match="missing source"):
        adverse_event_chart(frame.drop(columns="source"))


@pytest.mark.slow
def test_adverse_event_view_driven_by_its_controls():
    view = adverse_event_view()
    assert len(view.last) == len(safety.adverse_events())
    view.controls["population"].value = "oncology"
    pd.testing.assert_frame_equal(view.last, safety.adverse_events(population="oncology"))
    view.controls["drug"].value = "sirolimus"
    assert view.last.empty and "0 figures shown" in view.count.value
    view.controls["population"].value = "tsc_lam"
    assert len(view.last) == 4 and "Stomatitis" in view.table.value
    assert len(next(iter(view.chart.chart.to_dict()["datasets"].values()))) == 4


def test_monitoring_planner_driven_by_its_controls():
    view = monitoring_planner(START, "itp")
    pd.testing.assert_frame_equal(view.last, safety.monitoring_plan(START, "itp"))
    view.controls["start"].value = dt.date(2025, 3, 1)
    assert view.last["date"].iloc[3] == pd.Timestamp("2025-03-08") and "2025-03-08" in view.table.value
    view.controls["indication"].value = "gvhd"
    pd.testing.assert_frame_equal(view.last, safety.monitoring_plan(dt.date(2025, 3, 1), "gvhd"))
    assert "teaching" in view.notice.value.lower()
    view.controls["start"].value = None
    assert view.last is None and "Choose a start date" in view.table.value


def _english_ui_words():
    return {v["en"] for k, v in i18n.catalogue().items() if k.startswith("safety.") and "{" not in v["en"]}


@pytest.mark.slow
def test_zh_render_has_no_english_ui_word():
    table_view, planner = adverse_event_view(), monitoring_planner(START, "alps")
    mtorlib.set_language("zh")
    try:
        rendered = " ".join([table_view.table.value, table_view.count.value, planner.table.value,
                             planner.note.value, planner.notice.value]
                            + [label for c in (*table_view.controls.values(), planner.controls["indication"])
                               for label, _v in c.options]
                            + [c.description for c in (*table_view.controls.values(),
                                                       *planner.controls.values())])
        refs = {r for rs in (*safety.adverse_events()["refs"], *safety.warnings_frame()["refs"]) for r in rs}
        for ref in sorted(refs, key=str) + ["rapamune_eu_pil", "rapamune_uspi_s2", "afinitor_patient_info"]:
            rendered = rendered.replace(evidence.short_citation(ref, "zh"), "")  # citations stay as published
        for word in _english_ui_words():
            assert word not in rendered, word
        assert "来源未说明" in planner.table.value and "人群" in rendered
        assert planner.last.equals(safety.monitoring_plan(START, "alps", lang="zh"))
    finally:
        mtorlib.set_language("en")


def test_zh_counts_use_full_width_brackets():
    f = safety.adverse_events(lang="zh").set_index("id")
    assert f.loc["ic_any_ae_prca", "figure"] == "29.7 %（19/64）"


def test_check_summary_sentences_keep_the_counts():
    warnings, infection = safety.warnings_frame(), safety.infection_frame()
    lines = safety.check_summary("warnings", "en").splitlines()
    assert lines[0] == f"{len(warnings)} warnings, every one with a source"
    assert lines[1:] == list(warnings["title"])
    silent = list(infection.loc[~infection["stated"], "title"])
    lines = safety.check_summary("infection", "zh").splitlines()
    assert lines[0].startswith(f"来源回答了{int(infection['stated'].sum())}个")
    assert f"以下{len(silent)}个" in lines[0]
    assert lines[1:] == [f"- {t}" for t in safety.infection_frame("zh").loc[~infection["stated"], "title"]]


def test_adverse_event_filters_start_on_a_shown_all_choice():
    view = adverse_event_view()
    for ctl in view.controls.values():
        assert ctl.index == 0 and ctl.label == i18n.tr("safety.all") and ctl.value == ""
    assert len(view.last) == len(safety.adverse_events())
    view.controls["drug"].value = "sirolimus"
    view.controls["drug"].index = 0  # back to "All": every drug again
    assert len(view.last) == len(safety.adverse_events())
    view.widget.close()
