"""Pharmacokinetics of sirolimus and everolimus: sourced models, an exact vectorised engine,
population simulation, interactions and derived quantities.

For teaching only: nothing here is for clinical decisions.

Public API (frames are tidy; concentrations are whole blood, ng/mL):

* models: :func:`list_models`, :func:`load_model` -> :class:`PKModel`, :func:`parameter_table`,
  :func:`typical_parameters`, :func:`individual_parameters`, :func:`sample_eta`
* engine: :func:`predict` (params, events, times) -> ndarray (n_subjects, n_times)
* simulation: :func:`simulate` -> DataFrame ``subject, time_h, conc_ng_ml``; :func:`add_residual`
* quantities: :func:`steady_state` -> :class:`SteadyState`, :func:`half_life_h`,
  :func:`time_to_steady_state_h`; :func:`target_attainment` (PTA table by dose and band, with
  :func:`weight_bands`), :func:`steady_state_troughs` (vectorised over subjects)
* modifiers: :func:`list_interactions`, :func:`list_modifiers`, :func:`modifier`
  (interacting drugs, food, formulation and hepatic classes, passed by name in ``interactions``)
* choices: :func:`reference_covariates`, :func:`regimen_covariates`, :func:`offered_modifiers`,
  :func:`modifier_caveats` (what a scenario may choose for a model and what it implies)
* constants: :func:`target_window` -> :class:`TargetWindow`, :func:`quantity` -> :class:`Quantity`
  (sourced target windows and numbers from ``mtorlib/data/clinical_constants.yaml``)
* start/stop of a modifier mid-course: :func:`simulate_windows` (windows ``(name, start_h,
  stop_h)``), :func:`predict_phased` (piecewise-constant clearance/bioavailability),
  :func:`phase_table`, :func:`modifier_effect`, :func:`trough_after_switch`, :class:`ModifierWindow`
* errors: :class:`PKInputError` (``ValueError``), :class:`UnknownNameError` (also ``LookupError``)

>>> from mtorlib import pk, regimen
>>> ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=28, loading_mg=6)
>>> sim = pk.simulate("sirolimus_label", ev)
>>> round(float(sim.conc_ng_ml.iloc[-73]), 1)  # trough just before the last dose
5.7
"""

import sys

from ..content import register_compute
from . import rules  # noqa: F401  (registers the pk_model and pk_modifiers rules)
from .attainment import steady_state_troughs, target_attainment, weight_bands
from .choices import modifier_caveats, offered_modifiers, reference_covariates, regimen_covariates
from .closed_form import predict
from .constants import Quantity, TargetWindow, quantity, target_window, target_window_table
from .errors import PKInputError, UnknownNameError
from .models import (
    PKModel,
    as_model,
    individual_parameters,
    list_models,
    load_model,
    parameter_table,
    sample_eta,
    typical_parameters,
)
from .modifiers import list_interactions, list_modifiers, modifier
from .phased import predict_phased
from .quantities import SteadyState, half_life_h, steady_state, time_to_steady_state_h
from .schedule import ModifierWindow, modifier_effect, phase_table, simulate_windows, trough_after_switch
from .simulate import add_residual, simulate

__all__ = [
    "ModifierWindow", "PKInputError", "PKModel", "Quantity", "SteadyState", "TargetWindow",
    "UnknownNameError", "add_residual", "as_model", "modifier_caveats", "offered_modifiers",
    "quantity", "reference_covariates", "regimen_covariates", "target_window",
    "target_window_table",
    "half_life_h", "individual_parameters", "list_interactions", "list_models",
    "list_modifiers", "load_model", "modifier", "modifier_effect", "parameter_table", "phase_table",
    "predict", "predict_phased", "sample_eta", "simulate", "simulate_windows", "trough_after_switch",
    "steady_state", "steady_state_troughs", "target_attainment", "time_to_steady_state_h",
    "typical_parameters", "weight_bands",
]

register_compute(sys.modules[__name__])  # content may name these functions in ``compute``
