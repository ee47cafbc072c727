"""Case charts built from tidy frames (never displayed here).

* :func:`lab_timeline` — ``day, test, value, unit[, node]`` (from ``mtorlib.cases.labs_frame``) →
  one small panel per test, each with its own y scale and unit, points joined by lines. Each
  panel's axis starts at 0, and a test with a sourced adult reference range
  (``mtorlib/data/lab_reference.yaml``) shows it as a shaded band that the axis also includes, so
  250 → 240 ×10⁹/L looks as small as it is. With ``visible_nodes`` the chart holds every node's
  labs and shows only those of the listed nodes through a Vega parameter ``visited`` (a view then
  updates the parameter, not the whole spec). Its screen-reader description names the first and
  last value of each test shown (:func:`mtorlib.charts.describe.labs`).
* :func:`with_visited` — a drawn timeline's spec showing other nodes (parameter and description).
* :func:`reference_ranges` / :func:`reference_note` — the bands as a frame, and the note saying
  what they are and which tests have none.

Labels come from the ``cases.lab.*`` UI strings; colours from ``mtorlib.charts.render.PALETTE``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..cases.model import LAB_TESTS, UNITS
from ..content import load_one
from ..i18n import get_language, text, tr
from . import describe
from .render import PALETTE

COLUMNS = ("day", "test", "value", "unit")


def visited_value(node_ids) -> str:
    """The ``visited`` parameter value for a list of node ids: ``"|a|b|"``."""
    return "|" + "|".join(node_ids) + "|"


def reference_ranges(lang: str | None = None) -> pd.DataFrame:
    """Sourced adult reference ranges: ``test, low, high, unit, band`` (band = its label)."""
    data = load_one("lab_reference", "lab_reference").data
    rows = []
    for test, r in data["ranges"].items():
        if test not in LAB_TESTS or r["unit"] != UNITS[test] or not r["low"] < r["high"]:
            raise ValueError(f"lab_reference.yaml ranges.{test}: test must be one of {', '.join(LAB_TESTS)}"
                             f" with unit {UNITS.get(test)!r} and low < high")
        rows.append({"test": test, "low": float(r["low"]), "high": float(r["high"]), "unit": r["unit"],
                     "band": text(r["label"], lang or get_language())})
    return pd.DataFrame(rows, columns=["test", "low", "high", "unit", "band"])


def reference_note(lang: str | None = None) -> str:
    """What the bands are, their source and which tests have none (plain text)."""
    return text(load_one("lab_reference", "lab_reference").data["note"], lang or get_language())


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


def with_visited(spec: dict, labs: pd.DataFrame, visible_nodes, lang: str | None = None) -> dict:
    """The Vega-Lite ``spec`` of :func:`lab_timeline` (with ``visible_nodes``) now showing
    ``visible_nodes``: its ``visited`` parameter and its description, edited in the dict (no
    rebuild, which takes seconds for a faceted chart on a loaded machine)."""
    data = lab_frame_labelled(labs, lang)
    shown = data[data["node"].isin(list(visible_nodes))]
    params = [dict(p, value=visited_value(visible_nodes)) if p.get("name") == "visited" else p
              for p in spec["params"]]
    return {**spec, "params": params, "description": describe.labs(shown, lang)}


def lab_timeline(labs: pd.DataFrame, *, visible_nodes=None, lang: str | None = None, width: int = 420,
                 large: bool = False) -> alt.FacetChart:
    """Small multiples of the lab results over the case timeline (days) with reference bands;
    ``large`` for projection."""
    lang = lang or get_language()
    data = lab_frame_labelled(labs, lang)
    if visible_nodes is not None and "node" not in data.columns:
        raise ValueError("labs needs a 'node' column when visible_nodes is given")
    order = list(dict.fromkeys(data["label"]))
    labels = dict(zip(data["test"], data["label"], strict=False))
    bands = reference_ranges(lang)
    bands = bands[bands["test"].isin(labels)].assign(label=lambda b: b["test"].map(labels))
    shown = data if visible_nodes is None else data[data["node"].isin(list(visible_nodes))]
    rows = pd.concat([data.assign(kind="value"), bands.drop(columns="unit").assign(kind="range")],
                     ignore_index=True)
    band = alt.Chart().mark_rect(color=PALETTE[2], opacity=0.15).encode(
        y=alt.Y("low:Q"), y2="high:Q", tooltip=[alt.Tooltip("band:N", title=tr("cases.reference", lang))],
    ).transform_filter("datum.kind == 'range'")
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=60), color=PALETTE[0]).encode(
        x=alt.X("day:Q", title=tr("cases.day", lang)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("day:Q", title=tr("cases.day", lang)),
                 alt.Tooltip("label:N", title=tr("cases.test", lang)),
                 alt.Tooltip("value:Q", title=tr("cases.value", lang))],
    ).transform_filter("datum.kind == 'value'")
    chart = alt.layer(band, line).properties(width=width, height=90).facet(
        row=alt.Row("label:N", sort=order, title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        data=rows, title=tr("cases.lab_timeline", lang),
    ).resolve_scale(y="independent").properties(description=describe.labs(shown, lang))
    if visible_nodes is not None:
        chart = chart.add_params(alt.param(name="visited", value=visited_value(visible_nodes)))
        chart = chart.transform_filter(
            "datum.kind == 'range' || indexof(visited, '|' + datum.node + '|') >= 0")
    if large:
        chart = chart.configure_axis(labelFontSize=18, titleFontSize=20).configure_header(
            labelFontSize=20).configure_title(fontSize=24)
    return chart
