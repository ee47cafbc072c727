"""Case charts built from tidy frames (never displayed here).

* :func:`lab_timeline` — ``day, test, value, unit[, node]`` (from ``mtorlib.cases.labs_frame``) →
  one small panel per test, each with its own y scale and unit, points joined by lines. With
  ``visible_nodes`` the chart holds every node's labs and shows only those of the listed nodes
  through a Vega parameter ``visited`` (a view then updates the parameter, not the whole spec).

Labels come from the ``cases.lab.*`` UI strings; colours from ``mtorlib.charts.render.PALETTE``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..cases.model import LAB_TESTS
from ..i18n import get_language, tr
from .render import PALETTE

COLUMNS = ("day", "test", "value", "unit")


def visited_value(node_ids) -> str:
    """The ``visited`` parameter value for a list of node ids: ``"|a|b|"``."""
    return "|" + "|".join(node_ids) + "|"


def lab_frame_labelled(labs: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """``labs`` plus a ``label`` column "name (unit)" in ``lang``, ordered by test then day."""
    missing = [c for c in COLUMNS if c not in labs.columns]
    if missing:
        raise ValueError(f"labs needs columns {', '.join(COLUMNS)}; missing {', '.join(missing)}")
    unknown = sorted(set(labs["test"]) - set(LAB_TESTS))
    if unknown:
        raise ValueError(f"labs.test must be one of {', '.join(LAB_TESTS)}; got {', '.join(unknown)}")
    lang = lang or get_language()
    names = {t: tr(f"cases.lab.{t}", lang) for t in LAB_TESTS}
    out = labs.copy()
    out["value"] = out["value"].astype(float).round(2)
    out["label"] = [f"{names[t]} ({u})" for t, u in zip(out["test"], out["unit"], strict=True)]
    out["order"] = out["test"].map({t: i for i, t in enumerate(LAB_TESTS)})
    return out.sort_values(["order", "day"], ignore_index=True).drop(columns="order")


def lab_timeline(labs: pd.DataFrame, *, visible_nodes=None, lang: str | None = None, width: int = 420,
                 large: bool = False) -> alt.FacetChart:
    """Small multiples of the lab results over the case timeline (days); ``large`` for projection."""
    data = lab_frame_labelled(labs, lang)
    if visible_nodes is not None and "node" not in data.columns:
        raise ValueError("labs needs a 'node' column when visible_nodes is given")
    order = list(dict.fromkeys(data["label"]))
    base = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=60), color=PALETTE[0]).encode(
        x=alt.X("day:Q", title=tr("cases.day", lang)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("day:Q", title=tr("cases.day", lang)),
                 alt.Tooltip("label:N", title=tr("cases.test", lang)),
                 alt.Tooltip("value:Q", title=tr("cases.value", lang))],
    ).properties(width=width, height=90)
    chart = base.facet(
        row=alt.Row("label:N", sort=order, title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        title=tr("cases.lab_timeline", lang),
    ).resolve_scale(y="independent")
    if visible_nodes is not None:
        chart = chart.add_params(alt.param(name="visited", value=visited_value(visible_nodes)))
        chart = chart.transform_filter("indexof(visited, '|' + datum.node + '|') >= 0")
    if large:
        chart = chart.configure_axis(labelFontSize=16, titleFontSize=18).configure_header(
            labelFontSize=16).configure_title(fontSize=22)
    return chart
