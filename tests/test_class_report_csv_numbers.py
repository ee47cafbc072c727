"""Class report CSV: numeric answers (ASCII digits) in full and not guarded as formulas; text still guarded;
one size limit for a learner's file and the class report; the exit status in ``--help``."""

import json

import pandas as pd
import pytest

from mtorlib import progress
from mtorlib.__main__ import main
from mtorlib.quiz import class_report
from mtorlib.quiz.class_report import answer_key, to_csv


@pytest.mark.parametrize("number", [0.1, 1 / 3, 1234567.25, -5, -2.5e-07, 6.0, 999999999])
def test_a_numeric_answer_is_written_in_full(number):
    text = answer_key(number)
    assert float(text) == number and text == repr(number)  # 1234567.25, not {:g}'s 1.23457e+06


def test_numbers_are_not_guarded_but_formulas_are():
    frame = pd.DataFrame({"answer": ["-5", "-2.5e-07", "+3", "-1+2", "=1+1", "@SUM(A1)", "-cmd", "a"]})
    cells = to_csv(frame).split("\r\n")[1:-1]
    assert cells == ["-5", "-2.5e-07", "+3", "'-1+2", "'=1+1", "'@SUM(A1)", "'-cmd", "a"]


def test_a_number_in_other_digits_is_guarded_as_text():
    frame = pd.DataFrame({"answer": ["-\uff15", "-\u0663", "+\uff11e\uff12", "-5"]})  # -５, -٣
    assert to_csv(frame).split("\r\n")[1:-1] == ["'-\uff15", "'-\u0663", "'+\uff11e\uff12", "-5"]


@pytest.mark.slow  # writes and parses two 5 MB files
def test_the_class_report_accepts_any_file_a_learner_can_save(tmp_path):
    answer = {"question_id": "pk_food", "answer": "b", "correct": True, "mode": "exam",
              "time": "2026-11-30T09:00:00+00:00"}
    body = json.dumps(progress.fresh() | {"learner": "Big", "answers": [answer]}).encode("utf-8")
    for name, size in (("full", progress.MAX_BYTES), ("over", progress.MAX_BYTES + 1)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "p.json").write_bytes(body + b" " * (size - len(body)))  # trailing JSON space
        assert (folder / "p.json").stat().st_size == size
        rep = class_report.class_report([folder])
        if size == progress.MAX_BYTES:
            assert not rep.rejected and rep.per_learner["learner"].tolist() == ["Big"]
        else:
            assert [n for n, _ in rep.rejected] == ["p.json"] and rep.per_learner.empty


def test_help_gives_the_exit_status_and_the_size_limit(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["class-report", "--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert "exit status:" in out and "2  bad usage" in out and "could not be written" in out
    assert f"({progress.MAX_BYTES} bytes)" in out
