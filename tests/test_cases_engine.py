"""The pure case engine, task computations and the case validator rules on small synthetic cases."""

import copy
import math
from types import SimpleNamespace

import pytest

from mtorlib import cases
from mtorlib.cases import rules, tasks
from mtorlib.content.schema import schema_errors

T = {"en": "text", "zh": "文本"}


def opt(oid, verdict, nxt, **extra):
    return {"id": oid, "text": T, "verdict": verdict, "feedback": T, "refs": [24], "next": nxt, **extra}


def end(nid):
    return {"id": nid, "title": T, "text": T,
            "debrief": {"outcome": T, "key_points": [T, T, T], "refs": [7]}}


def make_case():
    return {
        "kind": "case", "id": "mini", "disease": "itp", "title": T, "summary": T, "refs": [24],
        "counters": {"platelets": 10, "trough": 0}, "start": "a",
        "nodes": [
            {"id": "a", "title": T, "text": T, "question": T,
             "labs": [{"day": 0, "platelets": 10}, {"day": 7, "platelets": 12, "trough": 3.0}],
             "options": [
                 opt("good", "best", "dose", effects={"add": {"platelets": 30, "days_on_drug": 28},
                                                      "set": {"trough": 3.0}},
                     evidence={"level": "4", "grade": "C", "source": "inferred"}),
                 opt("ok", "acceptable", "dose"),
                 opt("bad", "harmful", "end_bad", effects={"add": {"platelets": -50, "adverse_events": 1}}),
             ]},
            {"id": "dose", "title": T, "text": T, "labs": [{"day": 14, "platelets": 40}],
             "task": {"prompt": T, "unit": "mg/day", "tolerance": {"abs": 0.1},
                      "compute": {"function": "mtorlib.tdm:proportional_dose",
                                  "args": {"current_dose_mg": 2, "measured_ng_ml": 3.0, "target_ng_ml": 6}},
                      "feedback": {"correct": T, "wrong": {"en": "wrong", "zh": "错误"}},
                      "refs": [7], "effects": {"set": {"trough": 6.0}}, "next": "end_good"}},
            end("end_good"),
            end("end_bad"),
        ],
    }


@pytest.fixture
def case():
    return cases.from_data(make_case())


def test_best_path_scores_and_applies_effects(case):
    state = cases.walk(case, ["good", 4.0])
    assert cases.finished(case, state)
    assert cases.score(state) == cases.Score(best=2, acceptable=0, harmful=0, points=4, max_points=4)
    assert state.counter("platelets") == 40 and state.counter("trough") == 6.0
    assert state.counter("days_on_drug") == 28 and state.counter("adverse_events") == 0
    d = cases.debrief(case, state)
    assert len(d["key_points"]) == 3 and d["score"].points == 4


def test_counters_never_go_negative(case):
    state = cases.choose(case, cases.start(case), "bad")
    assert state.counter("platelets") == 0 and state.counter("adverse_events") == 1
    assert cases.score(state).as_dict() == {"best": 0, "acceptable": 0, "not_recommended": 0,
                                            "harmful": 1, "points": 0, "max_points": 2}


def _with_not_recommended():
    data = make_case()
    data["nodes"][0]["options"].append(opt("off_trial", "not_recommended", "dose"))
    return data


def test_not_recommended_scores_zero_but_is_counted_apart_from_harmful():
    case = cases.from_data(_with_not_recommended())
    state = cases.walk(case, ["off_trial", 4.0])
    fb = cases.last_feedback(case, cases.choose(case, cases.start(case), "off_trial"))
    assert fb.verdict == "not_recommended"
    assert cases.score(state).as_dict() == {"best": 1, "acceptable": 0, "not_recommended": 1,
                                            "harmful": 0, "points": 2, "max_points": 4}
    assert cases.POINTS["not_recommended"] == cases.POINTS["harmful"] == 0
    assert cases.MARKS["not_recommended"] not in {cases.MARKS[v] for v in ("best", "acceptable", "harmful")}


def test_task_answer_within_tolerance_is_best_else_harmful(case):
    at_task = cases.choose(case, cases.start(case), "ok")
    assert cases.last_feedback(case, cases.answer(case, at_task, 4.05)).verdict == "best"
    wrong = cases.answer(case, at_task, 3.0)
    fb = cases.last_feedback(case, wrong)
    assert (fb.verdict, fb.expected, fb.answer, fb.text["en"]) == ("harmful", 4.0, 3.0, "wrong")
    assert cases.score(wrong).points == 1  # acceptable 1 + harmful 0


def test_states_are_immutable(case):
    s0 = cases.start(case)
    s1 = cases.choose(case, s0, "good")
    assert s0.node_id == "a" and s0.history == () and s1.node_id == "dose"


def test_last_feedback_carries_evidence_and_refs(case):
    fb = cases.last_feedback(case, cases.choose(case, cases.start(case), "good"))
    assert fb.verdict == "best" and fb.refs == (24,) and fb.evidence["grade"] == "C"


def test_paths_enumerate_every_route(case):
    assert cases.paths(case) == [
        (("a", "good"), ("dose", "task")), (("a", "ok"), ("dose", "task")), (("a", "bad"),)]


def test_labs_frame_is_tidy_and_follows_the_visit(case):
    first = cases.labs_frame(case, cases.start(case))
    assert list(first.columns) == ["day", "test", "value", "unit", "node"]
    assert first[["day", "test", "value"]].values.tolist() == [[0, "platelets", 10.0], [7, "platelets", 12.0],
                                                              [7, "trough", 3.0]]
    assert set(first["unit"]) == {"×10⁹/L", "ng/mL"}
    later = cases.labs_frame(case, cases.choose(case, cases.start(case), "good"))
    assert later["node"].tolist() == ["a", "a", "a", "dose"] and later["value"].iloc[-1] == 40.0
    assert len(cases.labs_frame(case)) == 4  # every node's labs, for a chart that filters by visit
    assert cases.visited(cases.walk(case, ["good", 4.0])) == ("a", "dose", "end_good")


@pytest.mark.parametrize(("move", "message"), [
    (lambda c, s: cases.choose(c, s, "nope"), "option must be one of good, ok, bad; got 'nope'"),
    (lambda c, s: cases.answer(c, s, 1.0), "is a decision node, not a task node"),
    (lambda c, s: cases.debrief(c, s), "is not finished"),
    (lambda c, s: cases.last_feedback(c, s), "no move made yet"),
    (lambda c, s: c.node("zz"), "node must be one of a, dose, end_good, end_bad; got 'zz'"),
])
def test_bad_moves_name_the_problem(case, move, message):
    with pytest.raises(cases.CaseError, match=message.replace("(", r"\(")):
        move(case, cases.start(case))


def test_nan_answer_is_rejected(case):
    at_task = cases.choose(case, cases.start(case), "good")
    with pytest.raises(cases.CaseError, match="answer must be a finite number"):
        cases.answer(case, at_task, math.nan)


def test_nested_compute_matches_mosteller_closed_form():
    spec = {"function": "mtorlib.regimen:dose_from_bsa",
            "args": {"mg_per_m2": 1.5, "bsa_m2": {"function": "mtorlib.regimen:bsa_m2",
                                                  "args": {"height_cm": 130, "weight_kg": 30}}}}
    assert tasks.expected_value(spec) == pytest.approx(1.5 * math.sqrt(130 * 30 / 3600))


@pytest.mark.parametrize(("tol", "answer", "ok"), [
    ({"abs": 0.1}, 4.1, True), ({"abs": 0.1}, 4.11, False),
    ({"rel": 0.05}, 4.2, True), ({"rel": 0.05}, 4.21, False),
])
def test_tolerance(tol, answer, ok):
    assert tasks.within(answer, 4.0, tol) is ok


@pytest.mark.parametrize(("name", "message"), [
    ("os:system", "must be a public function of"),
    ("mtorlib.progress:reset", "must be a public function of"),  # writes files: never runnable
    ("mtorlib.tdm:_private", "must be a public function of"),
    ("mtorlib.tdm:no_such_function", "cannot import"),
    ("mtorlib.tdm.nowhere:f", "must be a public function of"),  # not a registered module
])
def test_compute_refuses_outside_or_missing_functions(name, message):
    with pytest.raises(cases.CaseError, match=message):
        tasks.expected_value({"function": name, "args": {}})


def test_compute_errors_are_reported():
    with pytest.raises(cases.CaseError, match="failed: TDMError: current_dose_mg"):
        tasks.expected_value({"function": "mtorlib.tdm:proportional_dose",
                              "args": {"current_dose_mg": -2, "measured_ng_ml": 3, "target_ng_ml": 6}})
    with pytest.raises(cases.CaseError, match="must return a finite number"):
        tasks.expected_value({"function": "mtorlib.pk:load_model",
                              "args": {"model_id": "sirolimus_label"}})


# ----- validator rules -------------------------------------------------------------------------

def problems(data):
    return [m for _p, m in rules.check_case(SimpleNamespace(data=data), None)]


def test_valid_case_has_no_problems():
    data = make_case()
    assert schema_errors("case", data) == [] and problems(data) == []


def mutate(fn):
    data = copy.deepcopy(make_case())
    fn(data)
    return problems(data)


def test_rules_catch_each_defect():
    nodes = lambda d: d["nodes"]  # noqa: E731
    assert any("is not a node" in m for m in mutate(lambda d: nodes(d)[0]["options"][0].update(next="ghost")))
    assert any("cannot be reached" in m for m in mutate(lambda d: nodes(d).append(end("orphan"))))
    assert any("appears twice" in m for m in mutate(lambda d: nodes(d).append(end("end_bad"))))
    assert any("at least one option with verdict 'best'" in m
               for m in mutate(lambda d: nodes(d)[0]["options"][0].update(verdict="acceptable")))
    assert any("grade B does not match level 4" in m
               for m in mutate(lambda d: nodes(d)[0]["options"][0]["evidence"].update(grade="B")))
    assert any("source must be 'inferred'" in m
               for m in mutate(lambda d: nodes(d)[0]["options"][0]["evidence"].update(source="consensus")))
    assert any("contains no Chinese" in m
               for m in mutate(lambda d: nodes(d)[0]["options"][1].update(feedback={"en": "x", "zh": "x"})))
    assert any("3-5 key points" in m for m in mutate(lambda d: nodes(d)[2]["debrief"]["key_points"].pop()))
    assert any("failed: TDMError" in m for m in mutate(
        lambda d: nodes(d)[1]["task"]["compute"]["args"].update(measured_ng_ml=0)))
    assert any("points back at its own node" in m
               for m in mutate(lambda d: nodes(d)[0]["options"][1].update(next="a")))


def test_endless_loop_is_caught():
    def loop(d):
        d["nodes"][0]["options"][1]["next"] = "loop"
        d["nodes"].append({"id": "loop", "title": T, "text": T, "question": T,
                           "options": [opt("back", "best", "a")]})
        d["nodes"][0]["options"][2]["next"] = "loop"
        d["nodes"][0]["options"][0]["next"] = "loop"
    msgs = mutate(loop)
    assert any("no path from node 'loop' reaches a terminal" in m for m in msgs)
    assert any("cannot be reached" in m for m in msgs)  # dose, end_good, end_bad now orphans


def test_schema_refuses_a_node_that_is_both_decision_and_terminal():
    data = make_case()
    data["nodes"][2]["options"] = data["nodes"][0]["options"]
    assert schema_errors("case", data) == [
        (("nodes", 2),
         "must be exactly one of: Decision node.; Task node.; Terminal node. (it matches more than one)")]


def test_schema_knows_the_four_verdicts_and_no_other():
    assert schema_errors("case", _with_not_recommended()) == []
    data = make_case()
    data["nodes"][0]["options"][1]["verdict"] = "discouraged"
    (path, message), = schema_errors("case", data)
    assert path == ("nodes", 0, "options", 1, "verdict") and "not_recommended" in message


def test_verdict_wording_rule():
    def fb(verdict, en, zh="文本"):
        return lambda d: d["nodes"][0]["options"][1].update(verdict=verdict, feedback={"en": en, "zh": zh})
    said = "must not call the choice harmful"
    assert any(said in m for m in mutate(fb("not_recommended", "This is harmful here.")))
    assert any(said in m for m in mutate(fb("not_recommended", "Off trial.", "试验外使用有害。")))
    assert any("use verdict 'not_recommended'" in m
               for m in mutate(fb("harmful", "Not recommended: no data.")))
    assert any("zh feedback opens" in m for m in mutate(fb("harmful", "Risky.", "不推荐：没有数据。")))
    assert mutate(fb("not_recommended", "Not recommended outside a trial.", "不推荐在试验外使用。")) == []
    assert mutate(fb("harmful", "It harms; a short course is not recommended to be exceeded.")) == []


def test_schema_requires_feedback_in_both_languages():
    data = make_case()
    data["nodes"][0]["options"][0]["feedback"] = {"en": "only English"}
    assert any("'zh' is required" in m for _p, m in schema_errors("case", data))
