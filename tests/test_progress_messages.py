"""A rejected progress value is named with its field, the reason and what is allowed; the value
itself is shortened (a huge value never pushes the reason out of the message)."""

import pytest

from mtorlib import progress
from mtorlib.content.explain import shorten
from mtorlib.progress.read import validate


def _refusal(data) -> str:
    with pytest.raises(progress.ProgressError) as err:
        validate(data, source="invalid120k.json")
    return str(err.value)


def test_a_huge_list_of_invalid_answers_keeps_its_reason():
    said = _refusal({**progress.fresh(), "answers": [{}] * 120_000})
    assert said.startswith("invalid120k.json: answers: [{}, {}, … (120000 items)] is too long; "
                           "allowed: at most ")
    assert len(said) < 300


def test_a_number_of_400_digits_is_refused_with_what_is_allowed(tmp_path):
    with pytest.raises(progress.ProgressError) as err:
        progress.record_answer("pk_food", answer=10**400, correct=True, mode="exam",
                               path=tmp_path / "p.json")
    said = str(err.value)
    assert "answers/0/answer: a number of 401 digits is not valid" in said
    assert "allowed: a value of type 'string' or a number of at most 1000000000.0" in said
    assert "0000000000" not in said.replace("1000000000.0", "")


@pytest.mark.parametrize("value, reason", [("x" * 5000, "at most 100 characters"),
                                           (["a"] * 400, "at most 20 items")])
def test_long_answers_say_the_limit(tmp_path, value, reason):
    with pytest.raises(progress.ProgressError) as err:
        progress.record_answer("pk_food", answer=value, correct=True, mode="exam",
                               path=tmp_path / "p.json")
    assert reason in str(err.value) and len(str(err.value)) < 400


def test_an_unknown_field_lists_the_allowed_ones():
    said = _refusal({**progress.fresh(), "password": "x"})
    assert "'password' was unexpected" in said and "allowed: answers, cases, created" in said


def test_shorten_keeps_small_values_whole_and_cuts_big_ones():
    assert shorten("abc") == "'abc'" and shorten([1, 2]) == "[1, 2]"
    assert shorten({"a": 1, "b": 2, "c": 3, "d": 4}) == "{'a': 1, 'b': 2, … (4 keys)}"
    assert shorten(-(10**5000)) == "a number of over 4000 digits"
    assert len(shorten("y" * 1000)) == 60
