"""The GVHD content: cases picked up and walked, the published figures they quote, the azole
start/stop tasks computed by the library, the evidence table, the question bank and its sources."""

import pytest

from mtorlib import cases, quiz
from mtorlib.cases import tasks
from mtorlib.cases.summary import evidence_frame
from mtorlib.content import load_one
from mtorlib.content.rules import walk_refs

GVHD = cases.case_ids("gvhd")


def text_of(value, lang="en"):
    if isinstance(value, dict):
        if set(value) == {"en", "zh"}:
            return value[lang]
        return " ".join(text_of(v, lang) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(text_of(v, lang) for v in value)
    return ""


def test_the_gvhd_folder_is_picked_up_with_every_setting():
    assert set(GVHD) == {"gvhd_prophylaxis_azole", "gvhd_busulfan_vod", "gvhd_sr_acute",
                         "gvhd_chronic_sclerotic", "gvhd_tma_cni"}
    walked = sum(len(cases.paths(cases.load_case(c))) for c in GVHD)
    assert walked >= 5 * 3


@pytest.mark.parametrize(("case_id", "figures"), [
    ("gvhd_prophylaxis_azole", ["52 % to 26 %", "16 % to 4 %", "RR 0.75", "8.88-fold", "0/38 vs 9/37"]),
    ("gvhd_busulfan_vod", ["8.8", "67 % vs 62 %", "RR 2.24", "3.23"]),
    ("gvhd_sr_acute", ["62 % vs 39 %", "HR 0.46", "64.8 %", "were not retrieved [44][45]"]),
    ("gvhd_chronic_sclerotic", [">0.25 mg/kg/day", "38.4 vs 5.7 months", "+183 %", "+80 %", "2 of 7"]),
    ("gvhd_tma_cni", ["10.8 %", "4.2 %", "OR 2.79", "92 %", "p = 0.33"]),
])
def test_cases_quote_the_published_figures(case_id, figures):
    text = text_of(list(cases.load_case(case_id).nodes.values()))
    for fig in figures:
        assert fig in text, fig


def test_the_azole_start_and_stop_tasks_are_computed_by_the_library():
    case = cases.load_case("gvhd_prophylaxis_azole")
    start = case.node("predict")["task"]["compute"]
    assert start["function"] == "mtorlib.pk:trough_after_switch"
    predicted = tasks.expected_value(start)
    # worked on paper (one compartment, superposition): tests/test_cases_content.py BY_HAND
    assert predicted == pytest.approx(14.107, abs=5e-4)
    assert 12 < predicted < 8.0 * 8.88 / 2  # above the window, below the halved steady state
    stop = tasks.expected_value(case.node("low")["task"]["compute"])
    assert stop == pytest.approx(0.5 * 8 / 2.0)  # proportional rule: 0.5 mg × 8 / 2 ng/mL
    state = cases.walk(case, ["csa_mmf_sir", "cut", predicted, "recheck", stop])
    assert cases.finished(case, state) and cases.score(state).harmful == 0


def test_harmful_sirolimus_after_busulfan_leads_to_vod():
    case = cases.load_case("gvhd_busulfan_vod")
    for first in ("tac_sir", "tac_sir_mtx"):
        assert cases.walk(case, [first]).node_id == "vod"
    assert cases.walk(case, ["tac_mtx", "switch"]).node_id == "vod"


def test_every_grade_is_inferred_and_matches_its_level():
    grades = []
    for case_id in GVHD:
        for node in cases.load_case(case_id).nodes.values():
            grades += [o["evidence"] for o in node.get("options", []) if "evidence" in o]
    assert len(grades) >= 6 and {g["source"] for g in grades} == {"inferred"}
    assert {(g["level"], g["grade"]) for g in grades} <= {("1b", "A"), ("2b", "B"), ("4", "C")}


def test_evidence_table():
    en = evidence_frame("gvhd", "en")
    row = en[en["refs"] == "[38]"].iloc[0]
    assert "26 % vs 52 %" in row["outcome"] and row["level"] == "1b"
    assert en[en["refs"] == "[46]"].iloc[0]["level"] == "1b−"
    assert "not found" in en[en["refs"] == "[44] [45]"].iloc[0]["outcome"].lower()
    zh = evidence_frame("gvhd", "zh")
    assert "26% 对 52%" in zh[zh["refs"] == "[38]"].iloc[0]["outcome"]


def test_question_bank_size_and_computed_numerics():
    questions = quiz.load_questions(["gvhd"])
    numeric = [q for q in questions if q.type == "numeric"]
    assert len(questions) >= 15 and len(numeric) >= 5
    assert all(q.disease == "gvhd" for q in questions)
    computed = [q for q in load_one("quiz_bank", "gvhd").data["questions"] if "compute" in q]
    assert {q["compute"]["function"] for q in computed} == {"mtorlib.pk:trough_after_switch",
                                                            "mtorlib.tdm:proportional_dose"}


def test_every_new_source_is_cited_by_gvhd_content():
    cited = set()
    docs = [load_one("case", c) for c in GVHD]
    docs += [load_one("quiz_bank", "gvhd"), load_one("evidence_summary", "gvhd")]
    for doc in docs:
        cited |= {str(r) for _path, r in walk_refs(doc.data)}
    own = {s["id"] for s in load_one("sources", "gvhd").data["sources"]}
    assert own - cited == set()
