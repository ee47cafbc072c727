"""PRCA and ALPS content: case sets, the figures they quote, what they must not invent, the
evidence tables and the question banks. (Every path of every case is walked by
tests/test_cases_content.py, which loads all case folders.)"""

import re

import pytest

from mtorlib import cases, quiz
from mtorlib.cases.summary import evidence_frame


def all_text(case_id, lang="en"):
    out = []

    def walk(v):
        if isinstance(v, dict):
            if set(v) == {"en", "zh"}:
                out.append(v[lang])
            else:
                for x in v.values():
                    walk(x)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)
    walk(list(cases.load_case(case_id).nodes.values()))
    return " ".join(out)


def test_case_counts():
    assert len(cases.case_ids("prca")) >= 3 and len(cases.case_ids("alps")) >= 3


@pytest.mark.parametrize(("case_id", "figures"), [
    ("prca_after_csa", ["84.4 %", "median time to response was 4 months", "87 %", "68-100 %",
                        "14.8 % (8/54)", "thrombocytopenia", "4-15 ng/mL",
                        "Early withdrawal led to quick relapse"]),
    ("prca_renal", ["no dose adjustment is needed in renal impairment", "169.3 to 146.4", "74 %",
                    "results were not retrieved"]),
    ("prca_secondary_thymoma", ["83.3 %", "2.5 vs 3.5 months", "MDS", "parvovirus B19", "LGL"]),
    ("alps_child_sirolimus", ["12 children", "1-3 months", "≥1.5 %", "≥2.5 %", "2-10 ng/mL",
                              "1-2.8 mg/m²/day", "not CD4⁺ or CD8⁺", "11 of 11"]),
    ("alps_splenectomy_trap", ["post-splenectomy sepsis", "150 patients", "2-10 ng/mL", "lymphoma"]),
    ("alps_not_alps_lymphoma", ["≥1.5 %", "≥2.5 %", ">6 months", "boxed warning", "lymphoma"]),
])
def test_cases_quote_the_published_figures(case_id, figures):
    text = all_text(case_id)
    for fig in figures:
        assert fig in text, fig


def test_unretrieved_figures_are_never_given():
    """[19] has no retrieved results, [18] no retrieved dose, [35] no retrieved dose or target:
    every option citing them says so or quotes only what was retrieved."""
    text = " ".join(all_text(c) for c in cases.case_ids("prca") + cases.case_ids("alps"))
    assert "results were not retrieved" in text and "The dose used in [18] was not retrieved" in text
    assert "The dose of the prospective trial [35] was not retrieved" in text
    assert "2-2.5 mg/m²" not in text and "5-15 ng/mL" not in all_text("alps_child_sirolimus")
    assert re.search(r"%[^\[\]]{0,30}\[19\]", text) is None  # no rate is ever attributed to [19]


def test_real_alternatives_are_offered_with_reasons():
    first = cases.load_case("prca_after_csa").node("second_line")["options"]
    prca_first = {o["id"]: o["verdict"] for o in first}
    assert prca_first == {"sirolimus": "best", "cyclophosphamide": "acceptable", "rituximab": "acceptable",
                          "atg": "acceptable", "transfuse_only": "harmful"}
    treatment = cases.load_case("alps_child_sirolimus").node("treatment")["options"]
    alps_opts = {o["id"]: o["verdict"] for o in treatment}
    assert alps_opts == {"sirolimus": "best", "mmf": "acceptable", "rituximab": "acceptable",
                         "splenectomy": "harmful", "steroids": "acceptable"}


def test_graded_options_are_inferred_and_consistent():
    levels = []
    for case_id in cases.case_ids("prca") + cases.case_ids("alps"):
        for node in cases.load_case(case_id).nodes.values():
            for o in node.get("options", []):
                if "evidence" in o:
                    ev = o["evidence"]
                    levels.append(ev["level"])
                    assert ev["source"] == "inferred" and ev.get("note")
    assert len(levels) >= 15 and set(levels) == {"2b", "4", "5"}  # no "minus" level anywhere


def test_evidence_tables():
    p = evidence_frame("prca", "en").set_index("refs")
    assert "84.4 %" in p.loc["[18]", "outcome"] and p.loc["[18]", "level"] == "4"
    assert "not found" in p.loc["[19]", "outcome"] and p.loc["[19]", "level"] == "2b"
    assert "not found" in p.loc["[51]", "outcome"]
    assert {"[17]", "[18]", "[19]", "[20]", "[21]", "[22]", "[51]"} <= set(p.index)
    a = evidence_frame("alps", "zh").set_index("refs")
    assert "12/12" in a.loc["[35]", "outcome"] and "2～10 ng/mL" in a.loc["[34]", "regimen"]
    assert {"[31] [32]", "[33]", "[34]", "[35]", "[36]"} <= set(a.index)
    assert "未找到" in a.loc["[35]", "regimen"]


@pytest.mark.parametrize("bank", ["prca", "alps"])
def test_banks_size_numeric_and_computed(bank):
    qs = [q for q in quiz.load_questions() if q.bank == bank]
    numeric = [q for q in qs if q.type == "numeric"]
    assert len(qs) >= 12 and len(numeric) >= 4 and sum(q.compute is not None for q in numeric) >= 4
    assert all(q.disease == bank for q in qs)
