"""Pharmacokinetic charts built from tidy frames (never displayed here).

* :func:`concentration_time` — ``subject, time_h, conc_ng_ml`` [+ ``series`` column] → curves, or
  for a population the median with a 5–95 % band (computed in numpy by ``mtorlib.scenarios.bands``),
  and the target window shaded (default: the drug's window from ``mtorlib.pk.target_window``).
* :func:`pta_heatmap` — probability of target attainment by dose and weight band.
* :func:`compare_drugs` — sirolimus and everolimus panels side by side (a ``drug`` column).
* :func:`caption` — the one-line description of any of these charts, in the current language
  (also their screen-reader description, with :func:`mtorlib.charts.describe.concentration` for
  one patient); :func:`fmt_number` — how captions round numbers.

Titles and axes come from the ``pk.*`` UI strings, colours from ``mtorlib.charts.render.PALETTE``.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import tr
from ..pk.constants import target_window
from ..scenarios import bands
from . import describe
from .describe import fmt_number
from .render import PALETTE

DEFAULT = "default"  # target_ng_ml: the sourced default window of the drug (pk.target_window)
TARGET_COLOUR = PALETTE[2]
SAMPLE_COLOUR = "#999999"
MAX_SAMPLE_ROWS = 1500  # background curves are context: keep them off the payload budget


class ChartError(ValueError):
    """An input a PK chart cannot draw."""


def _check_target(target, drug: str = "sirolimus") -> tuple[float, float] | None:
    if target is None:
        return None
    if isinstance(target, str) and target == DEFAULT:
        return target_window(drug).ng_ml
    try:
        lo, hi = (float(v) for v in target)
    except (TypeError, ValueError):
        raise ChartError(f"target_ng_ml must be (low, high) in ng/mL, None or {DEFAULT!r}; "
                         f"got {target!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 <= lo < hi):
        raise ChartError(f"target_ng_ml must satisfy 0 <= low < high (ng/mL); got {target!r}")
    return lo, hi


def _time_axis(sim: pd.DataFrame) -> tuple[str, float, str]:
    """Plot days for spans over 3 days, else hours: (column, divisor, axis title)."""
    if sim["time_h"].max() > 72:
        return "day", 24.0, tr("pk.axis_time_d")
    return "hour", 1.0, tr("pk.axis_time_h")


def _thin(frame: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """Every k-th time point so that ``frame`` has at most about ``max_rows`` rows."""
    times = np.unique(frame["time_h"].to_numpy())
    step = int(np.ceil(len(frame) / max_rows))
    return frame if step <= 1 else frame[frame["time_h"].isin(times[::step])]


def _q(field: str, title: str | None = None) -> alt.Y:
    """A quantitative y channel (explicit objects build faster than shorthand strings)."""
    return alt.Y(field=field, type="quantitative", title=title or alt.Undefined)


def _target_layer(target: tuple[float, float]) -> alt.Chart:
    data = pd.DataFrame({"lo": [target[0]], "hi": [target[1]]})
    return (
        alt.Chart(data)
        .mark_rect(color=TARGET_COLOUR, opacity=0.18)
        .encode(alt.Y(field="lo", type="quantitative"), alt.Y2(field="hi"))
    )


def _series_colour(series: str | None, domain: list) -> dict:
    if series is None:
        return {}
    scale = alt.Scale(domain=domain, range=PALETTE[: max(len(domain), 1)])
    return {"color": alt.Color(field=series, type="nominal", scale=scale, title=tr("pk.series"))}


def _n_subjects(sim: pd.DataFrame, series: str | None) -> int:
    if series is None:
        return int(sim["subject"].nunique())
    return int(sim.groupby(series, sort=False)["subject"].nunique().max())


def concentration_time(
    sim: pd.DataFrame,
    *,
    target_ng_ml: tuple[float, float] | None | str = DEFAULT,
    series: str | None = None,
    band: bool = True,
    n_sample: int = 0,
    title: str | None = None,
) -> alt.LayerChart:
    """Concentration–time chart with the target window shaded.

    Parameters
    ----------
    sim : DataFrame
        ``subject, time_h, conc_ng_ml`` (h, ng/mL), e.g. from ``pk.simulate``, plus ``series``.
    target_ng_ml : (float, float), None or ``"default"``
        Target window in ng/mL shaded behind the curves; ``"default"``: the sirolimus window of
        :func:`mtorlib.pk.target_window` (5–15); None for none.
    series : str, optional
        Column naming scenarios (colour); each is summarised on its own.
    band : bool
        For populations (>1 subject): draw the 5–95 % band behind the median; else median only.
    n_sample : int
        Individual curves drawn thinly behind a population (first ``n_sample`` subjects).
    title : str, optional
        Chart title (default ``pk.title_conc`` in the current language).
    """
    target = _check_target(target_ng_ml)
    bands.check_frame(sim, series, "concentration_time")
    if sim.empty:
        raise ChartError("sim has no rows (concentration_time)")
    tcol, div, ttitle = _time_axis(sim)
    x = alt.X(field=tcol, type="quantitative", title=ttitle)
    y_title = tr("pk.axis_conc")
    domain = list(pd.unique(sim[series])) if series else []
    colour = _series_colour(series, domain)
    layers = [_target_layer(target)] if target else []
    if _n_subjects(sim, series) == 1 and series is None:
        about = describe.concentration(sim, target)
    else:
        about = caption(sim, target_ng_ml=target, series=series)
    if _n_subjects(sim, series) == 1:
        data = pd.DataFrame({tcol: np.round(sim["time_h"].to_numpy() / div, 3),
                             "conc": np.round(sim["conc_ng_ml"].to_numpy(dtype=float), 3)})
        if series:
            data[series] = sim[series].to_numpy()
        line = alt.Chart(data).mark_line(color=PALETTE[0], strokeWidth=2.5)
        layers.append(line.encode(x=x, y=_q("conc", y_title), **colour))
    else:
        if n_sample:
            sample = _thin(bands.sample_subjects(sim, n=n_sample), MAX_SAMPLE_ROWS)
            data = pd.DataFrame({tcol: np.round(sample["time_h"].to_numpy() / div, 3),
                                 "conc": np.round(sample["conc_ng_ml"].to_numpy(dtype=float), 2),
                                 "id": sample["subject"].astype(str).to_numpy()})
            if series:
                data["id"] = data["id"] + "/" + sample[series].astype(str).to_numpy()
            thin = alt.Chart(data).mark_line(color=SAMPLE_COLOUR, strokeWidth=0.6, opacity=0.5)
            layers.append(thin.encode(x=x, y=_q("conc"), detail=alt.Detail(field="id", type="nominal")))
        summary = bands.percentile_band(sim, series=series)
        summary.insert(0, tcol, np.round(summary.pop("time_h").to_numpy() / div, 3))
        base = alt.Chart(summary)
        if band:
            area = base.mark_area(opacity=0.25, color=PALETTE[0])
            layers.append(area.encode(x=x, y=_q("p05", y_title), y2=alt.Y2(field="p95"), **colour))
        line = base.mark_line(color=PALETTE[0], strokeWidth=2.5)
        layers.append(line.encode(x=x, y=_q("p50", y_title), **colour))
    return alt.layer(*layers).properties(title=title or tr("pk.title_conc"), description=about)


def pta_heatmap(
    pta: pd.DataFrame,
    *,
    dose: str = "dose_mg",
    band: str = "band",
    value: str = "pta",
    title: str | None = None,
) -> alt.LayerChart:
    """Heat map of the probability of target attainment (0–1) by dose and weight band.

    ``pta`` is tidy, one row per (dose, band), as ``pk.target_attainment`` returns it (columns
    ``dose_mg``, ``band`` and ``pta``; other names via ``dose``, ``band`` and ``value``).
    """
    missing = [c for c in (dose, band, value) if c not in pta.columns]
    if missing:
        raise ChartError(f"pta lacks column(s) {', '.join(missing)} (pta_heatmap)")
    probs = pta[value].to_numpy(dtype=float)
    if not np.all((probs >= 0) & (probs <= 1)):
        raise ChartError(f"column {value} must hold probabilities within 0..1 (pta_heatmap)")
    data = pd.DataFrame({"dose": pta[dose].to_numpy(), "band": pta[band].astype(str).to_numpy(),
                         "p": np.round(probs, 3)})
    data["label"] = [f"{round(100 * p)}%" for p in data["p"]]
    band_order = list(pd.unique(data["band"]))
    base = alt.Chart(data).encode(
        x=alt.X("band:O", title=tr("pk.axis_weight_band"), sort=band_order,
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("dose:O", title=tr("pk.axis_dose"), sort="descending"),
    )
    scale = alt.Scale(domain=[0, 1], range=["#FFFFFF", PALETTE[0]])
    cells = base.mark_rect().encode(
        color=alt.Color("p:Q", scale=scale, title=tr("pk.axis_pta"), legend=alt.Legend(format="%")),
        tooltip=["band:O", "dose:O", alt.Tooltip("p:Q", format=".0%")],
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition(alt.datum.p > 0.6, alt.value("#FFFFFF"), alt.value("#000000")),
    )
    return alt.layer(cells, text).properties(
        title=title or tr("pk.title_pta"), width=alt.Step(90), height=alt.Step(34),
        description=caption(kind="pta", pta=pta.rename(columns={dose: "dose_mg", band: "band",
                                                                value: "pta"})),
    )


def compare_drugs(
    sim: pd.DataFrame,
    *,
    targets_ng_ml: dict[str, tuple[float, float] | None] | None = None,
    series: str | None = None,
    band: bool = True,
) -> alt.HConcatChart:
    """One :func:`concentration_time` panel per drug (column ``drug``), sharing the y axis.

    ``targets_ng_ml`` maps a drug to its window (default: the drug's default window of
    :func:`mtorlib.pk.target_window`); a drug's panel is titled with its translated name (UI key
    ``pk.drug_<drug>``).
    """
    if "drug" not in sim.columns:
        raise ChartError("sim lacks column drug (compare_drugs)")
    targets = targets_ng_ml or {}
    panels = [
        concentration_time(
            frame, target_ng_ml=_check_target(targets.get(drug, DEFAULT), drug), series=series,
            band=band,
            title=tr(f"pk.drug_{drug}"),
        ).properties(width=300)
        for drug, frame in sim.groupby("drug", sort=False)
    ]
    return alt.hconcat(*panels).resolve_scale(y="shared").properties(
        title=tr("pk.title_compare"), description=caption(sim, kind="compare"))


def _end_values(sim: pd.DataFrame, series: str | None) -> tuple[str, dict]:
    """Day of the last time and the median concentration there, per series."""
    end = sim["time_h"].max()
    last = sim[sim["time_h"] == end]
    keys = last.groupby(series, sort=False) if series else [(None, last)]
    return fmt_number(end / 24), {k: float(np.median(f["conc_ng_ml"])) for k, f in keys}


def caption(
    sim: pd.DataFrame | None = None,
    *,
    kind: str = "conc",
    target_ng_ml: tuple[float, float] | None | str = DEFAULT,
    series: str | None = None,
    pta: pd.DataFrame | None = None,
) -> str:
    """One-line description of a chart in the current language.

    ``kind`` is ``"conc"`` (:func:`concentration_time`, same ``sim``/``target_ng_ml``/``series``),
    ``"compare"`` (:func:`compare_drugs`) or ``"pta"`` (:func:`pta_heatmap`, pass ``pta``).
    """
    if kind == "pta":
        best = pta.loc[pta["pta"].idxmax()]
        return tr("pk.caption_pta", dose=fmt_number(best["dose_mg"]), band=best["band"],
                  pct=round(100 * best["pta"]))
    if kind == "compare":
        day, ends = _end_values(sim, "drug")
        values = ", ".join(f"{tr(f'pk.drug_{d}')} {fmt_number(v)} ng/mL" for d, v in ends.items())
        return tr("pk.caption_compare", day=day, values=values)
    if kind != "conc":
        raise ChartError(f"kind must be one of conc, compare, pta; got {kind!r} (caption)")
    target = _check_target(target_ng_ml)
    day, ends = _end_values(sim, series)
    window = {"lo": fmt_number(target[0]), "hi": fmt_number(target[1])} if target else {}
    if series is not None:
        values = ", ".join(f"{k} {fmt_number(v)} ng/mL" for k, v in ends.items())
        return tr("pk.caption_series", day=day, values=values, **(window or {"lo": "–", "hi": "–"}))
    n = sim["subject"].nunique()
    if n > 1:
        last = sim.loc[sim["time_h"] == sim["time_h"].max(), "conc_ng_ml"].to_numpy(dtype=float)
        p05, p50, p95 = np.percentile(last, (5, 50, 95))
        return tr("pk.caption_band", n=n, day=day, end=fmt_number(p50), p05=fmt_number(p05),
                  p95=fmt_number(p95), **(window or {"lo": "–", "hi": "–"}))
    conc = sim["conc_ng_ml"].to_numpy(dtype=float)
    facts = {"peak": fmt_number(conc.max()), "end": fmt_number(conc[-1]), "day": day}
    if not target:
        return tr("pk.caption_no_target", **facts)
    inside = (conc >= target[0]) & (conc <= target[1])
    return tr("pk.caption_single", pct=round(100 * inside.mean()), **facts, **window)
