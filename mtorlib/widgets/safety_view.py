"""Safety views: a filterable adverse-event table and chart, and a monitoring planner.

``adverse_event_view()`` -- population and drug dropdowns over the table and chart of
:func:`mtorlib.safety.adverse_events` (``view.last`` is the frame shown).
``monitoring_planner(start, indication)`` -- a date picker and an indication dropdown over
:func:`mtorlib.safety.monitoring_plan` (``view.last`` is the plan), with the teaching-only notice.
``safety_statements(section)`` -- the warnings, infection prevention or cytopenia-confounder
statements (:data:`SECTIONS`) in the current language, ``not stated`` items marked as such.
All follow the language switch; their parts are named fields.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from .. import charts, i18n, safety
from . import chrome
from .slide_still import TextPanel

WIDE = {"description_width": "initial"}
TABLE_COLUMNS = {"event": "safety.event", "figure": "safety.figure", "population": "safety.population",
                 "drug": "safety.drug", "setting": "safety.setting", "source": "safety.source"}
SECTIONS = {"warnings": safety.warnings_frame, "infection": safety.infection_frame,
            "cytopenia_confounder": safety.confounder_frame}
PLAN_COLUMNS = {"date": "safety.date", "until": "safety.until", "item": "safety.item",
                "when": "safety.when", "why": "safety.why", "source": "safety.source"}


@dataclass(eq=False)
class AdverseEventView:
    """``widget`` to display; ``controls`` (population, drug); ``table``, ``chart``, ``count``."""

    widget: w.VBox
    controls: dict
    table: w.HTML
    chart: object  # alt.JupyterChart
    count: w.HTML
    last: pd.DataFrame | None = None


@dataclass(eq=False)
class MonitoringPlanner:
    """``widget`` to display; ``controls`` (start, indication); ``table``, ``note``, ``notice``."""

    widget: w.VBox
    controls: dict
    table: w.HTML
    note: w.HTML
    notice: w.HTML
    last: pd.DataFrame | None = None


@dataclass(eq=False)
class SafetyStatements:
    """``widget`` to display; ``section`` (a key of :data:`SECTIONS`); ``body`` (the statements)."""

    widget: TextPanel
    section: str
    body: w.HTML
    last: pd.DataFrame | None = None


def statements_html(frame: pd.DataFrame, lang: str | None = None) -> str:
    """The statements of ``frame`` (``title, text, stated``) as HTML paragraphs, one per item:
    bold title, a 'not stated by the sources' mark where ``stated`` is False, then the text with
    its readable short citations (as :func:`mtorlib.safety.warnings_frame` gives it)."""
    lang = lang or i18n.get_language()
    sep = i18n.tr("safety.statement_sep", lang)
    items = []
    for s in frame.itertuples():
        mark = "" if s.stated else f"<em>{html.escape(i18n.tr('safety.not_stated_mark', lang))}</em>"
        body = html.escape(s.text, quote=False)
        items.append(f"<p class='mtor-statement'><strong>{html.escape(s.title)}</strong>{mark}{sep}"
                     f"{body}</p>")
    return "".join(items)


def safety_statements(section: str) -> SafetyStatements:
    """One section of sourced statements (``warnings``, ``infection``, ``cytopenia_confounder``)
    in the current language; redrawn on every language switch."""
    if section not in SECTIONS:
        raise safety.SafetyError(f"section must be one of {', '.join(SECTIONS)}; got {section!r} "
                                 "(widgets.safety_statements)")
    view = SafetyStatements(widget=TextPanel(), section=section, body=w.HTML())
    view.widget.children = [view.body]

    def draw(lang=None):
        lang = lang or i18n.get_language()
        view.last = SECTIONS[section](lang)
        view.body.value = statements_html(view.last, lang)

    i18n.follow(view.widget, draw)
    return view


def _html_table(frame: pd.DataFrame, columns: dict, lang: str) -> str:
    shown = frame.loc[:, list(columns)].rename(columns={c: i18n.tr(k, lang) for c, k in columns.items()})
    return shown.to_html(index=False, escape=True, border=0, na_rep="—")


ALL = ""  # the "All" filter value: a real option, so the dropdown shows it selected


def _options(kind: str, values, lang: str) -> list:
    """The filter's choices, "All" first with the value "" (a None value would show a blank choice)."""
    return [(i18n.tr("safety.all", lang), ALL)] + [(safety.label(kind, v, lang), v) for v in values]


def adverse_event_view(*, population: str | None = None, drug: str | None = None) -> AdverseEventView:
    """The adverse-event figures, filterable by population and drug, as a table and a chart."""
    lang = i18n.get_language()
    controls = {"population": w.Dropdown(options=_options("population", safety.POPULATIONS, lang),
                                         value=population or ALL, style=WIDE),
                "drug": w.Dropdown(options=_options("drug", safety.DRUGS, lang), value=drug or ALL,
                                   style=WIDE)}
    frame = safety.adverse_events(population=population, drug=drug)
    view = AdverseEventView(widget=w.VBox(), controls=controls, table=w.HTML(),
                            chart=charts.show(charts.adverse_event_chart(frame)), count=w.HTML())
    view.widget.children = [w.HBox(list(controls.values())), view.count, view.chart, view.table]

    def update(_change=None, lang=None):
        lang = lang or i18n.get_language()
        view.last = safety.adverse_events(population=controls["population"].value or None,
                                          drug=controls["drug"].value or None, lang=lang)
        view.chart.chart = charts.adverse_event_chart(view.last, lang)
        view.table.value = _html_table(view.last, TABLE_COLUMNS, lang)
        view.count.value = f"<p>{html.escape(i18n.tr('safety.rows_shown', lang, n=len(view.last)))}</p>"

    def draw(lang=None):
        lang = lang or i18n.get_language()
        for name, kind, values in (("population", "population", safety.POPULATIONS),
                                   ("drug", "drug", safety.DRUGS)):
            ctl, value = controls[name], controls[name].value
            ctl.options, ctl.value = _options(kind, values, lang), value
            ctl.description = i18n.tr(f"safety.{name}", lang)
        update(lang=lang)

    for ctl in controls.values():
        ctl.observe(update, names="value")
    i18n.follow(view.widget, draw)
    return view


def monitoring_planner(start: dt.date | None = None, indication: str = "itp") -> MonitoringPlanner:
    """A monitoring plan from a start date (default today) for an indication, with its sources."""
    lang = i18n.get_language()
    controls = {"start": w.DatePicker(value=start or dt.date.today(), style=WIDE),
                "indication": w.Dropdown(options=[(v, k) for k, v in safety.indications(lang).items()],
                                         value=indication, style=WIDE)}
    view = MonitoringPlanner(widget=w.VBox(), controls=controls, table=w.HTML(), note=w.HTML(),
                             notice=chrome.notice())
    view.widget.children = [w.HBox(list(controls.values())), view.note, view.table, view.notice]

    def update(_change=None, lang=None):
        lang = lang or i18n.get_language()
        start_date = controls["start"].value
        if not isinstance(start_date, dt.date):
            view.last = None
            view.table.value = f"<p>{html.escape(i18n.tr('safety.bad_date', lang))}</p>"
            return
        view.last = safety.monitoring_plan(start_date, controls["indication"].value, lang=lang)
        shown = view.last.assign(date=view.last["date"].dt.strftime("%Y-%m-%d"),
                                 until=view.last["until"].dt.strftime("%Y-%m-%d"))
        view.table.value = _html_table(shown, PLAN_COLUMNS, lang)

    def draw(lang=None):
        lang = lang or i18n.get_language()
        ind = controls["indication"]
        value = ind.value
        ind.options, ind.value = [(v, k) for k, v in safety.indications(lang).items()], value
        ind.description = i18n.tr("safety.indication", lang)
        controls["start"].description = i18n.tr("safety.start_date", lang)
        view.note.value = f"<p><small>{html.escape(i18n.tr('safety.plan_note', lang))}</small></p>"
        update(lang=lang)

    for ctl in controls.values():
        ctl.observe(update, names="value")
    i18n.follow(view.widget, draw)
    return view
