"""References and evidence levels, from ``cases/references.yaml`` and ``cases/evidence_levels.yaml``.

* :func:`cite` — formatted citation of consensus reference ``[n]`` (1..57).
* :func:`citation` — formatted citation of any reference id (``7`` or ``"rapamune_uspi"``).
* :func:`short_citation` — a short readable reference: ``[7]``, ``Feng et al. 2020``, ``Rapamune US PI §2``.
* :func:`readable` — a text with its in-text ``[source_id]`` keys replaced by short references.
* :func:`evidence_table` — the Oxford CEBM 2009 table as a tidy DataFrame (grade, level, description).
* :func:`grade_of` — the grade a level belongs to.
* :func:`cited_refs` — the known references cited in a text (``[8]``, ``[rapamune_uspi_s2]``).
* :func:`reference_list` — a Markdown list of readable citations, e.g. a notebook's references.

>>> cite(8)[:33]
'[8] Cheng X, Zhao Y, Gu H, et al.'
"""

from __future__ import annotations

import html
import re
from functools import cache

import pandas as pd

from . import checks
from .content import packs
from .content.documents import default_paths, extra_sources, load_one
from .content.rules import GRADE_OF_LEVEL, N_CONSENSUS_REFS
from .i18n import get_language, text, tr


class ReferenceNotFound(ValueError, LookupError):
    """A reference number or id that is not in the suite's reference list."""


def _references() -> tuple[dict[int, dict], dict[str, dict]]:
    return _references_of(tuple(default_paths()), packs.stamp())  # a content pack's sources too


@cache
def _references_of(_roots: tuple, _stamp: tuple) -> tuple[dict[int, dict], dict[str, dict]]:
    data = load_one("references", "references").data
    return {r["n"]: r for r in data["consensus"]}, extra_sources()


def cite(n: int) -> str:
    """Citation of consensus reference ``[n]``; ``LookupError`` outside 1..57."""
    consensus, _ = _references()
    n = checks.integer(n, "n (consensus references are numbered 1-57)", "evidence.cite", lo=1,
                       hi=N_CONSENSUS_REFS, error=ReferenceNotFound)
    if n not in consensus:
        raise ReferenceNotFound(f"consensus reference [{n}] is not in references.yaml (evidence.cite)")
    r = consensus[n]
    parts = f"[{n}] {r['authors']} {r['title']}. {r['journal']}, {r['year']}"
    if r.get("volume"):
        parts += f", {r['volume']}"
    if r.get("pages"):
        parts += f": {r['pages']}"
    parts += "."
    if r.get("doi"):
        parts += f" doi:{r['doi']}"
    return parts


def citation(ref: int | str) -> str:
    """Citation of a consensus number or an extra source id; ``LookupError`` if unknown."""
    if isinstance(ref, int):
        return cite(ref)
    _, extra = _references()
    if ref not in extra:
        raise LookupError(f"unknown reference id {ref!r}; extra ids: {', '.join(sorted(extra))}")
    s = extra[ref]
    out = f"[{ref}] {s['citation']}"
    if s.get("section"):
        out += f" {s['section']}."
    if s.get("doi"):
        out += f" doi:{s['doi']}"
    return out


def full_citation(ref: int | str) -> str:
    """:func:`citation` without the internal source key (consensus numbers keep ``[n]``)."""
    cited = citation(ref)
    return cited if isinstance(ref, int) else cited.removeprefix(f"[{ref}] ")


def cited_refs(text: str) -> list[int | str]:
    """Known references cited in ``text`` as ``[8]``, ``[8, 9]`` or ``[rapamune_uspi_s2]``, in
    order of first citation (consensus numbers as ``int``); unknown bracketed text is ignored."""
    consensus, extra = _references()
    out: list[int | str] = []
    for group in re.findall(r"\[([^\[\]]+)\]", text):
        for item in (part.strip() for part in group.split(",")):
            ref = int(item) if item.isdigit() else item
            if (ref in consensus or ref in extra) and ref not in out:
                out.append(ref)
    return out


def reference_list(refs, lang: str | None = None) -> str:
    """A Markdown bullet list with the citation of each reference (unknown ones raise).

    Consensus references keep their number ``[n]``; other sources are labelled with the short
    citation the texts use (``Rapamune US PI §5: Rapamune …``), never with their internal key.
    Digital object identifiers become links.
    """
    lines = []
    for ref in refs:
        text = html.escape(full_citation(ref))
        if not isinstance(ref, int):
            text = f"{html.escape(short_citation(ref, lang))}: {text}"
        doi = re.search(r"doi:(\S+)$", text)
        if doi:
            url = "https://doi.org/" + doi.group(1)
            text = text[: doi.start()] + f"[doi:{doi.group(1)}]({url})"
        lines.append(f"- {text}")
    return "\n".join(lines)


def label(ref: int | str, lang: str | None = None) -> str:
    """Short in-text label: ``[7]`` for consensus refs, ``(Rapamune US PI §5)`` for other sources
    (their :func:`short_citation` in brackets, full-width in Chinese); never a source key."""
    if isinstance(ref, int):
        return f"[{ref}]"
    left, right = ("（", "）") if (lang or get_language()) == "zh" else ("(", ")")
    return f"{left}{short_citation(ref, lang)}{right}"


def labels(refs, lang: str | None = None) -> str:
    """:func:`label` of each ref, space-separated: ``[17] [18] (Völkl et al. 2016)``."""
    return " ".join(label(r, lang) for r in refs)


_DOCS = (("US Prescribing Information", "US PI"), ("Summary of Product Characteristics", "EU SmPC"),
         ("Fachinformation", "Swiss PI"), ("package leaflet", "EU leaflet"))
_AUTHOR = re.compile(r"^([A-ZÀ-Ý][\w'’-]+(?: [a-z]{1,3})?(?: [A-ZÀ-Ý][\w'’-]+)?) [A-Z]{1,3}\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b(?! version)")


def short_citation(ref: int | str, lang: str | None = None) -> str:
    """A short readable reference for in-text use; :func:`citation` gives the full one.

    Consensus numbers as ``[n]``; labels as product, document and section (``Rapamune US PI §2``);
    other sources as first author and year (``Zanella et al. 2014``), or the first words of the
    title and the year when no author is given.
    """
    if isinstance(ref, int):
        citation(ref)  # LookupError outside 1..57
        return f"[{ref}]"
    citation(ref)
    if ref.startswith("consensus_"):  # the consensus's own parts: "Consensus, Table 1", "共识摘要"
        return tr(f"common.cite_{ref}", lang)
    s = _references()[1][ref]
    if s.get("short"):  # a source without author: journal or organisation and year
        return s["short"]
    text = s["citation"]
    if s.get("type") == "label":
        product = re.split(r" \(|,", text, maxsplit=1)[0]
        doc = next((short for long, short in _DOCS if long in text), "")
        section = re.match(r"(§[\d.]+|Table \d+)", s.get("section", ""))
        return " ".join(p for p in (product, doc, section.group(1) if section else "") if p)
    year = _YEAR.search(text)
    year = f" {year.group(1)}" if year else ""
    author = _AUTHOR.match(text)
    if author:
        several = "," in text.split(". ")[0]
        return f"{author.group(1)}{' et al.' if several else ''}{year}"
    title = re.split(r" \(|[,:]", text, maxsplit=1)[0].split()
    return " ".join(title[:5]).rstrip(".") + ("…" if len(title) > 5 else "") + year


def readable(text: str, lang: str | None = None, cite=None) -> str:
    """``text`` with in-text source keys shown as short references: ``[rapamune_uspi_s2]`` ->
    ``(Rapamune US PI §2)``; a run such as ``[zanella_2014][16]`` -> ``(Zanella et al. 2014; [16])``;
    full-width brackets in Chinese; a run right after a closing bracket joins that bracket
    (``(RR 16.1)[fortin2004_ajt]`` -> ``(RR 16.1; Am J Transplant 2004)``), never two brackets in a
    row. Runs of consensus numbers only (``[24]``) stay as they are.
    ``cite`` wraps each replaced run (e.g. in an HTML ``<cite>`` element)."""
    _, extra = _references()
    left, right, sep = ("（", "）", "；") if (lang or get_language()) == "zh" else ("(", ")", "; ")

    def run(m: re.Match) -> str:
        keys = re.findall(r"\[([a-z0-9_]+)\]", m.group(2))
        if not any(k in extra for k in keys):
            return m.group(0)
        cites = sep.join(short_citation(k, lang) if k in extra else f"[{k}]" for k in keys)
        if m.group(1):  # right after a bracket: one bracket, "(RR 16.1; Am J Transplant 2004)"
            return (m.group(1)[:-1] + sep + (cite(cites) if cite else cites) + right)
        out = left + cites + right
        return cite(out) if cite else out

    return re.sub(r"(" + re.escape(right) + r")?((?:\[[a-z0-9_]+\])+)", run, text)


def grade_of(level: str) -> str:
    """Grade of recommendation for an Oxford 2009 level (``"2b"`` -> ``"B"``)."""
    try:
        return GRADE_OF_LEVEL[level]
    except KeyError:
        raise ValueError(f"level must be one of {', '.join(GRADE_OF_LEVEL)}; got {level!r}") from None


def evidence_table(lang: str | None = None) -> pd.DataFrame:
    """The Oxford 2009 table as rows ``grade, level, description`` in ``lang`` (default current)."""
    lang = lang or get_language()
    data = load_one("evidence_levels", "evidence_levels").data
    rows = [
        {"grade": g["grade"], "level": lv["level"], "description": text(lv["description"], lang)}
        for g in data["grades"]
        for lv in g["levels"]
    ]
    return pd.DataFrame(rows, columns=["grade", "level", "description"])


def evidence_table_display(lang: str | None = None) -> pd.DataFrame:
    """:func:`evidence_table` with translated column headers, for showing in a notebook."""
    lang = lang or get_language()
    names = {k: tr(f"common.{k}", lang) for k in ("grade", "level", "description")}
    return evidence_table(lang).rename(columns=names)


def evidence_note(source: str, lang: str | None = None) -> str:
    """Explain where an evidence grade comes from (``"consensus"`` or ``"inferred"``)."""
    key = {"consensus": "common.consensus_grade", "inferred": "common.inferred_grade"}[source]
    return tr(key, lang)
