"""PK explorer: drug/model, dose, interval, loading dose, weight or BSA, interacting drug, food,
liver function, missed doses, population band and language, over one live chart.

``view = pk_explorer()``; display ``view.widget``. Every change runs
:func:`mtorlib.pk_scenario.explore` (the public pipeline) and sets ``view.chart.chart`` in place;
``view.last`` is the resulting :class:`~mtorlib.pk_scenario.Scenario` (``None`` after an input the
engine rejects, whose message is shown instead). The teaching-only notice sits under the chart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import ipywidgets as w

from .. import i18n, pk, pk_scenario
from ..charts import pk as charts
from ..charts import render
from ..pk.errors import PKInputError
from ..regimen import RegimenError
from . import chrome

WIDE = {"description_width": "initial"}


def _slow() -> dict:
    """Options of a control whose change re-simulates: update on release (own layout each)."""
    return {"continuous_update": False, "style": WIDE, "layout": w.Layout(width="360px")}


MODIFIER_CONTROLS = {"interaction": "interaction", "food": "food", "hepatic": "hepatic"}
NO_MODIFIER = {"interaction": "pk.opt_none", "food": "pk.opt_fasted", "hepatic": "pk.opt_normal_liver"}
LABELS = {
    "model": "pk.ctl_model", "basis": "pk.ctl_basis", "dose_mg": "pk.ctl_dose",
    "mg_per_m2": "pk.ctl_mg_m2", "height_cm": "pk.ctl_height", "weight_kg": "pk.ctl_weight",
    "every_h": "pk.ctl_interval", "loading_mg": "pk.ctl_loading",
    "interaction": "pk.ctl_interaction", "food": "pk.ctl_food", "hepatic": "pk.ctl_hepatic",
    "missed": "pk.ctl_missed", "days": "pk.ctl_days", "band": "pk.ctl_band",
    "target": "pk.ctl_target",
}


@dataclass
class PKExplorer:
    """``widget`` to display, ``controls`` by name, the live ``chart`` and the ``last`` scenario."""

    widget: w.VBox
    controls: dict
    chart: object
    caption: w.HTML
    summary: w.HTML
    last: pk_scenario.Scenario | None = None
    _keep: list = field(default_factory=list, repr=False)


def _reference_weight(model_id: str, default: float = 70.0) -> float:
    """The model's reference weight (kg) if weight is one of its covariates, else ``default``."""
    weight = pk.load_model(model_id).covariates.get("weight_kg")
    return default if weight is None else float(weight["reference"])


def _controls(model_id: str) -> dict:
    models = list(pk.list_models()["model_id"])
    return {
        "model": w.Dropdown(options=models, value=model_id, style=WIDE),
        "basis": w.ToggleButtons(options=[("mg", "mg"), ("mg/m²", "mg_m2")], value="mg", style=WIDE),
        "dose_mg": w.FloatSlider(value=2, min=0.25, max=10, step=0.25, **_slow()),
        "mg_per_m2": w.FloatSlider(value=1.5, min=0.25, max=5, step=0.25, **_slow()),
        "height_cm": w.FloatSlider(value=170, min=50, max=200, step=1, **_slow()),
        "weight_kg": w.FloatSlider(value=_reference_weight(model_id), min=5, max=150, step=0.5,
                                   **_slow()),
        "every_h": w.Dropdown(options=[24, 12], value=24, style=WIDE),
        "loading_mg": w.FloatSlider(value=0, min=0, max=20, step=0.5, **_slow()),
        "interaction": w.Dropdown(style=WIDE),
        "food": w.Dropdown(style=WIDE),
        "hepatic": w.Dropdown(style=WIDE),
        "missed": w.IntSlider(value=0, min=0, max=3, **_slow()),
        "days": w.IntSlider(value=21, min=2, max=42, **_slow()),
        "band": w.Checkbox(value=False, style=WIDE),
        "target": w.FloatRangeSlider(value=charts.DEFAULT_TARGET, min=0, max=40, step=0.5,
                                     **_slow()),
    }


def _modifier_options(model, category: str, lang: str) -> list[tuple[str, str]]:
    """(label, name) pairs of a drug's modifiers of one category, minus those built into the model."""
    mods = pk.list_modifiers(model.drug, category)
    none = [(i18n.tr(NO_MODIFIER[category], lang), "")]
    if mods.empty:
        return none
    keep = mods[~mods["group"].isin(model.comedication)]
    return none + list(zip(keep[f"label_{lang}"], keep["name"], strict=True))


def _set_options(control: w.Dropdown, options: list[tuple[str, str]]) -> None:
    """Replace a dropdown's options, keeping its value when still offered."""
    value = control.value
    control.options = options
    names = [name for _, name in options]
    control.value = value if value in names else names[0]


def pk_explorer(model_id: str = "sirolimus_label") -> PKExplorer:
    """Build the explorer (starts with ``model_id``, 2 mg every 24 h for 21 days)."""
    controls = _controls(model_id)
    caption, summary = w.HTML(), w.HTML()
    first = pk_scenario.explore(model_id=model_id, dose_mg=2, days=21)
    view = PKExplorer(
        widget=w.VBox(), controls=controls, chart=render.show(first.chart),
        caption=caption, summary=summary, last=first,
    )
    state = {"busy": False}

    def relabel(lang: str) -> None:
        """Texts of the controls in ``lang``; modifier choices of the current model's drug."""
        for name, key in LABELS.items():
            controls[name].description = i18n.tr(key, lang)
        _set_options(controls["model"], [
            (f"{i18n.tr('pk.drug_' + m.drug, lang)} · {m.model_id}", m.model_id)
            for m in map(pk.load_model, pk.list_models()["model_id"])
        ])
        model = pk.load_model(controls["model"].value)
        for name in MODIFIER_CONTROLS:
            _set_options(controls[name], _modifier_options(model, name, lang))
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

    def on_language(lang: str) -> None:
        update()

    for ctl in controls.values():
        ctl.observe(update, names="value")
    update()
    view._keep.append(on_language)  # the language listener is held weakly
    i18n.on_change(on_language)
    c = controls
    view.widget.children = [
        chrome.language_switch(),
        w.HBox([w.VBox([c["model"], c["basis"], c["dose_mg"], c["mg_per_m2"], c["height_cm"],
                        c["weight_kg"], c["every_h"], c["loading_mg"]]),
                w.VBox([c["interaction"], c["food"], c["hepatic"], c["missed"], c["days"],
                        c["target"], c["band"]])]),
        view.chart, caption, summary, chrome.notice(),
    ]
    return view


def _run(view: PKExplorer, lang: str) -> None:
    """Run the pipeline on the controls' values and show the result (or the engine's message)."""
    c = {name: ctl.value for name, ctl in view.controls.items()}
    dose = ({"mg_per_m2": c["mg_per_m2"], "height_cm": c["height_cm"]} if c["basis"] == "mg_m2"
            else {"dose_mg": c["dose_mg"]})
    try:
        s = pk_scenario.explore(
            model_id=c["model"], every_h=float(c["every_h"]), loading_mg=c["loading_mg"],
            days=c["days"], weight_kg=c["weight_kg"], missed=c["missed"], band=c["band"],
            interactions=tuple(c[name] for name in MODIFIER_CONTROLS if c[name]),
            target=c["target"], **dose,
        )
    except (PKInputError, RegimenError, charts.ChartError, pk_scenario.ScenarioError) as err:
        view.last = None
        view.caption.value = ""  # the chart still shows the last valid settings: say nothing of it
        view.summary.value = _box(i18n.tr("pk.error", lang, message=str(err)), "#D55E00")
        return
    view.last = s
    view.chart.chart = s.chart
    view.caption.value = f"<small>{html.escape(s.caption)}</small>"
    view.summary.value = _box(_summary_text(s, lang), "#0072B2")


def _summary_text(s: pk_scenario.Scenario, lang: str) -> str:
    r = charts.fmt_number
    parts = [i18n.tr("pk.summary", lang, trough=r(s.steady.trough_ng_ml), peak=r(s.steady.peak_ng_ml),
                     auc=r(s.steady.auc_tau_ng_h_ml), acc=r(s.steady.accumulation_ratio),
                     t_half=r(s.half_life_h), t90=r(s.t90_days))]
    if s.bsa_m2 is not None:
        parts.append(i18n.tr("pk.bsa_note", lang, bsa=f"{s.bsa_m2:.2f}", dose=r(s.dose_mg)))
    if "weight_kg" not in s.covariates:
        parts.append(i18n.tr("pk.weight_unused", lang))
    drug = pk.load_model(s.model_id).drug
    if any(m["category"] == "interaction" and "half_life_ratio" not in m
           for m in (pk.modifier(drug, name) for name in s.interactions)):
        parts.append(i18n.tr("pk.interaction_caveat", lang))
    if s.missed_from_h is not None:
        parts.append(i18n.tr("pk.missed_note", lang, n=s.n_missed, day=r(s.missed_from_h / 24)))
    return " ".join(parts)


def _box(text: str, colour: str) -> str:
    return (f'<div style="border-left:4px solid {colour};padding:4px 8px">'
            f"{html.escape(text)}</div>")
