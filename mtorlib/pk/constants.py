"""Clinical constants with their sources, from ``mtorlib/data/clinical_constants.yaml``.

The one home of the numbers the suite uses by default or shows: trough target windows per drug
and indication, and single sourced quantities (blood/plasma ratios, observed interaction ratios).

* :func:`target_window` — :class:`TargetWindow` of a drug (its default) or of one indication;
  ``.ng_ml`` is the ``(lo, hi)`` pair every ``target_ng_ml`` argument takes.
* :func:`quantity` — :class:`Quantity` by id (value, unit, label, refs).
* :func:`target_window_table` — the windows of a drug as a tidy DataFrame for display (setting,
  window, assay, readable sources).
* :func:`check_constants_doc` — content rule: one default window per drug, unique ids, lo < hi.

>>> target_window("sirolimus").ng_ml
(5.0, 15.0)
>>> quantity("sirolimus_blood_plasma_ratio_healthy").value
36.0
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .. import evidence
from ..content import load_one, register_rule
from ..i18n import text, tr
from .errors import UnknownNameError


@dataclass(frozen=True)
class TargetWindow:
    """A whole-blood trough window (ng/mL) with where it comes from."""

    drug: str
    indication: str
    lo_ng_ml: float
    hi_ng_ml: float
    assay: str  # chromatographic, immunoassay, not_reported or mixed
    label: dict  # {en, zh}
    note: dict | None
    refs: tuple
    default: bool = False  # the drug's window when no indication is given

    @property
    def ng_ml(self) -> tuple[float, float]:
        """``(lo, hi)`` in ng/mL, as ``target_ng_ml`` arguments take it."""
        return (self.lo_ng_ml, self.hi_ng_ml)


@dataclass(frozen=True)
class Quantity:
    """One sourced number."""

    id: str
    drug: str
    value: float
    unit: str
    label: dict  # {en, zh}
    refs: tuple


@cache
def _doc() -> dict:
    return load_one("clinical_constants", "clinical_constants").data


@cache
def _windows() -> dict[tuple[str, str], TargetWindow]:
    return {(w["drug"], w["indication"]): TargetWindow(
        drug=w["drug"], indication=w["indication"], lo_ng_ml=float(w["lo_ng_ml"]),
        hi_ng_ml=float(w["hi_ng_ml"]), assay=w["assay"], label=dict(w["label"]),
        note=dict(w["note"]) if "note" in w else None, refs=tuple(w["refs"]),
        default=bool(w.get("default", False)))
        for w in _doc()["target_windows"]}


def target_window(drug: str, indication: str | None = None) -> TargetWindow:
    """The trough window of ``drug`` for ``indication`` (default: the drug's default window).

    Raises :class:`~mtorlib.pk.UnknownNameError` naming the drugs or indications available.
    """
    windows = _windows()
    drugs = sorted({d for d, _ in windows})
    if drug not in drugs:
        raise UnknownNameError(f"drug must be one of {', '.join(drugs)}; got {drug!r} (target_window)")
    if indication is None:
        return next(w for w in windows.values() if w.drug == drug and w.default)
    if (drug, indication) not in windows:
        known = ", ".join(i for d, i in windows if d == drug)
        raise UnknownNameError(
            f"indication must be one of {known} for {drug}; got {indication!r} (target_window)")
    return windows[(drug, indication)]


def quantity(quantity_id: str) -> Quantity:
    """The sourced number ``quantity_id``; :class:`~mtorlib.pk.UnknownNameError` lists the ids."""
    found = {q["id"]: q for q in _doc()["quantities"]}
    if quantity_id not in found:
        raise UnknownNameError(
            f"quantity must be one of {', '.join(found)}; got {quantity_id!r} (quantity)")
    q = found[quantity_id]
    return Quantity(id=q["id"], drug=q["drug"], value=float(q["value"]), unit=q["unit"],
                    label=dict(q["label"]), refs=tuple(q["refs"]))


def target_window_table(drug: str, indications=None, lang: str | None = None) -> pd.DataFrame:
    """The trough windows of ``drug`` (all, or ``indications`` in that order) for display.

    Columns (in ``lang``): setting, window (ng/mL), assay, sources (short readable citations).
    """
    chosen = indications if indications is not None else [
        i for d, i in _windows() if d == drug]
    rows = [target_window(drug, i) for i in chosen]
    return pd.DataFrame({
        tr("pk.tw_setting", lang): [text(w.label, lang) for w in rows],
        tr("pk.tw_window", lang): [f"{w.lo_ng_ml:g}–{w.hi_ng_ml:g}" for w in rows],
        tr("pk.tw_assay", lang): [tr(f"pk.assay_{w.assay}", lang) for w in rows],
        tr("pk.tw_sources", lang): [", ".join(evidence.short_citation(r, lang) for r in w.refs)
                                    for w in rows],
    })


@register_rule("clinical_constants")
def check_constants_doc(doc, ctx):
    """Content rule: lo < hi, unique (drug, indication) and quantity ids, one default per drug."""
    windows = doc.data["target_windows"]
    seen: set = set()
    for i, w in enumerate(windows):
        if w["lo_ng_ml"] >= w["hi_ng_ml"]:
            yield ("target_windows", i, "hi_ng_ml"), "hi_ng_ml must be above lo_ng_ml"
        key = (w["drug"], w["indication"])
        if key in seen:
            yield ("target_windows", i, "indication"), f"{w['drug']} has indication '{w['indication']}' twice"
        seen.add(key)
    defaults = Counter(w["drug"] for w in windows if w.get("default"))
    for drug in sorted({w["drug"] for w in windows}):
        if defaults[drug] != 1:
            yield ("target_windows",), f"{drug} must have exactly one default window; has {defaults[drug]}"
    ids = [q["id"] for q in doc.data["quantities"]]
    for i, qid in enumerate(ids):
        if ids.index(qid) != i:
            yield ("quantities", i, "id"), f"quantity id '{qid}' appears twice"
