"""TDM coach: type a dose history and levels, see the fit, the forecast and two dose answers.

``view = tdm_coach("sirolimus_cheng2020", covariates={...})``; display ``view.widget``. The
callback calls :func:`mtorlib.tdm.coach.run` (the same pure pipeline a learner can call) and
shows the label rule next to the Bayesian answer, why they differ, and the teaching-only notice.
``view.last`` is the last :class:`~mtorlib.tdm.coach.CoachResult` (None after an input error).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import ipywidgets as w
import numpy as np

from .. import i18n, pk
from ..charts import render
from ..charts import tdm as tdm_charts
from ..pk import PKInputError
from ..regimen import RegimenError
from ..tdm import coach
from ..tdm.rules import TDMError
from . import chrome

EXAMPLE_DOSES = "0, 1.5\n"
EXAMPLE_LEVELS = "7, 4.1\n14, 4.4\n"


@dataclass
class TDMCoach:
    """``widget`` (VBox to display), ``controls`` (name → widget), ``last`` (CoachResult)."""

    widget: w.VBox
    controls: dict
    chart: object
    message: w.HTML
    answers: w.HTML
    last: object = None
    error: str | None = None
    _keep: list = field(default_factory=list, repr=False)


def _text_area(value: str) -> w.Textarea:
    return w.Textarea(value=value, rows=4, continuous_update=False,
                      layout=w.Layout(width="260px"))


def tdm_coach(model_id: str = "sirolimus_cheng2020", *, covariates=None, doses: str = EXAMPLE_DOSES,
              levels: str = EXAMPLE_LEVELS, target=(5.0, 15.0), seed: int = 2024) -> TDMCoach:
    """Build the coach for ``model_id`` (a model with a residual error model) and draw it once."""
    model = pk.load_model(model_id)
    controls = {
        "doses": _text_area(doses),
        "levels": _text_area(levels),
        "target_lo": w.BoundedFloatText(value=target[0], min=0.1, max=100, step=0.5,
                                        layout=w.Layout(width="90px")),
        "target_hi": w.BoundedFloatText(value=target[1], min=0.2, max=100, step=0.5,
                                        layout=w.Layout(width="90px")),
        "form": w.Dropdown(options=[], layout=w.Layout(width="220px")),
        "days": w.BoundedIntText(value=21, min=1, max=90, layout=w.Layout(width="90px")),
    }
    labels = {k: w.HTML() for k in ("doses", "levels", "target", "form", "days")}
    chart = render.show(tdm_charts.forecast(*_empty(), target=target))
    view = TDMCoach(widget=w.VBox(), controls=controls, chart=chart, message=w.HTML(),
                    answers=w.HTML())

    def draw_labels(_lang=None):
        for key, name in (("doses", "coach_doses"), ("levels", "coach_levels"),
                          ("target", "coach_target"), ("form", "coach_form"), ("days", "coach_days")):
            labels[key].value = f"<b>{html.escape(i18n.tr(f'tdm.{name}'))}</b>"
        form = controls["form"].value or "tablet"
        controls["form"].options = [(i18n.tr(f"tdm.form_{f}"), f) for f in ("tablet", "solution")]
        controls["form"].value = form

    quiet = {"on": False}  # set while labels are redrawn, so relabelling does not refit

    def show(result):
        target_now = (controls["target_lo"].value, controls["target_hi"].value)
        chart.chart = tdm_charts.forecast(result.forecast, result.levels, target=target_now,
                                          start_day=result.start_day)
        view.answers.value = answers_html(result)

    def update(_change=None):
        if quiet["on"]:
            return
        c = controls
        try:
            result = coach.run(model, c["doses"].value, c["levels"].value,
                               target_ng_ml=(c["target_lo"].value, c["target_hi"].value),
                               form=c["form"].value, forecast_days=int(c["days"].value),
                               covariates=covariates, rng=np.random.default_rng(seed))
        except (TDMError, PKInputError, RegimenError) as exc:
            view.last, view.error = None, str(exc)
            view.message.value = ('<div style="color:#D55E00">'
                                  f'{html.escape(i18n.tr("tdm.coach_error", message=str(exc)))}</div>')
            view.answers.value = ""
            return
        view.last, view.error, view.message.value = result, None, ""
        show(result)

    def redraw(lang=None):
        """A language switch re-renders text and chart from the last fit; it does not refit."""
        quiet["on"] = True
        try:
            draw_labels(lang)
        finally:
            quiet["on"] = False
        if view.last is None:
            update()
        else:
            show(view.last)

    draw_labels()
    for ctrl in controls.values():
        ctrl.observe(update, names="value")
    form_row = w.HBox([labels["target"], controls["target_lo"], controls["target_hi"],
                       labels["form"], controls["form"], labels["days"], controls["days"]])
    inputs = w.HBox([w.VBox([labels["doses"], controls["doses"]]),
                     w.VBox([labels["levels"], controls["levels"]])])
    view.widget.children = [inputs, form_row, view.message, chart, view.answers, chrome.notice()]
    view._keep.append(redraw)
    i18n.on_change(redraw)
    update()
    return view


def _empty():
    import pandas as pd

    frame = pd.DataFrame({"time_h": [0.0], "conc_ng_ml": [0.0], "lo_ng_ml": [0.0],
                          "hi_ng_ml": [0.0], "series": ["bayes"]})
    return frame, pd.DataFrame({"time_h": [], "conc_ng_ml": []})


def answers_html(result) -> str:
    """The two answers side by side, the individual estimates and the reasons they differ."""
    tr, esc = i18n.tr, html.escape
    lab, rec, fit = result.label, result.recommendation, result.fit
    label_body = tr("tdm.coach_label_body", current=lab.current_dose_mg, target=lab.target_ng_ml,
                    measured=lab.measured_ng_ml, exact=lab.exact_dose_mg, dose=lab.dose_mg)
    bayes_body = tr("tdm.coach_bayes_body", dose=rec.dose_mg, trough=rec.predicted_trough_ng_ml,
                    p=100 * rec.probability_in_target)
    shr = 100 * fit.shrinkage().get("cl_l_h", float("nan"))
    estimates = tr("tdm.coach_fit", cl=fit.params["cl_l_h"], cl_typ=fit.typical["cl_l_h"],
                   v=fit.params["vc_l"], v_typ=fit.typical["vc_l"], shr=shr)
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
