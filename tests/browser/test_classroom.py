"""Lecturer mode in Voila without code, on a projector-sized screen, by keyboard, in Chinese.

One Voila page of ``05_itp`` opened as ``?lecturer=1`` (the URL reaches the kernel as
``QUERY_STRING``), for its first case player:

* at 1920x1080 and 1366x768, after a choice: the question, every option and *Reveal* lie inside
  the viewport at once (the player's top scrolled to the top of the window, no further scrolling);
* text >= 20 px and visible buttons >= 44 px tall (computed styles);
* keyboard only: Tab to an option button, Enter; Tab to *Reveal*, Space; Tab to *Continue*, Enter;
* every chart has a text description (its accessible name, from the chart's description);
* the chosen option stays marked with a word ("Your choice"), then with its verdict;
* "abc" and "-5" typed into the case's dose task each give a visible message;
* axe-core: no critical/serious violation of the suite's elements in lecturer mode;
* the header's 中文 switch leaves no English UI word on the widgets' buttons and labels;
* screenshots ``voila_lecturer_<size>_<lang>.png`` in ``artifacts/screenshots/``.

``11_quiz``: "abc" and "-5" in its first (numeric) practice question each give a message.
"""

from __future__ import annotations

import re
import time

import pytest
from harness_axe import audit, blocking, counts
from harness_notebooks import ROOT, describe
from harness_pages import check_rendered, voila_wait_rendered, wait_for

from mtorlib import cases, i18n

pytestmark = pytest.mark.browser
SIZES = [(1920, 1080), (1366, 768)]
CASE = "itp_rr_adult_rescue"  # the first case player of 05_itp
PLAYER = ".mtor-case-player"
# English UI words that must not remain on buttons/labels once the language is 中文.
ENGLISH_UI = ("Reveal", "Continue", "Restart", "Submit", "Answer", "Lecturer", "Language",
              "Your choice", "Next", "Previous", "Finish", "Retry", "Show score", "Score",
              "Counters", "Trough", "best", "acceptable", "harmful", "correct", "incorrect")
LABELS = """(root) => Array.from(root.querySelectorAll(
    'button, .widget-label, label, .mtor-chosen, .mtor-counters, .mtor-score'))
  .filter(e => e.offsetParent !== null).map(e => e.innerText.trim()).filter(Boolean)"""
BOX = """(e) => { const r = e.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"""


def _open(page, server, name: str, query: str = ""):
    info = describe(ROOT / "notebooks" / name)
    label = f"{name}{query} (Voila)"
    page.goto(f"{server.url}/voila/render/{name}{query}", wait_until="commit", timeout=180_000)
    return info, label


def _focus_by_tab(page, label: str, what: str, predicate: str, limit: int = 40) -> None:
    """Press Tab until the focused element satisfies ``predicate`` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"{label}: {what} not reached with {limit} presses of Tab; focus on "
                         + page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)"))


def _fits(page, player, question: str, label: str, size, shot) -> dict:
    """Scroll the case's vignette to the top of the window; then the question, every option and
    Reveal must be inside it (no further scrolling). Returns the span and whether the vignette's
    top is on screen too."""
    width, height = size
    parts = {"question": player.get_by_text(question, exact=False).first,
             "reveal": player.locator("button", has_text="Reveal").first}
    for i, row in enumerate(player.locator(".mtor-option-row").all()):
        parts[f"option {i + 1}"] = row
    vignette = parts["question"].evaluate("e => e.closest('.widget-html').getBoundingClientRect().top"
                                          " - e.getBoundingClientRect().top")
    # the vignette's top at the window's top; if question..Reveal then overflow, the question
    parts["question"].evaluate("e => e.closest('.widget-html').scrollIntoView({block: 'start'})")
    boxes = {name: loc.evaluate(BOX) for name, loc in parts.items()}
    whole = boxes["reveal"]["bottom"] <= height
    if not whole:  # the vignette is long: the question at the top instead
        parts["question"].evaluate("e => e.scrollIntoView({block: 'start'})")
        boxes = {name: loc.evaluate(BOX) for name, loc in parts.items()}
    page.screenshot(path=shot)
    outside = {n: {k: round(v) for k, v in b.items()} for n, b in boxes.items()
               if b["top"] < -1 or b["bottom"] > height + 1 or b["left"] < -1
               or b["right"] > width + 1}  # 1 px: sub-pixel rounding
    assert not outside, (f"{label} at {width}x{height}: not inside the window without scrolling: "
                         f"{outside}")
    return {"question_to_reveal_px": round(boxes["reveal"]["bottom"] - boxes["question"]["top"]),
            "vignette_px_above_question": round(-vignette), "vignette_fits_too": whole}


def _sizes(player, label: str) -> None:
    """Lecturer mode: visible text >= 20 px, visible buttons >= 44 px tall."""
    small = player.evaluate("""(p) => {
      const bad = [];
      for (const e of p.querySelectorAll('.widget-html-content p, .widget-html-content li,
                                          .widget-html-content td, button, label')) {
        if (e.offsetParent === null || !e.innerText.trim()) continue;
        const fs = parseFloat(getComputedStyle(e).fontSize);
        if (fs < 20) bad.push(`${e.tagName} ${fs}px: ${e.innerText.trim().slice(0, 40)}`);
        if (e.tagName === 'BUTTON' && e.getBoundingClientRect().height < 44)
          bad.push(`button ${Math.round(e.getBoundingClientRect().height)}px tall: ${e.innerText.trim()}`);
      }
      return bad; }""".replace("\n                                          ", " "))
    assert not small, f"{label}: in lecturer mode, too small:\n" + "\n".join(small[:15])


def _choose(page, player, label: str, index: int) -> None:
    """Click option ``index`` (0-based), Reveal, Continue, waiting for each step."""
    player.locator(".mtor-option-row button").nth(index).click()
    player.locator("button", has_text="Reveal").first.click()
    player.locator("button", has_text="Continue").first.click()
    wait_for(page, label, "the next step after Continue",
             "(p) => !Array.from(p.querySelectorAll('button')).some(b => b.offsetParent !== null "
             "&& /Continue/.test(b.innerText))", arg=player.element_handle(), timeout_s=15)


def _typed_messages(page, root, label: str, field, submit, typed: tuple) -> dict:
    """Type each of ``typed`` into ``field`` and press ``submit``: the new alert shown for each."""
    js = """([r, before]) => { const m = r.querySelector('[role=alert]');
      const t = m && m.offsetParent !== null ? m.innerText.trim() : '';
      return t && t !== before ? t : false; }"""
    shown, before = {}, ""
    for text in typed:
        field.fill(text)
        field.press("Enter")
        submit.click()
        before = shown[text] = wait_for(page, label, f"a message after typing {text!r}", js,
                                        arg=[root.element_handle(), before],
                                        timeout_s=15).json_value()
    return shown


def test_lecturer_mode_in_voila(voila_server, new_page, screenshot_path, axe_js, record):
    page, log = new_page("05_itp.ipynb?lecturer=1 (Voila)")
    start = time.perf_counter()
    info, label = _open(page, voila_server, "05_itp.ipynb", "?lecturer=1")
    voila_wait_rendered(page, label, info.first_lines, timeout_s=180)
    check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    case = cases.load_case(CASE)
    first = cases.current(case, cases.start(case))
    player = page.locator(PLAYER).first
    assert "mtor-lecturer" in (player.get_attribute("class") or ""), \
        f"{label}: ?lecturer=1 did not switch the case player to lecturer mode"
    _sizes(player, label)
    names = page.evaluate("""() => Array.from(document.querySelectorAll('.vega-embed')).map(e =>
      ((e.matches('[aria-label]') ? e : e.querySelector('[aria-label]')) || e)
        .getAttribute('aria-label'))""")
    assert names and all(names), f"{label}: a chart has no text description: {names}"
    violations = audit(page, axe_js)
    problems = blocking(label, violations)
    assert not problems, "\n".join(problems)

    # keyboard only: from the player's lecturer switch, Tab to an option, Enter
    player.locator("button.widget-toggle-button, .widget-toggle-button").first.focus()
    _focus_by_tab(page, label, "an option button",
                  "(e) => !!e.closest('.mtor-option-row') && e.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    wait_for(page, label, "the chosen option to be marked",
             "(p) => { const m = p.querySelector('.mtor-chosen');"
             " return !!m && /Your choice/.test(m.innerText); }",
             arg=player.element_handle(), timeout_s=15)
    fit = {}
    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        fit[f"{size[0]}x{size[1]}"] = _fits(
            page, player, first["question"]["en"], label, size,
            screenshot_path("voila", f"lecturer_{size[0]}x{size[1]}_en"))
    _focus_by_tab(page, label, "the Reveal button",
                  "(e) => e.tagName === 'BUTTON' && /Reveal/.test(e.innerText)")
    page.keyboard.press("Space")
    wait_for(page, label, "the verdict beside the chosen option",
             "(p) => { const m = p.querySelector('.mtor-chosen');"
             " return !!m && /Your choice: \\S/.test(m.innerText) && /[✔◐✘]/.test(m.innerText); }",
             arg=player.element_handle(), timeout_s=15)
    _focus_by_tab(page, label, "the Continue button",
                  "(e) => e.tagName === 'BUTTON' && /Continue/.test(e.innerText)")
    page.keyboard.press("Enter")
    wait_for(page, label, "the next step after Continue (keyboard)",
             "(p) => !p.querySelector('.mtor-chosen')", arg=player.element_handle(),
             timeout_s=15)

    # the first move above may not have been 'dependent': restart, then dependent -> sirolimus -> adjust
    player.locator("button", has_text="Restart").first.click()
    for node, option in (("classify", "dependent"), ("rescue", "sirolimus"), ("week4", "adjust")):
        ids = [o["id"] for o in case.nodes[node]["options"]]
        _choose(page, player, label, ids.index(option))
    answer = player.locator("input[type=text]").first
    submit = player.locator("button", has_text="Check answer").first
    messages = _typed_messages(page, player, label, answer, submit, ("abc", "-5"))

    # Chinese: the header's switch; no English word left on the widgets' buttons and labels
    page.locator(".widget-toggle-button", has_text="中文").first.click()
    wait_for(page, label, "the case player to switch to Chinese",
             "(p) => /[\\u3400-\\u9fff]/.test(p.querySelector('button.mod-active, button') "
             "? p.innerText : '') && !/Restart/.test(p.innerText)",
             arg=player.element_handle(), timeout_s=15)
    words = [re.escape(w) for w in ENGLISH_UI]
    find = f"""(root) => ({LABELS})(root).filter(t => t !== 'English'
      && new RegExp('\\\\b(' + {words!r}.join('|') + ')\\\\b').test(t))"""
    try:  # every view redraws through its own comm messages: wait until all have switched
        wait_for(page, label, "every widget label to switch to Chinese",
                 f"(root) => ({find})(root).length === 0",
                 arg=page.locator("#rendered_cells").element_handle(), timeout_s=30)
        english = []
    except AssertionError:
        english = page.evaluate(find, page.locator("#rendered_cells").element_handle())
    assert not english, f"{label}: English UI labels left in 中文: {english}"
    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        player.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=screenshot_path("voila", f"lecturer_{size[0]}x{size[1]}_zh"))
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)
    record(view="voila-lecturer", notebook=info.stem, fit=fit, dose_messages=messages,
           axe=counts(violations), total_s=round(time.perf_counter() - start, 1))


def test_numeric_quiz_question_messages(voila_server, new_page, record):
    page, log = new_page("11_quiz.ipynb (Voila)")
    start = time.perf_counter()
    info, label = _open(page, voila_server, "11_quiz.ipynb")
    voila_wait_rendered(page, label, info.first_lines, timeout_s=180)
    check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    quiz = page.locator(".mtor-quiz").first
    for _ in range(12):  # to the first numeric question of the practice set
        if quiz.locator("input[type=text]").count():
            break
        before = quiz.inner_text()
        quiz.locator("button", has_text="Next").first.click()
        wait_for(page, label, "the next question", "([r, b]) => r.innerText !== b",
                 arg=[quiz.element_handle(), before], timeout_s=30)
    field = quiz.locator("input[type=text]").first
    submit = quiz.locator("button", has_text="Submit").first
    messages = _typed_messages(page, quiz, label, field, submit, ("abc", "-5"))
    for typed, text in messages.items():
        assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text), \
            f"{label}: the message for {typed!r} shows an internal id: {text!r}"
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)
    record(view="voila", notebook=info.stem, quiz_messages=messages,
           total_s=round(time.perf_counter() - start, 1))


def test_tdm_coach_refuses_and_warns(voila_server, new_page, record):
    """``03_tdm``'s coach: a 400 ng/mL level is accepted only with the warnings and no dose; a
    20-500 target window is refused; nothing silently becomes a recommendation."""
    page, log = new_page("03_tdm.ipynb (Voila)")
    start = time.perf_counter()
    info, label = _open(page, voila_server, "03_tdm.ipynb")
    voila_wait_rendered(page, label, info.first_lines, timeout_s=180)
    check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    withheld = i18n.tr("tdm.coach_withheld", "en")
    head = i18n.tr("tdm.warn_head", "en")
    refused = i18n.tr("tdm.coach_refused", "en", message="")
    text_of = "(s) => Array.from(document.querySelectorAll('[role=alert]'))" \
              ".map(e => e.innerText).join(' | ')"
    levels = page.get_by_label(i18n.tr("tdm.coach_levels", "en"))
    levels.fill("7, 4.1\n14, 400")
    levels.press("Tab")  # the box reports its value when it loses focus
    shown = wait_for(page, label, "the warning for a 400 ng/mL level",
                     f"() => {{ const t = ({text_of})(); return t.includes({head!r}) && t; }}",
                     timeout_s=30).json_value()
    assert "400" in shown, f"{label}: the warning does not name the level: {shown!r}"
    page_text = page.inner_text("body")
    assert withheld in page_text, f"{label}: a dose was shown for a fit the levels cannot explain"
    levels.fill("7, 4.1\n14, 4.4")
    levels.press("Tab")
    high = page.get_by_label(i18n.tr("tdm.coach_target_high", "en"))
    low = page.get_by_label(i18n.tr("tdm.coach_target_low", "en"))
    low.fill("20")
    low.press("Tab")
    high.fill("500")
    high.press("Tab")
    message = wait_for(page, label, "the refusal of a 20-500 ng/mL target",
                       f"() => {{ const t = ({text_of})(); return t.includes({refused.strip()!r}) && t; }}",
                       timeout_s=30).json_value()
    assert "500" in message, f"{label}: the refusal does not say what was typed: {message!r}"
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)
    record(view="voila", notebook=info.stem, tdm_warning=shown[:200], tdm_refusal=message[:200],
           total_s=round(time.perf_counter() - start, 1))
