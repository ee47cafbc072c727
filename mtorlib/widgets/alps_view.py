"""ALPS checklist: the revised NIH 2009 criteria as a form that classifies definitive / probable /
not ALPS from the findings entered, showing every criterion's status and the findings behind it.

``view = alps_checklist()``; display ``view.widget``. Numbers are typed (``view.controls[finding]``
is a text box; empty = not tested) and read by :mod:`mtorlib.plausibility`: an impossible number
is refused with what is allowed (``view.messages[finding]``) and no class is given until it is
corrected. Every change builds a :class:`~mtorlib.scenarios.ChecklistSettings`
(``view.settings``) and runs :func:`mtorlib.scenarios.run_checklist` (``view.last``); the class is
shown in ``view.result`` and the criteria in ``view.criteria``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w

from .. import evidence, i18n, plausibility
from ..diseases import alps
from ..scenarios import ChecklistResult, ChecklistSettings, run_checklist
from ..scenarios.alps_checklist import QUANTITY
from . import chrome

LABEL_WIDTH = "380px"
LABELLED = {"description_width": LABEL_WIDTH}  # labels in one column, tied to their inputs
MARK = {"met": ("✓", "#009E73"), "not_met": ("✗", "#D55E00"), "not_tested": ("?", "#777777")}
CLASS_COLOUR = {"definitive": "#009E73", "probable": "#E69F00", "not_alps": "#D55E00"}
TRANSLATED_CHOICES = ("other", "none")  # gene names themselves are shown as they are


@dataclass(eq=False)
class AlpsChecklist:
    """The view: ``widget`` to display, ``controls`` by finding id, the parts it draws, the last run."""

    widget: w.VBox
    controls: dict
    messages: dict  # number finding -> w.HTML (refusal or warning)
    result: w.HTML
    criteria: w.HTML
    notice: w.HTML
    settings: ChecklistSettings | None = None
    last: ChecklistResult | None = None


def _findings() -> list[dict]:
    return alps.findings_frame("en").to_dict("records")


def _control(f: dict):
    if f["type"] == "number":
        return w.Text(value="", continuous_update=False, style=LABELLED,
                      layout=w.Layout(width=f"calc({LABEL_WIDTH} + 120px)"))
    if f["type"] == "boolean":  # the label follows the box, tied to it
        return w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
    return w.Dropdown(options=[("–", None)], value=None, style=LABELLED,
                      layout=w.Layout(width=f"calc({LABEL_WIDTH} + 160px)"))


def _choice_options(choices, lang: str) -> list[tuple[str, str | None]]:
    return [(i18n.tr("diseases.not_tested", lang), None)] + [
        (i18n.tr(f"diseases.gene_{c}", lang) if c in TRANSLATED_CHOICES else c, c) for c in choices]


def settings_from(controls: dict, lang: str | None = None) -> ChecklistSettings:
    """The findings the controls hold (typed text as typed)."""
    return ChecklistSettings(entries=tuple((f, c.value) for f, c in controls.items()), lang=lang)


def _unit(finding: str, lang: str) -> str:
    return i18n.text(plausibility.limits(QUANTITY[finding])["unit"], lang) if finding in QUANTITY else ""


def _value_text(finding: str, value, lang: str) -> str:
    if value is None:
        return i18n.tr("diseases.not_entered", lang)
    if isinstance(value, bool):
        return i18n.tr("diseases.yes" if value else "diseases.no", lang)
    if isinstance(value, float):
        return f"{value:g} {_unit(finding, lang)}".strip()
    return i18n.tr(f"diseases.gene_{value}", lang) if value in TRANSLATED_CHOICES else str(value)


def criteria_html(result: ChecklistResult, lang: str) -> str:
    """The criteria by group: status mark, the criterion with its thresholds, the findings read."""
    names = dict(zip(alps.findings_frame(lang)["finding"], alps.findings_frame(lang)["label"], strict=True))
    reads = alps.criterion_findings()
    frame = (result.classification.criteria if result.classification is not None
             else alps.classify({}, lang).criteria.assign(status=None))
    rows = []
    for group in alps.GROUPS:
        part = frame[frame["group"] == group]
        rows.append(f'<tr><th colspan="3" style="text-align:left">'
                    f'{html.escape(i18n.tr(f"diseases.group_{group}", lang))}</th></tr>')
        for row in part.itertuples():
            mark, colour = MARK.get(row.status, ("·", "#777777"))
            status = i18n.tr(f"diseases.status_{row.status}", lang) if row.status else ""
            why = i18n.tr("diseases.why_sep", lang).join(
                html.escape(i18n.tr("diseases.why_item", lang, name=names[f],
                                    value=_value_text(f, result.findings.get(f), lang)))
                for f in reads[row.criterion])
            refs = evidence.readable(html.escape(row.refs), lang, cite=lambda run: f"<cite>{run}</cite>")
            rows.append(f'<tr><td style="color:{colour};font-weight:bold;white-space:nowrap">{mark} '
                        f"{html.escape(status)}</td><td>{html.escape(row.label)} {refs}"
                        f"</td><td><small>{why}</small></td></tr>")
    head = "".join(f"<th>{html.escape(i18n.tr(k, lang))}</th>" for k in
                   ("diseases.col_status", "diseases.col_criterion", "diseases.col_why"))
    return f'<table class="mtor-alps"><tr>{head}</tr>{"".join(rows)}</table>'


def result_html(result: ChecklistResult, lang: str) -> str:
    """The class and why, or why no class is given yet."""
    if result.classification is None:
        key = "diseases.inconsistent_dnt" if result.inconsistent else "diseases.correct_first"
        return _box(html.escape(i18n.tr(key, lang)), "#777777")
    c = result.classification
    n_required = int((c.criteria["group"] == "required").sum())
    counts = i18n.tr("diseases.counts", lang, n_required=n_required, **{g: c.count(g) for g in alps.GROUPS})
    return _box(f"<b>{html.escape(c.label(lang))}</b> — {html.escape(c.explanation(lang))}"
                f"<br><small>{html.escape(counts)}</small>", CLASS_COLOUR[c.result])


def _box(inner: str, colour: str) -> str:
    return f'<div style="border-left:4px solid {colour};padding:4px 8px">{inner}</div>'


def alps_checklist() -> AlpsChecklist:
    """Build the checklist (nothing entered: every number not tested, every box unticked)."""
    specs = _findings()
    controls = {f["finding"]: _control(f) for f in specs}
    view = AlpsChecklist(
        widget=w.VBox(), controls=controls,
        messages={f: w.HTML() for f in controls if f in QUANTITY}, result=w.HTML(),
        criteria=w.HTML(), notice=chrome.notice(),
    )
    state = {"busy": False}

    def draw(_lang=None) -> None:
        lang = i18n.get_language()
        state["busy"] = True
        try:
            for f in specs:
                name = f["finding"]
                unit = _unit(name, lang)
                label = alps.findings_frame(lang).set_index("finding").loc[name, "label"]
                shown = f"{label} ({unit})" if unit and unit not in label else label
                controls[name].description = shown  # a <label> tied to the control
                if f["type"] == "number":
                    controls[name].placeholder = i18n.tr("diseases.not_tested", lang)
                elif f["type"] == "choice":
                    value = controls[name].value
                    controls[name].options = _choice_options(f["choices"], lang)
                    controls[name].value = value
        finally:
            state["busy"] = False
        _run(view, lang)

    def update(_change=None) -> None:
        if not state["busy"]:
            _run(view, i18n.get_language())

    for ctl in controls.values():
        ctl.observe(update, names="value")
    i18n.follow(view.widget, draw)
    rows = [w.VBox([controls[f], *([view.messages[f]] if f in view.messages else [])]) for f in controls]
    view.widget.children = [*rows, view.result, view.criteria, view.notice]
    return view


def _run(view: AlpsChecklist, lang: str) -> None:
    """Controls → settings → scenario → messages, class and criteria."""
    view.settings = settings_from(view.controls, lang)
    result = run_checklist(view.settings)
    view.last = result
    for finding, box in view.messages.items():
        check = result.checks.get(finding)
        colour = "#D55E00" if check is not None and check.status == "refused" else "#E69F00"
        box.value = (f'<small style="color:{colour}">{html.escape(check.text)}</small>'
                     if check is not None and check.text else "")
    view.result.value = result_html(result, lang)
    view.criteria.value = criteria_html(result, lang)
