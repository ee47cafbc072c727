"""The still picture a displayed chart carries for RISE (``mtorlib.charts.still``)."""

from __future__ import annotations

import base64
import re

import altair as alt
import pandas as pd
import pytest

from mtorlib import i18n
from mtorlib.charts import render, still

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _chart(title: str) -> alt.Chart:
    frame = pd.DataFrame({"day": [0, 1, 2], "level_ng_ml": [0.0, 4.0, 6.0]})
    return alt.Chart(frame).mark_line().encode(x="day", y="level_ng_ml").properties(title=title)


@pytest.mark.slow  # starts vl-convert's JavaScript engine (seconds)
def test_displayed_chart_carries_the_svg_and_the_note_once_per_display(monkeypatch):
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


def test_a_chart_vl_convert_cannot_draw_keeps_its_widget(monkeypatch):
    def refuse(chart):
        raise ValueError("unsupported")

    monkeypatch.setattr(still, "svg", refuse)
    with pytest.warns(UserWarning, match="no still picture"):
        data, _ = render.show(_chart("T"))._repr_mimebundle_()
    assert WIDGET_MIME in data and "text/html" not in data
