"""Verdict marks shared by the case player: every verdict has its own sign, word (en and zh) and a
colour readable on white, so colour is never the only cue."""

import pytest

from mtorlib import cases, i18n
from mtorlib.handouts.page import page
from mtorlib.widgets.classroom import VERDICT, mark


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``#rrggbb`` against white."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_each_case_verdict_has_a_distinct_sign_word_and_readable_colour():
    assert set(cases.VERDICTS) <= set(VERDICT) and set(cases.VERDICTS) == set(cases.POINTS)
    shown = [VERDICT[v] for v in cases.VERDICTS]
    for part in range(3):  # colour, sign, word key
        assert len({s[part] for s in shown}) == len(cases.VERDICTS)
    assert all(contrast_on_white(colour) >= 4.5 for colour, _sign, _key in shown)


def test_the_player_and_the_handouts_use_the_one_verdict_colour_set():
    assert {v: VERDICT[v][0] for v in cases.VERDICTS} == cases.VERDICT_COLOURS
    css = page("t", "", "en")
    for verdict, colour in cases.VERDICT_COLOURS.items():
        assert f".verdict-{verdict} {{ color: {colour}; }}" in css
    assert cases.VERDICT_COLOURS["not_recommended"] == "#6A3D9A"  # 7.6:1 on white, not #CC79A7


@pytest.mark.parametrize(("lang", "word", "colon"), [("en", "Not recommended", ": "), ("zh", "不推荐", "：")])
def test_the_not_recommended_mark_in_each_language(lang, word, colon):
    html = mark("not_recommended", lang)
    mine = i18n.tr("common.your_choice", lang)
    assert f"style='color:#6A3D9A'>⊘ {mine}{colon}{word}</b>" in html  # Chinese: a full-width colon
    assert i18n.tr("cases.verdict.not_recommended", lang) in html
    assert i18n.tr("cases.verdict.harmful", lang) not in html
