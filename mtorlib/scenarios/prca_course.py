"""The PRCA response-course scenario: which measure and which arms, in; the sourced frames out.

:func:`run_course` filters :mod:`mtorlib.diseases.prca`'s tidy frames (nothing is modelled or
interpolated) and adds, for a chosen month, what a clinician judging response then would and
would not yet have seen: the latest published point of each study at or before that month, and
the points published for later months.

>>> r = run_course(CourseSettings(measure="orr", judge_month=3))
>>> r.seen[["study", "month", "percent"]].values.tolist()
[['Huang 2022', 3.0, 60.9]]
>>> r.later[["study", "month", "percent"]].values.tolist()
[['Huang 2022', 6.0, 84.4], ['Huang 2022', 12.0, 73.5], ['Long 2018', 4.0, 38.1]]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..checks import number
from ..diseases import prca

ARMS = ("sirolimus_after_csa", "cyclosporine")


class CourseError(ValueError):
    """A setting :func:`run_course` does not accept."""


@dataclass(frozen=True)
class CourseSettings:
    """``measure``: ``"orr"`` or ``"cr"``; ``arms``: which arms to show; ``judge_month``: months on
    treatment at which response is judged (0-24); ``lang``: None for the current language."""

    measure: str = "orr"
    arms: tuple[str, ...] = ARMS
    judge_month: float = 3.0
    lang: str | None = None


@dataclass(frozen=True, eq=False)
class CourseResult:
    """Tidy frames of :mod:`mtorlib.diseases.prca`, restricted to the chosen arms."""

    settings: CourseSettings
    points: pd.DataFrame  # arm, arm_label, study, refs, n, month, measure, percent, basis
    untimed: pd.DataFrame  # arm, arm_label, study, refs, n, measure, percent, ci_low, ci_high
    relapse: pd.DataFrame  # arm, arm_label, study, refs, percent, events, of, median_followup_months
    seen: pd.DataFrame  # latest published point per study at or before judge_month (month > 0)
    later: pd.DataFrame  # published points after judge_month
    withdrawal: tuple[str, str]  # (statement, refs)
    not_found: tuple[str, ...]


def run_course(settings: CourseSettings) -> CourseResult:
    """Filter the sourced frames (see the module docstring); :class:`CourseError` for bad settings."""
    s = settings
    unknown = [a for a in s.arms if a not in ARMS]
    if unknown:
        raise CourseError(f"arms must be among {', '.join(ARMS)}; got {unknown[0]!r} (run_course)")
    month = number(s.judge_month, "judge_month", "run_course", lo=0, hi=24, error=CourseError)
    try:
        points = prca.response_over_months(measure=s.measure, lang=s.lang)
    except prca.PrcaError as err:
        raise CourseError(str(err)) from None
    points = points[points["arm"].isin(s.arms)].reset_index(drop=True)
    untimed = prca.untimed_rates(s.lang)
    untimed = untimed[untimed["arm"].isin(s.arms) & (untimed["measure"] == s.measure)]
    relapse = prca.relapse_frame(s.lang)
    published = points[points["basis"] != "start"]
    seen = (published[published["month"] <= month].groupby(["arm", "study"], sort=False).tail(1))
    return CourseResult(
        settings=s, points=points, untimed=untimed.reset_index(drop=True),
        relapse=relapse[relapse["arm"].isin(s.arms)].reset_index(drop=True),
        seen=seen.reset_index(drop=True),
        later=published[published["month"] > month].reset_index(drop=True),
        withdrawal=prca.withdrawal(s.lang), not_found=tuple(prca.not_found(s.lang)),
    )
