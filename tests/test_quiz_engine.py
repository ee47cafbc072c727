"""Quiz engine: loading, seeded selection, answer checking, practice/exam sessions, bank rules."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtorlib import quiz
from mtorlib.content import check_paths
from mtorlib.content.compute import ComputeError
from mtorlib.content.compute import run as run_compute
from mtorlib.content.documents import Context
from mtorlib.quiz import QuizError, Session, check, expected, select
from mtorlib.quiz.questions import Question, within_tolerance
from mtorlib.quiz.rules import check_bank

TAGS = {"topic": "tdm", "disease": "general", "difficulty": "easy"}
TEXT = {"en": "x", "zh": "x"}


def opt(letter, correct):
    return {"id": letter, "text": {"en": letter.upper(), "zh": letter.upper()}, "correct": correct}


def single(qid="s1", correct="b"):
    return {"id": qid, "type": "single", "stem": TEXT, "explanation": TEXT, "refs": [7],
            "tags": TAGS, "options": [opt(c, c == correct) for c in "abc"]}


def multiple(qid="m1", correct="ac"):
    return {"id": qid, "type": "multiple", "stem": TEXT, "explanation": TEXT, "refs": [7],
            "tags": TAGS, "options": [opt(c, c in correct) for c in "abcd"]}


def numeric(qid="n1", answer=4.0, kind="absolute", tol=0.05, **extra):
    return {"id": qid, "type": "numeric", "stem": TEXT, "explanation": TEXT, "refs": [7],
            "tags": TAGS, "answer": answer, "tolerance": {"type": kind, "value": tol},
            "unit": {"en": "mg", "zh": "mg"}, **extra}


# --- loading and selection -------------------------------------------------------------------

def test_load_questions_and_unknown_bank():
    qs = quiz.load_questions(["tdm"])
    assert qs and all(q.bank == "tdm" for q in qs)
    with pytest.raises(QuizError, match=r"unknown quiz bank\(s\) \['nope'\]; valid banks: .*tdm"):
        quiz.load_questions(["nope"])
    frame = quiz.questions_frame(qs)
    assert list(frame.columns) == ["id", "bank", "type", "topic", "disease", "difficulty"]
    assert len(frame) == len(qs)


def test_selection_is_seeded_and_filtered():
    pool = quiz.load_questions()
    a = select(pool, n=6, rng=np.random.default_rng(7))
    b = select(pool, n=6, rng=np.random.default_rng(7))
    c = select(pool, n=6, rng=np.random.default_rng(8))
    assert [q.id for q in a] == [q.id for q in b]
    assert [q.id for q in a] != [q.id for q in c]
    assert len({q.id for q in a}) == 6
    picked = select(pool, n=3, rng=np.random.default_rng(1), disease="aiha",
                    difficulty=["easy", "medium"])
    assert all(q.disease == "aiha" and q.difficulty in ("easy", "medium") for q in picked)
    n_tdm = sum(q.topic == "tdm" for q in pool)
    every = select(pool, n=n_tdm, rng=np.random.default_rng(0), topic="tdm")
    assert {q.id for q in every} == {q.id for q in pool if q.topic == "tdm"}


def test_selection_errors_name_the_problem():
    pool = quiz.load_questions()
    with pytest.raises(QuizError, match=r"n=999 questions requested but only \d+ match \(no filter\)"):
        select(pool, n=999, rng=np.random.default_rng(0))
    with pytest.raises(QuizError, match=r"only 0 match \(topic=\['nothing'\]\)"):
        select(pool, n=1, rng=np.random.default_rng(0), topic="nothing")
    with pytest.raises(QuizError, match="rng must be a numpy.random.Generator; got int"):
        select(pool, n=1, rng=42)
    with pytest.raises(QuizError, match="n must be a whole number >= 1; got 0"):
        select(pool, n=0, rng=np.random.default_rng(0))


# --- answer checking -------------------------------------------------------------------------

def test_single_choice_checking():
    q = Question.from_dict(single())
    assert check(q, "b") and not check(q, "a")
    assert expected(q) == "b"
    with pytest.raises(QuizError, match=r"answer to s1 must be one option id \(a, b, c\); got 'z'"):
        check(q, "z")
    with pytest.raises(QuizError, match="must be one option id"):
        check(q, ["b"])


def test_multiple_choice_needs_the_exact_set():
    q = Question.from_dict(multiple())
    assert check(q, ["c", "a"]) and check(q, ("a", "c", "a"))
    assert not check(q, ["a"]) and not check(q, ["a", "b", "c"]) and not check(q, [])
    assert expected(q) == ("a", "c")
    with pytest.raises(QuizError, match=r"unknown option\(s\) \['z'\]; allowed: a, b, c, d"):
        check(q, ["a", "z"])
    with pytest.raises(QuizError, match="must be a list of option ids"):
        check(q, "ac")


def test_numeric_absolute_tolerance_is_inclusive():
    q = Question.from_dict(numeric(answer=1.67, tol=0.03))
    assert check(q, 1.64) and check(q, 1.70) and check(q, "1,67") and check(q, " 1.69 ")
    assert not check(q, 1.71) and not check(q, 1.63)
    for bad in ("abc", float("nan"), float("inf"), True, None, [1.67]):
        with pytest.raises(QuizError, match="answer to n1 must be a"):
            check(q, bad)


def test_numeric_relative_tolerance():
    q = Question.from_dict(numeric(answer=200.0, kind="relative", tol=0.05))
    assert check(q, 190) and check(q, 210) and not check(q, 189.9) and not check(q, 210.1)
    neg = Question.from_dict(numeric(answer=-10.0, kind="relative", tol=0.1))
    assert check(neg, -11) and not check(neg, -11.2)
    with pytest.raises(QuizError, match="tolerance type must be"):
        within_tolerance(1, 1, kind="fuzzy", tolerance=1)


# --- sessions --------------------------------------------------------------------------------

def three():
    return tuple(Question.from_dict(d) for d in (single(), multiple(), numeric()))


def test_practice_mode_gives_immediate_feedback():
    s = Session(three(), mode="practice")
    s, fb = s.submit("s1", "a")
    assert fb.correct is False and fb.expected == "b" and fb.explanation == TEXT
    s, fb = s.submit("s1", "b")  # a new answer replaces the old one
    assert fb.correct is True and s.responses == (("s1", "b"),)
    s, _ = s.submit("n1", "4.04")
    assert s.score() == (2, 3)
    assert [r.question.id for r in s.review()] == ["m1"]
    assert s.results()["correct"].tolist() == [True, False, True]


def test_exam_mode_hides_correctness_until_finished():
    s = Session(three(), mode="exam")
    s, fb = s.submit("s1", "b")
    assert fb.correct is None and fb.expected is None and fb.explanation is None
    s, _ = s.submit("m1", ["a"])
    with pytest.raises(QuizError, match="hidden until the exam is finished"):
        s.results()
    with pytest.raises(QuizError, match="hidden until the exam is finished"):
        s.review()
    done = s.finish()
    assert done.score() == (1, 3)
    review = done.review()
    assert [(r.question.id, r.response, r.expected) for r in review] == [
        ("m1", ("a",), ("a", "c")), ("n1", None, 4.0)]
    assert all(r.explanation == TEXT for r in review)
    with pytest.raises(QuizError, match="finished"):
        done.submit("n1", 4)


def test_session_errors():
    with pytest.raises(QuizError, match="mode must be one of practice, exam; got 'test'"):
        Session(three(), mode="test")
    with pytest.raises(QuizError, match="same question twice"):
        Session(three() + three()[:1])
    with pytest.raises(QuizError, match=r"question 'zz' is not in this session; valid: s1, m1, n1"):
        Session(three()).submit("zz", "a")


# --- bank rules ------------------------------------------------------------------------------

class Doc:
    def __init__(self, questions, name="bank.yaml"):
        self.data = {"questions": questions}
        self.name = name


def problems(questions, ctx=None, name="bank.yaml"):
    return list(check_bank(Doc(questions, name), ctx or Context()))


def test_valid_bank_has_no_problems():
    assert problems([single(), multiple(), numeric()]) == []


def test_choice_rules():
    two = single()
    two["options"][0]["correct"] = True
    none = multiple(correct="")
    dup = single("s2")
    dup["options"][1]["id"] = "a"
    dup["options"][0]["correct"] = True
    dup["options"][1]["correct"] = False
    noopt = single("s3")
    del noopt["options"]
    mixed = {**single("s4"), "answer": 3}
    found = problems([two, none, dup, noopt, mixed])
    assert (("questions", 0, "options"),
            "a single-choice question needs exactly 1 correct option; got 2") in found
    assert (("questions", 1, "options"),
            "a multiple-choice question needs >= 1 correct option; got 0") in found
    assert (("questions", 2, "options", 1, "id"), "option id 'a' appears twice") in found
    assert (("questions", 3, "options"), "a single question needs 'options' (at least 2)") in found
    assert (("questions", 4, "answer"),
            "'answer' is for numeric questions only; this one is single") in found


def test_numeric_rules():
    bare = numeric()
    for key in ("answer", "tolerance", "unit"):
        del bare[key]
    with_options = {**numeric("n2"), "options": [opt("a", True), opt("b", False)]}
    found = problems([bare, with_options])
    for key in ("answer", "tolerance", "unit"):
        assert (("questions", 0, key), f"a numeric question needs '{key}'") in found
    assert (("questions", 1, "options"),
            "a numeric question takes 'answer' and 'tolerance', not 'options'") in found


def test_question_ids_unique_within_and_across_banks():
    assert problems([single("q"), multiple("q")]) == [
        (("questions", 1, "id"), "question id 'q' is also used by questions[0]")]
    ctx = Context()
    assert problems([single("q")], ctx, "a.yaml") == []
    assert problems([numeric("q")], ctx, "b.yaml") == [
        (("questions", 0, "id"), "question id 'q' is also used in a.yaml")]


def test_computed_answers_are_checked_against_the_library():
    comp = {"function": "mtorlib.tdm:proportional_dose",
            "args": {"current_dose_mg": 3, "measured_ng_ml": 18, "target_ng_ml": 10}}
    assert problems([numeric(answer=1.67, tol=0.03, compute=comp)]) == []
    found = problems([numeric(answer=1.75, tol=0.03, compute=comp)])
    assert found == [(("questions", 0, "answer"),
                      "stored answer 1.75 differs from mtorlib.tdm:proportional_dose = 1.66667 "
                      "by more than the absolute tolerance 0.03")]
    missing = {"function": "mtorlib.tdm:no_such_rule", "args": {}}
    assert "cannot import mtorlib.tdm:no_such_rule" in problems([numeric(compute=missing)])[0][1]
    failing = {**comp, "args": {**comp["args"], "measured_ng_ml": -1}}
    (path, msg), = problems([numeric(compute=failing)])
    assert path == ("questions", 0, "compute") and "TDMError: measured_ng_ml must be" in msg


def test_run_compute_resolves_models_and_refuses_foreign_modules():
    t_half = run_compute({"function": "mtorlib.pk:half_life_h",
                          "args": {"model": "sirolimus_label"}})
    assert t_half == pytest.approx(62.0, abs=0.1)
    for spec in ("os:getcwd", "mtorlib.progress:reset", "mtorlib.pk:_model"):
        with pytest.raises(ComputeError, match="must be a public function of mtorlib.pk, "):
            run_compute({"function": spec, "args": {}})


def test_validator_reports_a_broken_bank_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        "kind: quiz_bank\nid: broken\ntitle: {en: B, zh: B}\nquestions:\n"
        "  - id: b1\n    type: single\n    stem: {en: S, zh: S}\n"
        "    options:\n      - {id: a, correct: true, text: {en: A, zh: A}}\n"
        "      - {id: b, correct: true, text: {en: B, zh: B}}\n"
        "    explanation: {en: E}\n    refs: [99]\n"
        "    tags: {topic: tdm, disease: general, difficulty: easy}\n", "utf-8")
    text = "\n".join(map(str, check_paths([bad])))
    assert "broken.yaml:11: questions[0].explanation: 'zh' is required but missing" in text
    assert "broken.yaml:12: questions[0].refs[0]: 99 is greater than the maximum of 57" in text
    fixed = bad.read_text().replace("explanation: {en: E}", "explanation: {en: E, zh: E}")
    bad.write_text(fixed.replace("refs: [99]", "refs: [9]"))
    assert [str(p) for p in check_paths([bad])] == [
        f"{bad}:8: questions[0].options: a single-choice question needs exactly 1 correct "
        "option; got 2"]


@given(answer=st.floats(-1e6, 1e6, allow_nan=False), tol=st.floats(1e-3, 1e3),
       u=st.floats(-1, 1), relative=st.booleans())
@pytest.mark.slow
def test_numeric_tolerance_property(answer, tol, u, relative):
    kind = "relative" if relative else "absolute"
    width = tol * abs(answer) if relative else tol
    assert within_tolerance(answer + u * width, answer, kind=kind, tolerance=tol)
    outside = answer + 1.01 * width + 1e-9 * max(1.0, abs(answer))
    assert not within_tolerance(outside, answer, kind=kind, tolerance=tol)
