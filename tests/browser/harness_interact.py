"""Drive widgets like a user and measure how long the page takes to react (no fixed waits).

Latency is measured inside the page: ``performance.now()`` is stamped just before the click or
key press and read by the first animation frame (``polling="raf"``, ~16 ms resolution) on which
the change is visible.
"""

from __future__ import annotations

from harness_pages import wait_for

CJK = "[\\u3400-\\u9fff]"

STAMP = "() => { window.__mtorT0 = performance.now(); }"

# Fingerprint of every chart inside the first widget box that holds both a slider and a chart.
FINGERPRINT = """(box) => Array.from(box.querySelectorAll('.vega-embed')).map(e => {
  const c = e.querySelector('canvas');
  if (c) { const u = c.toDataURL(); let h = 0;
    for (let i = 0; i < u.length; i += 7) h = (h * 31 + u.charCodeAt(i)) | 0; return 'c' + h; }
  const s = e.querySelector('svg.marks'); return s ? 's' + s.outerHTML.length + s.outerHTML : '';
}).join('|')"""

FIND_SLIDER_BOX = """() => {
  for (const h of document.querySelectorAll('.widget-slider .noUi-handle')) {
    let box = h.closest('.widget-box');
    while (box && !box.querySelector('.vega-embed')) box = box.parentElement.closest('.widget-box');
    if (box) { h.setAttribute('data-mtor-slider', '1'); box.setAttribute('data-mtor-box', '1');
      return true; }
  }
  return false;
}"""


def language_toggle(page, label: str) -> float | None:
    """Click 中文 on the first language switch; ms until the teaching notice is Chinese.

    Returns ``None`` when the page has no language switch or no notice.
    """
    button = page.locator(".widget-toggle-button", has_text="中文").first
    if not button.count() or not page.locator(".mtor-notice").count():
        return None
    button.scroll_into_view_if_needed()
    page.evaluate(STAMP)
    button.click()
    js = f"""() => {{ const n = document.querySelector('.mtor-notice');
      return n && new RegExp('{CJK}').test(n.textContent) ? performance.now() - window.__mtorT0
        : false; }}"""
    return wait_for(page, label, "the teaching notice to switch to Chinese after clicking 中文",
                    js, timeout_s=15, polling="raf").json_value()


def slider_step(page, label: str) -> float | None:
    """Press an arrow key on the first slider that shares a widget box with a chart.

    Returns ms until that chart's pixels changed, or ``None`` when no slider drives a chart.
    """
    if not page.evaluate(FIND_SLIDER_BOX):
        return None
    handle = page.locator("[data-mtor-slider]").first
    box = page.locator("[data-mtor-box]").first
    handle.scroll_into_view_if_needed()
    # precondition (not timed): the chart has stopped changing for 0.5 s
    stable = f"""() => {{ const f = ({FINGERPRINT})(document.querySelector('[data-mtor-box]'));
      const now = performance.now();
      if (f !== window.__mtorLastF) {{ window.__mtorLastF = f; window.__mtorSince = now; }}
      return now - window.__mtorSince >= 500; }}"""
    wait_for(page, label, "the chart next to the first slider to settle", stable, timeout_s=15)
    before = box.evaluate(FINGERPRINT)
    now, top = (float(handle.get_attribute(a) or 0) for a in ("aria-valuenow", "aria-valuemax"))
    handle.focus()
    page.evaluate(STAMP)
    page.keyboard.press("ArrowLeft" if now >= top else "ArrowRight")
    js = f"""(before) => {{ const box = document.querySelector('[data-mtor-box]');
      const f = ({FINGERPRINT})(box);
      return f !== before && f.length ? performance.now() - window.__mtorT0 : false; }}"""
    return wait_for(page, label, "the chart next to the first slider to change after a key press",
                    js, arg=before, timeout_s=15, polling="raf").json_value()


def scroll_for_screenshot(page) -> None:
    """Scroll to the first slider-driven chart, else the first chart, else the top."""
    if page.evaluate(FIND_SLIDER_BOX):
        target = page.locator("[data-mtor-box]").first
    elif page.locator(".vega-embed").count():
        target = page.locator(".vega-embed").first
    else:
        page.evaluate("""() => document.querySelectorAll('.jp-WindowedPanel-outer')
          .forEach(e => { e.scrollTop = 0; })""")
        return
    target.evaluate("e => e.scrollIntoView({block: 'start'})")
