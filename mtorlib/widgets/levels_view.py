"""The Oxford CEBM 2009 evidence table as a widget that follows the language switch."""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w

from .. import evidence, i18n
from ..content import load_one
from .case_parts import cite_html


@dataclass
class EvidenceView:
    """``widget`` to display; ``last`` is the DataFrame currently shown."""

    widget: w.HTML
    last: object = None


def evidence_view() -> EvidenceView:
    """An HTML table of grades A–D and levels 1a–5, re-rendered on every language switch."""
    view = EvidenceView(widget=w.HTML())

    def draw(lang=None):
        table = evidence.evidence_table_display(lang)
        data = load_one("evidence_levels", "evidence_levels").data
        title = html.escape(i18n.text(data["title"], lang))
        notes = html.escape(i18n.text(data["notes"], lang))
        view.last = table
        view.widget.value = (
            f"<b>{title}</b>" + table.to_html(index=False, escape=True, border=0)
            + f"<p><small>{notes} "
            f"({cite_html(evidence.short_citation('consensus_table1', lang))})</small></p>"
        )

    draw()
    view.widget._mtor_draw = draw
    i18n.on_change(draw)
    return view
