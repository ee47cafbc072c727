"""Screen-reader descriptions of the suite's charts, computed from the same tidy frames (pure).

Each function returns one or two sentences in the current language (``a11y.*`` UI strings):
what the chart shows and its key numbers, read from the frame (never typed), rounded by
:func:`fmt_number`, with units. The chart builders attach them as the Vega-Lite ``description``,
which becomes the drawn chart's accessible name (:mod:`mtorlib.charts.offline`), so the text is
rebuilt whenever a view redraws its chart (a control moved, the language switched).

* :func:`concentration` — a concentration–time curve (trough and peak over its last day);
* :func:`forecast` / :func:`approach` / :func:`assay_windows` — the TDM charts;
* :func:`labs` — the case player's lab timeline (first and last value of each test shown);
* :func:`azole_course` — the transplant ward; :func:`response_course` — PRCA response points;
* :func:`adverse_events` — adverse-event figures; :func:`pathway` / :func:`pkpd` — mechanism.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import get_language, tr

DAY_H = 24.0
TOP = 3  # adverse-event figures named in a description


def fmt_number(v: float) -> str:
    """A number for captions: 3 significant digits, whole numbers from 100 up."""
    return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"


def _sep(lang: str | None) -> str:
    return "；" if (lang or get_language()) == "zh" else "; "


def _list(lang: str | None) -> str:
    return "、" if (lang or get_language()) == "zh" else ", "


def last_day(time_h: np.ndarray, conc: np.ndarray) -> tuple[float, float]:
    """Lowest and highest concentration over the final 24 h of a curve (its trough and peak)."""
    inside = time_h >= time_h.max() - DAY_H
    return float(conc[inside].min()), float(conc[inside].max())


def concentration(sim: pd.DataFrame, target: tuple[float, float] | None, lang: str | None = None) -> str:
    """One simulated patient's curve: days, trough and peak over the last day, time in the window."""
    t = sim["time_h"].to_numpy(dtype=float)
    conc = sim["conc_ng_ml"].to_numpy(dtype=float)
    trough, peak = last_day(t, conc)
    facts = {"days": fmt_number(t.max() / DAY_H), "trough": fmt_number(trough), "peak": fmt_number(peak)}
    text = tr("a11y.conc", lang, **facts)
    if target:
        inside = (conc >= target[0]) & (conc <= target[1])
        text += _sep(lang) + tr("a11y.window_time", lang, lo=fmt_number(target[0]),
                                hi=fmt_number(target[1]), pct=round(100 * inside.mean()))
    return text + tr("a11y.end", lang)


def forecast(frame: pd.DataFrame, levels: pd.DataFrame, target: tuple[float, float],
             lang: str | None = None) -> str:
    """TDM forecast: the measured levels, each answer's trough over the last day, the window."""
    parts = [tr("a11y.forecast", lang, n=len(levels))]
    if len(levels):
        conc = levels["conc_ng_ml"].to_numpy(dtype=float)
        parts[0] += tr("a11y.levels_range", lang, lo=fmt_number(conc.min()), hi=fmt_number(conc.max()))
    for series in ("bayes", "label"):
        part = frame[frame["series"] == series]
        if len(part) > 1:
            trough, peak = last_day(part["time_h"].to_numpy(float), part["conc_ng_ml"].to_numpy(float))
            parts.append(tr(f"a11y.forecast_{series}", lang, day=fmt_number(part["time_h"].max() / DAY_H),
                            trough=fmt_number(trough), peak=fmt_number(peak)))
    parts.append(tr("a11y.window", lang, lo=fmt_number(target[0]), hi=fmt_number(target[1])))
    return _sep(lang).join(parts) + tr("a11y.end", lang)


def approach(frame: pd.DataFrame, lang: str | None = None) -> str:
    """Approach to steady state: the first day each series reaches 90 %."""
    reached = []
    for series, part in frame.groupby("series", sort=False):
        at = part.loc[part["fraction"] >= 0.9, "day"]
        day = fmt_number(float(at.min())) if len(at) else tr("a11y.not_reached", lang)
        reached.append(tr("a11y.approach_item", lang, series=series, day=day))
    return tr("a11y.approach", lang, items=_list(lang).join(reached)) + tr("a11y.end", lang)


def assay_windows(frame: pd.DataFrame, lang: str | None = None) -> str:
    """A window read on other assays: the certain and the possible range of each."""
    items = [tr("a11y.assay_item", lang, label=r.label, lo=fmt_number(r.lo_max_ng_ml),
                hi=fmt_number(r.hi_min_ng_ml), lo2=fmt_number(r.lo_min_ng_ml),
                hi2=fmt_number(r.hi_max_ng_ml)) for r in frame.itertuples()]
    return tr("a11y.assay", lang, items=_sep(lang).join(items)) + tr("a11y.end", lang)


def labs(data: pd.DataFrame, lang: str | None = None) -> str:
    """Lab timeline (``day, test, value, label`` rows shown): first and last value of each test."""
    if data.empty:
        return tr("a11y.labs_none", lang)
    items = []
    for label, part in data.sort_values("day").groupby("label", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        items.append(tr("a11y.labs_item", lang, label=label, first=fmt_number(first["value"]),
                        d0=fmt_number(first["day"]), last=fmt_number(last["value"]),
                        d1=fmt_number(last["day"])))
    return tr("a11y.labs", lang, items=_sep(lang).join(items)) + tr("a11y.end", lang)


def azole_course(frame: pd.DataFrame, names: dict[str, str], azole: str, azole_days, measure_day,
                 target: tuple[float, float], lang: str | None = None) -> str:
    """Transplant ward: the azole window, each series' peak and final-day trough, the window."""
    parts = [tr("a11y.azole", lang, azole=azole, start=fmt_number(azole_days[0]),
                stop=fmt_number(azole_days[1]), day=fmt_number(measure_day))]
    for series, part in frame.groupby("series", sort=False):
        trough, _ = last_day(part["time_h"].to_numpy(float), part["conc_ng_ml"].to_numpy(float))
        parts.append(tr("a11y.azole_series", lang, series=names[series],
                        peak=fmt_number(part["conc_ng_ml"].max()), trough=fmt_number(trough)))
    parts.append(tr("a11y.window", lang, lo=fmt_number(target[0]), hi=fmt_number(target[1])))
    return _sep(lang).join(parts) + tr("a11y.end", lang)


def response_course(points: pd.DataFrame, untimed: pd.DataFrame, judge_month: float | None,
                    lang: str | None = None) -> str:
    """PRCA: the highest published point of each study arm, the untimed rates, the judging month."""
    items = []
    for (study, arm), part in points.groupby(["study", "arm_label"], sort=False):
        best = part.loc[part["percent"].idxmax()]
        items.append(tr("a11y.prca_item", lang, study=study, arm=arm, pct=fmt_number(best["percent"]),
                        month=fmt_number(best["month"])))
    text = tr("a11y.prca", lang, items=_sep(lang).join(items))
    if len(untimed):
        rates = [tr("a11y.prca_untimed_item", lang, study=r.study, arm=r.arm_label,
                    pct=fmt_number(r.percent)) for r in untimed.itertuples()]
        text += _sep(lang) + tr("a11y.prca_untimed", lang, items=_list(lang).join(rates))
    if judge_month is not None:
        text += _sep(lang) + tr("a11y.prca_judge", lang, month=fmt_number(judge_month))
    return text + tr("a11y.end", lang)


def adverse_events(frame: pd.DataFrame, lang: str | None = None) -> str:
    """Adverse-event figures: how many, and the highest few with their population."""
    if frame.empty:
        return tr("a11y.ae_none", lang)
    top = frame.sort_values("percent", ascending=False).head(TOP)
    items = [tr("a11y.ae_item", lang, event=r.event, pct=fmt_number(r.percent), population=r.population)
             for r in top.itertuples()]
    return tr("a11y.ae", lang, n=len(frame), items=_list(lang).join(items)) + tr("a11y.end", lang)


def pathway(states: pd.DataFrame, lang: str | None = None) -> str:
    """Signalling map: the nodes grouped by the drug's effect on them (those stated only)."""
    groups = []
    for effect, part in states.groupby("effect", sort=False):
        if effect != "not_stated":
            groups.append(tr("a11y.pathway_item", lang, effect=tr(f"mechanism.effect_{effect}", lang),
                             nodes=_list(lang).join(part["label"])))
    return tr("a11y.pathway", lang, n=len(states), items=_sep(lang).join(groups)) + tr("a11y.end", lang)


def pkpd(frame: pd.DataFrame, lang: str | None = None) -> str:
    """PK→PD: concentration and the illustrative effect, peak and last value of each."""
    last = frame.iloc[-1]
    return tr("a11y.pkpd", lang, days=fmt_number(frame["time_d"].max()),
              cmax=fmt_number(frame["conc_ng_ml"].max()), cend=fmt_number(last["conc_ng_ml"]),
              emax=fmt_number(frame["effect_percent"].max()), eend=fmt_number(last["effect_percent"]))
