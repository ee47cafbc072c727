"""PK parameter sets as frozen records, loaded from ``mtorlib/data/models/*.yaml`` (kind ``pk_model``).

* :func:`list_models` — DataFrame of the available models
* :func:`load_model` — :class:`PKModel` by id (``LookupError`` listing the valid ids)
* :func:`typical_parameters` — typical values for given covariates (and modifiers), floats
* :func:`individual_parameters` — per-subject values from log-scale random effects η

Covariate effects: TV = (θ0 + Σ additive terms) × Π factors (forms: power, linear, additive,
step, indicator; see ``mtorlib/content/schemas/pk_model.schema.json``).

>>> m = load_model("sirolimus_cheng2020")
>>> round(typical_parameters(m, {"weight_kg": 10})["cl_l_h"], 2)
3.33
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from .. import checks
from ..content import load_kind
from ..content.documents import Document
from .errors import PKInputError, UnknownNameError
from .limits import MAX_SUBJECTS
from .modifiers import apply_modifiers


@dataclass(frozen=True)
class PKModel:
    """One sourced population PK model (read-only; vary with ``dataclasses.replace``).

    Attributes
    ----------
    model_id, drug, structure : str
        e.g. ``"sirolimus_cheng2020"``, ``"sirolimus"``, ``"1cmt"`` or ``"2cmt"``.
    name, population, description : dict
        ``{en, zh}`` texts (``name``: the short learner-readable name shown in model choices).
    theta : mapping
        Typical values θ0 before covariate effects (``ka_per_h``, ``cl_l_h``, ``vc_l`` ...).
    covariates : mapping
        name -> ``{"reference": float, "unit": str, "min": float, "max": float}``.
    effects : tuple of mappings
        Covariate effects (parameter, covariate, form, theta, center, scale, cutoff).
    eta_names : tuple of str
        Parameters carrying inter-individual variability, in the order of η columns.
    omega2 : mapping
        Log-scale variance ω² per name in ``eta_names``.
    residual : mapping
        ``{"proportional": SD fraction, "additive_ng_ml": SD}``.
    comedication : tuple of str
        Modifier groups already reflected in the parameters (e.g. ``"cyclosporine"``).
    refs : tuple
        Sources of the model.
    """

    model_id: str
    drug: str
    structure: str
    population: dict = field(repr=False)
    description: dict = field(repr=False)
    theta: MappingProxyType = field(repr=False)
    covariates: MappingProxyType = field(repr=False)
    effects: tuple = field(repr=False)
    eta_names: tuple
    omega2: MappingProxyType = field(repr=False)
    residual: MappingProxyType = field(repr=False)
    comedication: tuple = ()
    refs: tuple = ()
    name: dict = field(default_factory=dict, repr=False)
    document: Document | None = field(default=None, repr=False, compare=False)

    @property
    def covariate_reference(self) -> dict:
        """The reference (default) value of every covariate."""
        return {k: v["reference"] for k, v in self.covariates.items()}


def model_from_document(doc: Document) -> PKModel:
    """The :class:`PKModel` of one schema-valid ``pk_model`` document."""
    d = doc.data
    effects = []
    for e in d["effects"]:
        effects.append(MappingProxyType({
            "parameter": e["parameter"], "covariate": e["covariate"], "form": e["form"],
            "theta": float(e["theta"]),
            "center": float(e.get("center", d["covariates"][e["covariate"]]["reference"])),
            "scale": float(e.get("scale", 1.0)), "cutoff": e.get("cutoff")}))
    cov = {k: MappingProxyType({f: v[f] for f in ("reference", "unit", "min", "max")})
           for k, v in d["covariates"].items()}
    return PKModel(
        model_id=d["id"], drug=d["drug"], structure=d["structure"],
        population=dict(d["population"]), description=dict(d["description"]),
        theta=MappingProxyType({k: float(v["value"]) for k, v in d["parameters"].items()}),
        covariates=MappingProxyType(cov), effects=tuple(effects),
        eta_names=tuple(d["iiv"]),
        omega2=MappingProxyType({k: float(v["omega2"]) for k, v in d["iiv"].items()}),
        residual=MappingProxyType({"proportional": float(d["residual"]["proportional"]),
                                   "additive_ng_ml": float(d["residual"]["additive_ng_ml"])}),
        comedication=tuple(d.get("comedication", ())), refs=tuple(d["refs"]), name=dict(d["name"]),
        document=doc)


@cache
def _models() -> dict[str, PKModel]:
    return {doc.id: model_from_document(doc) for doc in load_kind("pk_model")}


def list_models() -> pd.DataFrame:
    """Available models: ``model_id, drug, structure, population`` (English),
    ``population_zh``, ``source`` (the first reference)."""
    rows = [{"model_id": m.model_id, "drug": m.drug, "structure": m.structure,
             "population": m.population["en"], "population_zh": m.population["zh"],
             "source": str(m.refs[0])}
            for m in _models().values()]
    return pd.DataFrame(rows).sort_values("model_id", ignore_index=True)


def parameter_table(model) -> pd.DataFrame:
    """Every sourced number of a model: ``section, name, value, unit, flag, source, formula``.

    >>> t = parameter_table("sirolimus_label")
    >>> t[(t.section == "parameter") & (t.name == "vc_l")].formula.item()[:24]
    'V/F = CL/F × t½ / ln 2 w'
    """
    d = as_model(model).document.data
    rows = [("parameter", k, v["value"], v["unit"], v["flag"], v["refs"], v.get("formula", ""))
            for k, v in d["parameters"].items()]
    rows += [("covariate effect", f"{e['parameter']} ~ {e['covariate']} ({e['form']})", e["theta"],
              "", e["flag"], e["refs"], "") for e in d["effects"]]
    rows += [("IIV omega2", k, v["omega2"], "", v["flag"], v["refs"], v.get("formula", ""))
             for k, v in d["iiv"].items()]
    r = d["residual"]
    rows += [("residual", "proportional SD", r["proportional"], "fraction", r["flag"], r["refs"],
              r.get("formula", "")),
             ("residual", "additive SD", r["additive_ng_ml"], "ng/mL", r["flag"], r["refs"],
              r.get("formula", ""))]
    table = pd.DataFrame(rows, columns=["section", "name", "value", "unit", "flag", "source", "formula"])
    table["source"] = table["source"].map(lambda refs: ", ".join(map(str, refs)))
    return table


def load_model(model_id: str) -> PKModel:
    """The model ``model_id``; :class:`UnknownNameError` (a ``LookupError``) lists valid ids.

    >>> load_model("sirolimus_label").structure
    '1cmt'
    """
    models = _models()
    if model_id not in models:
        raise UnknownNameError(f"model_id {model_id!r} is not known; valid ids: {', '.join(sorted(models))}")
    return models[model_id]


def as_model(model) -> PKModel:
    """``model`` itself if a :class:`PKModel`, else the model of that id; :class:`PKInputError`."""
    if isinstance(model, PKModel):
        return model
    if isinstance(model, str):
        return load_model(model)
    raise PKInputError(f"model must be a PKModel or a model id; got {type(model).__name__}")


def check_covariates(model: PKModel, covariates) -> dict[str, float]:
    """Covariates completed with reference values; unknown names or bad values raise."""
    covariates = {} if covariates is None else covariates
    if not isinstance(covariates, dict):
        raise PKInputError(f"covariates must be a dict name -> value; got {type(covariates).__name__}")
    unknown = sorted(set(covariates) - set(model.covariates))
    if unknown:
        allowed = ", ".join(model.covariates) or "none"
        raise UnknownNameError(f"covariate(s) {unknown} not used by {model.model_id}; allowed: {allowed}")
    out = {}
    for name, spec in model.covariates.items():
        x = covariates.get(name, spec["reference"])
        out[name] = checks.number(x, f"covariate {name} ({spec['unit']})", model.model_id,
                                  lo=spec["min"], hi=spec["max"], error=PKInputError)
    for e in model.effects:
        if e["form"] == "indicator" and out[e["covariate"]] not in (0.0, 1.0):
            raise PKInputError(f"covariate {e['covariate']} must be 0 or 1; got {out[e['covariate']]!r}")
    return out


def _factor(e, x: float) -> float:
    form, th = e["form"], e["theta"]
    if form == "power":
        return (x / e["center"]) ** th
    if form == "linear":
        return 1.0 + th * (x - e["center"]) / e["scale"]
    if form == "step":
        return th if x > e["cutoff"] else 1.0
    return th ** x  # indicator


def typical_parameters(model, covariates=None, interactions=()) -> dict[str, float]:
    """Typical parameters (floats) for covariates (reference values where not given) and modifiers.

    Parameters
    ----------
    model : PKModel or str
    covariates : dict, optional
        name -> value in the model's units (see ``model.covariates``).
    interactions : sequence of str
        Modifier names (interacting drugs, food, formulation, hepatic class), see
        :func:`mtorlib.pk.list_modifiers`.

    Returns
    -------
    dict
        ``ka_per_h``, ``cl_l_h``, ``vc_l`` (+ ``q_l_h``, ``vp_l`` for 2-cmt) and ``f_rel``.
    """
    model = as_model(model)
    cov = check_covariates(model, covariates)
    out = {}
    for name, theta in model.theta.items():
        effects = [e for e in model.effects if e["parameter"] == name]
        tv = theta + sum(e["theta"] * (cov[e["covariate"]] - e["center"])
                         for e in effects if e["form"] == "additive")
        for e in effects:
            if e["form"] != "additive":
                tv *= _factor(e, cov[e["covariate"]])
        if not (math.isfinite(tv) and tv > 0):
            raise PKInputError(f"covariates {cov} give {name} = {tv:.4g} for {model.model_id}; "
                               f"it must be > 0: use values closer to the study range")
        out[name] = float(tv)
    out.setdefault("f_rel", 1.0)
    return apply_modifiers(model, out, interactions)


def individual_parameters(model, *, covariates=None, eta=None, interactions=()) -> dict[str, np.ndarray]:
    """Per-subject parameters ``TV × exp(η)`` as arrays of shape (n_subjects,).

    Parameters
    ----------
    eta : array, shape (n_subjects, len(model.eta_names)), optional
        Log-scale random effects in the order of ``model.eta_names``; None = typical subject.

    >>> m = load_model("sirolimus_cheng2020")
    >>> p = individual_parameters(m, eta=[[0.0, 0.0], [0.1, 0.0]])
    >>> round(float(p["cl_l_h"][1] / p["cl_l_h"][0]), 4)
    1.1052
    """
    model = as_model(model)
    tv = typical_parameters(model, covariates, interactions)
    k = len(model.eta_names)
    eta = np.zeros((1, k)) if eta is None else np.asarray(eta, dtype=float)
    if eta.ndim == 1 and k == 1:
        eta = eta[:, None]
    if eta.ndim != 2 or eta.shape[1] != k:
        raise PKInputError(f"eta must have shape (n_subjects, {k}) for {model.eta_names}; got {eta.shape}")
    if not np.isfinite(eta).all():
        raise PKInputError("eta must be finite; got a NaN or infinite value")
    n = eta.shape[0]
    out = {name: np.full(n, v) for name, v in tv.items()}
    for j, name in enumerate(model.eta_names):
        out[name] = out[name] * np.exp(eta[:, j])
    return out


def sample_eta(model, n_subjects: int, rng: np.random.Generator) -> np.ndarray:
    """η ~ N(0, diag(ω²)), shape (n_subjects, len(eta_names)), from the passed generator."""
    model = as_model(model)
    n_subjects = checks.integer(n_subjects, "n_subjects", "pk.sample_eta", lo=1, hi=MAX_SUBJECTS,
                                error=PKInputError)
    sd = np.sqrt([model.omega2[k] for k in model.eta_names])
    return rng.standard_normal((n_subjects, len(sd))) * sd
