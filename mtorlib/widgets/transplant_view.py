"""Transplant ward: sirolimus with a calcineurin inhibitor while an azole starts and stops.

``view = transplant_ward()``; display ``view.widget``. Every change reads the controls into a
:class:`~mtorlib.scenarios.transplant.TransplantSettings` (``view.settings``), runs
:func:`~mtorlib.scenarios.transplant.run_transplant` and draws its result: the chart in place
(``view.chart.chart``), the summary, the two dose answers and the caveats. A typed measured trough
goes through :func:`mtorlib.plausibility.check` first (refused: shown and not used; implausible:
used with the warning); its message (``view.message``) sits directly under the field. ``view.last``
is the result; after a refused input or setting, or any other error, it is ``None``, the summary,
answers and caveats are cleared and the chart gives up its space (``layout.display = "none"``) until
a run succeeds, so the message (under the field, or in ``view.answers`` for a refused setting) is
seen right under the controls instead of below an empty chart area. The scenario runs once at
build, then once per change. The teaching-only notice (``view.notice``) sits under the answers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import ipywidgets as w

from .. import charts, i18n, pk, plausibility
from ..scenarios.transplant import (
    AZOLES,
    WINDOW,
    TransplantError,
    TransplantResult,
    TransplantSettings,
    cni_choices,
    run_transplant,
)
from . import chrome
from .slider_readout import fixed_readout

WIDE = {"description_width": "initial"}
MODELS = ("sirolimus_golubovic2019", "sirolimus_label", "sirolimus_jiao2009", "sirolimus_cheng2020")
WINDOWS = (WINDOW[1], "renal_transplant_ciclosporin", None)  # sourced windows offered (None: default)
MAX_DOSE_MG = 10.0  # slider range within the label maximum of 40 mg/day (transplant doses 2-4 mg/day)
LABELS = {
    "model": "transplant.ctl_model", "dose_mg": "transplant.ctl_dose", "cni": "transplant.ctl_cni",
    "azole": "transplant.ctl_azole", "start": "transplant.ctl_start", "stopped": "transplant.ctl_stopped",
    "stop": "transplant.ctl_stop", "days": "transplant.ctl_days", "measure": "transplant.ctl_measure",
    "measured": "transplant.ctl_measured", "window": "transplant.ctl_window",
}


def _wide() -> w.Layout:
    """Room for the longest model or window label (e.g. a zh window with its drug and range)."""
    return w.Layout(width="560px", max_width="100%")


def _slider(cls, **kw):
    return cls(continuous_update=False, style=WIDE, layout=w.Layout(width="340px"), **kw)


@dataclass(eq=False)
class TransplantWard:
    """The view: ``widget`` to display, ``controls`` by name, the parts it draws, the last run."""

    widget: w.VBox
    controls: dict
    language: w.ToggleButtons
    title: w.HTML
    chart: object  # alt.JupyterChart, updated in place
    summary: w.HTML
    answers: w.HTML
    caveats: w.HTML
    notice: w.HTML
    message: w.HTML  # the typed trough's refusal or warning, under the field
    settings: TransplantSettings | None = None
    last: TransplantResult | None = None
    readouts: dict = field(default_factory=dict)  # slider name -> its read-only value label


def _controls(s: TransplantSettings) -> dict:
    return {
        "model": w.Dropdown(options=list(MODELS), value=s.model_id, style=WIDE, layout=_wide()),
        "dose_mg": _slider(w.FloatSlider, value=s.dose_mg, min=0.5, max=MAX_DOSE_MG, step=0.5),
        "cni": w.Dropdown(style=WIDE),
        "azole": w.Dropdown(style=WIDE),
        "start": _slider(w.IntSlider, value=s.azole_start_day, min=1, max=60),
        "stopped": w.Checkbox(value=s.azole_stop_day is not None, style=WIDE),
        "stop": _slider(w.IntSlider, value=s.azole_stop_day or 35, min=2, max=120),
        "days": _slider(w.IntSlider, value=s.days, min=14, max=120),
        "measure": _slider(w.IntSlider, value=s.azole_start_day + 7, min=2, max=120),
        "measured": w.Text(value="", style=WIDE, layout=w.Layout(width="340px"), continuous_update=False),
        "window": w.Dropdown(style=WIDE, layout=_wide()),
    }


def _set_options(control: w.Dropdown, options: list) -> None:
    value = control.value
    control.options = options
    names = [name for _, name in options]
    control.value = value if value in names else names[0]


def settings_from(controls: dict, measured: float | None) -> TransplantSettings:
    """The scenario the controls describe (``measured``: the checked typed trough, or None)."""
    c = {name: ctl.value for name, ctl in controls.items()}
    window = pk.target_window("sirolimus", c["window"] or None).ng_ml
    return TransplantSettings(
        model_id=c["model"], dose_mg=c["dose_mg"], cni=c["cni"], azole=c["azole"],
        azole_start_day=c["start"], azole_stop_day=c["stop"] if c["stopped"] else None,
        days=c["days"], measure_day=c["measure"], measured_ng_ml=measured, target_ng_ml=window,
    )


def transplant_ward(settings: TransplantSettings | None = None) -> TransplantWard:
    """Build the ward view (default: :class:`TransplantSettings`, measured on day start + 7)."""
    s = settings or TransplantSettings()
    controls = _controls(s)
    view = TransplantWard(widget=w.VBox(), controls=controls, language=chrome.language_switch(),
                          title=w.HTML(), chart=None, summary=w.HTML(), answers=w.HTML(),
                          caveats=w.HTML(), notice=chrome.notice(), message=w.HTML())
    state = {"busy": False}

    def relabel(lang: str) -> None:
        for name, key in LABELS.items():
            controls[name].description = i18n.tr(key, lang)
        _set_options(controls["model"], [(i18n.text(pk.load_model(m).name, lang), m) for m in MODELS])
        _set_options(controls["cni"], [(i18n.tr(f"transplant.cni_{c}", lang), c)
                                       for c in cni_choices(controls["model"].value)])
        _set_options(controls["azole"], [(i18n.tr(f"transplant.azole_{a}", lang), a) for a in AZOLES])
        windows = [pk.target_window("sirolimus", ind) for ind in WINDOWS]
        _set_options(controls["window"], [
            (f"{i18n.text(t.label, lang)} {t.lo_ng_ml:g}-{t.hi_ng_ml:g} ng/mL", t.indication if ind else "")
            for t, ind in zip(windows, WINDOWS, strict=True)])
        controls["stop"].layout.display = None if controls["stopped"].value else "none"
        view.title.value = (f"<h4>{html.escape(i18n.tr('transplant.title', lang))}</h4>"
                            f"<p>{html.escape(i18n.tr('transplant.intro', lang))}</p>")

    def update(change=None) -> None:
        if state["busy"]:
            return
        state["busy"] = True
        try:
            lang = i18n.get_language()
            relabel(lang)
            _run(view, lang)
        finally:
            state["busy"] = False

    relabel(i18n.get_language())
    controls["cni"].value = s.cni if s.cni in cni_choices(s.model_id) else controls["cni"].value
    controls["azole"].value = s.azole
    for ctl in controls.values():
        ctl.observe(update, names="value")
    i18n.follow(view.widget, lambda _lang=None: update())  # the first run, which also builds the chart
    if view.chart is None:  # that run failed: an empty chart, hidden until a run succeeds
        import altair as alt  # here only: the chart builders load Altair when they draw

        view.chart = charts.show(alt.Chart().mark_line())
        view.chart.layout.display = "none"
    view.readouts = {n: fixed_readout(c) for n, c in controls.items() if hasattr(c, "readout")}

    def rows(*names):  # a slider with its read-only value (a typed readout would clamp silently)
        return [w.HBox([controls[n], view.readouts[n]]) if n in view.readouts else controls[n] for n in names]

    view.widget.children = [
        view.language, view.title,
        w.HBox([w.VBox(rows("model", "cni", "azole", "dose_mg", "window")),
                w.VBox([*rows("start", "stopped", "stop", "days", "measure", "measured"), view.message])]),
        view.chart, view.summary, view.answers, view.caveats, view.notice,
    ]
    return view


def _chart(r: TransplantResult):
    return charts.azole_course(
        r.sim, azole_days=r.azole_window_days, azole_name=i18n.tr(f"transplant.azole_{r.settings.azole}"),
        target_ng_ml=r.target_ng_ml, measure_day=r.measure_day,
        suggestions={"label": f"{r.label_dose_mg:g}", "bayes": f"{r.recommendation.dose_mg:g}"})


def _box(text: str, colour: str) -> str:
    return f'<div style="border-left:4px solid {colour};padding:4px 8px">{html.escape(text)}</div>'


def _fail(view: TransplantWard, text: str, *, typed: bool = False) -> None:
    """Say why nothing was simulated (under the typed field if ``typed``, else in the answers);
    clear the last result's text and collapse its chart, so nothing stale is read as current."""
    view.last = None
    view.summary.value = view.caveats.value = ""
    if view.chart is not None:
        view.chart.layout.display = "none"
    view.message.value = _box(text, "#D55E00") if typed else ""
    view.answers.value = "" if typed else _box(text, "#D55E00")


def _run(view: TransplantWard, lang: str) -> None:
    """Controls → typed-number check → settings → scenario → chart and text (or the message)."""
    typed, warning = view.controls["measured"].value.strip(), ""
    measured = None
    if typed:
        verdict = plausibility.check("trough_ng_ml", typed, lang)
        if not verdict.accepted:
            _fail(view, i18n.tr("transplant.measured_warning", lang, text=verdict.text), typed=True)
            return
        measured, warning = float(verdict.value), verdict.text
    try:
        view.settings = settings_from(view.controls, measured)
        result = run_transplant(view.settings)
        chart = _chart(result)
        summary, answers = summary_text(result, lang), answers_text(result, lang)
        caveats = caveat_texts(result, lang)
    except (TransplantError, pk.PKInputError) as err:
        _fail(view, i18n.tr("transplant.error", lang, message=str(err)))
        return
    except Exception as exc:  # noqa: BLE001 - every error is shown in the view, never raised out of a control
        _fail(view, i18n.tr("transplant.error", lang, message=str(exc)))
        return
    view.last = result
    if view.chart is None:
        view.chart = charts.show(chart)
    else:
        view.chart.chart = chart
    view.chart.layout.display = None
    view.summary.value = _box(summary, "#0072B2")
    view.message.value = _box(i18n.tr("transplant.measured_warning", lang, text=warning),
                              "#E69F00") if warning else ""
    view.answers.value = _box(answers, "#009E73")
    view.caveats.value = "".join(f"<li>{html.escape(t)}</li>" for t in caveats).join(("<ul>", "</ul>"))


def _r(x: float) -> str:
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def summary_text(r: TransplantResult, lang: str) -> str:
    """Troughs before and on the azole, the excursion, the new steady state and its half-life."""
    return i18n.tr("transplant.summary", lang, before=_r(r.trough_before_ng_ml), peak=_r(r.trough_peak_ng_ml),
                   excursion=_r(r.excursion), steady=_r(r.steady_on_azole_ng_ml),
                   t_half=_r(r.half_life_on_azole_days))


def answers_text(r: TransplantResult, lang: str) -> str:
    """The label rule worked out, and the Bayesian suggestion."""
    lo, hi = r.target_ng_ml
    rec = r.recommendation
    return i18n.tr("transplant.answers", lang, day=r.measure_day, measured=_r(r.measured_ng_ml),
                   mid=f"{0.5 * (lo + hi):g}", dose=f"{r.settings.dose_mg:g}",
                   exact=f"{r.label_exact_mg:.2f}", label=f"{r.label_dose_mg:g}", bayes=f"{rec.dose_mg:g}",
                   predicted=_r(rec.predicted_trough_ng_ml), p=f"{100 * rec.probability_in_target:.0f}")


def caveat_texts(r: TransplantResult, lang: str) -> list[str]:
    """The caveats the scenario calls for, with their numbers, in ``lang``."""
    auc = pk.modifier("sirolimus", r.settings.azole)["auc_ratio"]
    fmt = {"fraction": f"{100 * r.fraction_to_steady:.0f}", "model": _r(r.model_ratio), "auc": f"{auc:g}",
           "hsct": f"{r.hsct_ratio.value:g}" if r.hsct_ratio else ""}
    return [i18n.tr(key, lang, **fmt) for key in r.caveats]
