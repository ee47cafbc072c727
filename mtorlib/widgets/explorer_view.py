"""PK explorer: drug/model, dose, interval, loading dose, weight or BSA, interacting drug, food,
liver function, missed doses, population band and language, over one live chart.

``view = pk_explorer()``; display ``view.widget``. Every change reads the controls into an
:class:`~mtorlib.scenarios.ExplorerSettings` (``view.settings``), runs
:func:`mtorlib.scenarios.explore` (the public pipeline) and draws its result: the chart in place
(``view.chart.chart``), the caption and the summary. ``view.last`` is the
:class:`~mtorlib.scenarios.ExplorerResult` (``None`` after an input the engine rejects, whose
message is shown instead). The teaching-only notice (``view.notice``) sits under the chart.

Comparison (``view.compare``, :mod:`.compare_parts`): "Keep this scenario" reduces the current
result once (``scenarios.compare.snapshot``) and keeps it (up to 3); while any is kept the chart
overlays them with the live one (``charts.scenario_overlay``) and a table lists their steady-state
metrics. ``view.keep()``, ``view.remove(i)`` and ``view.clear()`` do what the buttons do.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import ipywidgets as w
import pandas as pd

from .. import charts, i18n, pk, plausibility, regimen
from ..pk.errors import PKInputError
from ..regimen import RegimenError
from ..scenarios import ExplorerResult, ExplorerSettings, ScenarioError, compare, explore
from . import chrome, compare_parts
from .slider_readout import fixed_readout

WIDE = {"description_width": "initial"}
DEFAULT_WEIGHT_KG = 70.0  # where the first model has no weight covariate


def _slow() -> dict:
    """Options of a control whose change re-simulates: update on release (own layout each)."""
    return {"continuous_update": False, "style": WIDE, "layout": w.Layout(width="360px")}


MODIFIER_CONTROLS = ("interaction", "food", "hepatic")
NO_MODIFIER = {"interaction": "pk.opt_none", "food": "pk.opt_fasted", "hepatic": "pk.opt_normal_liver"}
LABELS = {
    "model": "pk.ctl_model", "basis": "pk.ctl_basis", "dose_mg": "pk.ctl_dose",
    "mg_per_m2": "pk.ctl_mg_m2", "height_cm": "pk.ctl_height", "weight_kg": "pk.ctl_weight",
    "every_h": "pk.ctl_interval", "loading_mg": "pk.ctl_loading",
    "interaction": "pk.ctl_interaction", "food": "pk.ctl_food", "hepatic": "pk.ctl_hepatic",
    "missed": "pk.ctl_missed", "days": "pk.ctl_days", "band": "pk.ctl_band",
    "target": "pk.ctl_target",
}


@dataclass(eq=False)
class PKExplorer:
    """The view: ``widget`` to display, ``controls`` by name, the parts it draws, the last run."""

    widget: w.VBox
    controls: dict
    language: w.ToggleButtons
    chart: object  # alt.JupyterChart, updated in place
    caption: w.HTML
    summary: w.HTML
    notice: w.HTML
    compare: compare_parts.ComparePanel
    settings: ExplorerSettings | None = None
    last: ExplorerResult | None = None
    table: pd.DataFrame | None = None  # the comparison's metrics (scenarios.compare.overlay)
    readouts: dict = field(default_factory=dict)  # slider name -> its read-only value label

    def keep(self) -> None:
        """Keep the current scenario (refused with a message when 3 are kept or it is kept)."""
        p = self.compare
        if self.last is None:
            return self._say("pk.cmp_cannot_keep", warn=True)
        try:
            p.kept = p.kept.keep(compare.snapshot(self.last))
        except compare.KeepRefused as err:
            key = "pk.cmp_full" if err.reason == "full" else "pk.cmp_duplicate"
            return self._say(key, warn=True, n=compare.MAX_KEPT)
        self._say("pk.cmp_kept_msg", n=len(p.kept.scenarios))

    def remove(self, index: int) -> None:
        """Forget kept scenario ``index`` (0-based)."""
        self.compare.kept = self.compare.kept.remove(index)
        self._say("pk.cmp_removed", n=len(self.compare.kept.scenarios))

    def clear(self) -> None:
        """Forget every kept scenario."""
        self.compare.kept = self.compare.kept.clear()
        self._say("pk.cmp_cleared")

    def _say(self, key: str, warn: bool = False, **fmt) -> None:
        """Redraw with the kept scenarios and show the status ``key`` (kept across a language switch)."""
        self.compare.note = (key, fmt, "#D55E00" if warn else "#0072B2")
        _draw(self, self.last, i18n.get_language())


def _reference_weight(model_id: str, fallback: float) -> float:
    """The model's reference weight (kg) if weight is one of its covariates, else ``fallback``."""
    return float(pk.reference_covariates(model_id).get("weight_kg", fallback))


def target_bounds(step: float = 0.5) -> tuple[float, float]:
    """The target slider's range (ng/mL): the allowed target troughs of ``input_limits.yaml``.

    The lower end is open (a target of 0 is impossible), so the slider starts one ``step`` above it.
    """
    allowed = plausibility.limits("target_ng_ml")["allowed"]
    return allowed["min"] + (step if allowed.get("min_open") else 0.0), allowed["max"]


def _controls(model_id: str) -> dict:
    models = list(pk.list_models()["model_id"])
    lo, hi = target_bounds()
    max_dose = min(10.0, regimen.MAX_DOSE_MG)  # a display range inside the label maximum
    return {
        "model": w.Dropdown(options=models, value=model_id, style=WIDE),
        "basis": w.ToggleButtons(options=[("mg", "mg"), ("mg/m²", "mg_m2")], value="mg", style=WIDE),
        "dose_mg": w.FloatSlider(value=2, min=0.25, max=max_dose, step=0.25, **_slow()),
        "mg_per_m2": w.FloatSlider(value=1.5, min=0.25, max=5, step=0.25, **_slow()),
        "height_cm": w.FloatSlider(value=170, min=max(50, regimen.HEIGHT_CM[0]),
                                   max=min(200, regimen.HEIGHT_CM[1]), step=1, **_slow()),
        "weight_kg": w.FloatSlider(value=_reference_weight(model_id, DEFAULT_WEIGHT_KG),
                                   min=max(5, regimen.WEIGHT_KG[0]),
                                   max=min(150, regimen.WEIGHT_KG[1]), step=0.5, **_slow()),
        "every_h": w.Dropdown(options=[24, 12], value=24, style=WIDE),
        "loading_mg": w.FloatSlider(value=0, min=0, max=min(20, regimen.MAX_DOSE_MG), step=0.5,
                                    **_slow()),
        "interaction": w.Dropdown(style=WIDE),
        "food": w.Dropdown(style=WIDE),
        "hepatic": w.Dropdown(style=WIDE),
        "missed": w.IntSlider(value=0, min=0, max=3, **_slow()),
        "days": w.IntSlider(value=21, min=2, max=42, **_slow()),
        "band": w.Checkbox(value=False, style=WIDE),
        "target": w.FloatRangeSlider(value=pk.target_window("sirolimus").ng_ml, min=lo, max=hi,
                                     step=0.5, readout_format=".1f", **_slow()),
    }


def _modifier_options(model_id: str, category: str, lang: str) -> list[tuple[str, str]]:
    """(label, name) pairs of the modifiers offered for the model, after a "none" choice."""
    offered = pk.offered_modifiers(model_id, category)
    none = [(i18n.tr(NO_MODIFIER[category], lang), "")]
    if offered.empty:
        return none
    return none + list(zip(offered[f"label_{lang}"], offered["name"], strict=True))


def _set_options(control: w.Dropdown, options: list[tuple[str, str]]) -> None:
    """Replace a dropdown's options, keeping its value when still offered."""
    value = control.value
    control.options = options
    names = [name for _, name in options]
    control.value = value if value in names else names[0]


def settings_from(controls: dict) -> ExplorerSettings:
    """The scenario the controls describe."""
    c = {name: ctl.value for name, ctl in controls.items()}
    dose = ({"dose_mg": None, "mg_per_m2": c["mg_per_m2"], "height_cm": c["height_cm"]}
            if c["basis"] == "mg_m2" else {"dose_mg": c["dose_mg"]})
    return ExplorerSettings(
        model_id=c["model"], every_h=float(c["every_h"]), loading_mg=c["loading_mg"],
        days=c["days"], weight_kg=c["weight_kg"], missed=c["missed"], band=c["band"],
        interactions=tuple(c[name] for name in MODIFIER_CONTROLS if c[name]),
        target_ng_ml=tuple(c["target"]), **dose,
    )


def pk_explorer(model_id: str = "sirolimus_label") -> PKExplorer:
    """Build the explorer (starts with ``model_id``, 2 mg every 24 h for 21 days)."""
    controls = _controls(model_id)
    first = explore(ExplorerSettings(model_id=model_id, dose_mg=2, days=21))
    view = PKExplorer(
        widget=w.VBox(), controls=controls, language=chrome.language_switch(),
        chart=charts.show(charts.concentration_time(first.sim, target_ng_ml=first.target_ng_ml)),
        caption=w.HTML(), summary=w.HTML(), notice=chrome.notice(), last=first,
        compare=compare_parts.panel(),
    )
    view.compare.keep.on_click(lambda _b: view.keep())
    view.compare.clear.on_click(lambda _b: view.clear())
    state = {"busy": False}

    def relabel(lang: str) -> None:
        """Texts of the controls in ``lang``; modifier choices offered for the current model."""
        for name, key in LABELS.items():
            controls[name].description = i18n.tr(key, lang)
        _set_options(controls["model"], [
            (f"{i18n.tr('pk.drug_' + m.drug, lang)} · {i18n.text(m.name, lang)}", m.model_id)
            for m in map(pk.load_model, pk.list_models()["model_id"])
        ])
        for name in MODIFIER_CONTROLS:
            _set_options(controls[name], _modifier_options(controls["model"].value, name, lang))
        per_m2 = controls["basis"].value == "mg_m2"
        for name, show in (("dose_mg", not per_m2), ("mg_per_m2", per_m2), ("height_cm", per_m2)):
            controls[name].layout.display = None if show else "none"

    def update(change=None) -> None:
        if state["busy"]:
            return
        state["busy"] = True
        try:
            lang = i18n.get_language()
            if change is not None and change["owner"] is controls["model"]:
                # start a new model at its reference patient
                controls["weight_kg"].value = _reference_weight(change["new"], controls["weight_kg"].value)
            if change is None or change["owner"] in (controls["model"], controls["basis"]):
                relabel(lang)
            _run(view, lang)
        finally:
            state["busy"] = False

    for ctl in controls.values():
        ctl.observe(update, names="value")
    i18n.follow(view.widget, lambda _lang=None: update())
    view.readouts = {n: fixed_readout(c) for n, c in controls.items() if hasattr(c, "readout")}

    def row(name):  # a slider with its read-only value (a typed readout would clamp silently)
        ctl = controls[name]
        return w.HBox([ctl, view.readouts[name]]) if name in view.readouts else ctl

    view.widget.children = [
        view.language,
        w.HBox([w.VBox([row(n) for n in ("model", "basis", "dose_mg", "mg_per_m2", "height_cm",
                                         "weight_kg", "every_h", "loading_mg")]),
                w.VBox([row(n) for n in ("interaction", "food", "hepatic", "missed", "days",
                                         "target", "band")])]),
        view.compare.widget, view.chart, view.caption, view.summary, view.compare.table, view.notice,
    ]
    return view


def _run(view: PKExplorer, lang: str) -> None:
    """Controls → settings → scenario → chart and text (or the engine's message)."""
    try:
        view.settings = settings_from(view.controls)
        result = explore(view.settings)
    except (PKInputError, RegimenError, ScenarioError) as err:
        view.last = None
        view.caption.value = ""  # the chart still shows the last valid settings: say nothing of it
        view.summary.value = _box(i18n.tr("pk.error", lang, message=str(err)), "#D55E00")
        return
    view.last = result
    measured = compare.metrics(result)
    _draw(view, result, lang, measured)
    view.summary.value = _box(summary_text(result, lang, measured), "#0072B2")


def _draw(view: PKExplorer, result: ExplorerResult | None, lang: str,
          measured: compare.Metrics | None = None) -> None:
    """The live chart, or with kept scenarios the overlay (kept ones reused, not re-simulated)."""
    p = view.compare
    if not p.kept.scenarios or result is None:
        view.table, p.table.value = None, ""
        if result is not None:
            view.chart.chart = charts.concentration_time(result.sim, target_ng_ml=result.target_ng_ml)
            caption = charts.caption(result.sim, target_ng_ml=result.target_ng_ml)
            view.caption.value = f"<small>{html.escape(caption)}</small>"
    else:
        curves, view.table = compare.overlay(compare.snapshot(result, measured), p.kept, lang)
        view.chart.chart = chart = charts.scenario_overlay(curves, target_ng_ml=result.target_ng_ml)
        view.caption.value = f"<small>{html.escape(chart.description)}</small>"
        p.table.value = compare_parts.table_html(view.table, lang)
    names = ([i18n.tr("pk.cmp_kept", lang, n=i + 1) for i in range(len(p.kept.scenarios))]
             if view.table is None else list(view.table["scenario"].iloc[1:]))
    compare_parts.draw_controls(p, names, lang, view.remove)


def summary_text(result: ExplorerResult, lang: str, measured: compare.Metrics | None = None) -> str:
    """Steady state, half-life, the two named times to approach steady state and the notes the
    scenario's facts call for, in ``lang`` (``measured``: ``compare.metrics(result)`` if known).

    The drug's time to steady state (average level, set by the half-life) is told apart from this
    regimen's trough day (which a loading dose brings forward).
    """
    r, s = charts.fmt_number, result
    m = measured or compare.metrics(result)
    pct = round(100 * m.fraction)
    parts = [i18n.tr("pk.summary", lang, trough=r(s.steady.trough_ng_ml), peak=r(s.steady.peak_ng_ml),
                     auc=r(s.steady.auc_tau_ng_h_ml), acc=r(s.steady.accumulation_ratio),
                     t_half=r(s.half_life_h)),
             i18n.tr("pk.summary_t90", lang, pct=pct, t90=r(m.t90_h / 24),
                     n_half=f"{m.t90_h / s.half_life_h:.1f}")]
    if m.t_ss_h is None:
        parts.append(i18n.tr("pk.summary_trough_day_not_reached", lang, pct=pct, days=r(m.days_h / 24)))
    else:
        key = "pk.summary_trough_day_loading" if s.settings.loading_mg else "pk.summary_trough_day"
        parts.append(i18n.tr(key, lang, pct=pct, day=r(m.t_ss_h / 24)))
    if s.bsa_m2 is not None:
        parts.append(i18n.tr("pk.bsa_note", lang, bsa=f"{s.bsa_m2:.2f}", dose=r(s.dose_mg)))
    if not s.uses_weight:
        parts.append(i18n.tr("pk.weight_unused", lang))
    parts += [i18n.tr(key, lang) for key in s.caveats]
    if s.missed_from_h is not None:
        parts.append(i18n.tr("pk.missed_note", lang, n=s.n_missed, day=r(s.missed_from_h / 24)))
    return " ".join(parts)


def _box(text: str, colour: str) -> str:
    return (f'<div style="border-left:4px solid {colour};padding:4px 8px">'
            f"{html.escape(text)}</div>")
