"""A teaching case as a printable handout (HTML), following the case's main path.

The main path (:func:`main_path`) starts at the case's first node and takes, at each decision, the
first option the case marks ``best`` (the path the case's own text follows), and at each task
goes on to the task's next node, until an ending. Every step shows its text, lab table, the lab
chart so far (inline SVG), the question and all its options (lettered A, B, ...). Without
answers a step ends in blank lines for notes; with answers each option shows its verdict,
explanation, evidence (Oxford 2009; inferred grades say so) and short references, a task its
computed answer, and the handout ends with the debrief and the full reference list.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import cases, evidence
from ..cases.model import LAB_TESTS, UNITS
from ..cases.tasks import expected_value
from ..i18n import text, tr
from .page import (
    chart_svg,
    content,
    esc,
    evidence_line,
    note_lines,
    page,
    reference_list,
    short_refs,
)

UNIT_KEYS = {"mg/day": "cases.unit.mg_day", "fraction": "cases.unit.fraction", "d": "cases.unit.d"}
CHART_WIDTH = 400  # px of each panel: the faceted chart then fits the A4 text width


class HandoutError(LookupError):
    """A case or disease the suite does not have; the message says how to list the valid ones."""


@dataclass(frozen=True)
class Handout:
    """A finished handout: ``html`` (a whole document), its ``title``, language, and the number
    of inline SVG ``charts`` it holds."""

    title: str
    html: str
    lang: str
    charts: int


def main_path(case: cases.Case) -> list[tuple[str, str]]:
    """``(node_id, choice)`` along the main path: the first ``best`` option at each decision,
    ``"task"`` at each task; the last pair is the ending, with choice ``""``."""
    out, seen, node_id = [], set(), case.start
    while node_id not in seen:
        seen.add(node_id)
        node = case.node(node_id)
        kind = cases.node_kind(node)
        if kind == "terminal":
            return [*out, (node_id, "")]
        if kind == "task":
            out.append((node_id, "task"))
            node_id = node["task"]["next"]
        else:
            best = next(o for o in node["options"] if o["verdict"] == "best")
            out.append((node_id, best["id"]))
            node_id = best["next"]
    raise cases.CaseError(f"case {case.id}: the main path returns to node {node_id!r}")


def _unit(unit: str, lang: str) -> str:
    return tr(UNIT_KEYS[unit], lang) if unit in UNIT_KEYS else unit


def labs_table(node: dict, lang: str) -> str:
    """A node's lab results as a table with units in the headers, or ``""``."""
    labs = node.get("labs", [])
    tests = [t for t in LAB_TESTS if any(t in row for row in labs)]
    if not tests:
        return ""
    head = "".join(f"<th>{esc(tr(f'cases.lab.{t}', lang))} ({esc(UNITS[t])})</th>" for t in tests)
    rows = "".join(
        f"<tr><td>{esc(row['day'])}</td>" + "".join(f"<td>{esc(row.get(t, ''))}</td>" for t in tests)
        + "</tr>" for row in labs)
    return (f"<h3>{esc(tr('cases.labs', lang))}</h3><table class='labs'><thead><tr>"
            f"<th>{esc(tr('cases.day', lang))}</th>{head}</tr></thead><tbody>{rows}</tbody></table>")


def lab_chart_svg(labs, lang: str) -> str:
    """The lab timeline of ``labs`` (``day, test, value, unit``, as from
    :func:`mtorlib.cases.labs_frame`) as an inline ``<svg>`` drawn offline by vl-convert."""
    from ..charts.cases import lab_timeline  # altair loads only when a chart is drawn

    return chart_svg(lab_timeline(labs, lang=lang, width=CHART_WIDTH), tr("cases.lab_timeline", lang))


def _chart(case: cases.Case, node_ids: list[str], lang: str, draw) -> str:
    labs = cases.labs_frame(case)
    svg = draw(labs[labs["node"].isin(node_ids)].drop(columns="node").reset_index(drop=True), lang)
    return f"<figure>{svg}<figcaption>{esc(tr('handouts.chart_caption', lang))}</figcaption></figure>"


def _option(case, opt: dict, main_next: str, lang: str, answers: bool) -> str:
    body = content(opt["text"], lang)
    if not answers:
        return f"<li>{body}</li>"
    word = tr(f"cases.verdict.{opt['verdict']}", lang)
    kind = opt["verdict"]
    verdict = f"<span class='verdict verdict-{kind}'>{cases.MARKS[kind]} {esc(word)}</span>"
    leads = ""
    if opt["next"] != main_next:
        title = text(case.node(opt["next"])["title"], lang)
        leads = f"<p class='small'><i>{esc(tr('handouts.leads_to', lang, title=title))}</i></p>"
    refs = f"<p class='small'>{short_refs(opt['refs'], lang)}</p>" if opt["refs"] else ""
    return (f"<li>{body}<div class='answer'>{verdict}<p>{content(opt['feedback'], lang)}</p>"
            f"{evidence_line(opt.get('evidence'), lang)}{refs}{leads}</div></li>")


def _task(task: dict, lang: str, answers: bool) -> str:
    unit = _unit(task["unit"], lang)
    out = f"<p class='question'>{content(task['prompt'], lang)}</p>"
    if not answers:
        return out + (f"<p>{esc(tr('handouts.task_answer', lang, unit=unit))} "
                      f"<span class='write-in'>&nbsp;</span></p>" + note_lines(2))
    tol = task["tolerance"]
    tolerance = f"{tol['abs']:g}" if "abs" in tol else f"{tol['rel'] * 100:g} %"
    line = tr("handouts.computed", lang, expected=f"{expected_value(task['compute']):.2f}", unit=unit,
              tolerance=tolerance)
    refs = f"<p class='small'>{short_refs(task['refs'], lang)}</p>" if task["refs"] else ""
    return out + (f"<div class='answer'><p class='verdict verdict-best'>{esc(line)}</p>"
                  f"<p>{content(task['feedback']['correct'], lang)}</p>"
                  f"{evidence_line(task.get('evidence'), lang)}{refs}</div>")


def _ending(node: dict, lang: str) -> str:
    d = node["debrief"]
    points = "".join(f"<li>{content(p, lang)}</li>" for p in d["key_points"])
    return (f"<h2>{esc(tr('handouts.ending', lang))}: {content(node['title'], lang)}</h2>"
            f"<p>{content(node['text'], lang)}</p><p><b>{content(d['outcome'], lang)}</b></p>"
            f"<h3>{esc(tr('cases.key_points', lang))}</h3><ul>{''.join(points)}</ul>"
            f"<p class='small'>{short_refs(d['refs'], lang)}</p>")


def _cited(case: cases.Case, path: list[tuple[str, str]], lang: str) -> list:
    """Every reference the answer copy names, in order of first appearance."""
    refs: list = list(case.refs)
    for node_id, _choice in path:
        node = case.node(node_id)
        parts = [node, *node.get("options", []), node.get("task"), node.get("debrief")]
        for part in filter(None, parts):
            refs += part.get("refs", [])
            for key in ("text", "feedback", "outcome"):
                field = part.get(key)
                if isinstance(field, dict) and lang in field:
                    refs += evidence.cited_refs(field[lang])
    return list(dict.fromkeys(refs))


def case_handout(case_id: str, *, lang: str = "en", answers: bool = False, draw=lab_chart_svg) -> Handout:
    """The printable handout of case ``case_id`` in ``lang`` (``"en"`` or ``"zh"``).

    ``answers``: the lecturer's copy (verdicts, explanations, evidence, computed answers, the
    debrief and references); otherwise blank lines for notes. ``draw(labs, lang)`` draws the labs
    seen so far (a tidy frame) as an ``<svg>`` element (default :func:`lab_chart_svg`).
    :class:`HandoutError` for an unknown case.
    """
    if case_id not in cases.case_ids():
        raise HandoutError(f"there is no case {case_id!r}; `python -m mtorlib handout --list` "
                           "lists the valid case ids with their titles")
    case = cases.load_case(case_id)
    path = main_path(case)
    title = text(case.title, lang)
    copy = tr("handouts.answers_label" if answers else "handouts.learner_label", lang)
    kicker = f"{tr('handouts.case_label', lang)} · {copy}"
    body = [f"<h1>{esc(title)}</h1><p class='kicker'>{esc(kicker)}</p>",
            f"<p class='notice'>⚠ {esc(tr('common.teaching_only', lang))}</p>",
            f"<h2>{esc(tr('handouts.vignette', lang))}</h2><p><i>{content(case.summary, lang)}</i></p>"]
    charts = 0
    for i, (node_id, choice) in enumerate(path[:-1]):
        node = case.node(node_id)
        heading = tr("handouts.step", lang, n=i + 1, title=text(node["title"], lang))
        body.append(f"<section class='step'><h2>{esc(heading)}</h2>"
                    f"<p>{content(node['text'], lang)}</p>{labs_table(node, lang)}")
        if node.get("labs"):
            body.append(_chart(case, [n for n, _ in path[:i + 1]], lang, draw))
            charts += 1
        if choice == "task":
            body.append(_task(node["task"], lang, answers))
        else:
            main_next = path[i + 1][0]
            options = "".join(_option(case, o, main_next, lang, answers) for o in node["options"])
            body.append(f"<p class='question'>{content(node['question'], lang)}</p>"
                        f"<h3>{esc(tr('handouts.options', lang))}</h3>"
                        f"<ol class='options' type='A'>{options}</ol>")
            if not answers:
                body.append(f"<p class='small'>{esc(tr('handouts.notes', lang))}</p>{note_lines(3)}")
        body.append("</section>")
    if answers:
        body.append(_ending(case.node(path[-1][0]), lang))
        body.append(reference_list(_cited(case, path, lang), lang))
    else:
        body.append(f"<h2>{esc(tr('handouts.notes_end', lang))}</h2>{note_lines(6)}")
    return Handout(title, page(f"{title} · {copy}", "\n".join(body), lang), lang, charts)


def case_list(lang: str = "en") -> list[tuple[str, str]]:
    """``(case id, title)`` of every case, sorted by id."""
    return [(cid, text(cases.load_case(cid).title, lang)) for cid in cases.case_ids()]

