"""The mechanism of mTOR inhibitors as data (``mtorlib/data/mechanism.yaml``, kind ``pathway``).

* :func:`load_pathway` -- the validated document (nodes, edges, drugs, affinities, facts, pkpd).
* :func:`nodes` / :func:`edges` -- tidy frames with the layout coordinates from the data.
* :func:`drugs` -- the drug ids in data order.
* :func:`effects` -- what one drug does to each node, why, and the refs: ``node, effect,
  inhibited, why, refs``; :func:`node_states` -- every node with that drug's effect (or
  ``not_stated``), for a chart.
* :func:`affinities`, :func:`facts`, :func:`not_sourced` -- the sourced numbers, stand-alone
  facts and what the sources could not give.
* :func:`emax_effect` -- the ILLUSTRATIVE Emax curve (percent effect from ng/mL); its parameters
  are didactic, not sourced (:func:`didactic_parameters`).
* :func:`check_pathway` -- content rule for kind ``pathway``.

>>> e = effects("sirolimus").set_index("node")
>>> bool(e.loc["mtorc1", "inhibited"]), e.loc["calcineurin", "effect"]
(True, 'not_affected')
>>> round(emax_effect(5.0, ec50_ng_ml=5.0, emax_percent=100.0, hill=1.0), 1)
50.0
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .checks import number
from .content import load_one, register_rule
from .i18n import get_language, text, tr

INHIBITING = ("inhibited", "decreased")  # effects that count as "inhibited" in effects()
NOT_STATED = "not_stated"
WHERE = "mechanism"


class MechanismError(ValueError):
    """An unknown drug or a number outside what the mechanism functions accept."""


@cache
def load_pathway() -> dict:
    """The pathway document (``mtorlib/data/mechanism.yaml``) as plain data."""
    return load_one("pathway", "mechanism").data


def drugs() -> list[str]:
    """Drug ids in data order."""
    return [d["id"] for d in load_pathway()["drugs"]]


def drug_name(drug: str, lang: str | None = None) -> str:
    """The drug's display name."""
    return text(_drug(drug)["name"], lang or get_language())


def _drug(drug: str) -> dict:
    for d in load_pathway()["drugs"]:
        if d["id"] == drug:
            return d
    raise MechanismError(f"unknown drug {drug!r} ({WHERE}); allowed: {', '.join(drugs())}")


def nodes(lang: str | None = None) -> pd.DataFrame:
    """One row per node: ``node, group, x, y, label, text, refs`` (refs as a tuple)."""
    lang = lang or get_language()
    return pd.DataFrame(
        [{"node": n["id"], "group": n["group"], "x": float(n["x"]), "y": float(n["y"]),
          "label": text(n["label"], lang), "text": text(n["text"], lang), "refs": tuple(n["refs"])}
         for n in load_pathway()["nodes"]],
        columns=["node", "group", "x", "y", "label", "text", "refs"])


def edges(lang: str | None = None) -> pd.DataFrame:
    """One row per edge with both ends' coordinates: ``source, target, relation, x, y, x2, y2,
    text, refs``."""
    lang = lang or get_language()
    at = {n["id"]: (float(n["x"]), float(n["y"])) for n in load_pathway()["nodes"]}
    rows = []
    for e in load_pathway()["edges"]:
        (x, y), (x2, y2) = at[e["from"]], at[e["to"]]
        rows.append({"source": e["from"], "target": e["to"], "relation": e["relation"],
                     "x": x, "y": y, "x2": x2, "y2": y2, "text": text(e["text"], lang),
                     "refs": tuple(e["refs"])})
    return pd.DataFrame(rows, columns=["source", "target", "relation", "x", "y", "x2", "y2",
                                       "text", "refs"])


def effects(drug: str, lang: str | None = None) -> pd.DataFrame:
    """What ``drug`` does, one row per node it touches: ``node, effect, inhibited, why, refs``.

    ``inhibited`` is true for an ``inhibited`` node or a ``decreased`` readout; nodes the drug
    does not list are absent (the sources state nothing about them for this drug).
    """
    lang = lang or get_language()
    return pd.DataFrame(
        [{"node": e["node"], "effect": e["effect"], "inhibited": e["effect"] in INHIBITING,
          "why": text(e["why"], lang), "refs": tuple(e["refs"])} for e in _drug(drug)["effects"]],
        columns=["node", "effect", "inhibited", "why", "refs"])


def node_states(drug: str, lang: str | None = None) -> pd.DataFrame:
    """Every node with ``drug``'s effect on it (``not_stated`` where the sources say nothing)."""
    out = nodes(lang).merge(effects(drug, lang)[["node", "effect", "inhibited", "why"]],
                            on="node", how="left")
    out["effect"] = out["effect"].fillna(NOT_STATED)
    out["inhibited"] = out["inhibited"].fillna(False).astype(bool)
    out["why"] = out["why"].fillna("")
    return out


def affinities(lang: str | None = None) -> pd.DataFrame:
    """Sourced dissociation constants: ``quantity, kd_nm, sd_nm, refs`` (sd NaN if not given)."""
    lang = lang or get_language()
    return pd.DataFrame(
        [{"quantity": text(a["quantity"], lang), "kd_nm": float(a["kd"]),
          "sd_nm": float(a.get("sd", np.nan)), "refs": tuple(a["refs"])}
         for a in load_pathway().get("affinities", [])],
        columns=["quantity", "kd_nm", "sd_nm", "refs"])


def facts(lang: str | None = None) -> pd.DataFrame:
    """Stand-alone sourced statements: ``text, refs``."""
    lang = lang or get_language()
    return pd.DataFrame([{"text": text(f["text"], lang), "refs": tuple(f["refs"])}
                         for f in load_pathway().get("facts", [])], columns=["text", "refs"])


def not_sourced(lang: str | None = None) -> list[str]:
    """What the sources could not give, as sentences."""
    return [text(t, lang or get_language()) for t in load_pathway()["not_sourced"]]


def not_sourced_summary(lang: str | None = None) -> str:
    """One sentence: how many things the sources do not give, and whether both languages list them."""
    n_en, n_zh = len(not_sourced("en")), len(not_sourced("zh"))
    if n_en == n_zh:
        return tr("checks.not_sourced", lang, n=n_en)
    return tr("checks.not_sourced_uneven", lang, en=n_en, zh=n_zh)


def target_sentences(lang: str | None = None) -> list[str]:
    """Per drug, one sentence on what it does to mTORC1 and calcineurin (as the data state it)."""
    def word(effects: dict, node: str) -> str:
        return tr(f"checks.effect_{effects.get(node, 'not_stated')}", lang)

    out = []
    for drug in drugs():
        effects = {e["node"]: e["effect"] for e in _drug(drug)["effects"]}
        out.append(tr("checks.drug_targets", lang, drug=drug_name(drug, lang),
                      mtorc1=word(effects, "mtorc1"), calcineurin=word(effects, "calcineurin")))
    return out


def didactic_parameters() -> dict:
    """The ILLUSTRATIVE (not sourced) Emax parameters and the regimen of the PK→PD link."""
    return dict(load_pathway()["pkpd"])


def emax_effect(conc_ng_ml, *, ec50_ng_ml: float, emax_percent: float, hill: float):
    """Illustrative effect (% of maximal inhibition) = Emax·C^h / (EC50^h + C^h); C in ng/mL.

    Didactic only: no sourced EC50 exists for mTORC1 inhibition.
    """
    ec50 = number(ec50_ng_ml, "ec50_ng_ml", f"{WHERE}.emax_effect", lo=0, lo_open=True, hi=1e4,
                  error=MechanismError)
    emax = number(emax_percent, "emax_percent", f"{WHERE}.emax_effect", lo=0, lo_open=True, hi=100,
                  error=MechanismError)
    h = number(hill, "hill", f"{WHERE}.emax_effect", lo=0, lo_open=True, hi=5, error=MechanismError)
    c = np.asarray(conc_ng_ml, dtype=float)
    if np.any(~np.isfinite(c)) or np.any(c < 0):
        raise MechanismError(f"conc_ng_ml must be finite and >= 0 ({WHERE}.emax_effect)")
    ratio = (c / ec50) ** h
    out = emax * ratio / (1.0 + ratio)
    return float(out) if out.ndim == 0 else out


@register_rule("pathway")
def check_pathway(doc, ctx):
    """Every claim has refs; node ids are unique; edges and drug effects name declared nodes."""
    data = doc.data
    ids = [n.get("id") for n in data.get("nodes", [])]
    for i, nid in enumerate(ids):
        if ids.index(nid) != i:
            yield ("nodes", i, "id"), f"node id {nid!r} appears twice"
    known = set(ids)
    claims = [("nodes", i, n) for i, n in enumerate(data.get("nodes", []))]
    claims += [("edges", i, e) for i, e in enumerate(data.get("edges", []))]
    claims += [("affinities", i, a) for i, a in enumerate(data.get("affinities", []))]
    claims += [("facts", i, f) for i, f in enumerate(data.get("facts", []))]
    for section, i, claim in claims:
        if not claim.get("refs"):
            yield (section, i, "refs"), "every claim needs refs (a consensus number or a source id)"
    for i, e in enumerate(data.get("edges", [])):
        for end in ("from", "to"):
            if e.get(end) not in known:
                yield ("edges", i, end), f"edge names unknown node {e.get(end)!r}; declared: {', '.join(ids)}"
    seen_drugs = []
    for di, d in enumerate(data.get("drugs", [])):
        if d.get("id") in seen_drugs:
            yield ("drugs", di, "id"), f"drug {d.get('id')!r} appears twice"
        seen_drugs.append(d.get("id"))
        nodes_done = []
        for ei, e in enumerate(d.get("effects", [])):
            where = ("drugs", di, "effects", ei)
            if e.get("node") not in known:
                yield (*where, "node"), (f"effect names unknown node {e.get('node')!r}; "
                                         f"declared: {', '.join(ids)}")
            if e.get("node") in nodes_done:
                yield (*where, "node"), f"node {e.get('node')!r} listed twice for {d.get('id')!r}"
            nodes_done.append(e.get("node"))
            if not e.get("refs"):
                yield (*where, "refs"), "every claim needs refs (a consensus number or a source id)"
