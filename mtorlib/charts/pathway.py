"""Mechanism charts from tidy frames (never displayed here).

* :func:`pathway_chart` — nodes at their data coordinates (``mechanism.node_states``), edges as
  rules (``mechanism.edges``); each node's effect for the chosen drug is shown by shape AND colour
  AND the legend wording ("inhibited", "not affected", ...), never by colour alone.
* :func:`pkpd_chart` — whole-blood concentration and the ILLUSTRATIVE effect over time
  (``scenarios.pkpd``), titled as didactic in the current language.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import tr
from . import describe
from .render import PALETTE

EFFECTS = ("inhibited", "decreased", "bound", "increased", "not_affected", "not_stated")
COLOURS = {"inhibited": PALETTE[5], "decreased": PALETTE[1], "bound": PALETTE[0],
           "increased": PALETTE[2], "not_affected": "#555555", "not_stated": "#BBBBBB"}
SHAPES = {"inhibited": "cross", "decreased": "triangle-down", "bound": "diamond",
          "increased": "triangle-up", "not_affected": "square", "not_stated": "circle"}


def pathway_chart(states: pd.DataFrame, edge_frame: pd.DataFrame, *, title: str = "",
                  lang: str | None = None) -> alt.LayerChart:
    """Nodes (``node, x, y, label, effect, why``) over edges (``x, y, x2, y2, relation, text``)."""
    names = [tr(f"mechanism.effect_{e}", lang) for e in EFFECTS]
    nodes = states.assign(status=[tr(f"mechanism.effect_{e}", lang) for e in states["effect"]])
    nodes = nodes[["node", "x", "y", "label", "status", "why"]]
    scale_x = alt.Scale(domain=[-1, 11])
    scale_y = alt.Scale(domain=[-0.8, 10])
    bare = {"axis": None}
    rules = alt.Chart(edge_frame[["x", "y", "x2", "y2", "relation", "text"]]).mark_rule(
        color="#888888", strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=scale_x, **bare), y=alt.Y("y:Q", scale=scale_y, **bare),
        x2="x2:Q", y2="y2:Q", tooltip=["relation:N", "text:N"])
    legend = alt.Legend(title=tr("mechanism.legend_effect", lang), orient="bottom", columns=3)
    colours = alt.Scale(domain=names, range=[COLOURS[e] for e in EFFECTS])
    colour = alt.Color("status:N", scale=colours, legend=legend)
    shape = alt.Shape("status:N", scale=alt.Scale(domain=names, range=[SHAPES[e] for e in EFFECTS]),
                      legend=legend)
    points = alt.Chart(nodes).mark_point(size=260, filled=True, opacity=1).encode(
        x=alt.X("x:Q", scale=scale_x, **bare), y=alt.Y("y:Q", scale=scale_y, **bare),
        color=colour, shape=shape, tooltip=["label:N", "status:N", "why:N"])
    labels = alt.Chart(nodes).mark_text(dy=-16, fontSize=11).encode(
        x=alt.X("x:Q", scale=scale_x, **bare), y=alt.Y("y:Q", scale=scale_y, **bare),
        text="label:N")
    marks = alt.Chart(nodes).mark_text(dy=18, fontSize=10, fontStyle="italic").encode(
        x=alt.X("x:Q", scale=scale_x, **bare), y=alt.Y("y:Q", scale=scale_y, **bare),
        text="status:N", color=alt.Color("status:N", scale=colours, legend=None))
    return (alt.layer(rules, points, labels, marks)
            .properties(width=760, height=500, title=title, description=describe.pathway(states, lang))
            .configure_view(stroke=None))


def pkpd_chart(frame: pd.DataFrame, *, lang: str | None = None) -> alt.VConcatChart:
    """Concentration (top) and illustrative effect (bottom) over ``time_d``; title says didactic."""
    data = frame[["time_d", "conc_ng_ml", "effect_percent"]].round(3)
    x = alt.X("time_d:Q", title=tr("mechanism.axis_time", lang))
    conc = alt.Chart(data).mark_line(color=PALETTE[0]).encode(
        x=x, y=alt.Y("conc_ng_ml:Q", title=tr("mechanism.axis_conc", lang)),
        tooltip=["time_d:Q", "conc_ng_ml:Q"]).properties(width=620, height=180)
    effect = alt.Chart(data).mark_line(color=PALETTE[5], strokeDash=[6, 3]).encode(
        x=x, y=alt.Y("effect_percent:Q", title=tr("mechanism.axis_effect", lang),
                     scale=alt.Scale(domain=[0, 100])),
        tooltip=["time_d:Q", "effect_percent:Q"]).properties(width=620, height=180)
    return alt.vconcat(conc, effect).properties(
        description=describe.pkpd(frame, lang),
        title=alt.TitleParams(tr("mechanism.didactic_title", lang), color=PALETTE[5], fontSize=15))
