"""After a choice made by keyboard, focus moves to the feedback, and Tab then reaches Continue.

In Voila (a temporary copy of the notebooks, like every browser test):

* ``05_itp``'s first case player: an option button is focused and pressed with Enter; focus must
  land inside that player's ``.mtor-feedback``; Tab then walks through the feedback's own
  expandable references, and the first element outside the feedback it reaches is *Continue*;
* ``11_quiz``: the first single-choice question's first option is chosen with Space, *Submit* is
  pressed with Enter; focus must land inside the feedback; Tab then reaches *Next* the same way;
* every chart's accessible name is its description, not the title fallback (``aria-label`` of the
  drawn chart's ``role="graphics-document"`` element).
"""

from __future__ import annotations

import time

import pytest
from harness_notebooks import ROOT, describe
from harness_pages import check_rendered, voila_wait_rendered, wait_for

pytestmark = pytest.mark.browser
INSIDE = "(e) => !!(e && e.closest && e.closest('.mtor-feedback'))"
# The chart's description on the drawn chart (Vega puts it on the root SVG, with its role).
CHART_NAMES = """() => Array.from(document.querySelectorAll('.vega-embed')).map(e => {
  const n = e.matches('[role=graphics-document]') ? e : e.querySelector('[role=graphics-document]');
  return n ? [n.getAttribute('role'), n.getAttribute('aria-label')] : [null, null]; })"""


def _open(page, server, name: str):
    info = describe(ROOT / "notebooks" / name)
    label = f"{name} (Voila)"
    page.goto(f"{server.url}/voila/render/{name}", wait_until="commit", timeout=180_000)
    return info, label


def _active(page) -> str:
    return page.evaluate("() => (document.activeElement.outerHTML || '').slice(0, 160)")


def _focus_moves_to_feedback_then_tab(page, label: str, root, button_text: str) -> dict:
    """Focus lands in ``root``'s feedback; Tab leaves it onto the button named ``button_text``."""
    wait_for(page, label, "focus inside the feedback after the choice",
             f"() => ({INSIDE})(document.activeElement)", timeout_s=30)
    assert root.evaluate("(r, a) => r.contains(a)", page.evaluate_handle("document.activeElement")), \
        f"{label}: focus went to another view's feedback: {_active(page)}"
    inside = 0
    for _ in range(30):
        page.keyboard.press("Tab")
        if not page.evaluate(f"() => ({INSIDE})(document.activeElement)"):
            break
        inside += 1
    reached = page.evaluate("() => document.activeElement.tagName + ' ' + "
                            "document.activeElement.innerText.trim()")
    assert reached == f"BUTTON {button_text}", \
        f"{label}: Tab from the feedback reached {reached!r}, not {button_text}: {_active(page)}"
    return {"tabs_inside_feedback": inside, "then": reached}


def test_focus_moves_to_the_feedback_in_case_player_and_quiz(voila_server, new_page, record):
    page, log = new_page("05_itp.ipynb (Voila)")
    start = time.perf_counter()
    info, label = _open(page, voila_server, "05_itp.ipynb")
    voila_wait_rendered(page, label, info.first_lines, timeout_s=180)
    check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    names = page.evaluate(CHART_NAMES)
    assert names and all(role == "graphics-document" and name and not name.startswith("Chart:")
                         for role, name in names), f"{label}: a chart lacks its description: {names}"
    player = page.locator(".mtor-case-player").first
    player.locator(".mtor-option-row button").first.focus()
    page.keyboard.press("Enter")
    case = _focus_moves_to_feedback_then_tab(page, label, player, "Continue")
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)

    page, log = new_page("11_quiz.ipynb (Voila)")
    info, label = _open(page, voila_server, "11_quiz.ipynb")
    voila_wait_rendered(page, label, info.first_lines, timeout_s=180)
    check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    quiz = page.locator(".mtor-quiz").first
    for _ in range(12):  # to the first single-choice question of the practice set
        if quiz.locator("input[type=radio]").count():
            break
        before = quiz.inner_text()
        quiz.locator("button", has_text="Next").first.click()
        wait_for(page, label, "the next question", "([r, b]) => r.innerText !== b",
                 arg=[quiz.element_handle(), before], timeout_s=30)
    quiz.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    quiz.locator("button", has_text="Submit").first.focus()
    page.keyboard.press("Enter")
    asked = _focus_moves_to_feedback_then_tab(page, label, quiz, "Next")
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)
    record(view="voila", notebook="05_itp+11_quiz", case_focus=case, quiz_focus=asked,
           chart_names=[n for _r, n in names][:2], total_s=round(time.perf_counter() - start, 1))
