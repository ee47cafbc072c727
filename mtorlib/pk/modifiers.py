"""Sourced PK modifiers from ``mtorlib/data/modifiers/<drug>.yaml`` (kind ``pk_modifiers``).

Categories and how they act on the typical parameters:

* ``interaction`` — a perpetrator drug: apparent clearance CL/F is divided by the label AUC ratio,
  so the simulated AUC ratio equals the reported one (changes in Cmax/tmax are not modelled);
* ``food``, ``formulation`` — relative bioavailability ``f_rel`` is multiplied by the AUC ratio;
* ``hepatic`` — CL/F is multiplied by the measured factor ``cl_factor``; the label's dose
  guidance (``label_dose_factor``) is listed, not simulated.

Several modifiers multiply (an assumption: independent effects); at most one per ``group``
(e.g. one Child-Pugh class, one ciclosporin timing). Modifiers already reflected in a model
(``model.comedication``) raise, as do unknown names.

>>> list_interactions("sirolimus").query("name == 'posaconazole'").auc_ratio.item()
8.88
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ..content import load_kind
from .errors import PKInputError, UnknownNameError

DRUGS = ("sirolimus", "everolimus")


@cache
def _modifiers(drug: str) -> dict[str, dict]:
    out = {}
    for doc in load_kind("pk_modifiers"):
        if doc.data["drug"] == drug:
            for m in doc.data["modifiers"]:
                out[m["name"]] = {"group": m["name"], **m, "refs": tuple(m["refs"])}
    return out


def _check_drug(drug: str) -> str:
    if drug not in DRUGS:
        raise UnknownNameError(f"drug {drug!r} is not known; allowed: {', '.join(DRUGS)}")
    return drug


def list_modifiers(drug: str, category: str | None = None) -> pd.DataFrame:
    """Modifiers of ``drug``: ``name, category, group, auc_ratio, cmax_ratio, cl_factor,
    label_dose_factor, flag, source`` (source = the first reference), optionally one category."""
    rows = [{"name": m["name"], "category": m["category"], "group": m["group"],
             "label_en": m["label"]["en"], "label_zh": m["label"]["zh"],
             "auc_ratio": m.get("auc_ratio"), "cmax_ratio": m.get("cmax_ratio"),
             "cl_factor": m.get("cl_factor"), "label_dose_factor": m.get("label_dose_factor"),
             "flag": m["flag"], "source": ", ".join(map(str, m["refs"]))}
            for m in _modifiers(_check_drug(drug)).values()
            if category is None or m["category"] == category]
    return pd.DataFrame(rows)


def list_interactions(drug: str) -> pd.DataFrame:
    """Interacting drugs of ``drug`` (category ``interaction``) with their label AUC ratios."""
    return list_modifiers(drug, "interaction")


def modifier(drug: str, name: str) -> dict:
    """The full record of one modifier (texts, ratios, refs)."""
    mods = _modifiers(_check_drug(drug))
    if name not in mods:
        raise UnknownNameError(f"modifier {name!r} is not known for {drug}; allowed: {', '.join(mods)}")
    return dict(mods[name])


def apply_modifiers(model, params: dict, names) -> dict:
    """``params`` with the named modifiers of ``model.drug`` applied (a new dict)."""
    if isinstance(names, str):
        names = (names,)
    out = dict(params)
    groups: dict[str, str] = {}
    for name in names:
        m = modifier(model.drug, name) if isinstance(name, str) else None
        if m is None:
            raise PKInputError(f"interactions must be modifier names (str); got {name!r}")
        if m["group"] in groups:
            raise PKInputError(f"modifiers {groups[m['group']]!r} and {name!r} are alternatives "
                               f"(group {m['group']!r}); choose one")
        if m["group"] in model.comedication:
            raise PKInputError(f"{model.model_id} was fitted in patients already taking "
                               f"{m['group']}; adding {name!r} would count it twice")
        groups[m["group"]] = name
        if m["category"] == "hepatic":
            out["cl_l_h"] *= m["cl_factor"]
        elif m["applies_to"] == "cl_l_h":
            out["cl_l_h"] /= m["auc_ratio"]
            if "half_life_ratio" in m:  # split: clearance part 1/h, bioavailability part R/h
                for key in ("vc_l", "vp_l", "q_l_h"):
                    if key in out:
                        out[key] *= m["half_life_ratio"] / m["auc_ratio"]
        else:
            out["f_rel"] *= m["auc_ratio"]
    return out
