"""References and evidence levels, from ``cases/references.yaml`` and ``cases/evidence_levels.yaml``.

* :func:`cite` — formatted citation of consensus reference ``[n]`` (1..57).
* :func:`citation` — formatted citation of any reference id (``7`` or ``"rapamune_uspi"``).
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
from .content.documents import extra_sources, load_one
from .content.rules import GRADE_OF_LEVEL, N_CONSENSUS_REFS
from .i18n import get_language, text, tr


class ReferenceNotFound(ValueError, LookupError):
    """A reference number or id that is not in the suite's reference list."""


@cache
def _references() -> tuple[dict[int, dict], dict[str, dict]]:
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


def reference_list(refs) -> str:
    """A Markdown bullet list with the citation of each reference (unknown ones raise).

    Consensus references keep their number ``[n]``; other sources their label, which is how the
    texts cite them. Digital object identifiers become links.
    """
    lines = []
    for ref in refs:
        text = html.escape(citation(ref))
        doi = re.search(r"doi:(\S+)$", text)
        if doi:
            url = "https://doi.org/" + doi.group(1)
            text = text[: doi.start()] + f"[doi:{doi.group(1)}]({url})"
        lines.append(f"- {text}")
    return "\n".join(lines)


def label(ref: int | str) -> str:
    """Short in-text label: ``[7]`` for consensus refs, ``[rapamune_uspi]`` otherwise."""
    return f"[{ref}]"


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
