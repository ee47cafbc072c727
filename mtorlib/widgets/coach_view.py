"""TDM coach: type a dose history and levels, see the fit, the forecast and two dose answers.

``view = tdm_coach("sirolimus_cheng2020", covariates={...})``; display ``view.widget``. Every
change parses the typed lines into frames (:mod:`mtorlib.widgets.coach_text`), builds a
:class:`~mtorlib.scenarios.CoachSettings` (``view.settings``) and runs
:func:`mtorlib.scenarios.run_coach` (the pure pipeline a learner can call), then draws the chart
and the label rule next to the Bayesian answer, why they differ, and the teaching-only notice.
``view.last`` is the last :class:`~mtorlib.scenarios.CoachResult` (None after an input error,
whose message is ``view.error`` and is shown in ``view.message``).

Every typed number (doses, levels, target window, forecast days) is text read by
:mod:`mtorlib.plausibility`: an impossible value is refused with what is allowed (nothing is
clamped); an implausible one is accepted with its warning shown in ``view.warnings`` next to the
answers (``CoachResult.warnings``); when the fit is not trusted no dose is shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from .. import charts, i18n, pk, plausibility
from ..pk import PKInputError
from ..regimen import RegimenError
from ..scenarios import CoachResult, CoachSettings, run_coach
from ..tdm.rules import TDMError
from . import chrome
from .coach_text import parse_doses, parse_levels

EXAMPLE_DOSES = "0, 1.5\n"
EXAMPLE_LEVELS = "7, 4.1\n14, 4.4\n"
ERROR_COLOUR = "#B04A00"  # dark orange, 5.5:1 on white (WCAG AA)
# each control's visible label (its description, a <label> tied to the input for screen readers)
LABEL_KEYS = {"doses": "coach_doses", "levels": "coach_levels", "target_lo": "coach_target_low",
              "target_hi": "coach_target_high", "form": "coach_form", "days": "coach_days"}
WIDE = {"description_width": "initial"}


@dataclass(eq=False)
class TDMCoach:
    """The view: ``widget`` to display, ``controls`` by name (labelled), the parts it draws."""

    widget: w.VBox
    controls: dict
    chart: object  # alt.JupyterChart, updated in place
    message: w.HTML
    answers: w.HTML
    warnings: w.HTML
    notice: w.HTML
    settings: CoachSettings | None = None
    last: CoachResult | None = None
    error: str | None = None


def _text_area(value: str) -> w.Textarea:
    return w.Textarea(value=value, rows=4, continuous_update=False, style=WIDE,  # label above
                      layout=w.Layout(width="300px", flex_flow="column", align_items="flex-start"))


def _small_text(value) -> w.Text:
    return w.Text(value=f"{value:g}", continuous_update=False, style=WIDE, layout=w.Layout(width="auto"))


def _number(control: w.Text, label: str) -> float:
    """The number typed in ``control`` (``TDMError`` naming the field when it is not one)."""
    value = plausibility.parse(control.value)
    if isinstance(value, str):
        raise TDMError(i18n.tr("tdm.in_field", field=i18n.tr(label), message=value))
    return value


def settings_from(controls: dict, *, model_id: str, covariates: dict | None, seed: int) -> CoachSettings:
    """The scenario the controls describe (``TDMError`` naming the line of a bad typed entry).

    Numbers are only read here; the scenario refuses or warns (``run_coach``).
    """
    c = controls
    days = _number(c["days"], "tdm.coach_days")
    return CoachSettings(
        doses=parse_doses(c["doses"].value), levels=parse_levels(c["levels"].value),
        model_id=model_id,
        target_ng_ml=(_number(c["target_lo"], "tdm.coach_target"),
                      _number(c["target_hi"], "tdm.coach_target")),
        form=c["form"].value, forecast_days=int(days) if float(days).is_integer() else days,
        covariates=tuple((covariates or {}).items()), seed=seed)


def tdm_coach(model_id: str = "sirolimus_cheng2020", *, covariates=None, doses: str = EXAMPLE_DOSES,
              levels: str = EXAMPLE_LEVELS, target_ng_ml=None, seed: int = 2024) -> TDMCoach:
    """Build the coach for ``model_id`` (a model with a residual error model) and draw it once.

    ``target_ng_ml`` is the starting window (default: the drug's, ``pk.target_window``).
    """
    model = pk.load_model(model_id)
    lo, hi = target_ng_ml if target_ng_ml is not None else pk.target_window(model.drug).ng_ml
    controls = {
        "doses": _text_area(doses),
        "levels": _text_area(levels),
        "target_lo": _small_text(lo),
        "target_hi": _small_text(hi),
        "form": w.Dropdown(options=[], style=WIDE, layout=w.Layout(width="auto")),
        "days": _small_text(21),
    }
    view = TDMCoach(widget=w.VBox(), controls=controls,
                    chart=charts.show(charts.forecast(*_empty(), target_ng_ml=(lo, hi))),
                    message=w.HTML(), answers=w.HTML(), warnings=w.HTML(),
                    notice=chrome.notice())

    def draw_labels():
        for key, name in LABEL_KEYS.items():
            controls[key].description = i18n.tr(f"tdm.{name}")
        form = controls["form"].value or "tablet"
        controls["form"].options = [(i18n.tr(f"tdm.form_{f}"), f) for f in ("tablet", "solution")]
        controls["form"].value = form

    quiet = {"on": False}  # set while labels are redrawn, so relabelling does not refit

    def update(_change=None):
        if quiet["on"]:
            return
        try:
            view.settings = settings_from(controls, model_id=model_id, covariates=covariates, seed=seed)
            result = run_coach(view.settings)
        except (TDMError, PKInputError, RegimenError) as exc:
            view.last, view.error = None, str(exc)
            key = "tdm.coach_error" if isinstance(exc, PKInputError) else "tdm.coach_refused"
            view.message.value = (f'<div role="alert" style="color:{ERROR_COLOUR}">'
                                  f'{html.escape(i18n.tr(key, message=str(exc)))}</div>')
            view.answers.value = view.warnings.value = ""
            view.chart.layout.visibility = "hidden"  # no chart for inputs that were refused
            return
        view.last, view.error, view.message.value = result, None, ""
        show(view, result)

    def redraw(lang=None):
        """A language switch re-renders text and chart from the last fit; it does not refit."""
        quiet["on"] = True
        try:
            draw_labels()
        finally:
            quiet["on"] = False
        if lang is None:  # first draw
            return
        if view.last is None:
            update()
        else:
            show(view, view.last)

    i18n.follow(view.widget, redraw)
    for ctrl in controls.values():
        ctrl.observe(update, names="value")
    form_row = w.HBox([controls["target_lo"], controls["target_hi"], controls["form"], controls["days"]],
                      layout=w.Layout(flex_flow="row wrap"))
    inputs = w.HBox([controls["doses"], controls["levels"]])
    view.widget.children = [inputs, form_row, view.message, view.chart, view.warnings,
                            view.answers, view.notice]
    update()
    return view


def show(view: TDMCoach, result: CoachResult) -> None:
    """Draw a result: the forecast chart in place and the two answers."""
    view.chart.chart = charts.forecast(result.forecast, result.levels,
                                           target_ng_ml=result.target_ng_ml,
                                           start_day=result.start_day)
    view.chart.layout.visibility = "visible"
    view.warnings.value = warnings_html(result)
    view.answers.value = answers_html(result)


def warnings_html(result: CoachResult) -> str:
    """The accepted-with-warning notes of ``result`` (empty when there are none)."""
    if not result.warnings:
        return ""
    items = "".join(f"<li>{html.escape(wn.text())}</li>" for wn in result.warnings)
    return (f'<div role="alert" style="border-left:4px solid {ERROR_COLOUR};padding:4px 10px">'
            f"<b>{html.escape(i18n.tr('tdm.warn_head'))}</b><ul>{items}</ul></div>")


def _empty():
    frame = pd.DataFrame({"time_h": [0.0], "conc_ng_ml": [0.0], "lo_ng_ml": [0.0],
                          "hi_ng_ml": [0.0], "series": ["bayes"]})
    return frame, pd.DataFrame({"time_h": [], "conc_ng_ml": []})


def answers_html(result: CoachResult) -> str:
    """The two answers side by side, the individual estimates and the reasons they differ."""
    tr, esc = i18n.tr, html.escape
    lab, rec, fit = result.label, result.recommendation, result.fit
    shr = 100 * fit.shrinkage().get("cl_l_h", float("nan"))
    estimates = tr("tdm.coach_fit", cl=fit.params["cl_l_h"], cl_typ=fit.typical["cl_l_h"],
                   v=fit.params["vc_l"], v_typ=fit.typical["vc_l"], shr=shr)
    if result.withheld:  # the fit is not trusted: neither dose answer is shown
        return f"<p><b>{esc(tr('tdm.coach_withheld'))}</b></p><p>{esc(estimates)}</p>"
    label_body = tr("tdm.coach_label_body", current=lab.current_dose_mg, target=lab.target_ng_ml,
                    measured=lab.measured_ng_ml, exact=lab.exact_dose_mg, dose=lab.dose_mg)
    bayes_body = tr("tdm.coach_bayes_body", dose=rec.dose_mg, trough=rec.predicted_trough_ng_ml,
                    p=100 * rec.probability_in_target)
    fmt = {"days": lab.days_on_dose, "hours": lab.hours_after_dose, "n": len(result.levels)}
    reasons = "".join(f"<li>{esc(tr(key, **fmt))}</li>" for key in lab.reasons)
    cell = 'style="padding:4px 12px;vertical-align:top"'
    return (
        f"<table><tr><th {cell}>{esc(tr('tdm.coach_label_head'))}</th>"
        f"<th {cell}>{esc(tr('tdm.coach_bayes_head'))}</th></tr>"
        f"<tr><td {cell}>{esc(label_body)}</td><td {cell}>{esc(bayes_body)}</td></tr></table>"
        f"<p>{esc(estimates)}</p><p>{esc(rec.explanation[i18n.get_language()])}</p>"
        f"<b>{esc(tr('tdm.coach_why'))}</b><ul>{reasons}</ul>"
    )
