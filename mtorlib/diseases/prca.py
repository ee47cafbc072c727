"""Sourced response rates and times to response in acquired PRCA (``mtorlib/data/prca_response.yaml``),
as tidy frames for a response-over-months view.

* :func:`response_over_months` -- the time-resolved points: ``arm, study, refs, n, month, measure,
  percent, basis``. ``basis`` is ``start`` (month 0, nobody has responded yet), ``reported`` (a rate
  published at that month) or ``derived_median`` (at the published median time to response, half of
  the eventual responders: the study's overall rate / 2). Nothing is interpolated.
* :func:`untimed_rates` -- published rates with no time attached (``arm, study, refs, n, measure,
  percent, ci_low, ci_high``), shown apart from the months.
* :func:`relapse_frame`, :func:`withdrawal`, :func:`not_found`, :func:`note` -- relapse figures, the
  early-withdrawal statement, what was not retrieved and how to read the points.
* :func:`check_response_doc` -- content rule for kind ``response_course``.

>>> f = response_over_months(measure="orr")
>>> f[f.study == "Huang 2022"][["month", "percent"]].values.tolist()
[[0.0, 0.0], [3.0, 60.9], [6.0, 84.4], [12.0, 73.5]]
"""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from .. import evidence
from ..content import load_one, register_rule
from ..i18n import get_language, text

MEASURES = ("orr", "cr")
POINT_COLUMNS = ["arm", "arm_label", "study", "refs", "n", "month", "measure", "percent", "basis"]


class PrcaError(ValueError):
    """An unknown measure or arm."""


@cache
def _doc() -> dict:
    return load_one("response_course", "prca_response").data


def _measures(measure: str | None) -> tuple[str, ...]:
    if measure is None:
        return MEASURES
    if measure not in MEASURES:
        raise PrcaError(f"measure must be one of {', '.join(MEASURES)} or None; got {measure!r} "
                        "(prca.response_over_months)")
    return (measure,)


def _base(arm: dict, study: dict, lang: str) -> dict:
    return {"arm": arm["id"], "arm_label": text(arm["label"], lang), "study": study["label"],
            "refs": evidence.labels(study["refs"], lang), "n": study.get("n", math.nan)}


def response_over_months(measure: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """Time-resolved response points of every study (see the module docstring), sorted by arm,
    study and month; ``measure`` is ``"orr"``, ``"cr"`` or ``None`` for both."""
    lang = lang or get_language()
    wanted = _measures(measure)
    rows = []
    for arm in _doc()["arms"]:
        for study in arm["studies"]:
            base = _base(arm, study, lang)
            timed = [r for r in study["rates"] if "month" in r and r["measure"] in wanted]
            untimed = {r["measure"]: r["percent"] for r in study["rates"] if "month" not in r}
            median = study.get("median_months_to_response")
            derived = median is not None and "orr" in wanted and "orr" in untimed
            for m in {r["measure"] for r in timed} | ({"orr"} if derived else set()):
                rows.append(base | {"month": 0.0, "measure": m, "percent": 0.0, "basis": "start"})
            rows += [base | {"month": float(r["month"]), "measure": r["measure"],
                             "percent": float(r["percent"]), "basis": "reported"} for r in timed]
            if derived:
                rows.append(base | {"month": float(median), "measure": "orr",
                                    "percent": untimed["orr"] / 2, "basis": "derived_median"})
    frame = pd.DataFrame(rows, columns=POINT_COLUMNS)
    return frame.sort_values(["arm", "study", "measure", "month"], kind="stable").reset_index(drop=True)


def untimed_rates(lang: str | None = None) -> pd.DataFrame:
    """Published rates with no time of assessment: ``arm, arm_label, study, refs, n, measure,
    percent, ci_low, ci_high``."""
    lang = lang or get_language()
    rows = []
    for arm in _doc()["arms"]:
        for study in arm["studies"]:
            for r in study["rates"]:
                if "month" not in r:
                    lo, hi = r.get("ci_percent", (math.nan, math.nan))
                    rows.append(_base(arm, study, lang) | {"measure": r["measure"],
                                "percent": float(r["percent"]), "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=["arm", "arm_label", "study", "refs", "n", "measure", "percent",
                                       "ci_low", "ci_high"])


def relapse_frame(lang: str | None = None) -> pd.DataFrame:
    """Published relapse figures: ``arm, arm_label, study, refs, percent, events, of,
    median_followup_months``."""
    lang = lang or get_language()
    rows = []
    for arm in _doc()["arms"]:
        for study in arm["studies"]:
            if "relapse" in study:
                rel = study["relapse"]
                rows.append({k: v for k, v in _base(arm, study, lang).items() if k != "n"}
                            | {"percent": rel["percent"], "events": rel.get("events"), "of": rel.get("of"),
                               "median_followup_months": rel["median_followup_months"]})
    return pd.DataFrame(rows, columns=["arm", "arm_label", "study", "refs", "percent", "events", "of",
                                       "median_followup_months"])


def withdrawal(lang: str | None = None) -> tuple[str, str]:
    """``(statement, refs)``: what the sources say about stopping early."""
    w = _doc()["withdrawal"]
    return text(w["text"], lang), evidence.labels(w["refs"], lang)


def note(lang: str | None = None) -> str:
    """How to read the response points (different populations; derived points; untimed rates)."""
    return text(_doc()["note"], lang)


def not_found(lang: str | None = None) -> list[str]:
    """Figures a response-over-months view would need that were not retrieved."""
    return [text(t, lang) for t in _doc()["not_found"]]


@register_rule("response_course")
def check_response_doc(doc, ctx):
    """Content rule: arm and study ids unique; a CI brackets its rate; relapse events/of match the
    percent (±0.1); a median time to response comes with an untimed ORR to derive from."""
    arms = [a["id"] for a in doc.data["arms"]]
    for i, arm in enumerate(doc.data["arms"]):
        if arms.index(arm["id"]) != i:
            yield ("arms", i, "id"), f"arm id '{arm['id']}' appears twice"
        ids = [s["id"] for s in arm["studies"]]
        for j, study in enumerate(arm["studies"]):
            path = ("arms", i, "studies", j)
            if ids.index(study["id"]) != j:
                yield (*path, "id"), f"study id '{study['id']}' appears twice in arm '{arm['id']}'"
            for k, r in enumerate(study["rates"]):
                lo, hi = r.get("ci_percent", (r["percent"], r["percent"]))
                if not lo <= r["percent"] <= hi:
                    yield (*path, "rates", k, "ci_percent"), "the interval must contain the rate"
            rel = study.get("relapse", {})
            counted = "events" in rel and "of" in rel
            if counted and abs(100 * rel["events"] / rel["of"] - rel["percent"]) > 0.1:
                yield (*path, "relapse", "percent"), (
                    f"percent {rel['percent']} does not match {rel['events']}/{rel['of']}")
            if "median_months_to_response" in study and not any(
                    r["measure"] == "orr" and "month" not in r for r in study["rates"]):
                yield (*path, "median_months_to_response"), (
                    "a median time to response needs an overall ORR (without month) in the same study")
