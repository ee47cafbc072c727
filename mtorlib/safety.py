"""Sourced safety facts of sirolimus and everolimus as tidy frames, and a monitoring planner.

Data: ``mtorlib/data/safety_facts.yaml`` (kind ``safety_facts``) and
``mtorlib/data/safety_monitoring.yaml`` (kind ``safety_monitoring``); nothing clinical is typed here.

* :func:`adverse_events` -- one row per published figure (``event, drug, population, setting,
  qualifier, percent, percent_high, comparator, comparator_percent, figure, source, refs``),
  filterable by population and drug.
* :func:`warnings_frame`, :func:`infection_frame`, :func:`confounder_frame` -- the statements.
* :func:`monitoring_plan` -- for a start date and an indication: ``date, until, item, why, when,
  source``; ``date`` is empty (``NaT``) where the sources state no timing.
* :func:`check_safety_facts`, :func:`check_safety_monitoring` -- content rules.

>>> f = adverse_events(population="hct")
>>> f[["event", "percent", "comparator_percent"]].values.tolist()
[['Thrombotic microangiopathy', 10.8, 4.2]]
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pandas as pd

from . import evidence
from .content import load_one, register_rule
from .i18n import get_language, text, tr

POPULATIONS = ("transplant", "hct", "oncology", "immune_cytopenia", "tsc_lam")
DRUGS = ("sirolimus", "everolimus", "mtor_inhibitors")
AE_COLUMNS = ["id", "event", "drug", "population", "setting", "qualifier", "percent", "percent_high",
              "comparator", "comparator_percent", "figure", "source", "refs"]
PLAN_COLUMNS = ["date", "until", "item", "why", "when", "source", "stated"]
_PERCENT = re.compile(r"\d\s*%")


class SafetyError(ValueError):
    """An unknown population, drug or indication, or a start date that is not a date."""


@cache
def _facts() -> dict:
    return load_one("safety_facts", "safety_facts").data


@cache
def _monitoring() -> dict:
    return load_one("safety_monitoring", "safety_monitoring").data


def _choice(value, allowed, name: str, where: str):
    if value is not None and value not in allowed:
        raise SafetyError(f"{name} must be one of {', '.join(allowed)} or None; got {value!r} ({where})")
    return value


def sources_text(refs, lang: str | None = None) -> str:
    """Readable short citations of ``refs``; 'not stated by the sources' when there are none."""
    if not refs:
        return tr("safety.not_stated", lang)
    sep = "；" if (lang or get_language()) == "zh" else "; "
    return sep.join(evidence.short_citation(r, lang) for r in refs)


def label(kind: str, value: str, lang: str | None = None) -> str:
    """The learner-facing name of a population or drug (``kind``: 'population' or 'drug')."""
    return tr(f"safety.{kind}_{value}", lang)


def _figure(row: dict, lang: str) -> str:
    """The figure as published: ``4.0`` stays ``4.0 %`` (YAML keeps the decimals the source gave)."""
    p, hi = f"{row['percent']} %", row.get("percent_high")
    shown = {"range": f"{row['percent']}–{hi} %" if hi is not None else p,
             "up_to": tr("safety.up_to", lang, value=p), "at_least": tr("safety.at_least", lang, value=p),
             "reported": p}[row["qualifier"]]
    if "events" in row and "of" in row:
        counts = f"{row['events']}/{row['of']}"
        shown += f"（{counts}）" if lang == "zh" else f" ({counts})"
    if "comparator" in row:
        shown += " " + tr("safety.versus", lang, value=f"{row['comparator']['percent']} %",
                          arm=text(row["comparator"]["label"], lang))
    return shown


def adverse_events(*, population: str | None = None, drug: str | None = None,
                   lang: str | None = None) -> pd.DataFrame:
    """The adverse-event figures (percent, 0-100), optionally one population and/or one drug."""
    _choice(population, POPULATIONS, "population", "safety.adverse_events")
    _choice(drug, DRUGS, "drug", "safety.adverse_events")
    lang = lang or get_language()
    rows = []
    for r in _facts()["adverse_events"]:
        if population not in (None, r["population"]) or drug not in (None, r["drug"]):
            continue
        comp = r.get("comparator")
        rows.append({"id": r["id"], "event": text(r["event"], lang), "drug": label("drug", r["drug"], lang),
                     "population": label("population", r["population"], lang),
                     "setting": text(r["setting"], lang), "qualifier": r["qualifier"],
                     "percent": float(r["percent"]),
                     "percent_high": float(r.get("percent_high", r["percent"])),
                     "comparator": text(comp["label"], lang) if comp else "",
                     "comparator_percent": float(comp["percent"]) if comp else float("nan"),
                     "figure": _figure(r, lang), "source": sources_text(r["refs"], lang),
                     "refs": tuple(r["refs"])})
    return pd.DataFrame(rows, columns=AE_COLUMNS)


def _statements(section: str, lang: str | None) -> pd.DataFrame:
    lang = lang or get_language()
    rows = [{"id": s["id"], "title": text(s["title"], lang),
             "text": evidence.readable(text(s["text"], lang), lang),
             "stated": s.get("status", "stated") == "stated", "source": sources_text(s["refs"], lang),
             "refs": tuple(s["refs"])} for s in _facts()[section]]
    return pd.DataFrame(rows, columns=["id", "title", "text", "stated", "source", "refs"])


def warnings_frame(lang: str | None = None) -> pd.DataFrame:
    """The warnings with their numbers: ``id, title, text, stated, source, refs``."""
    return _statements("warnings", lang)


def infection_frame(lang: str | None = None) -> pd.DataFrame:
    """Infection prevention and vaccination; ``stated`` is False where the sources are silent."""
    return _statements("infection", lang)


def check_summary(section: str, lang: str | None = None) -> str:
    """Learner-readable lines for a notebook check: ``"warnings"`` (count, all sourced?) or
    ``"infection"`` (how many questions the sources answer, then the titles they are silent on)."""
    frame = _statements(section, lang)
    if section == "warnings":
        missing = int((frame["refs"].map(len) == 0).sum())
        key = "checks.warnings_unsourced" if missing else "checks.warnings_sourced"
        return "\n".join([tr(key, lang, n=len(frame), missing=missing), *frame["title"]])
    silent = frame.loc[~frame["stated"], "title"]
    head = tr("checks.infection_stated", lang, stated=int(frame["stated"].sum()), silent=len(silent))
    return "\n".join([head, *(f"- {t}" for t in silent)])


def confounder_frame(lang: str | None = None) -> pd.DataFrame:
    """Sirolimus' own cytopenias as a confounder of response assessment."""
    return _statements("cytopenia_confounder", lang)


def indications(lang: str | None = None) -> dict[str, str]:
    """Indication id -> label, in the planner's order."""
    return {k: text(v, lang) for k, v in _monitoring()["indications"].items()}


def monitoring_plan(start: dt.date, indication: str, *, lang: str | None = None) -> pd.DataFrame:
    """What to monitor from ``start`` (day 0) for ``indication``, dated where the sources give a
    timing and undated (``NaT``, 'not stated by the sources') otherwise; dated rows first."""
    if isinstance(start, dt.datetime) or not isinstance(start, dt.date):
        raise SafetyError(f"start must be a date (datetime.date); got {start!r} (safety.monitoring_plan)")
    if indication not in _monitoring()["indications"]:
        raise SafetyError(f"indication must be one of {', '.join(_monitoring()['indications'])}; "
                          f"got {indication!r} (safety.monitoring_plan)")
    lang = lang or get_language()
    rows = []
    for item in _monitoring()["items"]:
        if indication not in item["indications"]:
            continue
        timing = item.get("timing")
        day = pd.Timestamp(start + dt.timedelta(days=timing["from_day"])) if timing else pd.NaT
        end = (pd.Timestamp(start + dt.timedelta(days=timing["to_day"]))
               if timing and "to_day" in timing else pd.NaT)
        refs = list(item["refs"]) + [r for r in (timing or {}).get("refs", []) if r not in item["refs"]]
        rows.append({"date": day, "until": end, "item": text(item["item"], lang),
                     "why": evidence.readable(text(item["why"], lang), lang),
                     "when": text(timing["text"], lang) if timing else tr("safety.timing_not_stated", lang),
                     "source": sources_text(refs, lang), "stated": item["status"] == "stated"})
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return frame.sort_values("date", kind="stable", na_position="last").reset_index(drop=True)


@register_rule("safety_facts")
def check_safety_facts(doc, ctx):
    """Content rule: ids unique; every figure has a source; a range has its high end (and only a
    range); a count matches its percent (±0.1); a stated item has a source; a not-stated item
    carries no percentage."""
    data = doc.data
    for section in ("adverse_events", "warnings", "infection", "cytopenia_confounder"):
        ids = [x["id"] for x in data[section]]
        for i, x in enumerate(data[section]):
            if ids.index(x["id"]) != i:
                yield (section, i, "id"), f"id '{x['id']}' appears twice in {section}"
            if section in ("adverse_events", "warnings") and not x["refs"]:
                yield (section, i, "refs"), "a figure or warning needs at least one source"
            if x.get("status") == "stated" and not x["refs"]:
                yield (section, i, "refs"), "a stated item needs at least one source"
            if x.get("status") == "not_stated" and _PERCENT.search(x["text"]["en"]):
                yield (section, i, "text"), "a not-stated item must not give a percentage"
    for i, r in enumerate(data["adverse_events"]):
        ranged = r["qualifier"] == "range"
        if ranged != ("percent_high" in r):
            yield ("adverse_events", i, "percent_high"), "give percent_high with qualifier 'range' only"
        elif ranged and r["percent_high"] < r["percent"]:
            yield ("adverse_events", i, "percent_high"), "the high end must be >= percent"
        if "events" in r and "of" in r:
            if r["events"] > r["of"] or abs(100 * r["events"] / r["of"] - r["percent"]) > 0.1:
                yield ("adverse_events", i, "percent"), (
                    f"percent {r['percent']} does not match {r['events']}/{r['of']}")


@register_rule("safety_monitoring")
def check_safety_monitoring(doc, ctx):
    """Content rule: ids unique; indications known; a stated item has a source; a window ends after
    it starts; a not-stated item has no timing."""
    known = set(doc.data["indications"])
    ids = [x["id"] for x in doc.data["items"]]
    for i, item in enumerate(doc.data["items"]):
        if ids.index(item["id"]) != i:
            yield ("items", i, "id"), f"id '{item['id']}' appears twice"
        for j, ind in enumerate(item["indications"]):
            if ind not in known:
                yield ("items", i, "indications", j), (
                    f"unknown indication '{ind}'; allowed: {', '.join(sorted(known))}")
        if item["status"] == "stated" and not item["refs"]:
            yield ("items", i, "refs"), "a stated item needs at least one source"
        timing = item.get("timing")
        if timing and item["status"] == "not_stated":
            yield ("items", i, "timing"), "a not-stated item cannot have a timing"
        if timing and timing.get("to_day", timing["from_day"]) < timing["from_day"]:
            yield ("items", i, "timing", "to_day"), "to_day must be >= from_day"
