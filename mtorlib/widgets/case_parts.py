"""Pieces of the case player that draw HTML: citations, the evidence badge, the lab table, units,
and the disease evidence table (a view of its own).

* :func:`content` — a content field in the current language, escaped, with readable citations.
* :func:`refs_html` — short readable references, each expanding to its full citation.
* :func:`evidence_html` / :func:`labs_table` — the evidence badge and a node's lab table.
* :func:`unit_text` — a case unit in the current language (``mg/day`` -> ``mg/天``).
* :func:`evidence_table` — the disease's sourced study table as HTML that follows the language.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import evidence, i18n
from ..cases.model import LAB_TESTS, UNITS

UNIT_KEYS = {"mg/day": "cases.unit.mg_day", "fraction": "cases.unit.fraction", "d": "cases.unit.d"}


def cite_html(text: str) -> str:
    """A short citation as an HTML ``<cite>`` element (escaped)."""
    return f"<cite>{html.escape(text)}</cite>"


def content(field_: dict) -> str:
    """A content field in the current language, escaped, with readable in-text citations."""
    return evidence.readable(html.escape(i18n.text(field_)), cite=cite_html)


def unit_text(unit: str, lang: str | None = None) -> str:
    """A unit as shown in the current language (``mg/day`` -> ``mg/天``)."""
    return i18n.tr(UNIT_KEYS[unit], lang) if unit in UNIT_KEYS else unit


def full_citation(ref) -> str:
    """The full citation without the internal source key (consensus numbers keep ``[n]``)."""
    return evidence.citation(ref).removeprefix(f"[{ref}] " if isinstance(ref, str) else "\0")


def refs_html(refs) -> str:
    """Short readable references, each expanding to its full citation."""
    items = "".join(
        f"<li><details><summary><cite>{html.escape(evidence.short_citation(r))}</cite></summary>"
        f"<small>{html.escape(full_citation(r))}</small></details></li>" for r in refs)
    return f"<b>{html.escape(i18n.tr('common.references'))}</b><ol style='margin:2px 0'>{items}</ol>"


def evidence_html(ev: dict | None) -> str:
    """The evidence badge (level, grade, where the grade comes from) of a feedback, or ""."""
    if not ev:
        return ""
    badge = (f"{html.escape(i18n.tr('common.level'))} {ev['level']} · "
             f"{html.escape(i18n.tr('common.grade'))} {ev['grade']}")
    note = f" {content(ev['note'])}" if ev.get("note") else ""
    return (f"<p><span class='mtor-evidence' style='background:#0072B2;color:#fff;border-radius:4px;"
            f"padding:1px 6px'>{html.escape(i18n.tr('common.evidence'))}: {badge}</span> "
            f"<small><i>{html.escape(evidence.evidence_note(ev['source']))}</i>{note}</small></p>")


def labs_table(node: dict) -> str:
    """A node's lab results as an HTML table with units in the headers, or ""."""
    labs = node.get("labs", [])
    tests = [t for t in LAB_TESTS if any(t in row for row in labs)]
    if not tests:
        return ""
    head = "".join(f"<th>{html.escape(i18n.tr(f'cases.lab.{t}'))} ({UNITS[t]})</th>" for t in tests)
    rows = "".join(
        f"<tr><td>{row['day']}</td>" + "".join(f"<td>{row.get(t, '')}</td>" for t in tests) + "</tr>"
        for row in labs)
    return (f"<b>{html.escape(i18n.tr('cases.labs'))}</b><table class='mtor-labs' border=1 "
            f"style='border-collapse:collapse'><tr><th>{html.escape(i18n.tr('cases.day'))}</th>"
            f"{head}</tr>{rows}</table>")




def evidence_table(disease: str) -> w.HTML:
    """The disease's sourced study table (``cases/evidence/<disease>.yaml``) as HTML that follows
    the language switch; levels are marked as inferred by the suite."""
    from ..cases.summary import evidence_frame_display, evidence_title

    box = w.HTML()

    def draw(lang=None):
        title, note = evidence_title(disease, lang)
        table = evidence_frame_display(disease, lang).to_html(index=False, escape=True, border=1)
        box.value = (f"<b>{html.escape(title)}</b>{table}<p><small>{html.escape(note)} "
                     f"<i>{html.escape(evidence.evidence_note('inferred', lang))}</i></small></p>")

    box.add_class("mtor-evidence-table")
    return i18n.follow(box, draw)
