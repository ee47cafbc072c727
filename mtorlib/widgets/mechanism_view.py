"""Pathway explorer: a drug toggle over the mechanism chart and the sourced claims for that drug;
and a small PK→PD view with the ILLUSTRATIVE Emax curve.

``view = pathway_explorer()``; display ``view.widget``. Choosing a drug (``view.controls["drug"]``)
redraws the chart in place (``view.chart.chart``) from :func:`mtorlib.mechanism.node_states` and
fills the claims table (``view.fields["claims"]``): node, effect, why and short citations that
expand to the full ones. ``view.last`` is the ``effects`` frame drawn.

``view = pkpd_view()``: the label regimen of the mechanism data through ``scenarios.pkpd``; the
chart and the didactic warning (``view.fields["warning"]``) follow the language.

``view = not_sourced_view()``: what the sources do not give (:func:`mtorlib.mechanism.not_sourced`)
as a list in the current language (``view.fields["items"]``), redrawn on a language switch.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import ipywidgets as w
import pandas as pd

from .. import charts, evidence, i18n, mechanism
from ..scenarios.pkpd import PkpdResult, PkpdSettings, run_pkpd
from .case_parts import full_citation
from .slide_still import TextPanel


@dataclass(eq=False)
class PathwayExplorer:
    """The view: ``widget`` to display, ``controls`` by name, ``fields`` by name, the chart."""

    widget: w.VBox
    controls: dict
    fields: dict
    chart: object  # alt.JupyterChart, updated in place
    last: pd.DataFrame | None = None


@dataclass(eq=False)
class PkpdView:
    """The PK→PD view: ``widget``, ``fields`` (``warning``, ``caption``), the chart, the result."""

    widget: w.VBox
    fields: dict
    chart: object
    last: PkpdResult | None = None
    controls: dict = field(default_factory=dict)


@dataclass(eq=False)
class NotSourcedView:
    """What the sources do not give: ``widget`` to display, ``fields["items"]`` (the list)."""

    widget: w.VBox
    fields: dict


def _refs_cell(refs) -> str:
    """Short readable citations, each expanding to its full citation."""
    return "".join(
        f"<details><summary><cite>{html.escape(evidence.short_citation(r))}</cite></summary>"
        f"<small>{html.escape(full_citation(r))}</small></details>" for r in refs)


def claims_html(drug: str, lang: str | None = None) -> str:
    """The drug's claims as an HTML table: node, effect, why, sources."""
    lang = lang or i18n.get_language()
    names = mechanism.nodes(lang).set_index("node")["label"]
    head = "".join(f"<th style='text-align:left'>{html.escape(i18n.tr(k, lang))}</th>" for k in
                   ("mechanism.col_node", "mechanism.col_effect", "mechanism.col_why",
                    "mechanism.col_sources"))
    rows = "".join(
        f"<tr><td>{html.escape(names[r.node])}</td>"
        f"<td>{html.escape(i18n.tr(f'mechanism.effect_{r.effect}', lang))}</td>"
        f"<td>{html.escape(r.why)}</td><td>{_refs_cell(r.refs)}</td></tr>"
        for r in mechanism.effects(drug, lang).itertuples())
    return (f"<table class='mtor-claims' style='border-collapse:collapse'><tr>{head}</tr>"
            f"{rows}</table>")


def pathway_explorer(drug: str = "sirolimus") -> PathwayExplorer:
    """The drug toggle, the pathway chart and the claims for the chosen drug."""
    if drug not in mechanism.drugs():
        raise mechanism.MechanismError(
            f"unknown drug {drug!r} (pathway_explorer); allowed: {', '.join(mechanism.drugs())}")
    toggle = w.ToggleButtons(options=[(mechanism.drug_name(d), d) for d in mechanism.drugs()],
                             value=drug, style={"description_width": "initial"})
    fields = {"claims": w.HTML(), "title": w.HTML()}
    chart = charts.show(charts.pathway_chart(mechanism.node_states(drug), mechanism.edges()))
    view = PathwayExplorer(
        widget=w.VBox([toggle, fields["title"], chart, fields["claims"]]),
        controls={"drug": toggle}, fields=fields, chart=chart)

    busy = []  # set while the options are relabelled, so the toggle does not redraw twice

    def draw(_lang=None):
        if busy:
            return
        lang = i18n.get_language()
        d = toggle.value
        toggle.description = i18n.tr("mechanism.ctl_drug", lang)
        options = [(mechanism.drug_name(x, lang), x) for x in mechanism.drugs()]
        if list(toggle.options) != options:
            busy.append(True)
            try:
                toggle.options = options
                toggle.value = d
            finally:
                busy.clear()
        name = mechanism.drug_name(d, lang)
        chart.chart = charts.pathway_chart(mechanism.node_states(d, lang), mechanism.edges(lang),
                                           title=i18n.tr("mechanism.chart_title", lang, drug=name),
                                           lang=lang)
        fields["title"].value = f"<h4>{html.escape(i18n.tr('mechanism.chart_title', lang, drug=name))}</h4>"
        fields["claims"].value = claims_html(d, lang)
        view.last = mechanism.effects(d, lang)

    toggle.observe(lambda _change: draw(), names="value")
    i18n.follow(view.widget, draw)  # the widget keeps the follow alive: notebooks keep only it
    return view


def pkpd_view() -> PkpdView:
    """Concentration and the ILLUSTRATIVE effect of the data's label regimen, loudly labelled."""
    result = run_pkpd(PkpdSettings.from_data())
    fields = {"warning": w.HTML(), "caption": w.HTML()}
    chart = charts.show(charts.pkpd_chart(result.frame))
    view = PkpdView(widget=w.VBox([fields["warning"], chart, fields["caption"]]), fields=fields,
                    chart=chart, last=result)
    note = mechanism.didactic_parameters()["note"]
    s = result.settings

    def draw(_lang=None):
        lang = i18n.get_language()
        fields["warning"].value = (
            '<div class="mtor-didactic" style="border:3px solid #D55E00;padding:6px 10px;'
            f'background:#fff4e5"><b>⚠ {html.escape(i18n.tr("mechanism.didactic_title", lang))}</b>'
            f"<br>{html.escape(i18n.text(note, lang))}</div>")
        fields["caption"].value = html.escape(i18n.tr(
            "mechanism.pkpd_caption", lang, dose=s.dose_mg, every=s.every_h, loading=s.loading_mg,
            ec50=s.ec50_ng_ml, trough=result.last_trough_ng_ml,
            effect=result.last_trough_effect_percent))
        chart.chart = charts.pkpd_chart(result.frame, lang=lang)

    i18n.follow(view.widget, draw)  # the widget keeps the follow alive: notebooks keep only it
    return view


def not_sourced_html(lang: str | None = None) -> str:
    """What the sources do not give, as an HTML list in ``lang`` (default: the current language)."""
    items = "".join(f"<li>{html.escape(t, quote=False)}</li>" for t in mechanism.not_sourced(lang))
    return f"<ul class='mtor-not-sourced'>{items}</ul>"


def not_sourced_view() -> NotSourcedView:
    """The items the sources do not give, following the language switch."""
    fields = {"items": w.HTML()}
    view = NotSourcedView(widget=TextPanel([fields["items"]]), fields=fields)

    def draw(lang=None):
        fields["items"].value = not_sourced_html(lang or i18n.get_language())

    i18n.follow(view.widget, draw)  # the widget keeps the follow alive: notebooks keep only it
    return view
