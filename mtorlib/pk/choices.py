"""What a scenario may choose for a model, and what the choice implies (pure rules, no UI).

* :func:`reference_covariates` — the model's reference patient (e.g. its reference weight).
* :func:`regimen_covariates` — covariates a regimen sets: body weight where the model uses it,
  and the daily dose where clearance depends on it (Jiao 2009: dose-dependent CL/F).
* :func:`offered_modifiers` — a drug's modifiers of one category, minus those the model already
  reflects (e.g. ciclosporin in a model of patients on ciclosporin).
* :func:`modifier_caveats` — caveats for a set of modifiers, as keys of ``pk.*`` UI strings.

>>> reference_covariates("sirolimus_cheng2020")["weight_kg"]
28.5
>>> regimen_covariates("sirolimus_jiao2009", daily_dose_mg=4.0)
{'daily_dose_mg': 4.0}
"""

from __future__ import annotations

import pandas as pd

from .models import PKModel, load_model
from .modifiers import list_modifiers, modifier

CLEARANCE_ONLY_CAVEAT = "pk.interaction_caveat"  # AUC ratio put on clearance: t½ change overstated


def _as_model(model) -> PKModel:
    return model if isinstance(model, PKModel) else load_model(model)


def reference_covariates(model) -> dict[str, float]:
    """Reference value of every covariate of ``model`` (a model or its id), e.g. ``weight_kg``."""
    return dict(_as_model(model).covariate_reference)


def regimen_covariates(model, *, daily_dose_mg: float, weight_kg: float | None = None) -> dict:
    """Covariates a regimen implies for ``model``.

    ``weight_kg`` is kept only when the model has a weight covariate; a model with a
    ``daily_dose_mg`` covariate gets the regimen's daily dose (mg/day).
    """
    m = _as_model(model)
    out = {"weight_kg": weight_kg} if "weight_kg" in m.covariates and weight_kg else {}
    if "daily_dose_mg" in m.covariates:
        out["daily_dose_mg"] = float(daily_dose_mg)
    return out


def offered_modifiers(model, category: str) -> pd.DataFrame:
    """Modifiers of the model's drug in ``category`` that may be added to ``model``.

    Rows of :func:`~mtorlib.pk.list_modifiers`, minus the groups in ``model.comedication``.
    """
    m = _as_model(model)
    mods = list_modifiers(m.drug, category)
    if mods.empty:
        return mods
    return mods[~mods["group"].isin(m.comedication)].reset_index(drop=True)


def modifier_caveats(drug: str, names) -> tuple[str, ...]:
    """Caveats (``pk.*`` UI string keys) for simulating ``drug`` with the modifiers ``names``.

    An interaction without a reported half-life ratio is put wholly on clearance, which
    overstates how much the half-life (and the time to the new steady state) changes.
    """
    records = [modifier(drug, name) for name in names]
    if any(r["category"] == "interaction" and "half_life_ratio" not in r for r in records):
        return (CLEARANCE_ONLY_CAVEAT,)
    return ()
