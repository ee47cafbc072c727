"""Adverse-event figures as a chart (never displayed here).

* :func:`adverse_event_chart` — the frame of :func:`mtorlib.safety.adverse_events` → one row per
  figure (event and source), a filled point at the reported percent, a bar across a range of
  studies, an open circle at the control arm's figure; colour = population; the tooltip gives the
  figure as published, the setting, the drug and the source.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import get_language, tr
from . import describe
from .render import PALETTE

NEEDED = ("event", "drug", "population", "setting", "percent", "percent_high", "comparator_percent",
          "figure", "source")


def adverse_event_chart(frame: pd.DataFrame, lang: str | None = None) -> alt.Chart:
    """A layered chart of adverse-event frequencies (x: percent of patients, 0-100)."""
    missing = [c for c in NEEDED if c not in frame.columns]
    if missing:
        raise ValueError(f"frame needs columns {', '.join(NEEDED)}; missing {', '.join(missing)} "
                         "(charts.safety.adverse_event_chart)")
    lang = lang or get_language()
    data = frame.loc[:, list(NEEDED)].copy()
    data["row"] = data["event"] + " · " + data["source"]
    for col in ("percent", "percent_high", "comparator_percent"):
        data[col] = data[col].round(1)
    axis_title = tr("safety.percent_axis", lang)
    order = list(data.sort_values(["population", "event"])["row"])
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    colour = alt.Color("population:N", title=tr("safety.population", lang),
                       scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom", columns=3))
    tooltip = [alt.Tooltip("event:N", title=tr("safety.event", lang)),
               alt.Tooltip("figure:N", title=tr("safety.figure", lang)),
               alt.Tooltip("population:N", title=tr("safety.population", lang)),
               alt.Tooltip("drug:N", title=tr("safety.drug", lang)),
               alt.Tooltip("setting:N", title=tr("safety.setting", lang)),
               alt.Tooltip("source:N", title=tr("safety.source", lang))]
    x = alt.X("percent:Q", title=axis_title, scale=alt.Scale(domain=[0, 100]))
    base = alt.Chart(data).encode(y=y, color=colour, tooltip=tooltip)
    bars = base.mark_rule(strokeWidth=4, opacity=0.6).encode(x=x, x2="percent_high:Q")
    points = base.mark_point(filled=True, size=70).encode(x=x)
    comparator = (base.transform_filter("isValid(datum.comparator_percent)")
                  .mark_point(filled=False, size=70).encode(x="comparator_percent:Q"))
    height = max(120, 18 * len(data))
    return (alt.layer(bars, points, comparator)
            .properties(width=420, height=height, title=tr("safety.comparator_mark", lang),
                        description=describe.adverse_events(frame, lang)))
