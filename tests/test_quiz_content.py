"""The quiz bank: every question answered through the pure engine and through the widget."""

import math
import re

import ipywidgets as w
import pytest
import yaml

import mtorlib
from mtorlib import progress, quiz
from mtorlib.content import check_paths
from mtorlib.content.compute import run as run_compute
from mtorlib.content.paths import content_dir
from mtorlib.quiz import Session, check
from mtorlib.widgets import quiz_view

QUESTIONS = quiz.load_questions()
CJK = re.compile(r"[\u4e00-\u9fff]")


def wrong(q):
    """A response that must be judged wrong."""
    if q.type == "numeric":  # wrong but within what the widget accepts (a fraction stays <= 1)
        from mtorlib.widgets.question_view import read_numeric

        d = 3 * (q.tolerance if q.tolerance_type == "absolute" else q.tolerance * abs(q.answer)) + 0.01
        tries = (q.answer + d, q.answer - d, math.ceil(q.answer + d))  # a count must stay whole
        return next(v for v in tries if read_numeric(q, f"{v:g}").accepted)
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


def right(q):
    """The correct response as written in the bank file (not the library's answer key)."""
    return key_and_wrong_answers(RAW[q.id])[0][0]


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


@pytest.mark.slow
def test_every_question_through_the_widget_in_practice_mode():
    view = quiz_view(QUESTIONS, mode="practice")
    for i, q in enumerate(QUESTIONS):
        assert view.index == i
        set_control(view, q, right(q))
        view.controls["submit"].click()
        assert view.last.question_id == q.id and view.last.correct is True, q.id
        assert "Correct." in view.fields["feedback"].value
        view.controls["next"].click()
    recorded = progress.load()["answers"]
    assert [a["question_id"] for a in recorded] == [q.id for q in QUESTIONS]
    assert all(a["correct"] and a["mode"] == "practice" for a in recorded)
    view.controls["finish"].click()
    assert view.last["correct"].all()


@pytest.mark.slow
def test_every_question_through_the_widget_in_exam_mode_wrong_answers_reviewed():
    view = quiz_view(QUESTIONS, mode="exam")
    for q in QUESTIONS:
        set_control(view, q, wrong(q))
        view.controls["submit"].click()
        assert view.last.correct is None  # hidden
        assert "Not correct" not in view.fields["feedback"].value
        view.controls["next"].click()
    assert progress.load()["answers"] == []  # exam answers are saved when finished
    view.controls["finish"].click()
    assert not view.last["correct"].any()
    assert len(view.session.review()) == len(QUESTIONS)
    page = view.fields["review"].value
    assert f"Score: 0 of {len(QUESTIONS)} correct" in page
    assert page.count("Correct answer:") == len(QUESTIONS)
    saved = progress.load()["answers"]
    assert len(saved) == len(QUESTIONS) and not any(a["correct"] for a in saved)
    assert {a["mode"] for a in saved} == {"exam"}


def test_widget_follows_language_and_reports_bad_input():
    q = next(q for q in QUESTIONS if q.type == "numeric")
    view = quiz_view([q], record=False)
    view.controls["submit"].click()
    assert "Please answer" in view.fields["feedback"].value and view.last is None
    view.controls["answer"].value = "twelve"
    view.controls["submit"].click()
    assert "is not a number" in view.fields["feedback"].value and q.id not in view.fields["feedback"].value
    mtorlib.set_language("zh")
    assert q.stem["zh"] in view.fields["stem"].value
    assert "提交" == view.controls["submit"].description
    with pytest.raises(quiz.QuizError, match="at least one question"):
        quiz_view([])


def test_widget_keeps_working_when_progress_cannot_be_saved(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    q = next(q for q in QUESTIONS if q.type == "single")
    view = quiz_view([q], progress_path=blocker / "progress.json")
    set_control(view, q, right(q))
    view.controls["submit"].click()
    assert view.last.correct is True
    text = view.fields["feedback"].value
    assert "Correct." in text and "could not be saved" in text


def _numeric(unit_en):
    return next(q for q in QUESTIONS if q.type == "numeric" and q.unit and q.unit["en"] == unit_en)


@pytest.mark.parametrize("typed, words", [
    ("abc", "is not a number"), ("-5", "between 0 and 100 %"), ("1e400", "is not a number"),
])
def test_numeric_answer_refused_with_a_message_and_no_question_id(typed, words):
    q = _numeric("%")
    view = quiz_view([q], record=False)
    view.controls["answer"].value = typed
    view.controls["submit"].click()
    text = view.fields["feedback"].value
    assert words in text and q.id not in text and view.session.responses == ()


def test_practice_score_at_any_time_locks_nothing_and_wrong_answers_can_be_retried():
    qs = [q for q in QUESTIONS if q.type == "single"][:3]
    view = quiz_view(qs, record=False)
    set_control(view, qs[0], wrong(qs[0]))
    view.controls["submit"].click()
    text = view.fields["feedback"].value
    assert "✘ Not correct." in text and "Your answer" in text
    assert view.controls["retry"].layout.display == ""
    view.controls["finish"].click()  # "Show score"
    assert "Score: 0 of 3 correct" in view.fields["review"].value
    assert not view.session.finished and not view.controls["submit"].disabled
    view.controls["retry"].click()
    assert view.controls["answer"].value is None and view.fields["feedback"].value == ""
    set_control(view, qs[0], right(qs[0]))
    view.controls["submit"].click()
    assert view.last.correct and "✔ Correct." in view.fields["feedback"].value
    assert "Score: 1 of 3 correct" in view.fields["review"].value  # the shown score follows
    view.controls["next"].click()
    set_control(view, qs[1], right(qs[1]))
    view.controls["submit"].click()
    assert view.last.correct


def test_exam_keeps_its_rules():
    qs = [q for q in QUESTIONS if q.type == "single"][:2]
    view = quiz_view(qs, mode="exam", record=False)
    set_control(view, qs[0], wrong(qs[0]))
    view.controls["submit"].click()
    assert "Not correct" not in view.fields["feedback"].value
    assert view.controls["retry"].layout.display == "none"
    view.controls["finish"].click()
    assert view.session.finished and view.controls["submit"].disabled


def test_quiz_lecturer_mode_hides_the_verdict_until_reveal():
    q = next(q for q in QUESTIONS if q.type == "single")
    view = quiz_view([q], record=False, lecturer=True)
    assert "mtor-lecturer" in view.widget._dom_classes
    set_control(view, q, right(q))
    view.controls["submit"].click()
    assert "Correct" not in view.fields["feedback"].value and view.controls["reveal"].layout.display == ""
    view.controls["reveal"].click()
    assert "✔ Correct." in view.fields["feedback"].value
    view.controls["lecturer"].value = False
    assert "mtor-lecturer" not in view.widget._dom_classes


def test_submitting_moves_focus_to_this_turns_feedback(monkeypatch):
    from mtorlib.widgets.focus import FocusSlot

    moved, pressed = [], []
    monkeypatch.setattr(FocusSlot, "move", lambda self, target=None: moved.append(target))
    monkeypatch.setattr(w.Button, "focus", lambda self: pressed.append(self.description))
    q = next(q for q in QUESTIONS if q.type == "single")
    view = quiz_view([q], record=False, lecturer=False)
    for turn in (1, 2):  # a second try names its own feedback, never the older one
        if turn == 2:
            view.controls["retry"].click()
        set_control(view, q, wrong(q))
        view.controls["submit"].click()
        assert moved[-1] == f".mtor-feedback[data-turn='{turn}']"
        assert f"data-turn='{turn}'" in view.fields["feedback"].value
    lecture = quiz_view([q], record=False, lecturer=True)
    set_control(lecture, q, wrong(q))
    lecture.controls["submit"].click()
    assert pressed == ["Reveal"] and len(moved) == 2  # before Reveal: the Reveal button
    lecture.controls["reveal"].click()
    assert moved[-1] == ".mtor-feedback[data-turn='2']" and "Not correct" in lecture.fields["feedback"].value


def test_focus_slot_creates_its_mover_on_the_first_request_then_counts_requests():
    from mtorlib.widgets.focus import FocusMover, FocusSlot

    slot = FocusSlot(".mtor-quiz", ".mtor-feedback")
    assert slot.mover is None and slot.children == ()  # nothing for the page to load until a learner acts
    slot.move()
    mover = slot.mover
    assert slot.children == (mover,)  # the page loads it now
    assert isinstance(mover, FocusMover) and (mover.scope, mover.target, mover.request) == (
        ".mtor-quiz", ".mtor-feedback", 1)
    slot.move(".mtor-feedback[data-turn='2']")
    assert slot.children == (mover,) and (mover.target, mover.request) == (".mtor-feedback[data-turn='2']", 2)
