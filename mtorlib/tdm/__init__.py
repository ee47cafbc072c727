"""Therapeutic drug monitoring: label rules, assays, Bayesian (MAP) estimation, dose advice.

* ``rules``  — :func:`proportional_dose`, :func:`loading_dose`, :func:`trough_timing`,
  :func:`round_to_strength` (label rules; numbers in mg/day and ng/mL).
* ``assay``  — immunoassay vs chromatographic bias ranges from ``mtorlib/data/assay.yaml``.
* ``bayes``  — :func:`map_estimate` (individual PK parameters from levels) with a Laplace band.
* ``recommend`` — :func:`recommend_dose` a priori or from a fit, with a bilingual explanation.
* :func:`target_window` — the sourced trough window of a drug and indication (same function as
  ``mtorlib.pk.target_window``; data in ``mtorlib/data/clinical_constants.yaml``).

The TDM coach pipeline (dose and level frames → fit → label rule vs Bayesian answer) is the
scenario ``mtorlib.scenarios.coach``.

For teaching only: nothing here is for clinical decisions.
"""

import sys

from ..content import register_compute
from ..pk.constants import TargetWindow, target_window
from . import assay  # noqa: F401  (registers the assay rule)
from .bayes import MapFit, map_estimate
from .recommend import Recommendation, recommend_dose
from .rules import (
    LoadingPlan,
    TDMError,
    TroughTiming,
    fraction_of_steady_state,
    loading_dose,
    proportional_dose,
    round_to_strength,
    tablet_combination,
    trough_timing,
)

__all__ = [
    "LoadingPlan",
    "MapFit",
    "Recommendation",
    "map_estimate",
    "recommend_dose",
    "TargetWindow",
    "TDMError",
    "TroughTiming",
    "fraction_of_steady_state",
    "loading_dose",
    "proportional_dose",
    "round_to_strength",
    "tablet_combination",
    "target_window",
    "trough_timing",
]

register_compute(sys.modules[__name__])  # content may name these functions in ``compute``
