"""PRCA response chart from the sourced tidy frames of :mod:`mtorlib.scenarios.prca_course`.

:func:`response_course` draws only published points (and each study's month-0 start and the
point derived from a published median time to response, marked by shape); nothing is joined by
lines, because nothing between the points was published. Rates published without a time sit in
a second panel, with their confidence interval where one was published.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import tr
from . import describe
from .render import PALETTE

BASES = ("start", "reported", "derived_median")


def _tips(*fields: str) -> list[alt.Tooltip]:
    nominal = {"study", "arm", "basis"}
    return [alt.Tooltip(field=f, type="nominal" if f in nominal else "quantitative") for f in fields]


def _y(title: str | None = None) -> alt.Y:
    return alt.Y(field="percent", type="quantitative", scale=alt.Scale(domain=[0, 100]),
                 title=title or alt.Undefined)


def response_course(points: pd.DataFrame, untimed: pd.DataFrame, *,
                    judge_month: float | None = None) -> alt.HConcatChart:
    """Points (``study, arm_label, month, percent, basis``) over months, a rule at ``judge_month``,
    and the untimed rates (``study, arm_label, percent, ci_low, ci_high``) beside them."""
    timed = pd.DataFrame({
        "study": points["study"].to_numpy(), "arm": points["arm_label"].to_numpy(),
        "month": np.round(points["month"].to_numpy(dtype=float), 2),
        "percent": np.round(points["percent"].to_numpy(dtype=float), 1),
        "basis": [tr(f"diseases.basis_{b}") for b in points["basis"]],
    })
    shapes = alt.Scale(domain=[tr(f"diseases.basis_{b}") for b in BASES],
                       range=["circle", "square", "triangle-up"])
    studies = sorted(set(points["study"]) | set(untimed["study"]))
    colour = alt.Color(field="study", type="nominal", title=tr("diseases.axis_study"),
                       scale=alt.Scale(domain=studies, range=PALETTE[: len(studies)]))
    base = alt.Chart(timed)
    layers = [
        base.mark_point(size=90, filled=True).encode(
            x=alt.X(field="month", type="quantitative", title=tr("diseases.axis_month"),
                    scale=alt.Scale(domain=[0, 13])),
            y=_y(tr("diseases.axis_percent")), color=colour,
            shape=alt.Shape(field="basis", type="nominal", scale=shapes, title=tr("diseases.axis_basis")),
            tooltip=_tips("study", "arm", "month", "percent", "basis")),
        base.mark_text(dy=-12, fontSize=11).encode(
            x=alt.X(field="month", type="quantitative"), y=_y(), color=colour,
            text=alt.Text(field="percent", type="quantitative")),
    ]
    if judge_month is not None:
        rule = pd.DataFrame({"month": [round(float(judge_month), 2)]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[4, 4], color="#555555")
                      .encode(x=alt.X(field="month", type="quantitative")))
    over_time = alt.layer(*layers).properties(width=340, height=260,
                                              title=tr("diseases.title_course"))
    flat = pd.DataFrame({
        "study": untimed["study"].to_numpy(), "arm": untimed["arm_label"].to_numpy(),
        "percent": np.round(untimed["percent"].to_numpy(dtype=float), 1),
        "lo": np.round(untimed["ci_low"].to_numpy(dtype=float), 1),
        "hi": np.round(untimed["ci_high"].to_numpy(dtype=float), 1),
    })
    x = alt.X(field="arm", type="nominal", title=None,
              axis=alt.Axis(labelAngle=0, labelLimit=150, labelFontSize=10))
    offset = {"x": x, "xOffset": alt.XOffset(field="study", type="nominal")}
    side = alt.Chart(flat)
    untimed_layers = [
        side.mark_rule().encode(y=alt.Y(field="lo", type="quantitative"), y2=alt.Y2(field="hi"),
                                **offset),
        side.mark_point(size=90, filled=True, shape="diamond").encode(
            y=_y(tr("diseases.axis_percent")), color=colour,
            tooltip=_tips("study", "arm", "percent", "lo", "hi"), **offset),
        side.mark_text(dy=-12, fontSize=11).encode(
            y=_y(), color=colour, text=alt.Text(field="percent", type="quantitative"), **offset),
    ]
    no_time = alt.layer(*untimed_layers).properties(width=300, height=260,
                                                    title=tr("diseases.title_untimed"))
    return alt.hconcat(over_time, no_time).properties(
        description=describe.response_course(points, untimed, judge_month))
