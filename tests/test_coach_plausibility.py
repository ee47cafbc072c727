"""TDM coach: every typed number refused with what is allowed, or accepted with a teaching warning.

The cases of issue 9: levels 7, 4.1 / 14, 400; a target of 20-500; a forecast of 0 days; "abc";
"-5"; a level of 1e308 -- in the pure scenario and in the widget.
"""

import re
from dataclasses import replace

import pandas as pd
import pytest

import mtorlib
from mtorlib import tdm
from mtorlib.scenarios import CoachSettings, coach, run_coach
from mtorlib.widgets import tdm_coach
from mtorlib.widgets.coach_text import parse_doses, parse_levels

COV = (("weight_kg", 20.0),)
GOOD = CoachSettings(doses=pd.DataFrame({"day": [0], "dose_mg": [1.5]}),
                     levels=pd.DataFrame({"time_h": [168.0, 336.0], "conc_ng_ml": [4.1, 4.4]}),
                     covariates=COV)
HIGH = replace(GOOD, levels=pd.DataFrame({"time_h": [168.0, 336.0], "conc_ng_ml": [4.1, 400.0]}))


@pytest.fixture
def view():
    return tdm_coach("sirolimus_cheng2020", covariates=dict(COV))


def refused(view) -> str:
    """The widget refused: a message, no result, no dose answer."""
    assert view.last is None and view.error
    assert view.answers.value == "" and view.warnings.value == ""
    return view.message.value


def test_plausible_history_gives_no_warning_and_a_dose():
    result = run_coach(GOOD)
    assert result.warnings == () and not result.withheld
    assert result.recommendation.dose_mg == 3.0


def test_a_level_the_history_cannot_explain_withholds_the_dose():
    result = run_coach(HIGH)
    kinds = {w.quantity for w in result.warnings}
    assert kinds == {"trough_ng_ml", "fit"} and result.withheld
    fit = next(w for w in result.warnings if w.quantity == "fit")
    name, fitted, typical, sd, unit = fit.detail
    assert (name, unit) == ("CL/F", "L/h") and typical / fitted > 5 and sd < -coach.ETA_LIMIT_SD
    assert "after the dose" in next(w for w in result.warnings if w.quantity != "fit").text("en")
    assert "Do not trust this fit" in fit.text("en")
    assert result.forecast.time_h.max() <= result.start_day * 24  # no forecast on a new dose
    assert set(result.forecast.series) == {"bayes"}


@pytest.mark.slow
def test_the_widget_shows_the_warning_and_no_dose_for_400(view):
    view.controls["levels"].value = "7, 4.1\n14, 400"
    assert view.last is not None and view.last.withheld
    assert "drawn after the dose" in view.warnings.value
    assert "Do not trust this fit" in view.warnings.value
    assert "No dose is recommended" in view.answers.value
    assert "mg/day" not in view.answers.value and "probability in window" not in view.answers.value
    assert view.widget.children.index(view.warnings) < view.widget.children.index(view.answers)


@pytest.mark.slow
def test_an_implausible_target_is_accepted_with_the_dose_and_a_warning(view):
    result = run_coach(replace(GOOD, target_ng_ml=(20, 25)))
    assert [w.quantity for w in result.warnings] == ["target_window"] and not result.withheld
    assert "check that this is the window you mean" in result.warnings[0].text("en")
    view.controls["target_lo"].value, view.controls["target_hi"].value = "25", "20"
    assert "lower end of the target window (25)" in refused(view)
    view.controls["target_lo"].value = "18"
    assert view.last.target_ng_ml == (18.0, 20.0) and "window you mean" in view.warnings.value
    assert "mg/day" in view.answers.value


@pytest.mark.slow
def test_a_target_of_20_to_500_is_refused_not_clamped(view):
    with pytest.raises(tdm.TDMError, match=r"target trough must be between 0 and 30 ng/mL; you typed 500"):
        run_coach(replace(GOOD, target_ng_ml=(20, 500)))
    view.controls["target_lo"].value = "20"
    view.controls["target_hi"].value = "500"
    assert "between 0 and 30 ng/mL; you typed 500" in refused(view)
    assert view.controls["target_hi"].value == "500"  # what was typed stays; nothing clamped


@pytest.mark.slow
def test_a_forecast_of_0_days_is_refused_not_clamped(view):
    with pytest.raises(tdm.TDMError, match="whole number between 1 and 90 days; you typed 0"):
        run_coach(replace(GOOD, forecast_days=0))
    view.controls["days"].value = "0"
    assert "between 1 and 90 days; you typed 0" in refused(view)
    assert view.controls["days"].value == "0"
    view.controls["days"].value = "2.5"
    assert "whole number" in refused(view)
    view.controls["days"].value = "30"
    assert view.last is not None and view.last.settings.forecast_days == 30


# In the order the widget reads its fields backwards (days, target, levels, doses): each case's
# field is read before any field still holding an earlier bad value, so one view serves them all.
BAD_TYPED = [
    ("days", "abc", "“abc” is not a number"),
    ("days", "-5", "between 1 and 90 days; you typed -5"),
    ("target_lo", "abc", "“abc” is not a number"),
    ("target_lo", "-5", "target trough must be between 0 and 30 ng/mL; you typed -5"),
    ("levels", "7, abc", "Levels, line 1: “abc” is not a number"),
    ("levels", "7, -5", "trough level must be above 0 ng/mL; you typed -5"),
    ("levels", "-5, 4", "whole number from 1 to 365; you typed -5"),
    ("levels", "7, 1e308", "“1e308” is not a number"),
    ("levels", "7,4.1", "separated by a comma and a space"),
    ("doses", "0, abc", "Dose history, line 1: “abc” is not a number"),
    ("doses", "0, -5", "daily dose must be between 0 and 40 mg/day; you typed -5"),
]


@pytest.mark.slow
def test_bad_typed_numbers_are_refused_in_the_widget(view):
    for control, typed, expected in BAD_TYPED:
        view.controls[control].value = typed
        assert expected in refused(view), (control, typed)


def test_text_never_silently_becomes_a_number():
    with pytest.raises(tdm.TDMError, match="not a number"):
        parse_doses("0, 2mg")
    with pytest.raises(tdm.TDMError, match="ambiguous"):
        parse_levels("7, 1,000")
    assert parse_levels("7, 4,5").conc_ng_ml.tolist() == [4.5]  # a decimal comma, read as such
    assert parse_levels("7，4.5").conc_ng_ml.tolist() == [4.5]  # a full-width comma separates


def test_a_level_of_1e308_in_a_frame_is_refused():
    big = replace(GOOD, levels=pd.DataFrame({"time_h": [168.0], "conc_ng_ml": [1e308]}))
    with pytest.raises(tdm.TDMError, match="Check the units"):
        run_coach(big)


UNITS = re.compile(r"mg|ng|mL|µg|L|CL/F|V/F|CL|Architect|CMIA|h")


def zh_only(message: str) -> None:
    message = re.sub(r"“[^”]*”", "", message)  # what the learner typed is quoted as typed
    words = re.findall(r"[A-Za-z][A-Za-z/]*", UNITS.sub("", message))
    assert not words, f"English in a Chinese message: {words} in {message!r}"
    assert not re.search(r"[,;:()](?!\d)", re.sub(r"\d[,.]\d", "", message)), message


@pytest.mark.slow
def test_chinese_messages_have_no_english_words(view):
    mtorlib.set_language("zh")
    view.controls["levels"].value = "7, 4.1\n14, 400"
    assert view.last.withheld
    zh_only(" ".join(w.text() for w in view.last.warnings) + mtorlib.i18n.tr("tdm.coach_withheld"))
    for control, typed in [("days", "0"), ("target_hi", "500"), ("levels", "7, abc"),
                           ("levels", "7, 1e308"), ("doses", "0, -5")]:  # read order, backwards
        view.controls[control].value = typed
        assert view.last is None
        zh_only(view.error)
    mtorlib.set_language("en")
