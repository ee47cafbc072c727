"""Branching teaching cases (pure engine) and disease evidence tables.

* ``model``   — :func:`load_case`, :func:`case_ids`, :class:`Case`, :class:`CaseError`.
* ``engine``  — :func:`start`, :func:`choose`, :func:`answer`, :func:`last_feedback`, :func:`score`,
  :func:`debrief`, :func:`labs_frame`, :func:`paths`, :func:`walk` (immutable :class:`State`);
  :data:`VERDICTS`, their :data:`POINTS` and :data:`MARKS` (the word-free sign shown with colour).
* ``tasks``   — PK/TDM task answers computed by named library functions.
* ``rules``   — :func:`check_case`, the validator's semantic rules for case files.
* ``summary`` — :func:`evidence_frame`, the sourced study table of a disease as a DataFrame.

For teaching only: nothing here is for clinical decisions.
"""

from . import rules  # noqa: F401  (registers the case rule)
from .engine import (
    MARKS,
    POINTS,
    VERDICT_COLOURS,
    VERDICTS,
    Feedback,
    Score,
    State,
    Step,
    answer,
    choose,
    current,
    debrief,
    finished,
    labs_frame,
    last_feedback,
    paths,
    score,
    start,
    visited,
    walk,
)
from .model import Case, CaseError, case_ids, from_data, load_case, node_kind
from .summary import evidence_frame

__all__ = [
    "MARKS", "POINTS", "VERDICT_COLOURS", "VERDICTS",
    "Case", "CaseError", "Feedback", "Score", "State", "Step", "answer", "case_ids", "choose",
    "current", "debrief", "evidence_frame", "finished", "from_data", "labs_frame", "last_feedback",
    "load_case", "node_kind", "paths", "score", "start", "visited", "walk",
]
