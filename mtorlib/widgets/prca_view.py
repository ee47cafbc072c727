"""PRCA response over months: the sourced response points on sirolimus after cyclosporine failure
and what is published for cyclosporine, a month at which response is judged, and what early
withdrawal does (only the published statement and relapse figures; no course is drawn).

``view = prca_response()``; display ``view.widget``. Every change reads the controls into a
:class:`~mtorlib.scenarios.CourseSettings` (``view.settings``), runs
:func:`mtorlib.scenarios.run_course` and draws ``view.last``: the chart in place
(``view.chart.chart``), what is seen by the chosen month (``view.seen``), the withdrawal box
(``view.withdrawal``), the figures not retrieved (``view.not_found``) and the notice.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import ipywidgets as w

from .. import charts, evidence, i18n
from ..diseases import prca
from ..scenarios import CourseResult, CourseSettings, run_course
from ..scenarios.prca_course import ARMS
from . import chrome
from .slider_readout import fixed_readout

WIDE = {"description_width": "initial"}


@dataclass(eq=False)
class PrcaResponse:
    """The view: ``widget`` to display, ``controls`` by name, the parts it draws, the last run."""

    widget: w.VBox
    controls: dict
    chart: object  # alt.JupyterChart, updated in place
    note: w.HTML
    seen: w.HTML
    withdrawal: w.HTML
    not_found: w.HTML
    notice: w.HTML
    settings: CourseSettings | None = None
    last: CourseResult | None = None
    readouts: dict = field(default_factory=dict)  # slider name -> its read-only value label


def settings_from(controls: dict) -> CourseSettings:
    """The scenario the controls describe."""
    arms = tuple(a for a in ARMS if controls[f"arm_{a}"].value)
    return CourseSettings(measure=controls["measure"].value, arms=arms,
                          judge_month=float(controls["judge_month"].value))


def _cite(text: str) -> str:
    return f"<cite>{html.escape(text)}</cite>"


def _readable(text: str, lang: str) -> str:
    """Escaped text with its in-text source keys as short, marked references."""
    return evidence.readable(html.escape(text), lang, cite=lambda run: f"<cite>{run}</cite>")


def _fmt(x: float) -> str:
    return f"{x:g}"


def seen_html(result: CourseResult, lang: str) -> str:
    """What a clinician judging at the chosen month has seen, and what was published later."""
    month = _fmt(result.settings.judge_month)
    measure = i18n.tr(f"diseases.measure_{result.settings.measure}", lang)
    lines = []
    for row in result.seen.itertuples():
        if row.basis == "derived_median":
            lines.append(i18n.tr("diseases.seen_derived", lang, study=_cite(row.study), month=_fmt(row.month),
                                 overall=_fmt(2 * row.percent)))
        else:
            lines.append(i18n.tr("diseases.seen_point", lang, study=_cite(row.study), measure=measure,
                                 pct=_fmt(row.percent), month=_fmt(row.month)))
        later = result.later[result.later["study"] == row.study]
        if not later.empty and later["percent"].max() > row.percent:
            top = later.loc[later["percent"].idxmax()]
            lines.append(i18n.tr("diseases.rose_later", lang, study=_cite(row.study), pct=_fmt(top.percent),
                                 month=_fmt(top.month)))
    if result.seen.empty:
        lines.append(i18n.tr("diseases.seen_none", lang, month=month))
    waiting = sorted(set(result.later["study"]) - set(result.seen["study"]))
    if waiting:
        lines.append(i18n.tr("diseases.seen_waiting", lang, studies=", ".join(map(_cite, waiting))))
    head = i18n.tr("diseases.seen_head", lang, month=month)
    return f"<b>{html.escape(head)}</b><ul>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>"


def withdrawal_html(result: CourseResult, lang: str) -> str:
    """The published statement on early withdrawal, the relapse figures, and that no course is drawn."""
    statement, _refs = result.withdrawal  # the statement cites its sources in its text
    items = [_readable(statement, lang)]
    for row in result.relapse.itertuples():
        items.append(i18n.tr("diseases.relapse_row", lang, study=_cite(row.study), pct=_fmt(row.percent),
                             events=row.events, of=row.of, months=_fmt(row.median_followup_months)))
    items.append(html.escape(i18n.tr("diseases.no_withdrawal_course", lang)))
    head = html.escape(i18n.tr("diseases.withdrawal_head", lang))
    return f"<b>{head}</b><ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"


def _not_found_html(result: CourseResult, lang: str) -> str:
    head = html.escape(i18n.tr("diseases.not_found_head", lang))
    items = "".join(f"<li>{_readable(t, lang)}</li>" for t in result.not_found)
    return f"<details><summary>{head}</summary><ul>{items}</ul></details>"


def prca_response(judge_month: int = 3) -> PrcaResponse:
    """Build the view (both arms, overall response, judged at ``judge_month``)."""
    controls = {
        "measure": w.ToggleButtons(options=[("ORR", "orr"), ("CR", "cr")], value="orr", style=WIDE),
        **{f"arm_{a}": w.Checkbox(value=True, indent=False, layout=w.Layout(width="auto"))
           for a in ARMS},
        "judge_month": w.IntSlider(value=judge_month, min=0, max=12, step=1, style=WIDE,
                                   continuous_update=False, layout=w.Layout(width="420px")),
    }
    first = run_course(CourseSettings(judge_month=judge_month))
    view = PrcaResponse(
        widget=w.VBox(), controls=controls,
        chart=charts.show(charts.response_course(first.points, first.untimed, judge_month=judge_month)),
        note=w.HTML(), seen=w.HTML(), withdrawal=w.HTML(), not_found=w.HTML(), notice=chrome.notice(),
        last=first,
    )

    def draw(_lang=None) -> None:
        lang = i18n.get_language()
        arm_labels = dict(zip(prca.untimed_rates(lang)["arm"], prca.untimed_rates(lang)["arm_label"],
                              strict=False))
        controls["measure"].options = [(i18n.tr("diseases.measure_orr", lang), "orr"),
                                       (i18n.tr("diseases.measure_cr", lang), "cr")]
        controls["measure"].description = i18n.tr("diseases.ctl_measure", lang)
        for a in ARMS:
            controls[f"arm_{a}"].description = arm_labels[a]
        controls["judge_month"].description = i18n.tr("diseases.ctl_judge_month", lang)
        view.note.value = f"<small>{_readable(prca.note(lang), lang)}</small>"
        _run(view, lang)

    for ctl in controls.values():
        ctl.observe(lambda _change: _run(view, i18n.get_language()), names="value")
    i18n.follow(view.widget, draw)
    c = controls
    view.readouts = {"judge_month": fixed_readout(c["judge_month"])}  # typed, it would clamp silently
    view.widget.children = [
        w.HBox([c["measure"], *(c[f"arm_{a}"] for a in ARMS)], layout=w.Layout(flex_flow="row wrap")),
        w.HBox([c["judge_month"], view.readouts["judge_month"]]), view.chart, view.note, view.seen,
        view.withdrawal, view.not_found, view.notice,
    ]
    return view


def _run(view: PrcaResponse, lang: str) -> None:
    """Controls → settings → scenario → chart and text."""
    view.settings = settings_from(view.controls)
    result = run_course(view.settings)
    view.last = result
    view.chart.chart = charts.response_course(result.points, result.untimed,
                                              judge_month=view.settings.judge_month)
    view.seen.value = seen_html(result, lang)
    view.withdrawal.value = withdrawal_html(result, lang)
    view.not_found.value = _not_found_html(result, lang)
