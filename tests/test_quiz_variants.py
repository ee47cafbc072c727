"""Question variants: rendered numbers, answers checked by an independent computation, seeds."""

import copy
import itertools
import re

import pytest
import yaml

import mtorlib
from mtorlib import quiz
from mtorlib.quiz import variants
from mtorlib.quiz.export import to_gift, to_moodle_xml

QUESTIONS = {q.id: q for q in quiz.load_questions()}
VARIANTS = [q for q in QUESTIONS.values() if q.variant is not None]
NUMBER = r"(\d+(?:\.\d+)?)"
FAST = [q for q in VARIANTS if "trough_after_switch" not in q.compute["function"]]  # no PK runs


def two_different(q, learner="ann"):
    """Two renderings of ``q`` (attempts 1, 2, ...) whose drawn numbers differ."""
    first = variants.render(q, variants.seed_for(q.id, learner=learner, attempt=1))
    for attempt in range(2, 50):
        other = variants.render(q, variants.seed_for(q.id, learner=learner, attempt=attempt))
        if other.values != first.values:
            return first, other
    raise AssertionError(f"{q.id}: 50 attempts gave the same numbers")


def numbers(pattern, text):
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return [float(g) for g in m.groups()]


# Each case: a question, a pattern reading its numbers from the rendered English stem, and the
# formula written out here (label rules: proportional dose, 3 x difference, 1 - 2^(-t/t1/2)).
INDEPENDENT = [
    ("tdm_proportional_up",
     rf"sirolimus {NUMBER} mg/day has a steady-state trough of {NUMBER} ng/mL; the target is {NUMBER} ng/mL",
     lambda dose, measured, target: dose * target / measured),
    ("prca_dose_down",
     rf"On {NUMBER} mg/day, a patient's trough is {NUMBER} ng/mL.*Aiming for {NUMBER} ng/mL",
     lambda dose, measured, target: dose * target / measured),
    ("tdm_loading_dose", rf"raised from {NUMBER} to {NUMBER} mg/day",
     lambda current, new: 3 * (new - current)),
    ("prca_steady_state_day7", rf"reached {NUMBER} days after",
     lambda days: 1 - 2 ** (-days * 24 / 62)),
]


def test_at_least_twelve_numeric_questions_are_variants():
    assert len(VARIANTS) >= 12
    assert all(q.type == "numeric" and q.compute for q in VARIANTS)


@pytest.mark.parametrize(("qid", "pattern", "formula"), INDEPENDENT, ids=[c[0] for c in INDEPENDENT])
def test_two_seeds_give_different_numbers_and_both_answers_are_right(qid, pattern, formula):
    a, b = two_different(QUESTIONS[qid])
    assert a.stem["en"] != b.stem["en"] and a.answer != b.answer
    for r in (a, b):
        by_hand = formula(*numbers(pattern, r.stem["en"]))
        assert r.answer == pytest.approx(by_hand, rel=1e-9)
        assert quiz.check(r, by_hand) and not quiz.check(r, by_hand * 1.5)
        shown = [float(x) for x in re.findall(r"\d+\.?\d*", r.explanation["en"])]
        assert any(abs(x - by_hand) < 0.006 for x in shown), r.explanation["en"]  # answer shown
        assert not re.search(r"\{[a-z_]+", r.stem["en"] + r.stem["zh"] + r.explanation["zh"])


def test_defaults_are_the_stored_question():
    q = QUESTIONS["tdm_proportional_up"]
    again = variants.at_values(q, variants.defaults(q.variant))
    assert (again.stem, again.answer) == (q.stem, q.answer) and q.answer == 4


def test_exam_variant_is_stable_per_learner_and_differs_between_learners():
    ann = variants.for_session(FAST, mode="exam", learner="Ann Li")
    assert ann == variants.for_session(FAST, mode="exam", learner="Ann Li",
                                       attempts={q.id: 7 for q in FAST})
    bob = variants.for_session(FAST, mode="exam", learner="Bob")
    assert [q.values for q in ann] != [q.values for q in bob]


def test_practice_draws_anew_per_attempt():
    first = variants.for_session(FAST, mode="practice", learner="Ann")
    second = variants.for_session(FAST, mode="practice", learner="Ann",
                                  attempts={q.id: 2 for q in FAST})
    assert first == variants.for_session(FAST, mode="practice", learner="Ann")
    assert [q.values for q in first] != [q.values for q in second]


def test_attempt_numbers_come_from_the_progress_answers():
    answers = [{"question_id": "a"}, {"question_id": "b"}, {"question_id": "a"}]
    assert variants.attempts_from(answers) == {"a": 3, "b": 2}


def test_draws_reach_both_ends_and_stay_on_the_min_step_grid():
    # the grid computed here from min/max/step (not variants.grid); ≤ 12 points per parameter, so
    # 300 fixed seeds reach both ends (a miss has probability < (11/12)^300 ≈ 5e-12, and is fixed)
    for q in VARIANTS:
        params = q.variant["parameters"]
        drawn = {name: set() for name in params}
        for seed in range(300):
            for name, value in variants.draw(params, seed).items():
                drawn[name].add(value)
        for name, p in params.items():
            lo, hi, step = p["min"], p["max"], p["step"]
            for value in drawn[name]:
                k = (value - lo) / step
                assert lo - 1e-9 <= value <= hi + 1e-9, (q.id, name, value)
                assert abs(k - round(k)) < 1e-6, (q.id, name, value)  # on the grid min + k·step
            assert min(drawn[name]) == pytest.approx(lo) and max(drawn[name]) == pytest.approx(hi), \
                (q.id, name)


def test_export_writes_one_rendered_variant_per_question():
    qs = [QUESTIONS["tdm_proportional_up"], QUESTIONS["prca_reload"]]
    one, same, other = (variants.for_export(qs, s) for s in (1, 1, 2))
    assert one == same and one != other
    xml = to_moodle_xml(one)
    assert one[0].stem["en"].split(" What")[0] in xml and repr(float(one[0].answer)) in xml
    gift = to_gift(one, lang="zh")
    assert one[1].stem["zh"] in gift and "current_dose_mg" not in gift + xml


# --- validation: every problem names the file and the field --------------------------------

BASE = yaml.safe_load("""
kind: quiz_bank
id: bank
title: {en: "Bank", zh: "题库"}
questions:
  - id: v_dose
    type: numeric
    stem:
      en: "On {dose} mg/day the trough is {measured} ng/mL; aim for 8 ng/mL. New dose?"
      zh: "服用 {dose} mg/天，谷浓度 {measured} ng/mL，目标 8 ng/mL。新剂量是多少？"
    answer: 4
    tolerance: {type: absolute, value: 0.05}
    unit: {en: "mg/day", zh: "mg/天"}
    compute:
      function: "mtorlib.tdm:proportional_dose"
      args: {current_dose_mg: {param: dose}, measured_ng_ml: {param: measured}, target_ng_ml: 8}
    variant:
      seed: per_attempt
      parameters:
        dose: {min: 1, max: 2, step: 0.5, default: 2, unit: {en: "mg/day", zh: "mg/天"},
               limit: dose_mg_day, why: "maintenance 1-2 mg/day (test)"}
        measured: {min: 3, max: 5, step: 1, default: 4, unit: {en: "ng/mL", zh: "ng/mL"},
                   limit: trough_ng_ml, why: "below a 5-15 ng/mL window (test)"}
    explanation: {en: "{dose} x 8 / {measured} = {answer:.2f}", zh: "{dose}×8/{measured}={answer:.2f}。"}
    refs: [rapamune_uspi_s2]
    tags: {topic: tdm, disease: general, difficulty: easy}
""")


def problems(tmp_path, edit):
    data = copy.deepcopy(BASE)
    edit(data["questions"][0])
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return [str(p) for p in mtorlib.validate([path])]


def test_a_good_variant_question_validates(tmp_path):
    assert problems(tmp_path, lambda q: None) == []


@pytest.mark.parametrize(("edit", "field", "words"), [
    (lambda q: q["variant"]["parameters"]["dose"].pop("why"), "variant.parameters.dose", "why"),
    (lambda q: q["variant"].update(seed="per_day"), "variant.seed", "per_attempt"),
    (lambda q: q["variant"]["parameters"]["dose"].update(step=0.4), "variant.parameters.dose.step",
     "whole number"),
    (lambda q: q["variant"]["parameters"]["dose"].update(default=1.7),
     "variant.parameters.dose.default", "one of the range's values"),
    (lambda q: q["variant"]["parameters"]["measured"].update(max=40, default=5),
     "variant.parameters.measured.max", "warning"),
    (lambda q: q["variant"]["parameters"].update(
        spare={"min": 1, "max": 2, "step": 1, "default": 1, "unit": {"en": "h", "zh": "小时"},
               "why": "an unused parameter (test)"}), "variant.parameters.spare", "not used"),
    (lambda q: q["stem"].update(zh="新剂量是多少？"), "variant.parameters.dose", "zh stem"),
    (lambda q: q["explanation"].update(en="{dosage} x 8"), "explanation.en", "{dosage}"),
    (lambda q: q["tolerance"].update(value=0.5), "tolerance.value", "10 %"),
    (lambda q: q.update(tolerance={"type": "relative", "value": 0.5}), "tolerance.value",
     "more than 10 %: a rough guess would pass; allowed 0.001 to 0.1"),
    (lambda q: q.update(tolerance={"type": "relative", "value": 0.0001}), "tolerance.value",
     "below 0.1 %"),
    (lambda q: q.update(answer=5), "answer", "differs"),
])
def test_variant_problems_name_file_and_field(tmp_path, edit, field, words):
    found = problems(tmp_path, edit)
    assert any("bank.yaml:" in p and field in p and words in p for p in found), found


def test_cli_variant_seed_writes_the_same_file_for_the_same_seed(tmp_path):
    from mtorlib.__main__ import main

    texts = {}
    for name, extra in (("a", ["--variant-seed", "5"]), ("b", ["--variant-seed", "5"]),
                        ("c", ["--variant-seed", "6"]), ("stored", [])):
        out = tmp_path / f"{name}.gift"
        assert main(["export-quiz", "--format", "gift", "--bank", "prca", "-o", str(out), *extra]) == 0
        texts[name] = out.read_text("utf-8")
    assert texts["a"] == texts["b"] and texts["a"] != texts["c"] and texts["a"] != texts["stored"]
    assert "1 to 2 mg/day" in texts["stored"]  # prca_reload as stored: raised from 1 to 2 mg/day


def test_examples_frame_shows_the_attempts_in_the_language():
    q = QUESTIONS["tdm_proportional_up"]
    frame = variants.examples(q, learner="Ann", attempts=(1, 2), lang="zh")
    assert list(frame.columns) == ["attempt", "stem", "answer", "unit"]
    assert frame["attempt"].tolist() == [1, 2]
    zh = rf"西罗莫司 {NUMBER} mg/天，稳态谷浓度为 {NUMBER} ng/mL，目标为 {NUMBER}"
    for row in frame.itertuples():
        dose, measured, target = numbers(zh, row.stem)
        assert row.answer == pytest.approx(dose * target / measured, abs=1e-3) and row.unit == "mg/天"


DAILY_DOSES = [q for q in FAST if q.unit and q.unit["en"] == "mg/day"]


@pytest.mark.parametrize("q", DAILY_DOSES, ids=lambda q: q.id)
def test_no_drawn_daily_dose_exceeds_the_cited_sirolimus_doses(q):
    """Every grid point of a mg/day question stays at or below 4 mg/day, the top of the cited
    adult doses (2 mg/day [19]; start 2-4 mg/day bcf_itp_2024; 2-4 mg/day [24])."""
    ps = q.variant["parameters"]
    names = sorted(ps)
    combos = itertools.product(*(variants.grid(ps[n]) for n in names))
    worst = max(variants.at_values(q, dict(zip(names, c, strict=True))).answer for c in combos)
    assert 0 < worst <= 4.0 + 1e-9, f"{q.id}: a drawn answer reaches {worst:.2f} mg/day"
