"""The class report's HTML page: a complete UTF-8 document in which every value is escaped.

Sections: files read and rejected; the questions to revisit in class (the rule of
:func:`mtorlib.quiz.item_analysis.revisit`, stated on the page); the figures (inline SVG drawn
offline by :mod:`mtorlib.charts.class_report`; no remote resource); per learner; per question
(named by its stem). Everything from the files goes through ``html.escape`` / ``to_html(escape=True)``;
the SVG comes from the library's own renderer, with text escaped by it.
"""

from __future__ import annotations

import html

import pandas as pd

from .. import i18n
from .item_analysis import REVISIT_BELOW, REVISIT_MIN_N


def _t(key: str, lang: str | None, **kw) -> str:
    return html.escape(i18n.tr(key, lang, **kw))


def _table(frame: pd.DataFrame, names: dict) -> str:
    return frame.rename(columns=names).to_html(index=False, escape=True, border=0, na_rep="–")


def revisit_html(tables, lang: str | None = None) -> str:
    """The "questions to revisit in class" section: the rule, then one item per question."""
    rule = _t("report.revisit_rule", lang, pct=round(REVISIT_BELOW * 100), n=REVISIT_MIN_N)
    out = [f"<h4>{_t('report.revisit', lang)}</h4>", f"<p><i>{rule}</i></p>"]
    if tables.revisit.empty:
        return "\n".join([*out, f"<p>{_t('report.revisit_none', lang)}</p>"])
    top = tables.wrong_answers[tables.wrong_answers["rank"] == 1].set_index("question_id")["answer"]
    items = []
    for row in tables.revisit.itertuples():
        text = _t("report.revisit_item", lang, title=row.title, pct=round(row.p_correct * 100), n=row.n)
        if row.question_id in top.index:
            text += " " + _t("report.revisit_wrong", lang, answer=top[row.question_id])
        items.append(f"<li class='mtor-revisit'>{text}</li>")
    return "\n".join([*out, f"<ol>{''.join(items)}</ol>"])


def figures_html(figures, lang: str | None = None) -> str:
    """The figures: one ``<figure>`` per ``(heading, svg)``."""
    if not figures:
        return ""
    out = [f"<h4>{_t('report.charts', lang)}</h4>"]
    out += [f"<figure class='mtor-chart'><figcaption><b>{html.escape(heading)}</b></figcaption>"
            f"{svg}</figure>" for heading, svg in figures]
    return "\n".join(out)


def render_html(report_parts: tuple, rejected: list, n_files: int, lang: str | None = None, *,
                tables=None, figures=()) -> str:
    """The summary page (``tables``: :class:`mtorlib.quiz.class_report.Tables`; ``figures``:
    ``[(heading, svg), ...]``)."""
    per_learner, per_question = report_parts
    code = lang or i18n.get_language()
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if code == "zh" else "en"}">',
           f'<head><meta charset="utf-8"><title>{_t("report.title", lang)}</title>'
           "<style>figure{margin:1em 0} svg{max-width:100%;height:auto}</style></head>", "<body>",
           f"<h3>{_t('report.title', lang)}</h3>",
           f"<p>{_t('report.files', lang, n=n_files, bad=len(rejected))}</p>"]
    if rejected:
        items = "".join(f"<li>{html.escape(name)}: {html.escape(reason)}</li>"
                        for name, reason in rejected)
        out.append(f"<h4>{_t('report.rejected', lang)}</h4><ul>{items}</ul>")
    if tables is not None:
        out += [revisit_html(tables, lang), figures_html(figures, lang)]
        titles = tables.difficulty.set_index("question_id")["title"]
        per_question = per_question.assign(question_id=per_question["question_id"].map(
            lambda q: titles.get(q, q)))
    learner_names = {"learner": i18n.tr("report.learner", lang),
                     "answers": i18n.tr("report.answers", lang),
                     "pct_correct": i18n.tr("report.pct_correct", lang),
                     "cases_completed": i18n.tr("report.cases_completed", lang)}
    out += [f"<h4>{_t('report.per_learner', lang)}</h4>", _table(per_learner, learner_names)]
    question_names = {"question_id": i18n.tr("report.question", lang),
                      "learners": i18n.tr("report.learners", lang),
                      "pct_correct": i18n.tr("report.pct_correct", lang)}
    out += [f"<h4>{_t('report.per_question', lang)}</h4>", _table(per_question, question_names),
            "</body>", "</html>"]
    return "\n".join(out) + "\n"
