"""Every right answer can be typed: each stored or computed answer of a numeric quiz question and
each case dose task passes the typed-number check of its unit (never refused), as a number and as
the text a learner would type. A refused right answer would lock a learner out of the question."""

import math

import pytest

from mtorlib import cases, plausibility, quiz
from mtorlib.cases import tasks
from mtorlib.content.compute import run as run_compute

NUMERIC = [q for q in quiz.load_questions() if q.type == "numeric"]
TASKS = [(case_id, node_id, node["task"]) for case_id in cases.case_ids()
         for node_id, node in cases.load_case(case_id).nodes.items() if "task" in node]


def _assert_typeable(unit: str | None, value: float, where: str) -> bool:
    """Fail unless ``value`` is finite and not refused for ``unit``; True if limits applied."""
    assert math.isfinite(value), f"{where}: {value}"
    quantity = plausibility.quantity_for_unit(unit)
    if quantity is None:  # no limits for this unit: the widget only reads the number
        assert plausibility.parse(f"{value:g}") == pytest.approx(value, rel=1e-5), where
        return False
    for typed in (value, f"{value:g}"):
        verdict = plausibility.check(quantity, typed)
        assert verdict.status != "refused", f"{where}: {typed!r} {unit}: {verdict.text}"
    return True


def test_the_corpus_is_there():
    assert len(NUMERIC) >= 10 and len(TASKS) >= 10


@pytest.mark.parametrize("q", NUMERIC, ids=lambda q: q.id)
def test_quiz_answers_pass_the_check_of_their_unit(q):
    unit = q.unit["en"] if q.unit else None
    values = [q.answer] + ([run_compute(q.compute)] if q.compute else [])
    for value in values:
        _assert_typeable(unit, float(value), q.id)


@pytest.mark.parametrize(("case_id", "node_id", "task"), TASKS, ids=[f"{c}-{n}" for c, n, _ in TASKS])
def test_case_task_answers_pass_the_check_of_their_unit(case_id, node_id, task):
    value = tasks.expected_value(task["compute"])
    _assert_typeable(task["unit"], float(value), f"{case_id} {node_id}")


def test_most_answers_meet_sourced_limits():
    """The unit table covers the answers: at least every case task and most quiz answers."""
    quiz_checked = sum(_assert_typeable(q.unit["en"] if q.unit else None, float(q.answer), q.id)
                       for q in NUMERIC)
    task_checked = sum(_assert_typeable(t["unit"], float(tasks.expected_value(t["compute"])), c)
                       for c, _n, t in TASKS)
    assert task_checked == len(TASKS)
    assert quiz_checked >= 0.75 * len(NUMERIC)
