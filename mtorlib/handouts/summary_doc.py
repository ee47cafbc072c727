"""A one-page A4 summary of a disease notebook: its sourced study table and the key points of its
teaching cases.

The table is ``cases/evidence/<disease>.yaml`` (:func:`mtorlib.cases.summary.evidence_frame`),
its levels assigned by the suite and labelled as inferred; the key points are the first
:data:`POINTS_PER_CASE` of each of the disease's cases at the end of its main path
(:func:`mtorlib.handouts.case_doc.main_path`).
Small type keeps it on one page; ``tests/test_handouts.py`` prints every disease and counts pages.
"""

from __future__ import annotations

import math
import re

from .. import cases, evidence
from ..cases.summary import evidence_frame, evidence_title
from ..content.schema import schema_for
from ..i18n import tr
from .case_doc import Handout, HandoutError, main_path
from .page import content, esc, page, plain

DISEASES = tuple(schema_for("case")["properties"]["disease"]["enum"])  # the one list: the case schema
WIDTHS = (20, 17, 17, 30, 16)  # % of the page width per column
# Type size: 7 pt fits about FIT_CHARS characters (a Chinese character as 2.4) on the page;
# longer summaries get smaller type, never below MIN_PT (checked by printing every disease).
FIT_CHARS, BASE_PT, MIN_PT, MAX_PT = 5200, 7.0, 5.5, 7.5
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
POINTS_PER_CASE = 2  # the first key points of each case's ending: what fits on the page


def _table(disease: str, lang: str) -> str:
    """The study table in five columns: study (with reference and design), population, regimen,
    outcome, level (with why); widths set so that no short column wastes a line."""
    frame = evidence_frame(disease, lang)
    heads = [f"{tr('cases.col.study', lang)} · {tr('cases.col.design', lang)}",
             *(tr(f"cases.col.{c}", lang) for c in ("population", "regimen", "outcome", "level"))]
    head = "".join(f"<th style='width:{w}%'>{esc(h)}</th>" for w, h in zip(WIDTHS, heads, strict=True))
    rows = []
    for row in frame.to_dict("records"):
        study = f"<b>{plain(row['study'], lang)}</b> {plain(row['refs'], lang)}"
        cells = [f"{study}<br>{plain(row['design'], lang)}",
                 *(plain(row[c], lang) for c in ("population", "regimen", "outcome")),
                 f"<b>{esc(row['level'])}</b> {plain(row['level_note'], lang)}"]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f"<table class='evidence-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _case_points(disease: str, lang: str) -> str:
    items = []
    for case_id in cases.case_ids(disease):
        case = cases.load_case(case_id)
        ending = case.node(main_path(case)[-1][0])
        shown = ending["debrief"]["key_points"][:POINTS_PER_CASE]
        points = "".join(f"<li>{content(p, lang)}</li>" for p in shown)
        items.append(f"<div class='keep'><h3>{content(case.title, lang)}</h3><ul>{points}</ul></div>")
    return (f"<h2>{esc(tr('handouts.case_points', lang))}</h2>"
            f"<div class='columns'>{''.join(items)}</div>")


def font_size(body: str) -> str:
    """The type size (CSS ``pt``) that keeps ``body`` (HTML) on one A4 page."""
    visible = re.sub(r"<[^>]+>", "", body)
    weight = len(visible) + 1.4 * len(_CJK.findall(visible))
    size = BASE_PT * math.sqrt(FIT_CHARS / max(weight, 1))
    return f"{min(MAX_PT, max(MIN_PT, size)):.1f}pt"


def summary_handout(disease: str, *, lang: str = "en") -> Handout:
    """The one-page summary of ``disease`` (one of :data:`DISEASES`) in ``lang``."""
    if disease not in DISEASES:
        raise HandoutError(f"--summary must be one of {', '.join(DISEASES)}; got {disease!r}")
    title, note = evidence_title(disease, lang)
    label = tr("handouts.summary_label", lang)
    body = (f"<h1>{esc(title)}</h1><p class='kicker'>{esc(label)}</p>"
            f"<p class='notice'>⚠ {esc(tr('common.teaching_only', lang))}</p>"
            f"{_table(disease, lang)}<p class='small'>{plain(note, lang)} "
            f"<i>{esc(evidence.evidence_note('inferred', lang))}</i></p>"
            f"{_case_points(disease, lang)}")
    style = ("<style>@page { margin: 10mm; } body { max-width: none; } "
             ".evidence-table { width: 100%; } "
             ".evidence-table td, .evidence-table th { padding: 0.5mm 1mm; } "
             "h1 { font-size: 1.4em; } h2 { margin: 2mm 0 1mm; } h3 { margin: 0 0 0.5mm; } "
             ".columns { column-count: 2; column-gap: 6mm; } "
             "ul { padding-left: 4mm; margin: 0 0 1.2mm; } .notice { margin: 1mm 0 1.5mm; }</style>")
    return Handout(title, page(f"{title} · {label}", style + body, lang, font_size=font_size(body)), lang, 0)

