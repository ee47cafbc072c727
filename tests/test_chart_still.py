"""The still picture a displayed chart carries for RISE (``mtorlib.charts.still``), in lecturer mode."""

from __future__ import annotations

import base64
import re

import altair as alt
import pandas as pd
import pytest

from mtorlib import i18n
from mtorlib.charts import render, still
from mtorlib.widgets import chrome

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _chart(title: str) -> alt.Chart:
    frame = pd.DataFrame({"day": [0, 1, 2], "level_ng_ml": [0.0, 4.0, 6.0]})
    return alt.Chart(frame).mark_line().encode(x="day", y="level_ng_ml").properties(title=title)


@pytest.fixture
def pictures():
    """Still pictures on for one test (as lecturer mode does), off again after it."""
    still.set_enabled(True)
    yield
    still.set_enabled(False)


def test_off_by_default_a_displayed_chart_carries_no_picture_and_draws_none(monkeypatch):
    def never(chart):
        raise AssertionError("still.svg called with still pictures off")

    monkeypatch.setattr(still, "svg", never)
    assert not still.enabled()
    data, _ = render.show(_chart("T"))._repr_mimebundle_()
    assert WIDGET_MIME in data and "text/html" not in data


def test_lecturer_mode_switches_the_pictures(monkeypatch):
    monkeypatch.delenv("MTORLIB_LECTURER", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr(still, "svg", lambda chart: "<svg/>")
    try:
        chrome.set_lecturer_mode(True)  # the header switch
        assert still.enabled()
        assert "mtor-chart-still" in render.show(_chart("T"))._repr_mimebundle_()[0]["text/html"]
        chrome.set_lecturer_mode(False)
        assert not still.enabled()
        assert "text/html" not in render.show(_chart("T"))._repr_mimebundle_()[0]
        monkeypatch.setenv("MTORLIB_LECTURER", "1")  # `MTORLIB_LECTURER=1 make lab`
        chrome.set_lecturer_mode(None)
        assert still.enabled()
    finally:
        monkeypatch.delenv("MTORLIB_LECTURER")
        chrome.set_lecturer_mode(None)
    assert not still.enabled()


def test_the_header_sets_the_pictures_from_the_environment(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr(chrome, "_LECTURER", {"on": None, "views": []})
    try:
        for value, on in (("1", True), ("", False)):
            monkeypatch.setenv("MTORLIB_LECTURER", value)
            chrome.setup_notebook()
            assert still.enabled() is on
    finally:
        still.set_enabled(False)


def test_lecturer_mode_under_voila_draws_no_picture(monkeypatch):
    monkeypatch.setattr(chrome, "_LECTURER", {"on": None, "views": []})
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.8")  # as Voila's handler sets it
    monkeypatch.setenv("QUERY_STRING", "lecturer=1")
    try:
        chrome.setup_notebook()
        assert chrome.lecturer_mode() and not still.enabled()
        chrome.set_lecturer_mode(True)
        assert not still.enabled()
        monkeypatch.setenv("SERVER_SOFTWARE", "")  # the same switch outside Voila
        chrome.set_lecturer_mode(True)
        assert still.enabled()
    finally:
        still.set_enabled(False)


@pytest.mark.slow  # starts vl-convert's JavaScript engine (seconds)
def test_displayed_chart_carries_the_svg_and_the_note_once_per_display(monkeypatch, pictures):
    view = render.show(_chart("Trough"), description="Trough by day")
    i18n.set_language("zh")
    try:
        data, _ = view._repr_mimebundle_()
    finally:
        i18n.set_language("en")
    assert WIDGET_MIME in data and "text/plain" in data
    page = data["text/html"]
    picture = base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', page).group(1)).decode()
    assert picture.startswith("<svg") and ">Trough</text>" in picture
    assert 'alt="Trough by day"' in page
    assert i18n.tr("slides.chart_still", "zh") in page and "：" in i18n.tr("slides.chart_still", "zh")
    calls = []
    monkeypatch.setattr(still, "svg", lambda chart: calls.append(chart) or "<svg/>")
    view.chart = _chart("Trough, new dose")  # a slider's update: no picture drawn
    assert calls == []
    view._repr_mimebundle_()
    assert len(calls) == 1


def test_a_chart_vl_convert_cannot_draw_keeps_its_widget(monkeypatch, pictures):
    def refuse(chart):
        raise ValueError("unsupported")

    monkeypatch.setattr(still, "svg", refuse)
    with pytest.warns(UserWarning, match="no still picture"):
        data, _ = render.show(_chart("T"))._repr_mimebundle_()
    assert WIDGET_MIME in data and "text/html" not in data


@pytest.mark.slow  # a fresh interpreter (seconds)
def test_a_learners_kernel_never_imports_vl_convert(tmp_path):
    """The header with lecturer mode off, then a chart and a widget holding it displayed through
    a kernel's formatter: vl-convert stays unloaded."""
    import os
    import subprocess
    import sys

    from mtorlib.charts import offline

    offline.chart_bundle()  # the offline bundle in this session's cache, as after any first start
    code = (
        "import sys, altair as alt, pandas as pd\n"
        "from mtorlib.charts import render\n"
        "from mtorlib.widgets import setup_notebook\n"
        "setup_notebook()\n"
        "frame = pd.DataFrame({'day': [0, 1], 'level_ng_ml': [1.0, 2.0]})\n"
        "import ipywidgets as w\n"
        "from IPython.core.formatters import DisplayFormatter\n"
        "from mtorlib.widgets import slide_still\n"
        "fmt = DisplayFormatter()\n"
        "slide_still.install(fmt)  # as setup_notebook() does in a kernel\n"
        "chart = render.show(alt.Chart(frame).mark_line().encode(x='day', y='level_ng_ml'))\n"
        "data, _ = chart._repr_mimebundle_()\n"
        "box, _ = fmt.format(w.VBox([w.HTML('controls'), chart]))\n"
        "print('text/html' in data, 'text/html' in box, 'vl_convert' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MTORLIB_LECTURER", "QUERY_STRING")}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                         text=True, check=True, timeout=300)
    assert out.stdout.split() == ["False", "False", "False"], out.stdout + out.stderr
