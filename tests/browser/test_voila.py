"""Every notebook, rendered by Voila (the presenter view) with no internet, shows its widgets.

Per notebook: open ``/voila/render/<nb>``, wait until Voila has executed it, then assert every
chart drew, no widget error text, no console error and no request off localhost (apart from the
Font Awesome CSS Voila's template links from a CDN); click 中文 and press a slider key where the
notebook has them, timing the update; save ``artifacts/screenshots/voila_<stem>.png``.
"""

from __future__ import annotations

import time

import pytest
from harness_interact import language_toggle, slider_step
from harness_notebooks import describe, notebook_paths
from harness_pages import check_rendered, voila_wait_rendered

pytestmark = pytest.mark.browser
NOTEBOOKS = notebook_paths()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_in_voila(path, voila_server, new_page, record, screenshot_path):
    info = describe(path)
    label = f"{path.name} (Voila)"
    page, log = new_page(label)
    start = time.perf_counter()
    page.goto(f"{voila_server.url}/voila/render/{path.name}", wait_until="commit",
              timeout=180_000)
    voila_wait_rendered(page, label, timeout_s=180)
    counts = check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    rendered_s = time.perf_counter() - start
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(max(height, 900), 6000)})
    page.screenshot(path=screenshot_path("voila", info.stem), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    toggle_ms = language_toggle(page, label)
    slider_ms = slider_step(page, label)
    problems = log.problems()
    assert not problems, f"{label} after interaction:\n" + "\n".join(problems)
    record(view="voila", notebook=info.stem, rendered_s=round(rendered_s, 1),
           total_s=round(time.perf_counter() - start, 1), charts=f"{counts['drawn']}/{info.charts}",
           toggle_ms=None if toggle_ms is None else round(toggle_ms),
           slider_ms=None if slider_ms is None else round(slider_ms))
