"""The revised NIH 2009 ALPS diagnostic criteria (``mtorlib/data/alps_criteria.yaml``) and a pure
classifier.

* :func:`criteria_frame` -- the checklist: one row per criterion (``criterion, group, label, refs``).
* :func:`findings_frame` -- the findings the classifier accepts (``finding, type, unit, min, max,
  choices, label``), for a form.
* :func:`criterion_findings` -- which findings each criterion reads.
* :func:`classify` -- ``findings`` (a mapping; a finding left out counts as not tested) ->
  :class:`Classification` with the result (``definitive``, ``probable`` or ``not_alps``) and a tidy
  frame of every criterion: met, not met, or not tested, and why.
* :func:`check_criteria_doc` -- content rule for kind ``diagnostic_criteria``.

>>> c = classify({"lymphoproliferation_months": 14, "malignancy_infection_excluded": True,
...               "dnt_pct_lymphocytes": 4.2, "lymphocytes_normal_or_raised": True,
...               "pathogenic_variant_gene": "FAS"})
>>> c.result, c.label("en")
('definitive', 'Definitive ALPS')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .. import evidence
from ..checks import number
from ..content import load_one, register_rule
from ..i18n import get_language, text

GROUPS = ("required", "primary_accessory", "secondary_accessory")
WHERE = "alps.classify"


class AlpsError(ValueError):
    """A finding that is unknown, of the wrong type, or outside its possible range."""


@cache
def _doc() -> dict:
    return load_one("diagnostic_criteria", "alps_criteria").data


def _findings() -> dict[str, dict]:
    return {f["id"]: f for f in _doc()["findings"]}


def criteria_frame(lang: str | None = None) -> pd.DataFrame:
    """One row per criterion, in source order: ``criterion, group, label, refs``."""
    lang = lang or get_language()
    return pd.DataFrame(
        [{"criterion": c["id"], "group": c["group"], "label": text(c["label"], lang),
          "refs": evidence.labels(c["refs"], lang)} for c in _doc()["criteria"]],
        columns=["criterion", "group", "label", "refs"])


def findings_frame(lang: str | None = None) -> pd.DataFrame:
    """The accepted findings: ``finding, type, unit, min, max, choices, label``."""
    lang = lang or get_language()
    rows = [{"finding": f["id"], "type": f["type"], "unit": f.get("unit", ""), "min": f.get("min"),
             "max": f.get("max"), "choices": tuple(f.get("choices", ())), "label": text(f["label"], lang)}
            for f in _doc()["findings"]]
    return pd.DataFrame(rows, columns=["finding", "type", "unit", "min", "max", "choices", "label"])


def criterion_findings() -> dict[str, tuple[str, ...]]:
    """Criterion id -> the findings its conditions read, in source order (for showing why)."""
    out = {}
    for crit in _doc()["criteria"]:
        names = [c["finding"] for alternative in crit["any_of"] for c in alternative]
        out[crit["id"]] = tuple(dict.fromkeys(names))
    return out


def _clean(findings: Mapping) -> dict:
    """Validated findings; ``None`` values are dropped (not tested)."""
    if not isinstance(findings, Mapping):
        raise AlpsError(f"findings must be a mapping of finding -> value; got {type(findings).__name__} "
                        f"({WHERE})")
    spec = _findings()
    out = {}
    for key, value in findings.items():
        if key not in spec:
            raise AlpsError(f"unknown finding {key!r}; allowed: {', '.join(spec)} ({WHERE})")
        if value is None:
            continue
        f = spec[key]
        if f["type"] == "number":
            out[key] = number(value, key, WHERE, lo=f.get("min"), hi=f.get("max"), error=AlpsError)
        elif f["type"] == "boolean":
            if not isinstance(value, bool):
                raise AlpsError(f"{key} must be true or false; got {value!r} ({WHERE})")
            out[key] = value
        else:
            if value not in f["choices"]:
                raise AlpsError(f"{key} must be one of {', '.join(f['choices'])}; got {value!r} ({WHERE})")
            out[key] = value
    return out


def _test(cond: dict, found: dict) -> bool | None:
    """One condition: True/False, or None if its finding was not tested."""
    if cond["finding"] not in found:
        return None
    x = found[cond["finding"]]
    op = cond["op"]
    if op == ">":
        return x > cond["value"]
    if op == ">=":
        return x >= cond["value"]
    if op == "in":
        return x in cond["values"]
    return x is True


def _criterion(crit: dict, found: dict) -> str:
    """'met', 'not_met' or 'not_tested' (no alternative met and some condition untested)."""
    untested = False
    for alternative in crit["any_of"]:
        results = [_test(c, found) for c in alternative]
        if all(r is True for r in results):
            return "met"
        if None in results and False not in results:
            untested = True
    return "not_tested" if untested else "not_met"


@dataclass(frozen=True)
class Classification:
    """Result of :func:`classify`: ``result`` id and one row per criterion in ``criteria``."""

    result: str
    criteria: pd.DataFrame

    def _outcome(self) -> dict:
        doc = _doc()
        return next((c for c in doc["classes"] if c["id"] == self.result), doc["otherwise"])

    def label(self, lang: str | None = None) -> str:
        return text(self._outcome()["label"], lang)

    def explanation(self, lang: str | None = None) -> str:
        return text(self._outcome()["explanation"], lang)

    def count(self, group: str) -> int:
        """How many criteria of ``group`` are met."""
        rows = self.criteria[self.criteria["group"] == group]
        return int((rows["status"] == "met").sum())


def _reached(needs: dict, status: pd.DataFrame) -> bool:
    for group, need in needs.items():
        rows = status[status["group"] == group]
        met = int((rows["status"] == "met").sum())
        if met < (len(rows) if need == "all" else need):
            return False
    return True


def classify(findings: Mapping, lang: str | None = None) -> Classification:
    """Classify entered ``findings`` by the revised criteria (see the module docstring).

    The criteria frame has ``criterion, group, status, label, refs`` (``status`` is ``met``,
    ``not_met`` or ``not_tested``; ``label`` states the criterion with its thresholds in ``lang``).
    """
    found = _clean(findings)
    frame = criteria_frame(lang)
    frame.insert(2, "status", [_criterion(c, found) for c in _doc()["criteria"]])
    result = next((c["id"] for c in _doc()["classes"] if _reached(c["needs"], frame)),
                  _doc()["otherwise"]["id"])
    return Classification(result, frame)


@register_rule("diagnostic_criteria")
def check_criteria_doc(doc, ctx):
    """Content rule: conditions name declared findings and suit their type; classes name groups in use."""
    spec = {f["id"]: f for f in doc.data["findings"]}
    ops = {"number": {">", ">="}, "boolean": {"is_true"}, "choice": {"in"}}
    for i, f in enumerate(doc.data["findings"]):
        if f["type"] == "choice" and not f.get("choices"):
            yield ("findings", i, "choices"), "a choice finding needs 'choices'"
        if f["type"] == "number" and f.get("min", 0) > f.get("max", float("inf")):
            yield ("findings", i, "min"), "min must be <= max"
    groups = {c["group"] for c in doc.data["criteria"]}
    for i, crit in enumerate(doc.data["criteria"]):
        for j, alternative in enumerate(crit["any_of"]):
            for k, cond in enumerate(alternative):
                path = ("criteria", i, "any_of", j, k)
                f = spec.get(cond["finding"])
                if f is None:
                    yield (*path, "finding"), f"finding '{cond['finding']}' is not declared in findings"
                    continue
                if cond["op"] not in ops[f["type"]]:
                    yield (*path, "op"), (f"op '{cond['op']}' does not suit a {f['type']} finding; "
                                          f"allowed: {', '.join(sorted(ops[f['type']]))}")
                key = {">": "value", ">=": "value", "in": "values"}.get(cond["op"])
                if key and key not in cond:
                    yield (*path, key), f"op '{cond['op']}' needs '{key}'"
                if cond["op"] == "in" and not set(cond.get("values", ())) <= set(f.get("choices", ())):
                    yield (*path, "values"), f"values must be among {', '.join(f.get('choices', ()))}"
    for i, cls in enumerate(doc.data["classes"]):
        for group in cls["needs"]:
            if group not in groups:
                yield ("classes", i, "needs", group), f"no criterion belongs to group '{group}'"
