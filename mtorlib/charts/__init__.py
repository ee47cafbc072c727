"""Altair chart builders from tidy frames, one module per subject.

* ``concentration`` — :func:`concentration_time`, :func:`compare_drugs`, :func:`pta_heatmap`,
  :func:`caption`, :func:`fmt_number` (concentration–time curves and target attainment).
* ``comparison`` — :func:`scenario_overlay`, :func:`overlay_caption` (the PK explorer's kept
  scenarios overlaid, colour and line pattern).
* ``monitoring`` — :func:`forecast`, :func:`approach`, :func:`assay_windows` (TDM).
* ``cases`` — :func:`lab_timeline` (the case player's labs).
* ``transplant`` — :func:`azole_course` (the transplant ward: an azole started and stopped).
* ``prca`` — :func:`response_course` (sourced PRCA response points over months).
* ``safety`` — :func:`adverse_event_chart` (adverse-event frequencies by population).
* ``class_report`` — :func:`difficulty_chart`, :func:`wrong_answers_chart`, :func:`case_choices_chart`
  (the class report's item analysis, drawn into its HTML page as inline SVG).
* ``describe`` — the screen-reader description each builder attaches (pure, from the same frames).

Each builder returns an ``alt.Chart`` (never displayed); render it with
``mtorlib.charts.render.show`` or export it with ``mtorlib.charts.render.export``. Names are
imported on first use (PEP 562), so ``import mtorlib.charts`` does not import Altair.
"""

from mtorlib.lazy import exports

_EXPORTS = {
    "concentration_time": "concentration", "compare_drugs": "concentration",
    "pta_heatmap": "concentration", "caption": "concentration", "fmt_number": "describe",
    "ChartError": "concentration",
    "scenario_overlay": "comparison", "overlay_caption": "comparison",
    "forecast": "monitoring", "approach": "monitoring", "assay_windows": "monitoring",
    "TDMChartError": "monitoring",
    "lab_timeline": "cases",
    "azole_course": "transplant", "TransplantChartError": "transplant",
    "pathway_chart": "pathway", "pkpd_chart": "pathway",
    "response_course": "prca",
    "adverse_event_chart": "safety",
    "difficulty_chart": "class_report", "wrong_answers_chart": "class_report",
    "case_choices_chart": "class_report",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = exports(__name__, _EXPORTS)
