"""The quiz view with variants, and the review view over a progress file (built once per module)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from mtorlib import cases, progress, quiz
from mtorlib.quiz import variants
from mtorlib.quiz.review import due
from mtorlib.widgets import quiz_view, review_view

BANK = {q.id: q for q in quiz.load_questions()}


def _day(entry) -> date:
    """The UTC date an answer or case was recorded (never the clock at import: no midnight flake)."""
    return datetime.fromisoformat(entry["time"]).astimezone(UTC).date()


def test_exam_view_fixes_the_variant_per_learner():
    qs = [BANK["tdm_proportional_up"], BANK["pk_bioavailability"], BANK["prca_reload"]]
    one = quiz_view(qs, mode="exam", record=False, variants=True, learner="Ann")
    again = quiz_view(qs, mode="exam", record=False, variants=True, learner="Ann")
    assert one.session.questions == again.session.questions
    assert one.session.questions == variants.for_session(qs, mode="exam", learner="Ann")
    assert one.session.questions[1] is qs[1]  # a question without parameters is unchanged


def test_practice_try_again_draws_new_numbers():
    q = BANK["tdm_proportional_down"]
    view = quiz_view([q], record=False, variants=True, learner="Ann")
    shown = view.session.questions[0]
    view.controls["answer"].value = f"{shown.answer * 2:g}"
    view.controls["submit"].click()
    assert view.last.correct is False
    view.controls["retry"].click()  # attempt 2 for "Ann" draws other numbers (seeds are fixed)
    new = view.session.questions[0]
    assert new.values != shown.values and view.session.responses == ()
    assert f"{dict(new.values)['measured_ng_ml']:g} ng/mL" in view.fields["stem"].value
    drawn = dict(new.values)  # the proportional rule by hand: dose × target (10 ng/mL) / trough
    view.controls["answer"].value = f"{drawn['current_dose_mg'] * 10 / drawn['measured_ng_ml']:.6g}"
    view.controls["submit"].click()
    assert view.last.correct is True


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    path = tmp_path_factory.mktemp("review") / "progress.json"
    progress.record_answer("tdm_loading_dose", answer=5.0, correct=False, mode="exam", path=path)
    progress.record_answer("pk_bioavailability", answer="b", correct=True, mode="practice", path=path)
    case_id = cases.case_ids()[0]
    progress.record_case(case_id, choices=["a"], completed=True, path=path,
                         score={"best": 1, "acceptable": 1, "harmful": 0, "points": 3, "max_points": 4})
    today = _day(progress.load(path)["cases"][-1])  # recorded last: every earlier item is due too
    return path, case_id, today, review_view(progress_path=path, today=today)


def test_review_view_brings_back_the_wrong_question_and_the_missed_case(reviewed):
    path, case_id, _today, view = reviewed
    assert [(i.kind, i.item_id) for i in view.due] == [("question", "tdm_loading_dose"),
                                                       ("case", case_id)]
    assert [q.id for q in view.quiz.session.questions] == ["tdm_loading_dose"]
    title = cases.load_case(case_id).title["en"]
    assert title in view.fields["cases"].value
    assert "1 question(s) and 1 case(s)" in view.fields["header"].value


def test_review_answers_are_saved_and_move_the_schedule(reviewed):
    path, case_id, _today, view = reviewed
    q = view.quiz.session.questions[0]
    shown = dict(q.values)  # the label's re-loading rule by hand: 3 × (new − current) maintenance
    view.quiz.controls["answer"].value = f"{3 * (shown['new_dose_mg'] - shown['current_dose_mg']):g}"
    view.quiz.controls["submit"].click()
    assert view.quiz.last.correct is True
    saved = progress.load(path)["answers"]
    assert saved[-1]["question_id"] == "tdm_loading_dose" and saved[-1]["correct"] is True
    today = _day(saved[-1])  # the day this review answer was recorded
    later = due(progress.load(path), today + timedelta(days=1))
    assert [i.item_id for i in due(progress.load(path), today)] == [case_id]
    assert "tdm_loading_dose" in [i.item_id for i in later]  # box 2: back tomorrow


def test_nothing_due_says_so(tmp_path):
    view = review_view(progress_path=tmp_path / "progress.json", today=datetime.now(UTC).date())
    assert view.quiz is None and "Nothing is due today" in view.fields["header"].value
