"""Validator rules from the second ITP/AIHA clinical review: an Oxford 2009 "minus" level supports
only grade D, and every reference the English cites inline is cited in the Chinese too."""

import copy

import pytest
import yaml

from mtorlib.cases.rules import check_inline_refs, check_minus_grade
from mtorlib.content import check_paths
from mtorlib.content.paths import content_dir
from mtorlib.content.problems import format_path
from mtorlib.content.yamlread import read_yaml as _read_yaml

CHILD = content_dir() / "itp" / "itp_child_sirolimus_vs_csa.yaml"
QUIZ = content_dir() / "quiz" / "itp.yaml"


def read_yaml(path):
    """The data of one content file (without its line map)."""
    return _read_yaml(path)[0]


def _problems(tmp_path, source, mutate):
    """Write ``source`` with ``mutate`` applied under its own stem in ``tmp_path``; its problems."""
    data = copy.deepcopy(read_yaml(source))
    mutate(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {(format_path(p.path), p.message) for p in check_paths([path])}


def _option(data, node_id, option_id):
    node = next(n for n in data["nodes"] if n["id"] == node_id)
    i = next(j for j, o in enumerate(node["options"]) if o["id"] == option_id)
    return data["nodes"].index(node), i, node["options"][i]


def test_unchanged_copies_are_valid(tmp_path):
    assert _problems(tmp_path, CHILD, lambda d: None) == set()
    assert _problems(tmp_path, QUIZ, lambda d: None) == set()


def test_minus_level_with_a_grade_other_than_d_names_the_grade_field(tmp_path):
    def to_b(data):
        _option(data, "choose_agent", "sirolimus")[2]["evidence"]["grade"] = "B"

    found = _problems(tmp_path, CHILD, to_b)
    i, j, _ = _option(read_yaml(CHILD), "choose_agent", "sirolimus")
    path = f"nodes[{i}].options[{j}].evidence.grade"
    assert [m for p, m in found if p == path] == [
        "level 1b− is an Oxford 2009 'minus' level (inconclusive), so grade B is not allowed; "
        "allowed: grade D, or drop the minus and explain why in 'note'"]


def test_note_naming_a_minus_level_needs_the_minus_flag(tmp_path):
    def drop_flag(data):
        ev = _option(data, "choose_agent", "sirolimus")[2]["evidence"]
        del ev["minus"]
        ev.update(level="2b", grade="B")

    found = _problems(tmp_path, CHILD, drop_flag)
    i, j, _ = _option(read_yaml(CHILD), "choose_agent", "sirolimus")
    msgs = [m for p, m in found if p == f"nodes[{i}].options[{j}].evidence.minus"]
    assert len(msgs) == 1 and "names level 1b-" in msgs[0] and "grade D" in msgs[0]


@pytest.mark.parametrize("level", ["1b-", "2b\u2212"])
def test_level_string_ending_in_minus_allows_only_grade_d(level):
    ev = {"level": level, "grade": "C", "source": "inferred"}
    assert [p for p, _m in check_minus_grade(ev, ("evidence",))] == [("evidence", "grade")]
    assert list(check_minus_grade({**ev, "grade": "D"}, ("evidence",))) == []


def test_quiz_minus_level_is_checked_inside_check_bank(tmp_path):
    def to_c(data):
        q = next(q for q in data["questions"] if q["id"] == "itp_oxford_minus_grade")
        q["evidence"]["grade"] = "C"

    k = next(i for i, q in enumerate(read_yaml(QUIZ)["questions"]) if q["id"] == "itp_oxford_minus_grade")
    found = _problems(tmp_path, QUIZ, to_c)
    assert any(p == f"questions[{k}].evidence.grade" and "allowed: grade D" in m for p, m in found)


def test_zh_feedback_that_drops_an_inline_reference_is_reported(tmp_path):
    def drop_26(data):
        fb = _option(data, "choose_agent", "sirolimus")[2]["feedback"]
        fb["zh"] = fb["zh"].replace("[26]", "")

    found = _problems(tmp_path, CHILD, drop_26)
    i, j, _ = _option(read_yaml(CHILD), "choose_agent", "sirolimus")
    assert (f"nodes[{i}].options[{j}].feedback.zh",
            "the English text cites [26] inline but the Chinese text does not; "
            "cite the same references in both languages") in found


@pytest.mark.slow
def test_quiz_explanation_that_drops_an_inline_reference_is_reported(tmp_path):
    def drop_ref(data):
        q = next(q for q in data["questions"] if q["id"] == "itp_tpo_ra_switch")
        q["explanation"]["zh"] = q["explanation"]["zh"].replace("[bussel_fit_2018]", "")

    k = next(i for i, q in enumerate(read_yaml(QUIZ)["questions"]) if q["id"] == "itp_tpo_ra_switch")
    found = _problems(tmp_path, QUIZ, drop_ref)
    assert any(p == f"questions[{k}].explanation.zh" and "[bussel_fit_2018]" in m for p, m in found)


def test_inline_refs_rule_compares_sets_not_order_and_ignores_extra_zh_refs():
    same = {"en": "A [24][7] and [9].", "zh": "甲[9]，乙[7][24]，另见[26]。"}
    assert list(check_inline_refs({"t": same}, ())) == []
    missing = {"en": "A [24] and [rapamune_uspi_s2].", "zh": "甲[24]。"}
    assert list(check_inline_refs({"t": missing}, ("x",))) == [
        (("x", "t", "zh"), "the English text cites [rapamune_uspi_s2] inline but the Chinese text "
                           "does not; cite the same references in both languages")]
