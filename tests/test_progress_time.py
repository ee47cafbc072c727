"""Progress time stamps: ISO 8601 date and time with a time zone, or the file is refused (issue 10);
files the suite wrote before stay readable; "latest" follows the instant, not the text; a value
JSON cannot hold (a NumPy number, a date) is refused naming its field and type."""

import json
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from mtorlib import progress
from mtorlib.quiz import item_analysis
from mtorlib.quiz.class_report import class_report

# A progress file as the suite wrote it before this check (and before the not_recommended counter).
OLD_FILE = {
    "format": "mtorlib-progress", "version": 1, "created": "2026-11-25T08:00:01.250+00:00",
    "learner": "Wang Fang",
    "cases": [{"case_id": "itp_newly_diagnosed", "choices": ["first_line:dxm_ivig"],
               "score": {"best": 1, "acceptable": 0, "harmful": 0, "points": 2, "max_points": 2},
               "completed": False, "time": "2026-11-25T08:03:10.004+00:00"}],
    "answers": [{"question_id": "pk_food", "answer": "b", "correct": True, "mode": "practice",
                 "time": "2026-11-25T08:05:00.000+00:00"}],
}


def _answer(time):
    return {"question_id": "pk_food", "answer": "b", "correct": True, "mode": "exam", "time": time}


def test_a_file_the_suite_wrote_still_loads(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(OLD_FILE), encoding="utf-8")
    assert progress.read_file(path) == OLD_FILE
    progress.record_answer("pk_food", answer="a", correct=False, mode="exam", path=path)
    data = progress.read_file(path)  # the writer's own stamp passes the check
    assert len(data["answers"]) == 2 and data["answers"][1]["time"].endswith("+00:00")


@pytest.mark.parametrize("time", ["2026-11-30T09:23:03.120+00:00", "2026-11-30T09:23:03Z",
                                  "2026-11-30T17:23:03.120456+08:00", "2026-11-30T04:23:03-05:00"])
def test_iso_times_with_a_zone_are_accepted(time):
    progress.validate({**progress.fresh(), "answers": [_answer(time)]})


@pytest.mark.parametrize("time", ["yesterday", "2026-11-30 09:23:03+00:00", "2026-11-30T09:23:03",
                                  "2026-13-01T00:00:00Z", "2026-11-30T24:00:00Z", "9999-99-99",
                                  "2026-11-30T09:23:03+00:00 ", "2026-11-30T09:23:03.1234567Z"])
def test_other_times_are_refused_naming_the_field(time):
    with pytest.raises(progress.ProgressError,
                       match=r"^learner\.json: answers/0/time: must be an ISO 8601 date and time with "
                             r"a time zone, e\.g\. 2026-11-30T09:23:03\.120\+00:00; got"):
        progress.validate({**progress.fresh(), "answers": [_answer(time)]}, source="learner.json")


def test_an_impossible_calendar_date_and_a_bad_created_are_refused():
    with pytest.raises(progress.ProgressError, match=r"cases/0/time: .*real calendar date"):
        progress.validate({**OLD_FILE, "cases": [{**OLD_FILE["cases"][0],
                                                  "time": "2026-02-30T10:00:00+00:00"}]})
    with pytest.raises(progress.ProgressError, match=r"created: must be an ISO 8601"):
        progress.validate({**OLD_FILE, "created": "1 Dec"})


def test_latest_answer_follows_the_instant_not_the_text():
    frame = pd.DataFrame({
        "learner": ["A", "A"], "record": ["answer", "answer"], "item_id": ["q", "q"],
        "correct": [True, False], "answer": ["b", "a"],
        # 10:00 in Beijing is 02:00 UTC: earlier than 09:00 UTC although its text sorts later
        "time": ["2026-11-30T10:00:00.000+08:00", "2026-11-30T09:00:00.000+00:00"]})
    (row,) = item_analysis.latest_answers(frame).itertuples()
    assert (row.answer, row.correct) == ("a", False)


def test_class_report_refuses_a_forged_time_and_keeps_the_others(tmp_path):
    good = {**OLD_FILE, "learner": "good"}
    forged = {**OLD_FILE, "learner": "forged", "answers": [_answer("9999-later")]}
    for name, data in (("good.json", good), ("forged.json", forged)):
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    rep = class_report([tmp_path])
    rejected = dict(rep.rejected)
    assert set(rejected) == {"forged.json"}
    assert "answers/0/time: must be an ISO 8601 date and time" in rejected["forged.json"]
    assert rep.frame["learner"].unique().tolist() == ["good"]


@pytest.mark.parametrize("time", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_outside_the_calendar_once_in_utc_is_refused(time):
    with pytest.raises(progress.ProgressError, match=r"^p\.json: answers/0/time: .*real calendar date"):
        progress.validate({**progress.fresh(), "answers": [_answer(time)]}, source="p.json")


@pytest.mark.parametrize("time", ["0001-01-01T00:00:00-05:00", "9999-12-31T23:59:59+05:00"])
def test_the_calendar_ends_that_stay_inside_in_utc_are_accepted(time):
    progress.validate({**progress.fresh(), "answers": [_answer(time)]})


@pytest.mark.parametrize(("value", "named"), [
    (np.int64(3), "numpy.int64"), (date(2026, 11, 30), "datetime.date"),
    (10**5000, "an integer too long to write")], ids=["numpy", "date", "huge_int"])
def test_a_value_json_cannot_hold_is_refused_naming_its_field_and_type(value, named):
    answer = {**_answer("2026-11-30T09:23:03Z"), "answer": value}
    with pytest.raises(progress.ProgressError, match=rf"^p\.json: answers/0/answer: .*{re.escape(named)}"):
        progress.validate({**progress.fresh(), "answers": [answer]}, source="p.json")
