"""The lecture hall: JupyterLab in Chinese (language pack) and RISE slides, offline.

One JupyterLab server serves a temporary copy of ``00_start_here`` with the slide metadata of
``tools/slides.py``; its temporary Jupyter config sets the display language to ``zh_CN``. RISE's
theme is ``white`` through the environment's ``overrides.json`` (``python -m mtorlib setup-jupyter``):
its fonts ship with RISE, whereas the default ``simple`` theme loads Google Fonts.

The server is a lecturer's: started with ``MTORLIB_LECTURER=1`` (``MTORLIB_LECTURER=1 make lab``),
so its kernels start in lecturer mode. RISE cannot show widgets (cause in
``test_widget_manager_loads_in_rise``), so in lecturer mode a chart's slide shows the chart's still
picture (:mod:`mtorlib.charts.still`) and a widget holding a chart the picture of its chart
(:mod:`mtorlib.widgets.slide_still`): ``02_pharmacokinetics`` is served too, its first chart and
its PK explorer are run in RISE and their slides checked.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import time
from unittest import mock

import nbformat
import pytest
from harness_notebooks import ROOT, describe
from harness_pages import STILL, check_rendered, wait_for
from harness_servers import Server

from mtorlib import i18n

pytestmark = pytest.mark.browser
NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"
CHART_NOTEBOOK = ROOT / "notebooks" / "02_pharmacokinetics.ipynb"
USER_SETTINGS = {
    "@jupyterlab/translation-extension/plugin": {"locale": "zh_CN"},
}
_spec = importlib.util.spec_from_file_location("slides_tool", ROOT / "tools" / "slides.py")
slides = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slides)


@pytest.fixture(scope="module")
def hall(chromium, tmp_path_factory):
    """``(server, notebook path)``: JupyterLab in Chinese serving the slide-ready notebook copy."""
    root, tmp = tmp_path_factory.mktemp("hall_nb"), tmp_path_factory.mktemp("hall_srv")
    path = root / NOTEBOOK.name
    for source in (NOTEBOOK, CHART_NOTEBOOK):
        shutil.copy(source, root / source.name)
        assert slides.main([str(root / source.name)]) == 0
    for name, values in USER_SETTINGS.items():
        target = tmp / "lab" / "config" / "lab" / "user-settings" / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    with mock.patch.dict(os.environ, {"MTORLIB_LECTURER": "1"}):  # the server's env, its kernels'
        server = Server("lab", root, tmp)
    try:
        server.wait_ready(timeout_s=120)
        yield server, path
    finally:
        server.stop()


def _zh(server, english: str) -> str:
    """JupyterLab's Chinese label for ``english`` (from the installed language pack)."""
    import urllib.request

    with urllib.request.urlopen(server.url + "/lab/api/translations/zh_CN", timeout=30) as resp:
        return json.load(resp)["data"]["jupyterlab"][english][0]


def test_jupyterlab_menus_in_chinese_and_the_notebook_runs(hall, new_page, record, screenshot_path):
    server, path = hall
    info = describe(path)
    page, log = new_page("lab zh_CN")
    start = time.perf_counter()
    page.goto(f"{server.url}/lab/tree/{path.name}")
    menus = page.locator(".lm-MenuBar-itemLabel")
    wait_for(page, "lab zh_CN", "the main menu in Chinese",
             "() => document.querySelector('.lm-MenuBar-itemLabel')?.textContent === '文件'",
             timeout_s=90)
    labels = menus.all_inner_texts()
    assert {"文件", "编辑", "查看", "运行", "内核"} <= set(labels), labels
    assert not {"File", "Edit", "View"} & set(labels), labels
    wait_for(page, "lab zh_CN", "the notebook's code cells",
             f"() => document.querySelectorAll('.jp-CodeCell').length === {info.code_cells}",
             timeout_s=60)
    run, run_all = _zh(server, "Run"), _zh(server, "Run All Cells")
    idle = """() => { const e = document.querySelector('.jp-Notebook-ExecutionIndicator');
      return !!e && e.getAttribute('data-status') === 'idle'; }"""
    wait_for(page, "lab zh_CN", "the kernel to be idle", idle, timeout_s=90)
    page.wait_for_timeout(1000)  # the new kernel's handshake flips busy/idle once more
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{run}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{run_all}$")).click()
    done = f"""() => {{ const p = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
        .map(e => e.textContent.trim());
      return p.length === {info.code_cells} && p.every(t => /^\\[\\d+\\]:?$/.test(t)) && ({idle})(); }}"""
    wait_for(page, "lab zh_CN", f"all {info.code_cells} code cells to run", done, timeout_s=240)
    check_rendered(page, "00_start_here (lab zh_CN)", log, charts=info.charts, timeout_s=60)
    # the header tells the learner how to switch JupyterLab's own language
    assert "中文 (简体, 中国)" in (page.locator(".mtor-lab-language").first.text_content() or "")
    # the suite in Chinese too (the header's 中文 switch), seen from the top, for the screenshot
    page.locator(".widget-toggle-button", has_text="中文").first.click()
    wait_for(page, "lab zh_CN", "the suite's notice in Chinese",
             "(t) => (document.querySelector('.mtor-notice')?.textContent || '').includes(t)",
             arg=i18n.tr("common.teaching_only", "zh"), timeout_s=30)
    page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer')"
                  ".forEach(e => { e.scrollTop = 0; })")
    page.wait_for_timeout(500)
    page.screenshot(path=screenshot_path("lab_zh", path.stem))
    record(test="lab_zh_CN", notebook=path.stem, seconds=round(time.perf_counter() - start, 1))


def test_rise_slides_are_served_locally(hall, new_page, record, screenshot_path):
    server, path = hall
    kinds = [c.metadata["slideshow"]["slide_type"] for c in nbformat.read(path, 4).cells]
    page, log = new_page("rise")
    start = time.perf_counter()
    page.goto(f"{server.url}/rise/{path.name}")
    sections = ".reveal .slides > section"
    wait_for(page, "rise", "reveal.js slides",
             f"() => document.querySelectorAll('{sections}').length > 0", timeout_s=120)
    assert page.locator(sections).count() == kinds.count("slide")
    title = page.locator(f"{sections}.present").text_content() or ""  # the theme upper-cases h1
    assert "start here" in title and "从这里开始" in title
    page.screenshot(path=screenshot_path("rise", f"{path.stem}_title"))
    for _ in range(2):  # title → who it is for → the header widget's slide
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(800)
    page.screenshot(path=screenshot_path("rise", f"{path.stem}_slide3"))
    assert log.blocked == [], f"RISE requested non-local resources: {log.blocked}"
    record(test="rise", notebook=path.stem, slides=kinds.count("slide"),
           seconds=round(time.perf_counter() - start, 1))


def _first_chart_cell(path) -> int:
    """Index of the first cell that displays a chart itself (stored output: a ``JupyterChart``)."""
    for i, cell in enumerate(nbformat.read(path, 4).cells):
        if any("JupyterChart" in "".join(out.get("data", {}).get("text/plain", ""))
               for out in cell.get("outputs", [])):
            return i
    raise AssertionError(f"{path.name} displays no chart of its own")


def _cell_showing(path, call: str) -> int:
    """Index of the code cell whose source is ``call`` (a widget the notebook displays)."""
    for i, cell in enumerate(nbformat.read(path, 4).cells):
        if cell.cell_type == "code" and cell.source.strip() == call:
            return i
    raise AssertionError(f"{path.name} has no cell {call!r}")


def _open_rise_at_setup(page, server, name: str) -> None:
    """Open ``name`` in RISE and put the cursor in its setup cell (the imports, cell 1)."""
    sections = ".reveal .slides > section"
    page.goto(f"{server.url}/rise/{name}")
    wait_for(page, "rise", "reveal.js slides",
             f"() => document.querySelectorAll('{sections}').length > 0", timeout_s=120)
    on_slide = f"() => !!document.querySelectorAll('.jp-Notebook .jp-Cell')[1]?.closest('{sections}.present')"
    for _ in range(10):  # title → the setup cell's slide (keys are ignored while RISE starts)
        if page.evaluate(on_slide):
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1500)
    page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-InputArea-editor").click()


def _show_slide_of(page, selector: str) -> None:
    """Show the slide holding the first element matching ``selector``, through reveal.js's URL
    hash (#/slide-<h>-<v>, the section's id): in RISE the arrow keys follow the cell selection."""
    slide = page.evaluate(f"() => document.querySelector('{selector}').closest('section[id]').id")
    page.evaluate("(id) => { location.hash = '#/' + id; }", slide)
    wait_for(page, "rise", f"the slide {slide} to be shown",
             f"() => document.getElementById('{slide}').classList.contains('present')", timeout_s=30)
    page.wait_for_timeout(1000)  # the slide transition


def _picture_on_its_slide(page, scope: str, what: str):
    """Wait for the still picture inside ``scope`` (a CSS selector, "" for the page) to load, show
    its slide and check there one picture, its note and no live chart; the picture's locator."""
    found = f"{scope} {STILL}".strip()
    wait_for(page, "rise", f"{what}'s still picture to load",
             f"() => {{ const i = document.querySelector('{found} img');"
             " return !!i && i.complete && i.naturalWidth > 200; }", timeout_s=240)
    _show_slide_of(page, found)
    picture = page.locator(f"section.present {found} img")
    assert picture.count() == 1 and picture.first.is_visible(), f"{what}'s slide shows no picture"
    note = page.locator(f"section.present {found} figcaption").text_content() or ""
    assert note == i18n.tr("slides.chart_still", "en"), note
    assert page.locator(".vega-embed").count() == 0  # RISE draws no live chart
    return picture.first


def test_rise_chart_slide_shows_the_still_picture(hall, new_page, record, screenshot_path):
    """Run the chart notebook's first cells in RISE; the chart's slide shows its still picture.

    Stored notebooks keep only ``text/plain`` of widget outputs (``tools/run_notebook.py``), so
    the picture comes from the live kernel: the presenter, in lecturer mode (the server's
    ``MTORLIB_LECTURER=1``; the header's switch does not render in RISE), runs the cells in RISE
    (Shift+Enter).
    """
    server, _ = hall
    path = server.root / CHART_NOTEBOOK.name
    target = _first_chart_cell(path)
    page, log = new_page("rise chart")
    start = time.perf_counter()
    _open_rise_at_setup(page, server, path.name)
    for _ in range(target):  # cells 1..target: setup, model, the chart
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(1000)
    picture = _picture_on_its_slide(page, "", "the chart")
    assert "Chart" in (picture.get_attribute("alt") or ""), "the picture has no text alternative"
    page.screenshot(path=screenshot_path("rise", f"{path.stem}_chart"))
    assert log.blocked == [], f"RISE requested non-local resources: {log.blocked}"
    record(test="rise chart still", notebook=path.stem, seconds=round(time.perf_counter() - start, 1))


def test_rise_widget_slide_shows_its_chart_still(hall, new_page, record, screenshot_path):
    """The PK explorer (controls and a chart) run in RISE in lecturer mode: its slide shows the
    picture of its chart as first drawn, with the chart's description as alt text, offline."""
    from mtorlib.widgets import pk_explorer

    server, _ = hall
    path = server.root / CHART_NOTEBOOK.name
    target = _cell_showing(path, "pk_explorer().widget")
    description = pk_explorer().chart.spec["description"]  # the same first drawing, in English
    page, log = new_page("rise widget")
    start = time.perf_counter()
    _open_rise_at_setup(page, server, path.name)
    page.keyboard.press("Shift+Enter")  # the setup cell
    cell = "[data-mtor-test=explorer]"
    page.evaluate(f"() => document.querySelectorAll('.jp-Notebook .jp-Cell')[{target}]"
                  ".setAttribute('data-mtor-test', 'explorer')")
    assert page.locator(f"{cell} {STILL}").count() == 0  # nothing stored: the picture is made now
    _show_slide_of(page, cell)
    page.locator(f"{cell} .jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")  # the explorer's cell
    picture = _picture_on_its_slide(page, cell, "the explorer")
    assert (picture.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")
    assert picture.get_attribute("alt") == description
    page.screenshot(path=screenshot_path("rise", f"{path.stem}_widget"))
    assert log.blocked == [], f"RISE requested non-local resources: {log.blocked}"
    record(test="rise widget still", notebook=path.stem, seconds=round(time.perf_counter() - start, 1))


@pytest.mark.xfail(strict=True, reason=(
    "jupyterlab-rise 0.43.1's slide page is its own app, built with JupyterLab 4.3.4's shared "
    "modules and without @jupyterlab/console; loading jupyterlab_widgets 3.0.17's remoteEntry "
    "logs 'Failed to create module: package: @jupyter-widgets/jupyterlab-manager; module: "
    "./extension' and 'Shared module @jupyterlab/console doesn't exist in shared scope default', "
    "so no widget manager is registered and anywidget's plugin fails: 'No provider for: "
    "jupyter.extensions.jupyterWidgetRegistry'. With no renderer for the widget-view MIME type, "
    "RISE renders each widget output's next type (text/plain; a chart's still picture, text/html). "
    "Upstream: https://github.com/jupyterlab-contrib/rise/issues/119 and #126 (open); only "
    "ipywidgets 7 avoids it. Strict: passes once fixed."))
def test_widget_manager_loads_in_rise(hall, new_page):
    server, path = hall
    page, log = new_page("rise widgets")
    page.goto(f"{server.url}/rise/{path.name}")
    wait_for(page, "rise", "reveal.js slides",
             "() => document.querySelectorAll('.reveal .slides > section').length > 0", timeout_s=120)
    # wait for the widget manager's console error itself (it comes after the slides, later on a
    # loaded machine); only when it never comes in 120 s (fixed upstream) does the test pass

    def failed():
        return [e for e in log.console_errors if "jupyterlab-manager" in e or "jupyterWidgetRegistry" in e]

    deadline = time.monotonic() + 120
    while not failed() and time.monotonic() < deadline:
        page.wait_for_timeout(500)  # lets Playwright deliver the page's console events
    assert failed() == [], failed()
