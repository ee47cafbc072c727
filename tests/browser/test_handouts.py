"""Printable handouts in a real browser: every lab chart draws as SVG, nothing is fetched, and
the Chinese copy uses a CJK system font.

The page is loaded with ``set_content`` into an offline page (a request off localhost fails
and is recorded), in print media, as a learner's copy (English) and a lecturer's copy (Chinese).
"""

from __future__ import annotations

import pytest

from mtorlib import handouts

pytestmark = pytest.mark.browser
CASE = "itp_rr_adult_rescue"

CHARTS = """() => Array.from(document.querySelectorAll('figure > svg')).map((svg) => {
  const box = svg.getBoundingClientRect();
  return {width: box.width, height: box.height, marks: svg.querySelectorAll('path, text').length,
          fitsPage: box.right <= document.documentElement.clientWidth + 1};
})"""


@pytest.mark.parametrize(("lang", "answers"), [("en", False), ("zh", True)])
def test_every_chart_renders_offline(new_page, lang, answers):
    made = handouts.case_handout(CASE, lang=lang, answers=answers)
    page, log = new_page(f"handout-{lang}")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 px per inch
    page.emulate_media(media="print")
    page.set_content(made.html, wait_until="load")
    charts = page.evaluate(CHARTS)
    assert len(charts) == made.charts >= 2
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 150 and chart["marks"] > 20
        assert chart["fitsPage"]
    assert log.blocked == [] and log.console_errors == []
    if lang == "zh":
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Noto Sans CJK SC"')
        assert page.locator("h2", has_text="第1步").count() == 1
