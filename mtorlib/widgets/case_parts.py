"""Pieces of the case player that draw HTML: citations, the evidence badge, the lab table, units,
and the disease evidence table (a view of its own).

* :func:`content` — a content field in the current language, escaped, with readable citations.
* :func:`refs_html` — short readable references, each expanding to its full citation.
* :func:`evidence_html` / :func:`labs_table` — the evidence badge and a node's lab table.
* :func:`unit_text` — a case unit in the current language (``mg/day`` -> ``mg/天``).
* :func:`read_answer` — a typed task answer checked against sourced limits.
* :func:`header_html` / :func:`node_html` / :func:`input_message_html` / :func:`feedback_html` /
  :func:`debrief_html` — the player's header with counters and score, the node, a typed answer's
  message, the feedback on a move (``.mtor-feedback``), the debrief.
* :func:`evidence_table` — the disease's sourced study table as HTML that follows the language.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import cases, evidence, i18n, plausibility
from ..cases.model import COUNTERS, LAB_TESTS, UNITS
from .classroom import VERDICT

UNIT_KEYS = {"mg/day": "cases.unit.mg_day", "fraction": "cases.unit.fraction", "d": "cases.unit.d"}
NOT_APPLICABLE = ("platelets", "hemoglobin", "trough")  # 0 means "not measured / not on drug"


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


def header_html(case: cases.Case, shown: cases.State) -> str:
    """Case title, its content pack if any, summary, the counters of ``shown`` (with units), score."""
    sc = cases.score(shown).as_dict()
    parts = []
    for name in COUNTERS:
        value = shown.counter(name)
        unit = unit_text(UNITS[name])
        shown_value = "—" if name in NOT_APPLICABLE and value == 0 else \
            f"{round(value, 1):g}{' ' + unit if unit else ''}"
        parts.append(f"{html.escape(i18n.tr(f'cases.counter.{name}'))} {shown_value}")
    local = "" if case.pack is None else (  # a content pack's case: say whose
        "<p class='mtor-pack'><b>"
        f"{html.escape(i18n.tr('cases.local_pack', pack=i18n.text(case.pack)))}</b></p>")
    return (f"<div><h2>{content(case.title)}</h2>{local}<p><i>{content(case.summary)}</i></p>"
            f"<p class='mtor-counters'><b>{html.escape(i18n.tr('cases.counters'))}:</b> "
            f"{' · '.join(parts)}<br>"
            f"<span class='mtor-score'>{html.escape(i18n.tr('cases.score', **sc))}</span></p></div>")


def node_html(node: dict, *, lecturer: bool = False) -> str:
    """A node's title, text, lab table, the lecturer's hint and its question or task prompt."""
    hint = f"<p><i>{html.escape(i18n.tr('cases.lecturer_hint'))}</i></p>" if lecturer else ""
    question = node.get("question") or node.get("task", {}).get("prompt")
    return (f"<div><h3>{content(node['title'])}</h3><p>{content(node['text'])}</p>"
            f"{labs_table(node)}{hint}" + (f"<p><b>{content(question)}</b></p>" if question else "")
            + "</div>")


def read_answer(typed: str, unit: str) -> plausibility.Check:
    """A typed task answer, read strictly and checked against the sourced limits of its unit."""
    quantity = plausibility.quantity_for_unit(unit)
    if quantity:
        return plausibility.check(quantity, typed)
    value = plausibility.parse(typed)
    if isinstance(value, str):
        return plausibility.Check("", "refused", None, value)
    return plausibility.Check("", "ok", value)


def input_message_html(check) -> str:
    """The message of a refused (✘) or warned (⚠) typed answer (a ``plausibility.Check``)."""
    colour = "#A84300" if check.status == "refused" else "#8A5A00"
    icon = "✘" if check.status == "refused" else "⚠"
    return (f"<p role='alert' class='mtor-input-{check.status}' "
            f"style='color:{colour}'>{icon} {html.escape(check.text)}</p>")


def feedback_html(fb: cases.Feedback, unit: str | None = None) -> str:
    """The verdict, text, computed answer (``unit`` shown: a task's), evidence and references."""
    colour, icon, key = VERDICT[fb.verdict]
    numbers = ""
    if fb.expected is not None:
        numbers = "<p>" + html.escape(i18n.tr("cases.expected", expected=f"{fb.expected:.2f}",
                                              unit=unit or "", answer=f"{fb.answer:g}")) + "</p>"
    return (f"<div class='mtor-feedback' role='status' aria-live='polite' tabindex='-1' "
            f"style='border-left:6px solid {colour};padding:4px 10px'>"
            f"<b style='color:{colour}'>{icon} {html.escape(i18n.tr(key))}</b>"
            f"<p>{content(fb.text)}</p>{numbers}{evidence_html(fb.evidence)}{refs_html(fb.refs)}</div>")


def debrief_html(d: dict, save_error: str | None = None) -> str:
    """The debrief (outcome, key points, references) and a not-saved message if any."""
    points = "".join(f"<li>{content(p)}</li>" for p in d["key_points"])
    value = (f"<div class='mtor-debrief'><h3>{html.escape(i18n.tr('cases.debrief'))}</h3>"
             f"<p>{content(d['outcome'])}</p><b>{html.escape(i18n.tr('cases.key_points'))}</b>"
             f"<ul>{points}</ul>{refs_html(d['refs'])}</div>")
    if save_error:
        value += f"<p style='color:#A84300'>{html.escape(save_error)}</p>"
    return value


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
