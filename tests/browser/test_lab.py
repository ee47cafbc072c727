"""Every notebook, opened in JupyterLab in a real browser with no internet, runs and renders.

Per notebook: open ``/lab/tree/<nb>?reset``, Run All Cells, then assert every code cell ran,
every chart drew (rule in ``harness_notebooks``), no widget error text, no console error and no
request off localhost; click 中文 and press a slider key where the notebook has them, timing the
update; save ``artifacts/screenshots/lab_<stem>.png``.
"""

from __future__ import annotations

import time

import pytest
from harness_interact import language_toggle, scroll_for_screenshot, slider_step
from harness_notebooks import describe, notebook_paths
from harness_pages import check_rendered, lab_run_all

pytestmark = pytest.mark.browser
NOTEBOOKS = notebook_paths()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_in_jupyterlab(path, lab_server, new_page, record, screenshot_path):
    info = describe(path)
    label = f"{path.name} (JupyterLab)"
    page, log = new_page(label)
    start = time.perf_counter()
    try:
        page.goto(f"{lab_server.url}/lab/tree/{path.name}?reset", wait_until="load")
        ready_s = time.perf_counter() - start  # page loaded ...
        ready_s += lab_run_all(page, label, info.code_cells, timeout_s=180)  # ... kernel idle
        counts = check_rendered(page, label, log, charts=info.charts, timeout_s=60)
        rendered_s = time.perf_counter() - start
        scroll_for_screenshot(page)
        page.screenshot(path=screenshot_path("lab", info.stem))
        toggle_ms = language_toggle(page, label)
        slider_ms = slider_step(page, label)
        problems = log.problems()
        assert not problems, f"{label} after interaction:\n" + "\n".join(problems)
    finally:
        lab_server.shutdown_kernels()
    record(view="lab", notebook=info.stem, kernel_ready_s=round(ready_s, 1),
           rendered_s=round(rendered_s, 1),
           total_s=round(time.perf_counter() - start, 1), charts=f"{counts['drawn']}/{info.charts}",
           toggle_ms=None if toggle_ms is None else round(toggle_ms),
           slider_ms=None if slider_ms is None else round(slider_ms))
