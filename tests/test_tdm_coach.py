"""TDM coach: strict parsing, the pure pipeline, the label-vs-Bayes reasons, and the widget."""

from dataclasses import replace

import pandas as pd
import pytest

import mtorlib
from mtorlib import charts, pk, tdm
from mtorlib.scenarios import CoachSettings, coach, run_coach
from mtorlib.widgets import tdm_coach
from mtorlib.widgets.coach_text import parse_doses, parse_levels

MODEL = "sirolimus_cheng2020"


def run_text(doses: str, levels: str, **settings):
    """The coach on typed lines, as the widget runs it."""
    return run_coach(CoachSettings(doses=parse_doses(doses), levels=parse_levels(levels), **settings))


def test_parse_doses_and_levels():
    doses = parse_doses("0, 1.5   # start\n\n10, 2\n")
    assert doses.to_dict("list") == {"day": [0.0, 10.0], "dose_mg": [1.5, 2.0]}
    levels = parse_levels("14, 6.1\n7, 4.2, 2\n")
    assert levels.time_h.tolist() == [7 * 24 + 2, 14 * 24]
    assert levels.conc_ng_ml.tolist() == [4.2, 6.1]


@pytest.mark.parametrize(("doses", "levels", "match"), [
    ("", "7, 4", "Dose history: type at least one line"),
    ("1, 2", "7, 4", "first dose is on day 0"),
    ("0, 2\n0, 3", "7, 4", "each day may appear once"),
    ("0, 2.5, 1", "7, 4", "Dose history, line 1: write 2 numbers"),
    ("0, -2", "7, 4", "daily dose must be between 0 and 40 mg/day; you typed -2"),
    ("0, 0", "7, 4", "dose above 0 mg/day"),
    ("0.5, 2", "7, 4", "whole number"),
    ("0, 2", "7, abc", "Levels, line 1: “abc” is not a number"),
    ("0, 2", "7, 0", "trough level must be above 0 ng/mL"),
    ("0, 2", "7, 4, 30", "hours after the dose must be above 0 and below 24"),
    ("0, 2", "0, 4", "day must be a whole number from 1 to 365"),
    ("0, 2", "", "Levels: type at least one line"),
])
def test_bad_text_raises_naming_the_line(doses, levels, match):
    with pytest.raises(tdm.TDMError, match=match):
        run_text(doses, levels, model_id=MODEL)


def test_history_events_follow_the_dose_changes():
    ev = coach.history_events(parse_doses("0, 1\n2, 3"), until_day=4)
    assert ev.time_h.tolist() == [0, 24, 48, 72] and ev.amt_mg.tolist() == [1, 1, 3, 3]


def test_label_answer_reasons():
    doses = parse_doses("0, 2")
    early = coach.label_answer(doses, parse_levels("3, 3"), target_ng_ml=(5, 15))
    assert early.exact_dose_mg == pytest.approx(2 * 10 / 3) and early.dose_mg == 6.5
    assert "tdm.why_early" in early.reasons and "tdm.why_not_trough" not in early.reasons
    peak = coach.label_answer(doses, parse_levels("7, 4\n14, 9, 2"), target_ng_ml=(5, 15))
    assert peak.hours_after_dose == pytest.approx(2)
    assert {"tdm.why_not_trough", "tdm.why_all_levels"} <= set(peak.reasons)
    assert "tdm.why_early" not in peak.reasons and peak.days_on_dose == pytest.approx(14 + 2 / 24)


def test_run_matches_the_pure_functions():
    model = pk.load_model(MODEL)
    result = run_text("0, 1.5", "7, 4.1\n14, 4.4", covariates=(("weight_kg", 20),), seed=1)
    fit = tdm.map_estimate(model, result.events, result.levels[["time_h", "conc_ng_ml"]],
                           covariates={"weight_kg": 20})
    assert result.fit.eta == pytest.approx(fit.eta)
    rec = tdm.recommend_dose(model, target_ng_ml=(5, 15), fit=fit)
    assert result.recommendation.dose_mg == rec.dose_mg
    assert result.label.dose_mg == 3.5  # 1.5 x 10 / 4.4 = 3.41 mg, rounded to 0.5 mg tablets
    assert result.start_day == 14 and len(result.events) == 14
    assert set(result.forecast.series) == {"bayes", "label"}
    spec = charts.forecast(result.forecast, result.levels, target_ng_ml=(5, 15)).to_dict()
    assert len(spec["layer"]) == 4
    assert result.target_ng_ml == pk.target_window("sirolimus").ng_ml  # the sourced default


@pytest.mark.slow
def test_widget_drives_the_pipeline_and_shows_the_notice():
    view = tdm_coach(MODEL, covariates={"weight_kg": 20})
    assert view.error is None and view.last is not None
    assert "For teaching only" in view.notice.value and view.notice in view.widget.children
    view.controls["levels"].value = "3, 2.5"
    assert view.settings.levels.to_dict("list") == {"time_h": [72.0], "conc_ng_ml": [2.5]}
    expected = run_text(view.controls["doses"].value, "3, 2.5", covariates=(("weight_kg", 20),))
    assert view.last.recommendation.dose_mg == expected.recommendation.dose_mg
    assert "tdm.why_early" in view.last.label.reasons
    assert "label asks for 7" in view.answers.value


@pytest.mark.slow
def test_widget_shows_errors_instead_of_tracebacks():
    view = tdm_coach(MODEL)
    view.controls["doses"].value = "0, two"
    assert view.last is None and "Dose history, line 1" in view.error
    assert "Not accepted" in view.message.value and view.answers.value == ""
    view.controls["doses"].value = "0, 2"
    assert view.error is None and view.last is not None


@pytest.mark.slow
def test_widget_follows_the_language_switch():
    view = tdm_coach(MODEL)
    mtorlib.set_language("zh")
    assert "说明书比例法" in view.answers.value
    assert view.controls["form"].options[0][0].startswith("片剂")


@pytest.mark.parametrize(("doses", "levels", "match"), [
    ("0, 2", "400, 4", "whole number from 1 to 365; you typed 400"),
    ("0, 50", "7, 4", "daily dose must be between 0 and 40"),
    ("0, 2", "7.5, 4", "whole number from 1 to 365; you typed 7.5"),
])
def test_coach_refuses_what_would_hang_or_exceed_the_label(doses, levels, match):
    with pytest.raises(tdm.TDMError, match=match):
        run_text(doses, levels, model_id=MODEL)


def test_coach_refuses_an_everolimus_model():
    with pytest.raises(tdm.TDMError, match="sirolimus label rules"):
        run_text("0, 2", "7, 4", model_id="everolimus_label")


def test_widget_shows_bad_covariates_instead_of_raising():
    view = tdm_coach(MODEL, covariates={"weight_kg": -3})
    assert view.last is None and "weight_kg" in view.message.value


FRAMES = CoachSettings(doses=pd.DataFrame({"day": [0], "dose_mg": [1.5]}),
                       levels=pd.DataFrame({"time_h": [168.0, 336.0], "conc_ng_ml": [4.1, 4.4]}),
                       covariates=(("weight_kg", 20.0),))


def test_the_scenario_takes_frames_and_matches_the_typed_lines():
    from_frames = run_coach(FRAMES)
    from_text = run_text("0, 1.5", "7, 4.1\n14, 4.4", covariates=(("weight_kg", 20.0),))
    assert from_frames.fit.eta == pytest.approx(from_text.fit.eta)
    pd.testing.assert_frame_equal(from_frames.forecast, from_text.forecast)
    wide = run_coach(replace(FRAMES, target_ng_ml=(8, 20)))
    assert wide.label.target_ng_ml == 14 and wide.target_ng_ml == (8.0, 20.0)


@pytest.mark.parametrize(("changes", "match"), [
    ({"doses": pd.DataFrame({"day": [0.5], "dose_mg": [1.0]})}, "doses row 1: day must be a whole"),
    ({"doses": pd.DataFrame({"day": [0]})}, "doses lacks column"),
    ({"levels": pd.DataFrame({"time_h": [0.0], "conc_ng_ml": [3.0]})}, "levels row 1: time_h"),
    ({"levels": pd.DataFrame({"time_h": [168.0], "conc_ng_ml": ["4"]})}, "numbers only"),
    ({"levels": [[168, 4]]}, "levels must be a DataFrame"),
    ({"forecast_days": 0}, "forecast length must be a whole number between 1 and 90"),
    ({"target_ng_ml": (15, 5)}, "lower end of the target window"),
])
def test_the_scenario_checks_its_frames_and_settings(changes, match):
    with pytest.raises(tdm.TDMError, match=match):
        run_coach(replace(FRAMES, **changes))


def test_history_events_start_on_day_zero():
    assert coach.history_events(parse_doses("0, 2"), until_day=2).to_dict("list") == {
        "time_h": [0.0, 24.0], "amt_mg": [2.0, 2.0]}
