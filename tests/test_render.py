"""Offline chart rendering and PNG/SVG export (vl-convert, no network)."""

import altair as alt
import pandas as pd
import pytest

from mtorlib.charts import render


@pytest.fixture
def chart():
    frame = pd.DataFrame({"time_h": [0, 1, 2], "conc_ng_ml": [0.0, 5.0, 4.0]})
    return alt.Chart(frame, title="血药浓度 / concentration").mark_line().encode(x="time_h", y="conc_ng_ml")


@pytest.mark.slow  # vl-convert starts its JavaScript engine
def test_export_png_and_svg(tmp_path, chart):
    png = render.export(chart, tmp_path / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = render.export(chart, tmp_path / "c.svg").read_text("utf-8")
    assert svg.lstrip().startswith("<svg") and "concentration" in svg


def test_export_rejects_unknown_format(tmp_path, chart):
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        render.export(chart, tmp_path / "c.gif")


def test_theme_uses_colour_blind_palette_and_presentation_enlarges(chart):
    spec = chart.to_dict()
    assert spec["config"]["range"]["category"] == render.PALETTE
    small = spec["config"]["axis"]["labelFontSize"]
    render.set_presentation(True)
    try:
        assert chart.to_dict()["config"]["axis"]["labelFontSize"] > small
    finally:
        render.set_presentation(False)


def test_offline_renderer_embeds_vega(chart, monkeypatch):
    from mtorlib.charts import still

    monkeypatch.setattr(still, "svg", lambda c: "<svg/>")  # vl-convert: tests/test_chart_still.py
    render.enable_offline()
    assert alt.renderers.active == "mtorlib-offline"
    # what the browser receives: the model's module is a small loader (anywidget gives it 2 s);
    # Vega comes in the ``_bundle`` trait, which the loader reads with model.get("_bundle")
    state = render.show(chart).get_state()
    assert len(state["_esm"]) < 2000 and "import(" in state["_esm"]
    assert "cdn.jsdelivr" not in state["_esm"] + state["_bundle"][:5000]
    assert "export{__default as default}" in state["_bundle"]  # what the loader calls .render on
    was = still.enabled()
    still.set_enabled(True)  # lecturer mode's still pictures
    try:
        bundle = alt.renderers.get()(chart.to_dict())  # what Altair calls to display a chart
    finally:
        still.set_enabled(was)
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "mtor-chart-still" in bundle["text/html"]  # what RISE shows instead of the widget
