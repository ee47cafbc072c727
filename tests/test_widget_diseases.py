"""The PRCA response view and the ALPS checklist: controls driven as a learner would, every ALPS
class reachable, typed numbers refused or warned through the plausibility limits, the PRCA chart
drawing only sourced points, and both views in Chinese without an English UI word."""

import re
from html import unescape

import ipywidgets as w
import pytest

import mtorlib
from mtorlib import i18n, plausibility
from mtorlib.charts import response_course
from mtorlib.diseases import alps, prca
from mtorlib.scenarios import ChecklistSettings, CourseError, CourseSettings, run_checklist, run_course
from mtorlib.scenarios.alps_checklist import QUANTITY
from mtorlib.widgets import alps_checklist, prca_response

REQUIRED = {"lymphoproliferation_months": "14", "malignancy_infection_excluded": True,
            "dnt_pct_lymphocytes": "4.2", "lymphocytes_normal_or_raised": True}


def enter(view, findings):
    for name, value in findings.items():
        view.controls[name].value = value


# --- ALPS checklist ---------------------------------------------------------------------------

@pytest.mark.parametrize(("extra", "expected"), [
    ({"pathogenic_variant_gene": "FAS"}, "definitive"),
    ({"apoptosis_defect_assays": "2"}, "definitive"),
    ({"b12_ng_l": "1600"}, "probable"),
    ({"il10_pg_ml": "25"}, "probable"),
    ({"autoimmune_cytopenia": True, "polyclonal_hypergammaglobulinemia": True}, "probable"),
    ({"autoimmune_cytopenia": True}, "not_alps"),  # cytopenia alone is not the criterion
    ({"pathogenic_variant_gene": "other"}, "not_alps"),
    ({"b12_ng_l": "1500"}, "not_alps"),  # the threshold is strictly above 1500 ng/L
    ({}, "not_alps"),
])
def test_checklist_classes(extra, expected):
    view = alps_checklist()
    enter(view, REQUIRED | extra)
    assert view.last.result == expected
    assert view.last.result == alps.classify(view.last.findings).result  # the domain's answer
    label = alps.classify(view.last.findings).label("en")
    assert label in unescape(view.result.value)


@pytest.mark.parametrize(("change", "criterion"), [
    ({"lymphoproliferation_months": "6"}, "chronic_lymphoproliferation"),  # > 6 months, not 6
    ({"malignancy_infection_excluded": False}, "chronic_lymphoproliferation"),
    ({"dnt_pct_lymphocytes": "1.4", "dnt_pct_cd3": "2.4"}, "raised_dnt"),
    ({"lymphocytes_normal_or_raised": False}, "raised_dnt"),
])
def test_a_missing_required_criterion_means_not_alps_even_with_a_fas_variant(change, criterion):
    view = alps_checklist()
    enter(view, REQUIRED | {"pathogenic_variant_gene": "FAS"} | change)
    assert view.last.result == "not_alps"
    rows = view.last.classification.criteria.set_index("criterion")
    assert rows.loc[criterion, "status"] == "not_met"
    assert rows.loc["pathogenic_variant", "status"] == "met"


@pytest.mark.slow
def test_dnt_thresholds_as_the_data_states_them():
    """1.5 % of lymphocytes or 2.5 % of CD3⁺ cells, each inclusive."""
    base = {k: v for k, v in REQUIRED.items() if k != "dnt_pct_lymphocytes"}
    base["pathogenic_variant_gene"] = "FAS"
    for dnt, status in (({"dnt_pct_lymphocytes": "1.5"}, "met"),
                        ({"dnt_pct_lymphocytes": "1.49"}, "not_tested"),  # the CD3⁺ share may still meet it
                        ({"dnt_pct_lymphocytes": "1", "dnt_pct_cd3": "2.5"}, "met"),
                        ({"dnt_pct_lymphocytes": "1", "dnt_pct_cd3": "2.4"}, "not_met")):
        view = alps_checklist()
        enter(view, base | dnt)
        found = view.last.classification.criteria.set_index("criterion").loc["raised_dnt", "status"]
        assert found == status, dnt
        assert view.last.result == ("definitive" if status == "met" else "not_alps")
    assert "≥1.5 %" in view.criteria.value and "≥2.5 %" in view.criteria.value


def test_untested_numbers_show_as_not_tested_with_the_findings_read():
    view = alps_checklist()
    rows = view.last.classification.criteria.set_index("criterion")
    assert rows.loc["defective_apoptosis", "status"] == "not_tested"
    assert view.last.result == "not_alps"
    enter(view, {"dnt_pct_cd3": "3.1"})
    assert "3.1 %" in view.criteria.value and "not entered" in view.criteria.value


@pytest.mark.parametrize(("finding", "typed"), [
    ("dnt_pct_lymphocytes", "120"), ("dnt_pct_lymphocytes", "-1"), ("dnt_pct_cd3", "abc"),
    ("apoptosis_defect_assays", "1.5"), ("lymphoproliferation_months", "1,000"),
    ("b12_ng_l", "2000000"),
])
def test_impossible_numbers_are_refused_with_what_is_allowed(finding, typed):
    view = alps_checklist()
    enter(view, REQUIRED | {"pathogenic_variant_gene": "FAS", finding: typed})
    check = plausibility.check(QUANTITY[finding], typed)
    assert check.status == "refused"
    assert view.last.result is None and finding in view.last.refused
    assert unescape(view.messages[finding].value).count(check.text) == 1
    assert "Correct the entry" in view.result.value
    enter(view, {finding: ""})  # cleared = not tested again: a class is given
    assert view.last.result is not None and view.messages[finding].value == ""


def test_a_decimal_comma_is_read_and_swapped_dnt_values_are_flagged():
    view = alps_checklist()
    enter(view, REQUIRED | {"dnt_pct_lymphocytes": "4,2"})
    assert view.last.findings["dnt_pct_lymphocytes"] == 4.2
    enter(view, {"dnt_pct_cd3": "2"})  # less than the share of all lymphocytes: impossible
    assert view.last.result is None and view.last.inconsistent
    assert "swapped" in view.result.value


def test_input_limits_stay_inside_what_the_classifier_accepts():
    spec = alps.findings_frame("en").set_index("finding")
    assert set(QUANTITY) == set(spec.index[spec["type"] == "number"])
    for finding, quantity in QUANTITY.items():
        allowed = plausibility.limits(quantity)["allowed"]
        assert allowed["min"] >= spec.loc[finding, "min"] and allowed["max"] <= spec.loc[finding, "max"]


def test_checklist_scenario_matches_the_widget():
    entries = tuple((REQUIRED | {"il18_pg_ml": "600"}).items())
    assert run_checklist(ChecklistSettings(entries=entries)).result == "probable"
    view = alps_checklist()
    enter(view, dict(entries))
    assert view.settings.entries == tuple((f, c.value) for f, c in view.controls.items())


# --- PRCA response ----------------------------------------------------------------------------

@pytest.mark.slow
def test_prca_view_draws_only_sourced_points():
    view = prca_response()
    spec = view.chart.chart.to_dict()
    data = spec["datasets"]
    timed = next(v for v in data.values() if v and "month" in v[0])
    published = {(r["study"], r["month"], r["percent"]) for r in timed}
    frame = prca.response_over_months("orr")
    assert published == {(s, m, round(p, 1)) for s, m, p in frame[["study", "month", "percent"]].values}
    assert ("Huang 2022", 6.0, 84.4) in published and ("Long 2018", 4.0, 38.1) in published
    assert all(layer["mark"]["type"] != "line" for layer in spec["hconcat"][0]["layer"])
    untimed = next(v for v in data.values() if v and "lo" in v[0])
    assert sorted(r["percent"] for r in untimed) == [74.0, 76.2, 76.2, 87.0]  # Long 2018 has no time either
    assert {r["lo"] for r in untimed if r["percent"] == 87.0} == {68.0}


@pytest.mark.slow
def test_prca_controls_measure_arms_and_month():
    view = prca_response()
    view.controls["measure"].value = "cr"
    assert set(view.last.points["measure"]) == {"cr"}
    assert set(view.last.points["percent"]) == {0.0, 50.0, 65.6, 66.0}  # Huang 2022 CR by month
    view.controls["arm_sirolimus_after_csa"].value = False
    assert view.last.points.empty  # cyclosporine has no rate at a given month: nothing is drawn
    view.controls["measure"].value = "orr"
    assert sorted(view.last.untimed["percent"]) == [74.0, 76.2]
    assert not view.controls["judge_month"].readout  # a typed month would be clamped silently
    view.controls["judge_month"].value = 6
    assert view.readouts["judge_month"].value == "6"
    view.controls["arm_cyclosporine"].value = False
    assert view.last.untimed.empty and view.chart.chart.to_dict()["hconcat"]


@pytest.mark.slow
def test_judging_too_early_shows_what_was_still_to_come():
    view = prca_response(judge_month=3)
    assert "60.9 %" in view.seen.value and "84.4 % at month 6" in view.seen.value
    view.controls["judge_month"].value = 0
    assert "too early" in view.seen.value
    view.controls["judge_month"].value = 12
    assert "73.5 %" in view.seen.value and "still rising" not in view.seen.value
    assert "median time to response was 4 months" in view.seen.value and "76.2 %" in view.seen.value
    spec = view.chart.chart.to_dict()
    rules = [v for v in spec["datasets"].values() if v == [{"month": 12.0}]]
    assert rules


@pytest.mark.slow
def test_withdrawal_only_from_sourced_figures():
    view = prca_response()
    text = unescape(view.withdrawal.value)
    assert "14.8 %" in text and "8 of 54" in text and "14.5 months" in text
    assert "none is drawn" in text
    for item in prca.not_found("en"):
        assert item.split("[")[0][:40] in unescape(view.not_found.value)
    assert "teaching" in view.notice.value.lower()


def test_course_scenario_refuses_bad_settings():
    with pytest.raises(CourseError, match="judge_month"):
        run_course(CourseSettings(judge_month=30))
    with pytest.raises(CourseError, match="arms"):
        run_course(CourseSettings(arms=("tacrolimus",)))
    with pytest.raises(CourseError, match="measure"):
        run_course(CourseSettings(measure="pr"))


def test_chart_spec_titles_follow_the_language():
    r = run_course(CourseSettings())
    mtorlib.set_language("zh")
    spec = response_course(r.points, r.untimed, judge_month=3).to_dict()
    assert spec["hconcat"][0]["title"] == i18n.tr("diseases.title_course", "zh")
    assert re.search(r"[\u4e00-\u9fff]", spec["hconcat"][1]["title"])


# --- Chinese ----------------------------------------------------------------------------------

def english_ui_words() -> set[str]:
    words, zh = set(), ""
    for key, entry in i18n.catalogue().items():
        if key.startswith(("diseases.", "common.", "plausibility.")):
            words |= {x.lower() for x in re.findall(r"[A-Za-z]{3,}", entry["en"])}
            zh += entry["zh"]
    return words - {x.lower() for x in re.findall(r"[A-Za-z]{3,}", zh)}


def visible_text(widget) -> str:
    out = []
    if isinstance(widget, w.HTML | w.HTMLMath):
        value = re.sub(r"<cite>.*?</cite>", " ", widget.value, flags=re.S)
        out.append(unescape(re.sub(r"<[^>]+>", " ", value)))
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, w.RadioButtons | w.ToggleButtons | w.Dropdown):
        out += [str(label) for label in widget._options_labels]
    for child in getattr(widget, "children", ()):
        out.append(visible_text(child))
    return " ".join(out)


def english_in(widget) -> set[str]:
    return {x.lower() for x in re.findall(r"[A-Za-z]{3,}", visible_text(widget))} & english_ui_words()


@pytest.mark.slow
def test_views_in_chinese():
    assert {"not", "tested", "published", "response"} <= english_ui_words()
    checklist, course = alps_checklist(), prca_response()
    enter(checklist, REQUIRED | {"pathogenic_variant_gene": "none", "dnt_pct_cd3": "abc"})
    mtorlib.set_language("zh")
    assert not english_in(checklist.widget), english_in(checklist.widget)
    assert "未检测" in visible_text(checklist.widget)
    enter(checklist, {"dnt_pct_cd3": "", "apoptosis_defect_assays": "2"})
    assert checklist.last.result == "definitive" and "确诊" in checklist.result.value
    assert not english_in(checklist.widget), english_in(checklist.widget)
    for month in (0, 3, 12):
        course.controls["judge_month"].value = month
        assert not english_in(course.widget), english_in(course.widget)
