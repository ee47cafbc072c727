"""Assay awareness: how a sirolimus trough window reads on another measurement method.

Immunoassays cross-react with metabolites and read higher than chromatographic methods
(HPLC-UV, LC-MS/MS), on which label targets are based. The published comparisons in
``mtorlib/data/assay.yaml`` are linear relations *immunoassay = slope × chromatographic +
intercept*, with a range of slopes where the sources give one — so a conversion returns a range.

* :func:`comparisons` — the table (DataFrame: comparison, immunoassay, reference, basis,
  slope_low, slope_high, intercept_ng_ml, summary, refs).
* :func:`to_chromatographic` / :func:`to_immunoassay` — ``(low, high)`` ng/mL for one value.
* :func:`convert_window` — a target window as it reads on the other method (DataFrame).
* :func:`check_assay_doc` — content rule: method ids exist and belong to the right family.

>>> lo, hi = to_chromatographic(15.0, comparison="cmia_vs_lcmsms_sites")
>>> round(lo, 1), round(hi, 1)
(10.8, 13.2)
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ..content import load_one, register_rule
from ..i18n import get_language, text
from .rules import TDMError, check_conc, check_window

DIRECTIONS = ("to_chromatographic", "to_immunoassay")


@cache
def _doc() -> dict:
    return load_one("assay", "assay").data


def _comparison(comparison: str, where: str) -> dict:
    found = {c["id"]: c for c in _doc()["comparisons"]}
    if comparison not in found:
        raise TDMError(
            f"comparison must be one of {', '.join(found)}; got {comparison!r} ({where})"
        )
    return found[comparison]


def comparisons(lang: str | None = None) -> pd.DataFrame:
    """Every published comparison, one row each (``summary`` in ``lang``, default current)."""
    lang = lang or get_language()
    rows = [
        {
            "comparison": c["id"],
            "immunoassay": c["immunoassay"],
            "reference": c["reference"],
            "basis": c["basis"],
            "slope_low": c["slope_low"],
            "slope_high": c["slope_high"],
            "intercept_ng_ml": c["intercept_ng_ml"],
            "summary": text(c["summary"], lang),
            "refs": ", ".join(f"[{r}]" for r in c["refs"]),
        }
        for c in _doc()["comparisons"]
    ]
    return pd.DataFrame(rows)


def notes(lang: str | None = None) -> list[str]:
    """Assay notes (which assay a study used, what was not found), with their references."""
    lang = lang or get_language()
    return [
        text(n["text"], lang) + " " + " ".join(f"[{r}]" for r in n["refs"])
        for n in _doc().get("notes", [])
    ]


def to_chromatographic(conc_ng_ml: float, *, comparison: str) -> tuple[float, float]:
    """An immunoassay result as the range of chromatographic values it corresponds to (ng/mL).

    ``(x − intercept) / slope`` for the high and the low slope of ``comparison``.
    """
    where = "tdm.assay.to_chromatographic"
    conc = check_conc("conc_ng_ml", conc_ng_ml, where)
    c = _comparison(comparison, where)
    values = [(conc - c["intercept_ng_ml"]) / s for s in (c["slope_high"], c["slope_low"])]
    return min(values), max(values)


def to_immunoassay(conc_ng_ml: float, *, comparison: str) -> tuple[float, float]:
    """A chromatographic result as the range of immunoassay values expected (ng/mL)."""
    where = "tdm.assay.to_immunoassay"
    conc = check_conc("conc_ng_ml", conc_ng_ml, where)
    c = _comparison(comparison, where)
    values = [s * conc + c["intercept_ng_ml"] for s in (c["slope_low"], c["slope_high"])]
    if min(values) <= 0:
        raise TDMError(f"conc_ng_ml {conc:g} is below the range of the {comparison} regression "
                       f"(it would read <= 0 ng/mL) ({where})")
    return min(values), max(values)


def convert_window(
    window_ng_ml: tuple[float, float], *, comparison: str, direction: str = "to_chromatographic"
) -> pd.DataFrame:
    """A target window read on the other method, for one comparison.

    Returns a one-row DataFrame: comparison, direction, lo_ng_ml, hi_ng_ml (the window as given),
    lo_min_ng_ml, lo_max_ng_ml, hi_min_ng_ml, hi_max_ng_ml (each end as a range).
    """
    where = "tdm.assay.convert_window"
    if direction not in DIRECTIONS:
        allowed = ", ".join(DIRECTIONS)
        raise TDMError(f"direction must be one of {allowed}; got {direction!r} ({where})")
    lo, hi = check_window(window_ng_ml, where, name="window_ng_ml")
    convert = to_chromatographic if direction == "to_chromatographic" else to_immunoassay
    lo_range, hi_range = convert(lo, comparison=comparison), convert(hi, comparison=comparison)
    return pd.DataFrame([{
        "comparison": comparison, "direction": direction, "lo_ng_ml": lo, "hi_ng_ml": hi,
        "lo_min_ng_ml": lo_range[0], "lo_max_ng_ml": lo_range[1],
        "hi_min_ng_ml": hi_range[0], "hi_max_ng_ml": hi_range[1],
    }])


@register_rule("assay")
def check_assay_doc(doc, ctx):
    """Content rule: comparison methods exist, in the right family; slope_low <= slope_high."""
    family = {m["id"]: m["family"] for m in doc.data["methods"]}
    for i, c in enumerate(doc.data["comparisons"]):
        for key, want in (("immunoassay", "immunoassay"), ("reference", "chromatographic")):
            got = family.get(c[key])
            if got is None:
                yield ("comparisons", i, key), f"method '{c[key]}' is not in methods"
            elif got != want:
                yield ("comparisons", i, key), f"method '{c[key]}' is {got}, expected {want}"
        if c["slope_low"] > c["slope_high"]:
            yield ("comparisons", i, "slope_low"), "slope_low must be <= slope_high"
        if c["basis"] == "regression" and c["slope_low"] != c["slope_high"]:
            yield ("comparisons", i, "slope_high"), "a regression has one slope (low == high)"
