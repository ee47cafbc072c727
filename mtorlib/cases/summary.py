"""Disease evidence tables from ``cases/evidence/<disease>.yaml`` (kind ``evidence_summary``).

:func:`evidence_frame` returns one row per study (``study, refs, design, population, regimen,
outcome, level, level_note``) in the current language; :func:`evidence_frame_display` the same with
translated headers, for a notebook.
"""

from __future__ import annotations

import pandas as pd

from .. import evidence
from ..content import load_kind
from ..i18n import get_language, text, tr

COLUMNS = ("study", "refs", "design", "population", "regimen", "outcome", "level", "level_note")


def _summary(disease: str) -> dict:
    docs = {d.data["disease"]: d.data for d in load_kind("evidence_summary")}
    if disease not in docs:
        raise LookupError(f"disease must be one of {', '.join(sorted(docs))}; got {disease!r}")
    return docs[disease]


def evidence_frame(disease: str, lang: str | None = None) -> pd.DataFrame:
    """The study table of ``disease`` (e.g. ``"itp"``) in ``lang`` (default: current)."""
    lang = lang or get_language()
    rows = []
    for s in _summary(disease)["studies"]:
        row = {k: text(s[k], lang) for k in ("design", "population", "regimen", "outcome", "level_note")}
        row |= {"study": s["study"], "refs": evidence.labels(s["refs"], lang),
                "level": s["level"] + ("−" if s.get("minus") else "")}
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def evidence_title(disease: str, lang: str | None = None) -> tuple[str, str]:
    """``(title, note)`` of the disease's table in ``lang``."""
    data = _summary(disease)
    return text(data["title"], lang), text(data["note"], lang)


def evidence_frame_display(disease: str, lang: str | None = None) -> pd.DataFrame:
    """:func:`evidence_frame` with translated column headers."""
    lang = lang or get_language()
    return evidence_frame(disease, lang).rename(columns={c: tr(f"cases.col.{c}", lang) for c in COLUMNS})
