"""The still picture a displayed widget holding charts carries for RISE (``widgets.slide_still``)."""

from __future__ import annotations

import base64
import re

import altair as alt
import ipywidgets as w
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

from mtorlib import i18n
from mtorlib.charts import render, still
from mtorlib.widgets import chrome, slide_still

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _chart(title: str) -> alt.Chart:
    frame = pd.DataFrame({"day": [0, 1, 2], "level_ng_ml": [0.0, 4.0, 6.0]})
    return alt.Chart(frame).mark_line().encode(x="day", y="level_ng_ml").properties(title=title)


def _titles(page: str) -> list[str]:
    """The chart titles drawn into the page's pictures, in order (the fake SVG holds the title)."""
    return [base64.b64decode(data).decode() for data in re.findall(r'base64,([A-Za-z0-9+/=]+)"', page)]


@pytest.fixture
def views():
    """A view-like box (header text, a row holding a chart, a hidden chart, a chart) and a
    chartless box (the suite's conftest closes every widget after each test)."""
    first, hidden, last = (render.show(_chart(t)) for t in ("First", "Hidden", "Last"))
    hidden.layout.visibility = "hidden"  # as a view hides a chart for refused input
    box = w.VBox([w.HTML("<b>controls</b>"), w.HBox([w.VBox([first])]), hidden, last])
    return {"box": box, "last": last, "chartless": w.VBox([w.HTML("quiz"), w.Button(description="Next")])}


@pytest.fixture
def formatter(monkeypatch):
    """A kernel's display formatter with the slide still installed; ``still.svg`` drawing the
    chart's title (no vl-convert); pictures off after the test."""
    monkeypatch.setattr(still, "svg", lambda spec: spec["title"])
    fmt = DisplayFormatter()
    slide_still.install(fmt)
    yield fmt
    still.set_enabled(False)


def test_learners_widget_output_has_no_picture_and_draws_none(views, formatter, monkeypatch):
    def never(spec):
        raise AssertionError("a picture drawn with lecturer mode off")

    monkeypatch.setattr(still, "svg", never)
    assert not still.enabled()
    data, _ = formatter.format(views["box"])
    assert list(data) == ["text/plain", WIDGET_MIME]


def test_lecturer_widget_output_carries_each_shown_chart_once_after_the_widget_view(views, formatter):
    box, chartless = views["box"], views["chartless"]
    still.set_enabled(True)
    data, _ = formatter.format(box)
    # JupyterLab and Voila render the widget view (ranked before HTML); RISE, which has no widget
    # renderer, the next type: the pictures
    assert list(data) == ["text/plain", WIDGET_MIME, "text/html"]
    page = data["text/html"]
    assert _titles(page) == ["First", "Last"]  # nested chart once, hidden chart not at all
    assert page.count('<figure class="mtor-chart-still"') == 1
    assert page.count(i18n.tr("slides.chart_still")) == 1
    alts = re.findall(r'alt="([^"]*)"', page)
    assert alts == ["Chart: First", "Chart: Last"]  # each chart's description (charts.offline.described)
    assert list(formatter.format(chartless)[0]) == ["text/plain", WIDGET_MIME]


def test_the_picture_shows_the_chart_as_it_is_when_displayed(views, formatter):
    box, last = views["box"], views["last"]
    still.set_enabled(True)
    try:
        last.chart = _chart("Last, new dose")  # a control moved before the cell's output is made
        assert _titles(formatter.format(box)[0]["text/html"]) == ["First", "Last, new dose"]
    finally:
        last.chart = _chart("Last")


def test_the_notebook_header_installs_the_pictures_in_the_kernel(monkeypatch):
    """``setup_notebook()`` registers the widget picture with the running kernel's formatter."""
    import IPython

    class Shell:
        display_formatter = DisplayFormatter()

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell)
    monkeypatch.setattr(still, "svg", lambda spec: "<svg/>")
    monkeypatch.setattr(chrome, "_LECTURER", {"on": None, "views": []})
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setenv("MTORLIB_LECTURER", "1")
    box = w.VBox([render.show(_chart("T"))])
    try:
        chrome.setup_notebook()
        assert "mtor-chart-still" in Shell.display_formatter.format(box)[0]["text/html"]
        chrome.set_lecturer_mode(False)  # the header's switch
        assert "text/html" not in Shell.display_formatter.format(box)[0]
    finally:
        still.set_enabled(False)


@pytest.mark.slow  # builds the PK explorer and starts vl-convert (seconds)
def test_pk_explorer_output_carries_its_chart_as_first_drawn(monkeypatch):
    from mtorlib.widgets import pk_explorer

    view = pk_explorer()
    fmt = DisplayFormatter()
    slide_still.install(fmt)
    still.set_enabled(True)
    try:
        data, _ = fmt.format(view.widget)
    finally:
        still.set_enabled(False)
    page = data["text/html"]
    [picture] = _titles(page)  # the SVG, decoded
    assert picture.startswith("<svg") and "ng/mL" in picture
    description = view.chart.spec["description"]
    assert description.startswith("Chart of the simulated whole-blood concentration")
    assert f'alt="{description}"' in page.replace("&#x27;", "'")


@pytest.mark.parametrize("build", ["safety", "not_sourced"])
def test_text_panel_carries_its_current_text_in_every_mode(build, formatter, monkeypatch):
    """A text-only view's output holds its text as HTML after the widget view (learner mode: no
    picture drawn), in the language current when it is displayed."""
    from mtorlib.widgets import mechanism_view, safety_view

    def never(spec):
        raise AssertionError("a picture drawn for a text panel")

    monkeypatch.setattr(still, "svg", never)
    assert not still.enabled()
    make = {"safety": lambda: safety_view.safety_statements("infection").widget,
            "not_sourced": lambda: mechanism_view.not_sourced_view().widget}[build]
    i18n.set_language("en")
    try:
        panel = make()
        data, _ = formatter.format(panel)
        assert list(data) == ["text/plain", WIDGET_MIME, "text/html"]
        english = data["text/html"]
        assert english == slide_still.text_html(panel) and re.search(r"[A-Za-z]{4}", english)
        assert not re.search(r"[\u4e00-\u9fff]", english)
        i18n.set_language("zh")
        chinese = formatter.format(panel)[0]["text/html"]
        assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese)
    finally:
        i18n.set_language("en")


def test_text_panel_skips_hidden_text_and_an_empty_panel_has_no_html(formatter):
    shown, hidden = w.HTML("<p>shown</p>"), w.HTML("<p>hidden</p>")
    hidden.layout.display = "none"
    html = formatter.format(slide_still.TextPanel([shown, hidden]))[0]["text/html"]
    assert html == '<div class="mtor-text-panel"><p>shown</p></div>'
    assert "text/html" not in formatter.format(slide_still.TextPanel([w.HTML("")]))[0]


@pytest.mark.parametrize(("stem", "panels", "text"), [
    ("01_mechanism", 1, "IC50"), ("10_safety", 3, "Live vaccines: avoid")])
def test_stored_notebooks_keep_the_text_of_their_text_panels(stem, panels, text):
    """A saved notebook viewed without a kernel shows the text panels' text (tools/run_notebook.py)."""
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parents[1] / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    html = ["".join(out["data"]["text/html"]) for cell in nb["cells"] if cell["cell_type"] == "code"
            for out in cell.get("outputs", []) if WIDGET_MIME in out.get("data", {})
            and "mtor-text-panel" in "".join(out["data"].get("text/html", ""))]
    assert len(html) == panels and text in "".join(html)
