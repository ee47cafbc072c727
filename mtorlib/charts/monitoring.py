"""TDM charts built from tidy frames (never displayed here).

* :func:`forecast` — measured levels, the fitted history and the forecast under the Bayesian dose
  (median with a band) and under the label-rule dose, with the target window shaded
  (frame ``time_h, conc_ng_ml, lo_ng_ml, hi_ng_ml, series`` from ``mtorlib.scenarios.run_coach``).
* :func:`approach` — fraction of steady state against days (``day, fraction, series``).
* :func:`assay_windows` — one target window read on other assays (rows from
  ``mtorlib.tdm.assay.convert_window`` plus a ``label`` column).

Each chart carries its screen-reader description (:mod:`mtorlib.charts.describe`).
Titles and axes come from the ``tdm.*`` UI strings; colours from ``mtorlib.charts.render.PALETTE``.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import tr
from ..pk.constants import target_window
from . import describe
from .render import PALETTE

SERIES = ("bayes", "label")


class TDMChartError(ValueError):
    """An input a TDM chart cannot draw."""


def _need(frame: pd.DataFrame, columns: tuple[str, ...], where: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TDMChartError(f"{where} needs a DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TDMChartError(f"{where}: frame lacks column(s) {missing}; required: {', '.join(columns)}")


def _window(target) -> alt.Chart:
    try:
        lo, hi = (float(v) for v in target)
    except (TypeError, ValueError):
        raise TDMChartError(f"target_ng_ml must be (low, high) in ng/mL; got {target!r}") from None
    if not 0 <= lo < hi:
        raise TDMChartError(f"target_ng_ml must be (low, high) with 0 <= low < high ng/mL; got {target!r}")
    data = pd.DataFrame({"lo": [lo], "hi": [hi]})
    return alt.Chart(data).mark_rect(color=PALETTE[2], opacity=0.15).encode(
        y=alt.Y(field="lo", type="quantitative"), y2=alt.Y2(field="hi"))


def forecast(frame: pd.DataFrame, levels: pd.DataFrame, *, target_ng_ml="default",
             start_day: float | None = None, title: str | None = None) -> alt.LayerChart:
    """Levels, fit and forecast (days on x, ng/mL on y) with the band and the target window.

    ``target_ng_ml`` is ``(lo, hi)`` in ng/mL, or ``"default"``: the sirolimus window of
    :func:`mtorlib.pk.target_window`.
    """
    target = target_window("sirolimus").ng_ml if target_ng_ml == "default" else target_ng_ml
    _need(frame, ("time_h", "conc_ng_ml", "lo_ng_ml", "hi_ng_ml", "series"), "forecast")
    _need(levels, ("time_h", "conc_ng_ml"), "forecast (levels)")
    names = {s: tr(f"tdm.series_{s}") for s in SERIES}
    data = pd.DataFrame({
        "day": np.round(frame.time_h.to_numpy(float) / 24.0, 3),
        "conc": np.round(frame.conc_ng_ml.to_numpy(float), 2),
        "lo": np.round(frame.lo_ng_ml.to_numpy(float), 2),
        "hi": np.round(frame.hi_ng_ml.to_numpy(float), 2),
        "series": frame.series.map(names).to_numpy(),
    })
    x = alt.X(field="day", type="quantitative", title=tr("tdm.axis_day"))
    y_title = tr("tdm.axis_conc")
    colour = alt.Color(field="series", type="nominal", title=None, legend=alt.Legend(labelLimit=320),
                       scale=alt.Scale(domain=[names[s] for s in SERIES], range=PALETTE[:2]))
    band = alt.Chart(data.dropna(subset=["lo"])).mark_area(opacity=0.25, color=PALETTE[0]).encode(
        x=x, y=alt.Y(field="lo", type="quantitative", title=y_title), y2=alt.Y2(field="hi"))
    lines = alt.Chart(data).mark_line(strokeWidth=2.2).encode(
        x=x, y=alt.Y(field="conc", type="quantitative", title=y_title), color=colour,
        strokeDash=alt.StrokeDash(field="series", type="nominal", legend=None))
    obs = pd.DataFrame({"day": np.round(levels.time_h.to_numpy(float) / 24.0, 3),
                        "conc": np.round(levels.conc_ng_ml.to_numpy(float), 2),
                        "what": tr("tdm.series_measured")})
    points = alt.Chart(obs).mark_point(filled=True, size=80, color=PALETTE[7]).encode(
        x=x, y=alt.Y(field="conc", type="quantitative"),
        shape=alt.Shape(field="what", type="nominal", title=None),
        tooltip=[alt.Tooltip(field="day", type="quantitative"),
                 alt.Tooltip(field="conc", type="quantitative")])
    layers = [_window(target), band, lines, points]
    if start_day is not None:
        rule = pd.DataFrame({"day": [float(start_day)]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[4, 4], color=PALETTE[5]).encode(x=x))
    about = describe.forecast(frame, levels, tuple(float(v) for v in target))
    return alt.layer(*layers).properties(title=title or tr("tdm.title_forecast"), description=about)


def approach(frame: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Fraction of steady state (0–1) against days, a line per ``series``; 90 % marked."""
    _need(frame, ("day", "fraction", "series"), "approach")
    data = pd.DataFrame({"day": np.round(frame.day.to_numpy(float), 3),
                         "pct": np.round(100 * frame.fraction.to_numpy(float), 1),
                         "series": frame.series.astype(str).to_numpy()})
    x = alt.X(field="day", type="quantitative", title=tr("tdm.axis_day"))
    line = alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y(field="pct", type="quantitative", title=tr("tdm.axis_pct_ss"),
                     scale=alt.Scale(domain=[0, 100])),
        color=alt.Color(field="series", type="nominal", title=None))
    ninety = alt.Chart(pd.DataFrame({"pct": [90.0]})).mark_rule(strokeDash=[4, 4], color=PALETTE[5])
    return alt.layer(line, ninety.encode(y=alt.Y(field="pct", type="quantitative"))).properties(
        title=title or tr("tdm.title_approach"), description=describe.approach(frame))


def assay_windows(frame: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """A window as given and as read on other methods: solid where certain, pale where uncertain."""
    cols = ("label", "lo_min_ng_ml", "lo_max_ng_ml", "hi_min_ng_ml", "hi_max_ng_ml")
    _need(frame, cols, "assay_windows")
    data = pd.DataFrame({c: (np.round(frame[c].to_numpy(float), 2) if c != "label"
                             else frame[c].astype(str).to_numpy()) for c in cols})
    y = alt.Y(field="label", type="nominal", title=None, sort=None)
    x_title = tr("tdm.axis_conc")
    outer = alt.Chart(data).mark_bar(opacity=0.3, color=PALETTE[0], height=14).encode(
        y=y, x=alt.X(field="lo_min_ng_ml", type="quantitative", title=x_title),
        x2=alt.X2(field="hi_max_ng_ml"))
    inner = alt.Chart(data).mark_bar(color=PALETTE[0], height=14).encode(
        y=y, x=alt.X(field="lo_max_ng_ml", type="quantitative"), x2=alt.X2(field="hi_min_ng_ml"),
        tooltip=[alt.Tooltip(field=c, type="quantitative") for c in cols[1:]])
    return alt.layer(outer, inner).properties(title=title or tr("tdm.title_assay"),
                                              description=describe.assay_windows(frame))
