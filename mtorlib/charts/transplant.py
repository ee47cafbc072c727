"""The transplant-ward chart: sirolimus over days, the azole window shaded, the target window, and
the dose change suggested on the measurement day (never displayed here).

:func:`azole_course` takes the tidy frame of :func:`mtorlib.scenarios.transplant.run_transplant`
(``time_h, conc_ng_ml, series``; series ``unchanged``, ``label``, ``bayes``) and plain numbers, so it
can be tested without running a scenario. Labels come from the ``transplant.*`` UI strings.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import tr
from . import describe
from .render import PALETTE

SERIES = ("unchanged", "label", "bayes")
AZOLE_COLOUR = PALETTE[1]
TARGET_COLOUR = PALETTE[2]


class TransplantChartError(ValueError):
    """An input the transplant chart cannot draw."""


def _check(frame: pd.DataFrame, azole_days, target_ng_ml) -> tuple:
    missing = [c for c in ("time_h", "conc_ng_ml", "series") if c not in frame.columns]
    if missing:
        raise TransplantChartError(f"frame lacks column(s) {', '.join(missing)} (azole_course)")
    unknown = sorted(set(frame["series"]) - set(SERIES))
    if unknown or frame.empty:
        raise TransplantChartError(f"series must be among {', '.join(SERIES)} and the frame not "
                                   f"empty; got {unknown or 'no rows'} (azole_course)")
    start, stop = (float(d) for d in azole_days)
    lo, hi = (float(v) for v in target_ng_ml)
    if not (0 <= start < stop and 0 <= lo < hi):
        raise TransplantChartError(f"need 0 <= start < stop days and 0 <= lo < hi ng/mL; got "
                                   f"{azole_days!r}, {target_ng_ml!r} (azole_course)")
    return start, stop, lo, hi


def azole_course(frame: pd.DataFrame, *, azole_days: tuple[float, float], azole_name: str,
                 target_ng_ml: tuple[float, float], measure_day: float,
                 suggestions: dict[str, float]) -> alt.LayerChart:
    """Concentration (ng/mL) over days with the azole window, the target window and the suggestion.

    Parameters
    ----------
    frame : DataFrame ``time_h`` (h), ``conc_ng_ml``, ``series`` (``unchanged``/``label``/``bayes``).
    azole_days : (start, stop) day of the azole (shaded along the time axis).
    azole_name : the azole as shown (translated).
    target_ng_ml : (lo, hi) trough window (shaded along the concentration axis).
    measure_day : day of the measured trough and of the dose change (a vertical rule).
    suggestions : ``{"label": mg, "bayes": mg}``: the doses shown at the rule.
    """
    start, stop, lo, hi = _check(frame, azole_days, target_ng_ml)
    names = {s: tr(f"transplant.series_{s}", dose=suggestions.get(s, "")) for s in SERIES}
    data = pd.DataFrame({"day": np.round(frame["time_h"].to_numpy(dtype=float) / 24, 3),
                         "conc": np.round(frame["conc_ng_ml"].to_numpy(dtype=float), 2),
                         "series": frame["series"].map(names).to_numpy()})
    x_title, y_title = tr("pk.axis_time_d"), tr("pk.axis_conc")
    azole = pd.DataFrame({"start": [start], "stop": [stop], "text": [azole_name]})
    target = pd.DataFrame({"lo": [lo], "hi": [hi]})
    rule = pd.DataFrame({"day": [float(measure_day)],
                         "text": [tr("transplant.chart_change", day=f"{measure_day:g}")]})
    domain = [names[s] for s in SERIES if s in set(frame["series"])]
    colour = alt.Color(field="series", type="nominal", title=tr("transplant.chart_series"),
                       scale=alt.Scale(domain=domain, range=PALETTE[: len(domain)]),
                       legend=alt.Legend(orient="bottom", direction="vertical"))
    layers = [
        alt.Chart(azole).mark_rect(color=AZOLE_COLOUR, opacity=0.15).encode(
            x=alt.X(field="start", type="quantitative"), x2=alt.X2(field="stop")),
        alt.Chart(azole).mark_text(align="left", dx=4, dy=8, baseline="top", color=AZOLE_COLOUR).encode(
            x=alt.X(field="start", type="quantitative"), y=alt.value(0), text=alt.Text(field="text")),
        alt.Chart(target).mark_rect(color=TARGET_COLOUR, opacity=0.18).encode(
            y=alt.Y(field="lo", type="quantitative"), y2=alt.Y2(field="hi")),
        alt.Chart(data).mark_line(strokeWidth=2).encode(
            x=alt.X(field="day", type="quantitative", title=x_title),
            y=alt.Y(field="conc", type="quantitative", title=y_title), color=colour,
            strokeDash=alt.StrokeDash(field="series", type="nominal", legend=None)),
        alt.Chart(rule).mark_rule(color="#444444", strokeDash=[4, 3]).encode(
            x=alt.X(field="day", type="quantitative")),
        alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color="#444444").encode(
            x=alt.X(field="day", type="quantitative"), y=alt.value(12), text=alt.Text(field="text")),
    ]
    about = describe.azole_course(frame, names, azole_name, (start, stop), measure_day, (lo, hi))
    return alt.layer(*layers).properties(title=tr("transplant.chart_title"), width=560, height=300,
                                         description=about)
