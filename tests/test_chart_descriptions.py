"""Every chart builder attaches a screen-reader description whose numbers come from its frame.

Each test computes the key numbers from the frame itself (not through ``charts.describe``) and
looks for them in the chart's Vega-Lite ``description``; Chinese descriptions hold none of the
English descriptions' words.
"""

import re

import numpy as np
import pandas as pd
import pytest

from mtorlib import cases, i18n
from mtorlib.charts import cases as case_charts
from mtorlib.charts import concentration, monitoring, pathway, prca, safety, transplant


@pytest.fixture
def zh():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def g3(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"


def curve(days=10, dose_mg=2.0, cl=5.0, v=100.0):
    """A one-compartment bolus curve every 24 h (ng/mL), built up from the first dose."""
    t = np.arange(0, days * 24 + 1, 1.0)
    k = cl / v
    conc = sum(1000 * dose_mg / v * np.exp(-k * (t - d)) * (t >= d) for d in np.arange(0, days * 24, 24))
    return t, conc


def described(chart) -> str:
    return chart.to_dict()["description"]


def english_words() -> set[str]:
    """Words of the English chart descriptions (placeholders and units left out)."""
    words = set()
    for key, entry in i18n.catalogue().items():
        if key.startswith("a11y."):
            words |= set(re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}|ng/mL", "", entry["en"])))
    return words


def test_concentration_chart_names_its_last_day_trough_and_peak_and_time_in_window():
    t, conc = curve(days=10)
    sim = pd.DataFrame({"subject": 0, "time_h": t, "conc_ng_ml": conc})
    text = described(concentration.concentration_time(sim, target_ng_ml=(5, 15)))
    last = conc[t >= t.max() - 24]
    pct = round(100 * np.mean((conc >= 5) & (conc <= 15)))
    assert f"trough {g3(last.min())} ng/mL" in text and f"peak {g3(last.max())} ng/mL" in text
    assert "over 10 days" in text and f"5–15 ng/mL, inside it {pct}% of the time" in text


def test_tdm_forecast_names_levels_and_each_answers_trough(zh):
    t, conc = curve(days=8)
    frame = pd.concat([
        pd.DataFrame({"time_h": t, "conc_ng_ml": conc, "lo_ng_ml": conc * 0.8, "hi_ng_ml": conc * 1.2,
                      "series": "bayes"}),
        pd.DataFrame({"time_h": t, "conc_ng_ml": conc * 1.5, "lo_ng_ml": np.nan, "hi_ng_ml": np.nan,
                      "series": "label"})])
    levels = pd.DataFrame({"time_h": [48.0, 96.0], "conc_ng_ml": [4.2, 7.9]})
    text = described(monitoring.forecast(frame, levels, target_ng_ml=(6, 12)))
    last = conc[t >= t.max() - 24]
    assert "2 次实测浓度" in text and "4.2–7.9 ng/mL" in text and "目标范围 6–12 ng/mL" in text
    assert f"贝叶斯剂量，第 8 天谷浓度 {g3(last.min())} ng/mL" in text
    assert f"说明书规则剂量，第 8 天谷浓度 {g3(1.5 * last.min())} ng/mL" in text
    assert not english_words() & set(re.findall(r"[A-Za-z]{3,}", text))
    assert text.endswith("。") and ";" not in text and ":" not in text.replace("ng/mL", "")


def test_lab_timeline_describes_only_the_visited_nodes_labs():
    case = cases.load_case("aiha_post_hsct_cni")
    labs = cases.labs_frame(case)
    first = labs["node"].iloc[0]
    text = described(case_charts.lab_timeline(labs, visible_nodes=[first]))
    shown = labs[labs["node"] == first].sort_values("day")
    for _test, part in shown.groupby("test"):
        assert f"{g3(part['value'].iloc[0])} on day {g3(part['day'].iloc[0])}" in text
    hidden = labs[labs["node"] != first]
    later_days = {g3(d) for d in hidden["day"]} - {g3(d) for d in shown["day"]}
    assert later_days and not any(f"on day {d}," in text or f"on day {d}." in text for d in later_days)


def test_transplant_chart_names_each_series_peak_and_the_azole_window():
    t, conc = curve(days=20)
    frame = pd.concat([pd.DataFrame({"time_h": t, "conc_ng_ml": conc * f, "series": s})
                       for s, f in (("unchanged", 2.0), ("label", 1.0), ("bayes", 1.2))])
    text = described(transplant.azole_course(frame, azole_days=(5, 12), azole_name="Posaconazole",
                                             target_ng_ml=(4, 12), measure_day=9,
                                             suggestions={"label": 1.0, "bayes": 1.5}))
    assert "Posaconazole from day 5 to day 12" in text and "dose change on day 9" in text
    assert f"peak {g3(2 * conc.max())} ng/mL" in text and f"peak {g3(1.2 * conc.max())} ng/mL" in text


def test_prca_and_safety_charts_name_their_highest_figures():
    points = pd.DataFrame({"study": ["A", "A", "B"], "arm_label": ["x", "x", "y"],
                           "month": [0.0, 6.0, 3.0], "percent": [0.0, 76.2, 40.0],
                           "basis": ["start", "reported", "reported"]})
    untimed = pd.DataFrame({"study": ["C"], "arm_label": ["z"], "percent": [64.3],
                            "ci_low": [50.0], "ci_high": [80.0]})
    text = described(prca.response_course(points, untimed, judge_month=6))
    assert "A, x 76.2% at month 6" in text and "B, y 40% at month 3" in text
    assert "C, z 64.3%" in text and "month 6" in text
    events = pd.DataFrame({"event": ["Mucositis", "Hyperlipidaemia", "Rash"], "drug": "sirolimus",
                           "population": ["ITP", "ITP", "ALPS"], "setting": "s",
                           "percent": [12.5, 44.0, 3.0], "percent_high": np.nan,
                           "comparator_percent": np.nan, "figure": "f", "source": "src"})
    text = described(safety.adverse_event_chart(events))
    assert text.startswith("Chart of 3 published") and "Hyperlipidaemia 44% (ITP), Mucositis 12.5%" in text


def test_mechanism_charts_describe_effects_and_the_pkpd_extremes(zh):
    states = pd.DataFrame({"node": ["a", "b", "c"], "x": [0, 1, 2], "y": [0, 1, 2],
                           "label": ["mTORC1", "S6K1", "AKT"],
                           "effect": ["inhibited", "decreased", "not_stated"], "why": ""})
    edges = pd.DataFrame({"x": [0], "y": [0], "x2": [1], "y2": [1], "relation": ["r"], "text": ["t"]})
    text = described(pathway.pathway_chart(states, edges))
    assert "mTORC1" in text and "S6K1" in text and "AKT" not in text and "3 个信号节点" in text
    days = np.linspace(0, 7, 50)
    frame = pd.DataFrame({"time_d": days, "conc_ng_ml": 10 * np.sin(days / 3) + 1,
                          "effect_percent": 60 * (1 - np.exp(-days))})
    text = described(pathway.pkpd_chart(frame))
    assert f"{g3(frame['conc_ng_ml'].max())} ng/mL" in text
    assert f"{g3(frame['effect_percent'].iloc[-1])}%" in text
    assert not english_words() & set(re.findall(r"[A-Za-z]{3,}", text))


def test_descriptions_follow_the_language_with_the_same_numbers():
    t, conc = curve(days=10)
    sim = pd.DataFrame({"subject": 0, "time_h": t, "conc_ng_ml": conc})
    en = described(concentration.concentration_time(sim, target_ng_ml=(5, 15)))
    i18n.set_language("zh")
    try:
        zh = described(concentration.concentration_time(sim, target_ng_ml=(5, 15)))
    finally:
        i18n.set_language("en")
    numbers = re.compile(r"\d+(?:\.\d+)?")
    assert en != zh and numbers.findall(en) == numbers.findall(zh)
    assert "谷浓度" in zh and not english_words() & set(re.findall(r"[A-Za-z]{3,}", zh))


def test_chinese_description_texts_hold_no_latin_letters_but_units():
    texts = {k: e["zh"] for k, e in i18n.catalogue().items() if k.startswith("a11y.")}
    assert len(texts) > 20
    for key, zh in texts.items():
        assert not re.search(r"[A-Za-z]", re.sub(r"\{\w+\}|ng/mL", "", zh)), key
        assert not re.search(r"[,;:()]", zh), key  # full-width punctuation
