"""The PK explorer's scenario overlay, built from the tidy frame of ``scenarios.compare.overlay``.

* :func:`scenario_overlay` — one line per scenario (typical patient, or the population median with
  its 5–95 % band lightly shaded), told apart by colour (Okabe–Ito) AND line pattern
  (``strokeDash``), so the comparison reads in greyscale and for colour-blind readers; one legend.
* :func:`overlay_caption` — its one-line description for screen readers.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import tr
from . import concentration
from .palette import OVERLAY_COLOURS as COLOURS
from .palette import OVERLAY_DASHES as DASHES


def scenario_overlay(curves: pd.DataFrame, *, target_ng_ml=None, title: str | None = None
                     ) -> alt.LayerChart:
    """Overlay ``scenario, time_h, p50[, p05, p95]`` (h, ng/mL) with the target window shaded.

    Scenarios keep the order of their first rows (the live one first: blue, solid); at most
    ``len(DASHES)`` of them. Its description (the screen-reader name) is :func:`overlay_caption`,
    set here in one go: a chart built without one would be copied to add it when shown
    (``charts.offline.described``), a cost on every slider move.
    """
    missing = [c for c in ("scenario", "time_h", "p50") if c not in curves.columns]
    if missing:
        raise concentration.ChartError(f"curves lack column(s) {', '.join(missing)} (scenario_overlay)")
    names = list(pd.unique(curves["scenario"]))
    if not 0 < len(names) <= len(DASHES):
        raise concentration.ChartError(f"scenario_overlay draws 1 to {len(DASHES)} scenarios; "
                                       f"got {len(names)}")
    target = concentration._check_target(target_ng_ml)
    tcol, div, ttitle = concentration._time_axis(curves)
    data = pd.DataFrame({"scenario": curves["scenario"].to_numpy(),
                         tcol: np.round(curves["time_h"].to_numpy(dtype=float) / div, 3),
                         "conc": np.round(curves["p50"].to_numpy(dtype=float), 3)})
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0, symbolStrokeWidth=3,
                        symbolType="stroke", symbolSize=600, symbolOpacity=1)
    colours = alt.Scale(domain=names, range=list(COLOURS[: len(names)]))
    colour = alt.Color(field="scenario", type="nominal", title=tr("pk.series"), legend=legend,
                       scale=colours, sort=names)
    dash = alt.StrokeDash(field="scenario", type="nominal", title=tr("pk.series"), legend=legend,
                          scale=alt.Scale(domain=names, range=list(DASHES[: len(names)])), sort=names)
    x = alt.X(field=tcol, type="quantitative", title=ttitle)
    layers = [concentration._target_layer(target)] if target else []
    if {"p05", "p95"} <= set(curves.columns):
        spread = curves.dropna(subset=["p05", "p95"])
        if len(spread):
            area = pd.DataFrame({"scenario": spread["scenario"].to_numpy(),
                                 tcol: np.round(spread["time_h"].to_numpy(dtype=float) / div, 3),
                                 "p05": spread["p05"].to_numpy(), "p95": spread["p95"].to_numpy()})
            layers.append(alt.Chart(area, mark=alt.MarkDef(type="area", opacity=0.12),
                                    encoding=alt.FacetedEncoding(
                                        x=x, y=concentration._q("p05"), y2=alt.Y2(field="p95"),
                                        color=colour)))
    # built whole (not .mark_line().encode(), each a copy of the chart): a cost on every move
    layers.append(alt.Chart(data, mark=alt.MarkDef(type="line", strokeWidth=2.5),
                            encoding=alt.FacetedEncoding(
                                x=x, y=concentration._q("conc", tr("pk.axis_conc")), color=colour,
                                strokeDash=dash)))
    return alt.layer(*layers, title=title or tr("pk.cmp_title"), description=overlay_caption(curves))


def overlay_caption(curves: pd.DataFrame) -> str:
    """"N scenarios overlaid ...; concentration at day D: name value, ..." in the current language."""
    names = curves["scenario"].to_numpy()
    t, c = curves["time_h"].to_numpy(dtype=float), curves["p50"].to_numpy(dtype=float)
    rows = {name: names == name for name in pd.unique(names)}
    end = min(t[at].max() for at in rows.values())  # shown by every scenario (kept ones thinned)
    values = tr("pk.cmp_join").join(
        f"{name} {concentration.fmt_number(np.interp(end, t[at], c[at]))} ng/mL"
        for name, at in rows.items())
    return tr("pk.cmp_caption", n=len(rows), day=concentration.fmt_number(end / 24),
              values=values)
