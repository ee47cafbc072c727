"""Class report CSV: numeric answers in full and not guarded as formulas; text still guarded;
one size limit for a learner's file and the class report; the exit status in ``--help``."""

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


def test_the_class_report_accepts_any_file_a_learner_can_save():
    assert class_report.MAX_BYTES == progress.MAX_BYTES


def test_help_gives_the_exit_status_and_the_size_limit(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["class-report", "--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert "exit status:" in out and "2  bad usage" in out and "could not be written" in out
    assert f"({progress.MAX_BYTES} bytes)" in out
