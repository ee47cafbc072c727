"""Case charts built from tidy frames (never displayed here).

* :func:`lab_timeline` — ``day, test, value, unit`` (from ``mtorlib.cases.labs_frame``) → one small
  panel per test, each with its own y scale and unit, points joined by lines.

Labels come from the ``cases.lab.*`` UI strings; colours from ``mtorlib.render.PALETTE``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..cases.model import LAB_TESTS
from ..i18n import get_language, tr
from ..render import PALETTE

COLUMNS = ("day", "test", "value", "unit")


def lab_frame_labelled(labs: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """``labs`` plus a ``label`` column "name (unit)" in ``lang``; rows in :data:`LAB_TESTS` order."""
    missing = [c for c in COLUMNS if c not in labs.columns]
    if missing:
        raise ValueError(f"labs needs columns {', '.join(COLUMNS)}; missing {', '.join(missing)}")
    unknown = sorted(set(labs["test"]) - set(LAB_TESTS))
    if unknown:
        raise ValueError(f"labs.test must be one of {', '.join(LAB_TESTS)}; got {', '.join(unknown)}")
    lang = lang or get_language()
    out = labs.loc[:, list(COLUMNS)].copy()
    out["value"] = out["value"].astype(float).round(2)
    out["label"] = [f"{tr(f'cases.lab.{t}', lang)} ({u})" for t, u in zip(out["test"], out["unit"])]
    order = {t: i for i, t in enumerate(LAB_TESTS)}
    return out.sort_values(["test", "day"], key=lambda s: s.map(order) if s.name == "test" else s,
                           ignore_index=True)


def lab_timeline(labs: pd.DataFrame, *, lang: str | None = None, width: int = 420) -> alt.FacetChart:
    """Small multiples of the lab results over the case timeline (days)."""
    data = lab_frame_labelled(labs, lang)
    order = list(dict.fromkeys(data["label"]))
    base = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=60), color=PALETTE[0]).encode(
        x=alt.X("day:Q", title=tr("cases.day", lang)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("day:Q", title=tr("cases.day", lang)),
                 alt.Tooltip("label:N", title=tr("cases.test", lang)),
                 alt.Tooltip("value:Q", title=tr("cases.value", lang))],
    ).properties(width=width, height=90)
    return base.facet(
        row=alt.Row("label:N", sort=order, title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        title=tr("cases.lab_timeline", lang),
    ).resolve_scale(y="independent")
