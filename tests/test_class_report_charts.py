"""Class report with pictures: item analysis frames on handmade progress files, the revisit list,
and the HTML page with its charts as inline SVG drawn offline."""

import json
import re
from collections import Counter

import pandas as pd
import pytest

from mtorlib import cases, i18n, progress
from mtorlib.__main__ import main
from mtorlib.charts import class_report as charts
from mtorlib.quiz import class_report as report
from mtorlib.quiz import item_analysis

CASE = "itp_newly_diagnosed"
# (learner, question, answer, correct, minute): L5 first wrong, then right (the latest counts)
ANSWERS = [
    ("L1", "itp_iwg_response", "a", False, 1), ("L2", "itp_iwg_response", "a", False, 1),
    ("L3", "itp_iwg_response", "c", False, 1), ("L4", "itp_iwg_response", "b", True, 1),
    ("L5", "itp_iwg_response", "a", False, 1), ("L5", "itp_iwg_response", "b", True, 2),
    ("L1", "pk_food", "b", True, 3), ("L2", "pk_food", "a", False, 3), ("L3", "pk_food", "b", True, 3),
    ("L1", "itp_iwg_not_doubled", "a", False, 4), ("L2", "itp_iwg_not_doubled", "a", False, 4),
    ("L1", "tdm_loading_dose", 5, False, 5), ("L2", "tdm_loading_dose", 5, False, 5),
    ("L3", "tdm_loading_dose", 6.0, True, 5), ("L4", "tdm_loading_dose", 7, False, 5),
    ("L1", "retired_question", "a", False, 6), ("L2", "retired_question", "<b>x</b>", False, 6),
    ("L3", "retired_question", "a", False, 6),
]
# (learner, minute, moves): L1's older attempt is not counted; a task's number and an unknown
# case are left out
CASES = [
    ("L1", 10, ["first_line:observe", "bleed:treat"]), ("L1", 11, ["first_line:dxm_ivig"]),
    ("L2", 10, ["first_line:prednisone", "trial_question:trial_only"]),
    ("L3", 10, ["first_line:dxm_ivig", "trial_question:trial_only", "day30:4.5"]),
]
REVISIT = ["retired_question", "tdm_loading_dose", "itp_iwg_response"]  # p < 0.5 with n >= 3


def _time(minute: int) -> str:
    return f"2026-11-30T09:{minute:02d}:00.000+00:00"


def write_class(folder):
    folder.mkdir()
    for learner in sorted({a[0] for a in ANSWERS}):
        data = {**progress.fresh(), "learner": learner}
        data["answers"] = [{"question_id": q, "answer": ans, "correct": ok, "mode": "exam",
                            "time": _time(m)} for who, q, ans, ok, m in ANSWERS if who == learner]
        data["cases"] = [{"case_id": CASE, "choices": moves, "score": {"best": 1}, "completed": False,
                          "time": _time(m)} for who, m, moves in CASES if who == learner]
        data["cases"] += [{"case_id": "no_such_case", "choices": ["x:y"], "score": {}, "completed": False,
                           "time": _time(12)}] if learner == "L4" else []
        (folder / f"{learner}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def latest_by_hand():
    latest = {}
    for who, q, ans, ok, _minute in sorted(ANSWERS, key=lambda a: a[4]):
        latest[(who, q)] = (ans, ok)
    return latest


@pytest.fixture(scope="module")
def rep(tmp_path_factory):
    return report.class_report([write_class(tmp_path_factory.mktemp("c") / "class")], lang="en")


def test_item_difficulty_counts(rep):
    latest = latest_by_hand()
    n = Counter(q for _, q in latest)
    right = Counter(q for (_, q), (_, ok) in latest.items() if ok)
    got = rep.tables.difficulty.set_index("question_id")
    assert dict(got["n"]) == dict(n)
    assert dict(got["n_correct"]) == {q: right[q] for q in n}
    assert dict(got["p_correct"]) == {q: round(right[q] / n[q], 3) for q in n}
    assert got.loc["itp_iwg_response", "title"].startswith("An adult with ITP had a platelet count")
    assert got.loc["retired_question", "title"] == "retired_question"  # no longer in the banks


def test_most_common_wrong_answers(rep):
    wrong = Counter((q, str(ans)) for (_, q), (ans, ok) in latest_by_hand().items() if not ok)
    got = rep.tables.wrong_answers
    first = got[got["rank"] == 1].set_index("question_id")
    assert first.loc["itp_iwg_response", "n"] == wrong[("itp_iwg_response", "a")] == 2
    assert first.loc["itp_iwg_response", "answer"] == "a) Complete response (CR)"
    assert first.loc["tdm_loading_dose", "n"] == wrong[("tdm_loading_dose", "5")] == 2
    assert first.loc["tdm_loading_dose", "answer"] == "5 mg"
    assert first.loc["pk_food", "n"] == 1 and first.loc["pk_food", "answer"].startswith("a) ")
    assert len(got) == len(wrong)  # no question here has more than 2 different wrong answers
    assert set(got.groupby("question_id")["n"].sum().items()) == {
        (q, sum(c for (qq, _), c in wrong.items() if qq == q)) for q, _ in wrong}


def test_revisit_list_is_exactly_the_rule(rep):
    assert list(rep.tables.revisit["question_id"]) == REVISIT
    assert item_analysis.REVISIT_BELOW == 0.5 and item_analysis.REVISIT_MIN_N == 3
    items = re.findall(r"<li class='mtor-revisit'>(.*?)</li>", rep.html)
    assert len(items) == 3
    assert items[0].startswith("retired_question — 0 % correct (n = 3).")
    assert "An adult with ITP" in items[2] and "40 % correct (n = 5)" in items[2]
    assert "Most common wrong answer: a) Complete response (CR)." in items[2]


def test_case_choices_latest_attempt_best_marked(rep):
    got = rep.tables.case_choices
    counts = {(r.node_id, r.option_id): r.n for r in got.itertuples()}
    assert counts == {("first_line", "dxm_ivig"): 2, ("first_line", "prednisone"): 1,
                      ("trial_question", "trial_only"): 2}
    best = dict(zip(got["option_id"], got["best"], strict=True))
    assert best == {"dxm_ivig": True, "prednisone": False, "trial_only": True}
    assert list(got["step"]) == [1, 1, 3]  # the nodes' places in the case
    assert set(got["case_title"]) == {"Newly diagnosed ITP: where does sirolimus belong?"}


def test_page_without_renderer_has_no_chart(rep):
    assert rep.n_figures == 0 and "<svg" not in rep.html and "<b>x</b>" not in rep.html
    assert "<td>pk_food</td>" not in rep.html  # questions named by their stems
    assert "How should sirolimus be taken with respect to food?" in rep.html


@pytest.mark.slow
def test_chart_specs_from_the_frames(rep):
    built = charts.charts(rep.tables, "en")
    assert [h for h, _ in built] == [i18n.tr("report.chart_difficulty", "en"),
                                     i18n.tr("report.chart_wrong", "en"),
                                     i18n.tr("report.chart_cases", "en")]
    spec = built[0][1].to_dict()
    labels = {row["label"] for row in spec["datasets"][spec["layer"][0]["data"]["name"]]}
    assert any(re.fullmatch(r"\d+\. retired_question \(n=3\)", label) for label in labels)
    choices = built[2][1].to_dict()
    rows = choices["datasets"][choices["data"]["name"]]
    assert any(row["label"].startswith("✔ 1. Platelets 6: Dexamethasone") for row in rows)


def _rows(chart):
    spec = chart.to_dict()
    data = spec["layer"][0]["data"] if "layer" in spec else spec["data"]
    return spec["datasets"][data["name"]]


def test_two_titles_cut_alike_stay_two_bars():
    stem = "Cold agglutinin disease with haemolysis and acrocyanosis in winter: which statement "
    titles = [stem + "about rituximab holds?", stem + "about sirolimus holds?"]
    assert item_analysis.short(titles[0], "en", limit=charts.LABEL_CHARS["en"]) == \
        item_analysis.short(titles[1], "en", limit=charts.LABEL_CHARS["en"])
    difficulty = pd.DataFrame({"question_id": ["aiha_a", "aiha_b"], "title": titles, "n": [4, 4],
                               "n_correct": [1, 1], "p_correct": [0.25, 0.25]})
    labels = [row["label"] for row in _rows(charts.difficulty_chart(difficulty, "en"))]
    assert len(set(labels)) == 2 and not any("aiha_" in label for label in labels)
    wrong = pd.DataFrame({"question_id": ["aiha_a", "aiha_b"], "title": titles, "answer": ["a", "a"],
                          "n": [2, 2], "rank": [1, 1]})
    labels = [row["label"] for row in _rows(charts.wrong_answers_chart(wrong, "en"))]
    assert len(set(labels)) == 2 and not any("aiha_" in label for label in labels)


def test_empty_class_has_no_charts():
    empty = report.class_report([])
    assert charts.charts(empty.tables) == []
    assert "No question meets this rule." in empty.html


@pytest.mark.slow  # vl-convert renders three charts (seconds on a loaded machine)
def test_html_with_inline_svg_charts_offline(tmp_path):
    out = tmp_path / "report.html"
    assert main(["class-report", str(write_class(tmp_path / "class")), "--html", str(out),
                 "--lang", "zh"]) == 0
    page = out.read_text("utf-8")
    assert page.count("<svg") == 3 == page.count("<figure") == len(re.findall(r"<svg role=\"img\"", page))
    assert not re.search(r"https?:|//[\w.-]+\.\w|\burl\(", page)  # no remote resource at all
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "各题正确率" in page and 'aria-label="各题正确率"' in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page  # a learner's answer, escaped


def test_case_choices_carry_each_verdict_with_its_sign_and_word():
    steps = pd.DataFrame({"learner": ["L1", "L1", "L2"], "case_id": [CASE] * 3,
                          "attempt": ["t1", "t1", "t1"],
                          "node_id": ["first_line", "trial_question", "first_line"],
                          "choice": ["dxm_ivig", "add_now", "observe"]})
    got = item_analysis.case_choices(steps, {CASE: cases.load_case(CASE)}, "en")
    assert dict(zip(got["option_id"], got["verdict"], strict=True)) == {
        "dxm_ivig": "best", "observe": "harmful", "add_now": "not_recommended"}
    for lang, word in (("en", "Not recommended"), ("zh", "不推荐")):
        spec = charts.case_choices_chart(got, lang).to_dict()
        rows = spec["datasets"][spec["data"]["name"]]
        (off_trial,) = [r for r in rows if r["option_id"] == "add_now"]
        assert off_trial["label"].startswith("⊘ 3. ") and off_trial["kind"] == word
        scale = spec["spec"]["encoding"]["color"]["scale"]
        assert scale["domain"][2] == word and scale["range"][2] == cases.VERDICT_COLOURS["not_recommended"]
        assert scale["range"] == [cases.VERDICT_COLOURS[v] for v in cases.VERDICTS]  # the one set
