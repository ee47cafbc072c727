"""Charts of the class report, from the tidy frames of :mod:`mtorlib.quiz.item_analysis`.

* :func:`difficulty_chart` — proportion correct per question (numbered label with ``n``: two
  titles that shorten alike stay two bars), the questions to
  revisit in class coloured, a rule at the revisit threshold;
* :func:`wrong_answers_chart` — the most common wrong answers of each question;
* :func:`case_choices_chart` — learners per option at each step of each case, each bar marked and
  coloured by its option's verdict (✔ best, ◐ acceptable, ⊘ not recommended, ✘ harmful);
* :func:`figures` — the non-empty charts rendered offline to inline SVG (vl-convert, through
  :func:`mtorlib.charts.render.export`) for the HTML page;
* :func:`class_report` — :func:`mtorlib.quiz.class_report.class_report` with those figures (what
  ``python -m mtorlib class-report`` writes).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import altair as alt
import pandas as pd

from .. import i18n
from ..cases import MARKS, VERDICT_COLOURS, VERDICTS
from ..quiz import class_report as report
from ..quiz.item_analysis import REVISIT_BELOW, REVISIT_MIN_N, short
from . import render

ROW_PX = 22  # height of one bar row
LABEL_CHARS = {"en": 56, "zh": 28}  # a question's title in a bar label (the rest fits the axis)
_NAMESPACE = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


def _cut(title: str, lang: str | None) -> str:
    return short(title, lang, limit=LABEL_CHARS[lang or i18n.get_language()])


def difficulty_chart(frame: pd.DataFrame, lang: str | None = None) -> alt.LayerChart:
    """Horizontal bars of ``p_correct`` per question (hardest at the top), with ``n``."""
    t = lambda key: i18n.tr(key, lang)  # noqa: E731
    data = frame.assign(
        label=[f"{i}. {_cut(title, lang)} (n={n})"  # numbered: two titles cut alike stay 2 bars
               for i, (title, n) in enumerate(zip(frame["title"], frame["n"], strict=True), start=1)],
        group=[t("report.revisit_mark") if p < REVISIT_BELOW and n >= REVISIT_MIN_N
               else t("report.not_revisit") for p, n in zip(frame["p_correct"], frame["n"], strict=True)])
    y = alt.Y("label:N", sort=list(data["label"]),  # the frame's order: hardest first
              title=None, axis=alt.Axis(labelLimit=600))  # labels say it; a title would overlap them
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("p_correct:Q", title=t("report.axis_p_correct"), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        y=y, color=alt.Color("group:N", title=None, scale=alt.Scale(
            domain=[t("report.revisit_mark"), t("report.not_revisit")],
            range=[render.PALETTE[5], render.PALETTE[0]])),
        tooltip=["title:N", "n:Q", "n_correct:Q", alt.Tooltip("p_correct:Q", format=".0%")])
    values = bars.mark_text(align="left", dx=3).encode(text=alt.Text("p_correct:Q", format=".0%"),
                                                       color=alt.value("black"))
    rule = alt.Chart(pd.DataFrame({"x": [REVISIT_BELOW]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return alt.layer(bars, values, rule).properties(title=t("report.chart_difficulty"),
                                            height=alt.Step(ROW_PX))


def wrong_answers_chart(frame: pd.DataFrame, lang: str | None = None) -> alt.Chart:
    """Bars of learners per wrong answer, labelled "question — answer"."""
    t = lambda key: i18n.tr(key, lang)  # noqa: E731
    sep = "——" if (lang or i18n.get_language()) == "zh" else " — "
    data = frame.assign(label=[f"{i}. {_cut(q, lang)}{sep}{_cut(a, lang)}"  # numbered: unique rows
                               for i, (q, a) in enumerate(zip(frame["title"], frame["answer"],
                                                              strict=True), start=1)])
    return alt.Chart(data).mark_bar(color=render.PALETTE[1]).encode(
        x=alt.X("n:Q", title=t("report.axis_learners"), axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("label:N", sort=list(data["label"]),  # by question, most common first
                title=None, axis=alt.Axis(labelLimit=600)),
        tooltip=["title:N", "answer:N", "n:Q"],
    ).properties(title=t("report.chart_wrong"), height=alt.Step(ROW_PX))


def case_choices_chart(frame: pd.DataFrame, lang: str | None = None) -> alt.FacetChart:
    """Learners per option at each step, one panel per case; each bar carries its verdict's mark
    in the label and its colour (the legend names the verdicts), so colour is never the only cue."""
    t = lambda key: i18n.tr(key, lang)  # noqa: E731
    words = [t(f"cases.verdict.{v}") for v in VERDICTS]
    data = frame.assign(
        label=[f"{MARKS[v]} {step}. {node}: {option}" for v, step, node, option
               in zip(frame["verdict"], frame["step"], frame["node_title"], frame["option"], strict=True)],
        kind=[t(f"cases.verdict.{v}") for v in frame["verdict"]])
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("n:Q", title=t("report.axis_learners"), axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("label:N", sort=list(dict.fromkeys(data["label"])),  # by step, most taken first
                title=None, axis=alt.Axis(labelLimit=600)),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=words, range=[VERDICT_COLOURS[v] for v in VERDICTS])),
        tooltip=["case_title:N", "node_title:N", "option:N", alt.Tooltip("kind:N", title=t("report.verdict")),
                 "n:Q"],
    ).properties(height=alt.Step(ROW_PX))
    return bars.facet(row=alt.Row("case_title:N", title=t("report.axis_case"),
                                  header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=400)),
                      title=t("report.chart_cases")).resolve_scale(y="independent")


def charts(tables: report.Tables, lang: str | None = None) -> list[tuple[str, alt.TopLevelMixin]]:
    """``(heading, chart)`` for each non-empty table: difficulty, wrong answers, case choices."""
    out = []
    if not tables.difficulty.empty:
        out.append((i18n.tr("report.chart_difficulty", lang), difficulty_chart(tables.difficulty, lang)))
    if not tables.wrong_answers.empty:
        out.append((i18n.tr("report.chart_wrong", lang), wrong_answers_chart(tables.wrong_answers, lang)))
    if not tables.case_choices.empty:
        out.append((i18n.tr("report.chart_cases", lang), case_choices_chart(tables.case_choices, lang)))
    return out


def svg_markup(chart: alt.TopLevelMixin, label: str) -> str:
    """``chart`` as inline SVG for an HTML page: rendered offline, XML namespaces dropped (inline
    SVG needs none, so the page names no URL at all), labelled for screen readers."""
    with tempfile.TemporaryDirectory() as folder:
        text = render.export(chart, Path(folder) / "chart.svg").read_text("utf-8")
    text = _NAMESPACE.sub("", text.removeprefix('<?xml version="1.0" encoding="utf-8"?>').strip())
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg", f'<svg role="img" aria-label="{escaped}"', 1)


def figures(tables: report.Tables, lang: str | None = None) -> list[tuple[str, str]]:
    """``(heading, svg)`` of :func:`charts`, for :func:`mtorlib.quiz.class_report.class_report`."""
    return [(heading, svg_markup(chart, heading)) for heading, chart in charts(tables, lang)]


def class_report(paths, **options) -> report.ClassReport:
    """The class report with its charts drawn into the HTML page (options as for
    :func:`mtorlib.quiz.class_report.class_report`)."""
    return report.class_report(paths, figures=figures, **options)
