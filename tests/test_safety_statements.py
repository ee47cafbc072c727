"""The safety statements (warnings, infection prevention, cytopenia confounder) in en and zh."""

import html
import re

import pytest

import mtorlib
from mtorlib import evidence, safety
from mtorlib.widgets import safety_statements
from mtorlib.widgets.safety_view import SECTIONS, statements_html

MARK = {"en": "(not stated by the sources)", "zh": "（来源未说明）"}


def _paragraphs(rendered: str) -> list[str]:
    return re.findall(r"<p class='mtor-statement'>(.*?)</p>", rendered)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_each_item_in_its_language_with_its_citations(section, lang):
    frame = SECTIONS[section](lang)
    paragraphs = _paragraphs(statements_html(frame, lang))
    assert len(paragraphs) == len(frame) > 0
    for item, shown in zip(frame.itertuples(), paragraphs, strict=True):
        assert html.escape(item.title) in shown and html.escape(item.text, quote=False) in shown
        for ref in item.refs:
            assert html.escape(evidence.short_citation(ref, lang), quote=False) in shown, (item.id, ref)
        assert re.search(r"\[[a-z][a-z0-9_]*\]", shown) is None  # no raw source key
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]\n[\u4e00-\u9fff]", shown) is None
            assert re.search(r"[\u4e00-\u9fff][,:;]", shown) is None  # full-width after CJK


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_not_stated_items_say_so_and_stated_items_do_not(lang):
    for section in SECTIONS:
        frame = SECTIONS[section](lang)
        for item, shown in zip(frame.itertuples(), _paragraphs(statements_html(frame, lang)), strict=True):
            assert (MARK[lang] in shown) is (not item.stated), (section, item.id)
    confounder = safety.confounder_frame(lang)
    assert (~confounder["stated"]).sum() >= 1 and (~safety.infection_frame(lang)["stated"]).sum() >= 1


@pytest.fixture  # per test: the autouse isolation closes every widget after each test
def view():
    mtorlib.set_language("en")
    return safety_statements("infection")


def test_view_redraws_on_language_switch(view):
    assert view.section == "infection" and "Live vaccines: avoid" in view.body.value
    mtorlib.set_language("zh")
    try:
        assert "避免接种活疫苗" in view.body.value and "Live vaccines" not in view.body.value
        assert view.last.equals(safety.infection_frame("zh")) and MARK["zh"] in view.body.value
    finally:
        mtorlib.set_language("en")
    assert view.body.value == statements_html(safety.infection_frame("en"), "en")


def test_unknown_section_is_refused():
    with pytest.raises(safety.SafetyError, match="section must be one of warnings, infection"):
        safety_statements("vaccines")

