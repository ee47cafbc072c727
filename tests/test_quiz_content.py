"""The quiz bank: every question answered through the pure engine and through the widget."""

import re

import pytest
import yaml

import mtorlib
from mtorlib import progress, quiz
from mtorlib.content import check_paths
from mtorlib.content.compute import run as run_compute
from mtorlib.content.paths import content_dir
from mtorlib.quiz import Session, check, expected
from mtorlib.widgets import quiz_view

QUESTIONS = quiz.load_questions()
CJK = re.compile(r"[\u4e00-\u9fff]")


def wrong(q):
    """A response that must be judged wrong."""
    if q.type == "numeric":
        return q.answer + 3 * max(q.tolerance, q.tolerance * abs(q.answer)) + 1
    if q.type == "single":
        return next(o.id for o in q.options if not o.correct)
    return tuple(sorted(q.correct_ids))[:-1] or tuple(o.id for o in q.options)


def test_bank_size_and_coverage():
    assert len(QUESTIONS) >= 40
    assert sum(q.type == "numeric" for q in QUESTIONS) >= 10
    assert {q.type for q in QUESTIONS} == {"single", "multiple", "numeric"}
    assert {"pk", "tdm", "itp", "aiha"} <= {q.bank for q in QUESTIONS}
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


def test_quiz_content_validates():
    assert [str(p) for p in check_paths([content_dir() / "quiz"])] == []


def raw_questions():
    """Each question as written in the bank files (plain YAML, not through the library's loader)."""
    out = {}
    for path in sorted((content_dir() / "quiz").glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            out[raw["id"]] = raw
    return out


RAW = raw_questions()


def key_and_wrong_answers(raw):
    """(the answer key as written, responses that must be judged wrong), from the file alone."""
    if raw["type"] == "numeric":
        tol = raw["tolerance"]
        width = tol["value"] * (abs(raw["answer"]) if tol["type"] == "relative" else 1)
        inside = [raw["answer"] + 0.9 * width, raw["answer"] - 0.9 * width]
        return [raw["answer"], *inside], [raw["answer"] + 1.1 * width, raw["answer"] - 1.1 * width]
    right = [o["id"] for o in raw["options"] if o["correct"]]
    others = [o["id"] for o in raw["options"] if not o["correct"]]
    if raw["type"] == "single":
        return right, others
    return [tuple(right)], [tuple(right[:-1]), tuple(right + others[:1]), tuple(others)]


def test_every_question_of_the_files_is_loaded():
    assert sorted(RAW) == sorted(q.id for q in QUESTIONS)


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_every_question_through_the_engine(q):
    right, wrongs = key_and_wrong_answers(RAW[q.id])
    assert right and wrongs
    assert all(check(q, r) for r in right), right
    assert not any(check(q, w) for w in wrongs if w), wrongs
    s, fb = Session((q,), mode="practice").submit(q.id, right[0])
    assert fb.correct and s.review() == ()
    assert q.refs and q.explanation["en"] and CJK.search(q.explanation["zh"])
    assert CJK.search(q.stem["zh"]) and not CJK.search(q.stem["en"])


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.compute], ids=lambda q: q.id)
def test_computed_answers_match_the_library(q):
    value = run_compute(q.compute)
    assert quiz.within_tolerance(q.answer, value, kind=q.tolerance_type, tolerance=q.tolerance)


def set_control(view, q, response):
    """Put ``response`` into the widget's controls, as a learner would."""
    if q.type == "multiple":
        for oid, box in view.controls["choices"].items():
            box.value = oid in response
    elif q.type == "numeric":
        view.controls["answer"].value = f"{response:g}"
    else:
        view.controls["answer"].value = response


def test_every_question_through_the_widget_in_practice_mode():
    view = quiz_view(QUESTIONS, mode="practice")
    for i, q in enumerate(QUESTIONS):
        assert view.index == i
        set_control(view, q, expected(q))
        view.controls["submit"].click()
        assert view.last.question_id == q.id and view.last.correct is True, q.id
        assert "Correct." in view.widget.children[5].value
        view.controls["next"].click()
    recorded = progress.load()["answers"]
    assert [a["question_id"] for a in recorded] == [q.id for q in QUESTIONS]
    assert all(a["correct"] and a["mode"] == "practice" for a in recorded)
    view.controls["finish"].click()
    assert view.last["correct"].all()


def test_every_question_through_the_widget_in_exam_mode_wrong_answers_reviewed():
    view = quiz_view(QUESTIONS, mode="exam")
    for q in QUESTIONS:
        set_control(view, q, wrong(q))
        view.controls["submit"].click()
        assert view.last.correct is None  # hidden
        assert "Not correct" not in view.widget.children[5].value
        view.controls["next"].click()
    assert progress.load()["answers"] == []  # exam answers are saved when finished
    view.controls["finish"].click()
    assert not view.last["correct"].any()
    assert len(view.session.review()) == len(QUESTIONS)
    page = view.widget.children[7].value
    assert f"Score: 0 of {len(QUESTIONS)} correct" in page
    assert page.count("Correct answer:") == len(QUESTIONS)
    saved = progress.load()["answers"]
    assert len(saved) == len(QUESTIONS) and not any(a["correct"] for a in saved)
    assert {a["mode"] for a in saved} == {"exam"}


def test_widget_follows_language_and_reports_bad_input():
    q = next(q for q in QUESTIONS if q.type == "numeric")
    view = quiz_view([q], record=False)
    view.controls["submit"].click()
    assert "Please answer" in view.widget.children[5].value and view.last is None
    view.controls["answer"].value = "twelve"
    view.controls["submit"].click()
    assert "cannot be read" in view.widget.children[5].value
    mtorlib.set_language("zh")
    assert q.stem["zh"] in view.widget.children[1].value
    assert "提交" == view.controls["submit"].description
    with pytest.raises(quiz.QuizError, match="at least one question"):
        quiz_view([])


def test_widget_keeps_working_when_progress_cannot_be_saved(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    q = next(q for q in QUESTIONS if q.type == "single")
    view = quiz_view([q], progress_path=blocker / "progress.json")
    set_control(view, q, expected(q))
    view.controls["submit"].click()
    assert view.last.correct is True
    text = view.widget.children[5].value
    assert "Correct." in text and "could not be saved" in text
