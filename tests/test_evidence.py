"""References [1]..[57] and the Oxford CEBM 2009 table, from data."""

import re

import pytest

from mtorlib import evidence, set_language
from mtorlib.widgets import evidence_view


@pytest.mark.parametrize("n", range(1, 58))
def test_cite_every_consensus_reference(n):
    text = evidence.cite(n)
    assert text.startswith(f"[{n}] ")
    assert re.search(r"(19|20)\d\d", text)


@pytest.mark.parametrize("bad", [0, 58, -1, "7", 7.0, True, None])
def test_cite_outside_range_names_the_range(bad):
    with pytest.raises(LookupError, match="1-57"):
        evidence.cite(bad)


def test_published_details_are_transcribed():
    assert evidence.cite(24).startswith("[24] Feng YM, Xiao YS, Yan HJ, et al. Sirolimus as Rescue Therapy")
    assert "Front Med(Lausanne), 2020, 7: 110." in evidence.cite(24)
    assert evidence.cite(8).endswith("doi:10.1177/2058738420934936")
    assert "Erratum" not in evidence.cite(2) and "123(15): 2881-2892" in evidence.cite(2)


def test_citation_of_extra_source_and_unknown_id():
    assert evidence.citation("consensus_table1").startswith("[consensus_table1] ")
    assert evidence.citation(7) == evidence.cite(7)
    with pytest.raises(LookupError, match="unknown reference id"):
        evidence.citation("no_such_source")


def test_evidence_table_matches_oxford_2009():
    table = evidence.evidence_table("en")
    assert list(table.columns) == ["grade", "level", "description"]
    assert table.groupby("grade")["level"].apply(list).to_dict() == {
        "A": ["1a", "1b", "1c"], "B": ["2a", "2b", "2c", "3a", "3b"], "C": ["4"], "D": ["5"]}
    zh = evidence.evidence_table("zh")
    assert zh.loc[zh.level == "1b", "description"].item() == "单个随机对照试验（可信区间窄）"


@pytest.mark.parametrize(("level", "grade"), [("1a", "A"), ("2b", "B"), ("3b", "B"), ("4", "C"), ("5", "D")])
def test_grade_of_level(level, grade):
    assert evidence.grade_of(level) == grade


def test_grade_of_unknown_level():
    with pytest.raises(ValueError, match="level must be one of"):
        evidence.grade_of("6")


def test_evidence_view_follows_language():
    view = evidence_view()
    assert "Grade" in view.widget.value
    set_language("zh")
    assert "推荐强度" in view.widget.value and "同质随机对照试验的系统评价" in view.widget.value


def test_readable_joins_a_citation_to_the_bracket_before_it():
    zh = evidence.readable("TMA达20.7%（RR 16.1）[fortin2004_ajt]。风险（见上）[7][rapamune_uspi_s5]", "zh")
    assert zh == "TMA达20.7%（RR 16.1；Am J Transplant 2004）。风险（见上；[7]；Rapamune US PI §5）"
    assert evidence.readable("rate (RR 16.1)[fortin2004_ajt]", "en") == "rate (RR 16.1; Am J Transplant 2004)"
    assert evidence.readable("（见上）[7]", "zh") == "（见上）[7]"  # consensus numbers only: unchanged
