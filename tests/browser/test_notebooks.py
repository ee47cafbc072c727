"""Every notebook runs and renders in a real browser with no internet, in JupyterLab and in Voila.

Per notebook (``notebooks/*.ipynb``, so notebooks added later are covered):

* Voila (presenter view): ``/voila/render/<nb>`` is opened first, so Voila executes the notebook
  on the server while the JupyterLab check runs; then wait until Voila shows the cells.
* JupyterLab: open ``/lab/tree/<nb>?reset``, Run → Run All Cells, wait until every code cell ran.
* Both: no cell error, every chart drew a canvas/svg (rule in ``harness_notebooks``), no widget
  error text, no browser console error, no request off localhost; where the notebook has them,
  press an arrow key on a slider that drives a chart and click 中文 on the language switch, and
  time the update in the page (10 times on 02_pharmacokinetics: its p50 is printed); save
  ``artifacts/screenshots/{lab,voila}_<stem>.png``.
* Both: axe-core finds no critical or serious violation on the suite's own elements (output
  areas, widgets, ``mtor-*``, charts); every violation is counted, split into the suite's and
  JupyterLab's/Voila's own, in the timings summary (``harness_axe``).
"""

from __future__ import annotations

import statistics
import time

import pytest
from harness_axe import audit, blocking, counts
from harness_interact import language_toggle, scroll_for_screenshot, slider_step
from harness_notebooks import describe, notebook_paths
from harness_pages import check_rendered, lab_run_all, voila_wait_rendered, wait_for

pytestmark = pytest.mark.browser
NOTEBOOKS = notebook_paths()
# JupyterLab's page has loaded: the opened notebook shows its cells.
LAB_SHOWN = "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length > 0"
# Voila's page scrolls inside an element, so full_page alone captures one screen: grow the window.
FULL_HEIGHT = """() => Math.max(...Array.from(document.querySelectorAll('body, body *'))
  .map(e => e.scrollHeight))"""


SLIDER_REPEATS = {"02_pharmacokinetics": 10}  # slider->repaint p50 measured on the PK explorer


def _axe(page, label: str, axe_js, failures: list) -> dict:
    """Run axe-core; blocking violations of the suite's elements go to ``failures``."""
    violations = audit(page, axe_js)
    failures.extend(blocking(label, violations))
    found = counts(violations)
    return {f"axe_{owner}": rules or "none" for owner, rules in found.items()}


def _interact(page, label: str, log, stem: str) -> dict:
    times = [slider_step(page, label) for _ in range(SLIDER_REPEATS.get(stem, 1))]
    slider_ms = statistics.median(times) if None not in times else None  # p50
    toggle_ms = language_toggle(page, label)
    problems = log.problems()
    assert not problems, f"{label} after interaction:\n" + "\n".join(problems)
    many = {"slider_runs_ms": [round(t) for t in times]} if len(times) > 1 else {}
    return {"slider_ms": slider_ms and round(slider_ms), **many,
            "toggle_ms": toggle_ms and round(toggle_ms)}


def _lab(info, server, page, log, shot, axe_js, failures) -> dict:
    label = f"{info.path.name} (JupyterLab)"
    start = time.perf_counter()
    try:
        # Lab's page can take over 30 s to load on a loaded machine: the kernel-ready wait in
        # lab_run_all (page loaded, session started, handshake done) is the real readiness.
        page.goto(f"{server.url}/lab/tree/{info.path.name}?reset", wait_until="commit",
                  timeout=120_000)
        wait_for(page, label, "JupyterLab to show the notebook's cells", LAB_SHOWN, timeout_s=240)
        page_s = time.perf_counter() - start  # JupyterLab's page load, cached after the first
        ready_s = time.perf_counter() - start
        ready_s += lab_run_all(page, label, info.path.name, info.code_cells, timeout_s=300,
                               ready_timeout_s=240)
        drawn = check_rendered(page, label, log, charts=info.charts, timeout_s=60)
        rendered_s = time.perf_counter() - start
        scroll_for_screenshot(page)
        page.screenshot(path=shot("lab", info.stem))
        axe = _axe(page, label, axe_js, failures)
        timing = _interact(page, label, log, info.stem)
    finally:
        server.shutdown_kernels()
    return {"view": "lab", "notebook": info.stem, "page_s": round(page_s, 1),
            "kernel_ready_s": round(ready_s, 1),
            "rendered_s": round(rendered_s, 1), "charts": f"{drawn['drawn']}/{info.charts}",
            **timing, **axe}


def _voila(info, page, log, shot, start: float, axe_js, failures) -> dict:
    label = f"{info.path.name} (Voila)"
    voila_wait_rendered(page, label, info.first_lines, timeout_s=180)
    drawn = check_rendered(page, label, log, charts=info.charts, timeout_s=60)
    rendered_s = time.perf_counter() - start
    height = page.evaluate(FULL_HEIGHT)
    page.set_viewport_size({"width": 1280, "height": min(max(height, 900), 6000)})
    page.screenshot(path=shot("voila", info.stem), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe = _axe(page, label, axe_js, failures)
    return {"view": "voila", "notebook": info.stem, "rendered_s": round(rendered_s, 1),
            "charts": f"{drawn['drawn']}/{info.charts}", **_interact(page, label, log, info.stem),
            **axe}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_in_lab_and_voila(path, lab_server, voila_server, new_page, record,
                                   screenshot_path, axe_js):
    info = describe(path)
    start = time.perf_counter()
    voila_page, voila_log = new_page(f"{path.name} (Voila)")
    voila_page.goto(f"{voila_server.url}/voila/render/{path.name}", wait_until="commit",
                    timeout=180_000)  # Voila now executes the notebook on its server
    lab_page, lab_log = new_page(f"{path.name} (JupyterLab)")
    failures = []
    for run in (lambda: _lab(info, lab_server, lab_page, lab_log, screenshot_path, axe_js,
                             failures),
                lambda: _voila(info, voila_page, voila_log, screenshot_path, start, axe_js,
                               failures)):
        try:
            record(**run())
        except AssertionError as exc:
            failures.append(str(exc))
    record(view="both", notebook=info.stem, total_s=round(time.perf_counter() - start, 1))
    assert not failures, "\n\n".join(failures)
