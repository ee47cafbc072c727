"""Class report: many learners' progress files read as untrusted input."""

import json

import pytest

from mtorlib import progress
from mtorlib.__main__ import main
from mtorlib.quiz.class_report import COLUMNS, class_report


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "class"
    d.mkdir()
    alice, bob = d / "alice.json", d / "bob.json"
    progress.record_answer("pk_food", answer="a", correct=False, mode="practice", path=alice)
    progress.record_answer("pk_food", answer="b", correct=True, mode="practice", path=alice)
    progress.record_answer("tdm_loading_dose", answer=6.0, correct=True, mode="exam", path=alice)
    progress.record_case("itp_rr_adult_rescue", choices=["a", "b"],
                         score={"best": 2, "acceptable": 0, "harmful": 0}, completed=True,
                         path=alice)
    progress.record_answer("pk_food", answer="c", correct=False, mode="exam", path=bob)
    progress.record_case("itp_rr_adult_rescue", choices=["c"], score={"harmful": 1},
                         completed=False, path=bob)
    return d


def test_tidy_frame_and_summaries(folder):
    rep = class_report([folder])
    assert list(rep.frame.columns) == COLUMNS
    assert len(rep.frame) == 6 and rep.rejected == ()
    assert rep.frame.groupby("learner").size().to_dict() == {"alice": 4, "bob": 2}
    per = rep.per_learner.set_index("learner")
    assert per.loc["alice", "answers"] == 3 and per.loc["bob", "answers"] == 1
    assert per.loc["alice", "pct_correct"] == 100.0  # latest answer per question counts
    assert per.loc["bob", "pct_correct"] == 0.0
    assert per.loc["alice", "cases_completed"] == 1 and per.loc["bob", "cases_completed"] == 0
    q = rep.per_question.set_index("question_id")
    assert q.loc["pk_food", "learners"] == 2 and q.loc["pk_food", "pct_correct"] == 50.0
    assert "Class report" in rep.html and "alice" in rep.html


def test_untrusted_files_are_rejected_or_escaped(folder):
    (folder / "notjson.json").write_text("{oops")
    (folder / "deep.json").write_text("[" * 1200 + "]" * 1200)  # parser recursion
    (folder / "big.json").write_text(json.dumps(progress.fresh()) + " " * 3000)
    evil = progress.fresh()
    evil["answers"].append({"question_id": "<script>alert(1)</script>", "answer": "a",
                            "correct": True, "mode": "exam", "time": "t"})
    (folder / "evil.json").write_text(json.dumps(evil))
    extra = {**progress.fresh(), "password": "x"}
    (folder / "extra.json").write_text(json.dumps(extra))
    named = folder / "<img src=x onerror=alert(1)>.json"
    progress.record_answer("pk_food", answer="b", correct=True, mode="exam", path=named)
    rep = class_report([folder], max_bytes=2500)
    rejected = dict(rep.rejected)
    assert set(rejected) == {"notjson.json", "deep.json", "big.json", "evil.json", "extra.json"}
    assert "over the limit of 2500" in rejected["big.json"]
    assert "question_id" in rejected["evil.json"]
    assert "<img src=x onerror=alert(1)>" in set(rep.frame["learner"])
    assert "<script>" not in rep.html and "<img" not in rep.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in rep.html
    assert "&lt;script&gt;" in rep.html  # the rejection reason, escaped
    assert set(rep.frame["learner"]) == {"alice", "bob", "<img src=x onerror=alert(1)>"}


def test_limits_and_empty_input(tmp_path, folder):
    with pytest.raises(progress.ProgressError, match="at most 1 are read"):
        class_report([folder], max_files=1)
    empty = class_report([])
    assert empty.frame.empty and empty.per_learner.empty
    assert "0 progress file(s) read, 0 rejected" in empty.html


@pytest.mark.slow
def test_cli_class_report(folder, tmp_path, capsys):
    out_html, out_csv = tmp_path / "r.html", tmp_path / "r.csv"
    assert main(["class-report", str(folder), "--html", str(out_html), "--csv", str(out_csv),
                 "--lang", "zh", "--no-charts"]) == 0  # charts: test_class_report_charts.py
    assert "班级报告" in out_html.read_text("utf-8")
    assert out_csv.read_text().splitlines()[0] == ",".join(COLUMNS)
    assert "alice" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text("nope")
    assert main(["class-report", str(bad)]) == 1
    assert main(["class-report", str(tmp_path / "missing")]) == 1
    assert "Traceback" not in capsys.readouterr().err
