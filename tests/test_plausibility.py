"""Plausibility of typed numbers: strict parsing, sourced limits, refusals and teaching warnings."""

import pytest

from mtorlib import evidence, i18n, plausibility
from mtorlib.content import load_one
from mtorlib.plausibility import check, check_window, parse


@pytest.mark.parametrize("typed, value", [
    ("2", 2.0), ("2.5", 2.5), ("2,5", 2.5), (" 4 ", 4.0), (".5", 0.5), ("+3", 3.0), ("-5", -5.0),
    ("２.５", 2.5),  # full-width digits, as a Chinese input method types them
])
def test_parse_reads_plain_numbers(typed, value):
    assert parse(typed) == value


@pytest.mark.parametrize("typed, words", [
    ("", "Type a number"), ("   ", "Type a number"), ("abc", "not a number"),
    ("1e400", "not a number"), ("nan", "not a number"), ("inf", "not a number"),
    ("2 mg", "not a number"), ("1.2.3", "not a number"), ("1,000", "ambiguous"),
    ("9" * 400, "too large"),
])
def test_parse_refuses_text_with_a_reason(typed, words):
    message = parse(typed)
    assert isinstance(message, str) and words in message


def test_text_never_becomes_zero():
    result = check("dose_mg_day", "abc")
    assert (result.status, result.value, result.accepted) == ("refused", None, False)
    assert "abc" in result.text and "2.5" in result.text  # says what to type instead


def test_negative_dose_refused_with_what_is_allowed():
    result = check("dose_mg_day", "-5")
    assert result.status == "refused" and result.value == -5.0
    assert "between 0 and 40 mg/day" in result.text and "40 mg on any one day" in result.text


def test_label_maximum_daily_dose_is_the_boundary():
    assert check("dose_mg_day", 40).status == "ok"
    assert check("dose_mg_day", 40.5).status == "refused"
    assert check("dose_mg_day", 0).status == "ok"  # stopping the drug is an answer


def test_implausible_trough_is_accepted_with_a_teaching_warning():
    result = check("trough_ng_ml", "400")
    assert result.status == "warning" and result.accepted and result.value == 400.0
    for cause in ("after the dose", "units", "assay"):
        assert cause in result.text
    assert check("trough_ng_ml", 30).status == "ok"
    assert check("trough_ng_ml", 0).status == "refused"


def test_percent_below_zero_refused():
    result = check("percent", "-5")
    assert result.status == "refused" and "between 0 and 100 %" in result.text


def test_whole_numbers_only_where_required():
    assert check("forecast_days", 0).status == "refused"
    assert "whole number" in check("forecast_days", 2.5).text
    assert check("forecast_days", 21).value == 21.0


@pytest.mark.parametrize("value", [True, None, float("nan"), float("inf"), [1]])
def test_non_numbers_refused(value):
    assert check("dose_mg_day", value).status == "refused"


def test_target_window():
    assert check_window(4, 15).status == "ok"
    assert check_window(20, 500).status == "refused"  # 500 is beyond any measuring range
    assert "30" in check_window(20, 500).text
    assert check_window(10, 20).status == "warning"
    assert check_window(12, 4).status == "refused" and "lower end" in check_window(12, 4).text


def test_messages_in_chinese_have_no_english_words():
    i18n.set_language("zh")
    for result in (check("dose_mg_day", "-5"), check("trough_ng_ml", 400), check("percent", "abc")):
        assert result.text and not any(w in result.text for w in ("must", "between", "typed", "Check"))
        assert "mg/天" in check("dose_mg_day", "-5").text


def test_unknown_quantity_is_a_programming_error():
    with pytest.raises(plausibility.PlausibilityError, match="dose_mg_day"):
        check("dose", 2)


def test_every_sourced_bound_cites_existing_sources():
    counted = 0
    for q in plausibility.quantities():
        lim = plausibility.limits(q)
        for key in ("allowed", "plausible"):
            bound = lim.get(key)
            if bound is None:
                continue
            if bound["basis"] in ("label", "study"):
                assert bound.get("refs"), f"{q}.{key} has basis {bound['basis']} but no refs"
            for ref in bound.get("refs", ()):
                assert evidence.citation(ref)
            assert bound.get("min") is None or bound.get("max") is None or bound["min"] < bound["max"]
            counted += 1
    assert counted >= 10


def test_quiz_and_case_units_map_to_quantities():
    assert plausibility.quantity_for_unit("mg/day") == "dose_mg_day"
    assert plausibility.quantity_for_unit("%") == "percent"
    assert plausibility.quantity_for_unit("furlongs") is None
    mapping = load_one("input_limits", "input_limits").data["unit_quantity"]  # the data file
    assert mapping
    for unit, q in mapping.items():
        assert plausibility.quantity_for_unit(unit) == q and q in plausibility.quantities()
