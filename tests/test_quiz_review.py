"""Spaced review (Leitner boxes 1-5, intervals 0/1/3/7/14 days) on fixed dates."""

from datetime import UTC, date, datetime, timedelta

import pytest

from mtorlib import progress
from mtorlib.quiz import QuizError
from mtorlib.quiz.review import INTERVALS_DAYS, due, schedule, schedule_frame

DAY0 = date(2026, 3, 2)


def stamp(day: date, hour: int = 9) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00.000+00:00"


def answer(qid, correct, day=DAY0, hour=9):
    return {"question_id": qid, "answer": "a", "correct": correct, "mode": "practice",
            "time": stamp(day, hour)}


def case(cid, points, max_points, completed=True, day=DAY0):
    return {"case_id": cid, "choices": [], "completed": completed, "time": stamp(day),
            "score": {"best": 0, "acceptable": 0, "harmful": 0, "points": points,
                      "max_points": max_points}}


def data(answers=(), cases=()):
    return {"answers": list(answers), "cases": list(cases)}


def ids(items):
    return [i.item_id for i in items]


def test_review_brings_back_exactly_the_wrong_ones():
    d = data([answer("q1", False), answer("q2", True), answer("q3", True),
              answer("q3", False, hour=10), answer("q4", False), answer("q4", True, hour=10)],
             [case("itp_case", 6, 8), case("aiha_case", 8, 8), case("prca_case", 2, 8, completed=False)])
    assert ids(due(d, DAY0)) == ["q1", "q3", "itp_case"]  # q4 was put right: box 2, due tomorrow
    assert ids(due(d, DAY0 + timedelta(days=1))) == ["q1", "q3", "itp_case", "q4"]  # most overdue first
    assert {i.kind for i in due(d, DAY0)} == {"question", "case"}


def test_right_answers_move_up_a_box_and_a_wrong_one_back_to_box_1():
    days = [DAY0]
    answers = [answer("q", False, DAY0)]
    for box in (2, 3, 4, 5, 5):  # each right answer on the day it falls due
        days.append(days[-1] + timedelta(days=INTERVALS_DAYS[box - 1 if box < 5 else 5]))
        answers.append(answer("q", True, days[-1]))
        (item,) = schedule(data(answers))
        assert item.box == box and item.due == days[-1] + timedelta(days=INTERVALS_DAYS[box])
        assert due(data(answers), item.due - timedelta(days=1)) == ()
        assert ids(due(data(answers), item.due)) == ["q"]
    answers.append(answer("q", False, days[-1] + timedelta(days=2)))
    (item,) = schedule(data(answers))
    assert (item.box, item.due, item.attempts) == (1, days[-1] + timedelta(days=2), 7)


def test_the_intervals_are_the_documented_ones():
    assert INTERVALS_DAYS == {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}


def test_never_wrong_items_never_come_back_and_most_overdue_come_first():
    d = data([answer("late", False, DAY0 - timedelta(days=5)), answer("fresh", False),
              answer("ok", True, DAY0 - timedelta(days=30))])
    assert ids(due(d, DAY0 + timedelta(days=400))) == ["late", "fresh"]


def test_time_zones_are_read_as_utc_days():
    late_evening = {**answer("q", False), "time": "2026-03-02T23:30:00-05:00"}  # 3 March in UTC
    (item,) = schedule(data([late_evening]))
    assert item.last_seen == date(2026, 3, 3)


def test_bad_today_is_refused():
    with pytest.raises(QuizError, match="datetime.date"):
        due(data(), "2026-03-02")
    assert due(data([answer("q", False)]), datetime(2026, 3, 2, 12)) != ()


def test_schedule_frame_is_tidy():
    frame = schedule_frame(data([answer("q1", False), answer("q2", True)]), DAY0)
    assert list(frame.columns) == ["kind", "item_id", "box", "last_seen", "due", "attempts", "is_due"]
    assert frame["item_id"].tolist() == ["q1"] and frame["is_due"].tolist() == [True]


def test_review_reads_a_real_progress_file(tmp_path):
    path = tmp_path / "progress.json"
    progress.record_answer("tdm_loading_dose", answer=5.0, correct=False, mode="exam", path=path)
    progress.record_answer("pk_bioavailability", answer="b", correct=True, mode="practice", path=path)
    today = datetime.now(UTC).date()
    found = due(progress.load(path), today + timedelta(days=1))
    assert ids(found) == ["tdm_loading_dose"]


def test_intervals_frame_is_the_schedule():
    from mtorlib.quiz.review import intervals_frame

    frame = intervals_frame()
    assert dict(zip(frame["box"], frame["days"], strict=True)) == INTERVALS_DAYS
