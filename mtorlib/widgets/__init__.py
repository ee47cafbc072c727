"""Thin ipywidgets views over the pure engines, one module per view.

Each view returns a record with ``widget`` (what a notebook displays), ``controls`` and ``last``
(the last result), so a test can set a control and compare with the pure pipeline.

Builders are imported on first use (PEP 562), so ``import mtorlib.widgets`` imports neither
ipywidgets nor Altair: ``from mtorlib.widgets import pk_explorer``. Notebooks start with
``from mtorlib.widgets import setup_notebook`` and end their imports cell with ``setup_notebook()``.
"""

from mtorlib.lazy import exports

_EXPORTS = {  # name -> module (a module never shares a builder's name: that would shadow it)
    "pk_explorer": "explorer_view",
    "tdm_coach": "coach_view",
    "transplant_ward": "transplant_view",
    "case_player": "case_view",
    "evidence_table": "case_view",
    "quiz_view": "question_view",
    "review_view": "review_panel",
    "evidence_view": "levels_view",
    "progress_view": "progress_panel",
    "pathway_explorer": "mechanism_view",
    "pkpd_view": "mechanism_view",
    "not_sourced_view": "mechanism_view",
    "alps_checklist": "alps_view",
    "prca_response": "prca_view",
    "adverse_event_view": "safety_view",
    "monitoring_planner": "safety_view",
    "safety_statements": "safety_view",
    "setup_notebook": "chrome",
    "notice": "chrome",
    "language_switch": "chrome",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = exports(__name__, _EXPORTS)
