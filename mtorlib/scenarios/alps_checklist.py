"""The ALPS checklist scenario: findings as a learner enters them (typed text for numbers) in,
plausibility verdicts and the revised NIH 2009 classification out.

:func:`run_checklist` reads each typed number with :func:`mtorlib.plausibility.check` (empty text =
not tested; refused text = the finding is not used and no class is given until it is corrected),
then calls :func:`mtorlib.diseases.alps.classify`. A DNT share of total lymphocytes above its
share of CD3⁺ cells is impossible (CD3⁺ cells are a subset of lymphocytes): it is flagged.

>>> r = run_checklist(ChecklistSettings(entries=(("lymphoproliferation_months", "14"),
...     ("malignancy_infection_excluded", True), ("dnt_pct_lymphocytes", "4,2"),
...     ("lymphocytes_normal_or_raised", True), ("pathogenic_variant_gene", "FAS"))))
>>> r.result, r.findings["dnt_pct_lymphocytes"]
('definitive', 4.2)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import plausibility
from ..diseases import alps

QUANTITY = {  # number finding -> its limits in mtorlib/data/input_limits.yaml
    "lymphoproliferation_months": "alps_months", "dnt_pct_lymphocytes": "dnt_percent",
    "dnt_pct_cd3": "dnt_percent", "apoptosis_defect_assays": "apoptosis_assays",
    "sfasl_pg_ml": "biomarker_pg_ml", "il10_pg_ml": "biomarker_pg_ml", "il18_pg_ml": "biomarker_pg_ml",
    "b12_ng_l": "b12_ng_l",
}


@dataclass(frozen=True)
class ChecklistSettings:
    """``entries``: (finding, value) pairs; numbers as typed text or numbers, booleans, a gene
    choice; ``None`` or empty text = not tested. ``lang`` for the messages (None: current)."""

    entries: tuple[tuple[str, object], ...] = ()
    lang: str | None = None


@dataclass(frozen=True, eq=False)
class ChecklistResult:
    """``checks``: finding -> plausibility verdict (typed numbers only); ``findings``: what was
    classified; ``result``: ``definitive``/``probable``/``not_alps``, or ``None`` while an entry is
    refused or inconsistent; ``classification`` its record; ``inconsistent``: findings that
    contradict each other."""

    settings: ChecklistSettings
    checks: dict
    findings: dict
    inconsistent: tuple[str, ...]
    classification: alps.Classification | None

    @property
    def result(self) -> str | None:
        return None if self.classification is None else self.classification.result

    @property
    def refused(self) -> tuple[str, ...]:
        return tuple(f for f, c in self.checks.items() if c.status == "refused")


def why_frame(result: ChecklistResult) -> pd.DataFrame:
    """One row per (criterion, finding it reads): ``criterion, finding, value`` (None = not entered)."""
    rows = [{"criterion": crit, "finding": f, "value": result.findings.get(f)}
            for crit, names in alps.criterion_findings().items() for f in names]
    return pd.DataFrame(rows, columns=["criterion", "finding", "value"])


def run_checklist(settings: ChecklistSettings) -> ChecklistResult:
    """Check the typed numbers, then classify (see the module docstring)."""
    checks, found = {}, {}
    for finding, value in settings.entries:
        if finding in QUANTITY:
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            verdict = plausibility.check(QUANTITY[finding], value, settings.lang)
            checks[finding] = verdict
            if verdict.accepted:
                found[finding] = verdict.value
        elif value is not None:
            found[finding] = value
    lymph, cd3 = found.get("dnt_pct_lymphocytes"), found.get("dnt_pct_cd3")
    inconsistent = ("dnt_pct_lymphocytes", "dnt_pct_cd3") if (
        lymph is not None and cd3 is not None and lymph > cd3) else ()
    blocked = inconsistent or any(c.status == "refused" for c in checks.values())
    classification = None if blocked else alps.classify(found, settings.lang)
    return ChecklistResult(settings, checks, found, inconsistent, classification)
