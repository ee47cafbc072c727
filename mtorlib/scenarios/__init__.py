"""Scenarios: frozen settings records in, data-only result records out (no charts, no widgets).

A scenario runs the domain engines (``mtorlib.pk``, ``mtorlib.regimen``, ``mtorlib.tdm``) for one
set of choices and returns frames and numbers; ``mtorlib.charts`` draws them and
``mtorlib.widgets`` maps controls to settings. Vary a scenario with ``dataclasses.replace``.

* ``explorer`` — :class:`ExplorerSettings` → :func:`explore` → :class:`ExplorerResult` (PK explorer).
* ``compare`` — :func:`snapshot` (a result reduced once), :class:`Kept` (up to 3 kept scenarios),
  :func:`labels` (what differs), :func:`overlay` (curves and metrics table), :func:`metrics`.
* ``coach`` — :class:`CoachSettings` (dose and level frames) → :func:`run_coach` → :class:`CoachResult`.
* ``transplant`` — :class:`TransplantSettings` → :func:`run_transplant` → :class:`TransplantResult`
  (sirolimus with a CNI while an azole starts and stops; label rule vs Bayesian forecast).
* ``alps_checklist`` — :class:`ChecklistSettings` (typed findings) → :func:`run_checklist` →
  :class:`ChecklistResult` (plausibility verdicts and the ALPS class).
* ``prca_course`` — :class:`CourseSettings` → :func:`run_course` → :class:`CourseResult` (sourced
  PRCA response points, what is seen by a chosen month).
* ``bands`` — :func:`percentile_band`, :func:`sample_subjects`: summaries of population frames.

Names are imported on first use, so ``import mtorlib.scenarios`` loads no engine.
"""

from mtorlib.lazy import exports

_EXPORTS = {
    "ExplorerSettings": "explorer", "ExplorerResult": "explorer", "ScenarioError": "explorer",
    "explore": "explorer",
    "Kept": "compare", "KeepRefused": "compare", "Metrics": "compare", "Scenario": "compare",
    "snapshot": "compare", "metrics": "compare", "labels": "compare", "overlay": "compare",
    "trough_time_h": "compare",
    "CoachSettings": "coach", "CoachResult": "coach", "LabelAnswer": "coach", "run_coach": "coach",
    "TransplantSettings": "transplant", "TransplantResult": "transplant",
    "TransplantError": "transplant", "run_transplant": "transplant",
    "ChecklistSettings": "alps_checklist", "ChecklistResult": "alps_checklist",
    "run_checklist": "alps_checklist", "why_frame": "alps_checklist",
    "CourseSettings": "prca_course", "CourseResult": "prca_course", "CourseError": "prca_course",
    "run_course": "prca_course",
    "BandError": "bands", "percentile_band": "bands", "sample_subjects": "bands",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = exports(__name__, _EXPORTS)
