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

Each builder returns an ``alt.Chart`` (never displayed); render it with :func:`show`
(``mtorlib.charts.render.show``) or export it with ``mtorlib.charts.render.export``. Names are
imported on first use (PEP 562), so ``import mtorlib.charts`` does not import Altair: a widget
module reaches its builders through this package when it draws, and a notebook's first cell loads
no chart library (~0.5 s; ``benchmarks/bench_startup.py``). :func:`render_offline` (called by
``setup_notebook()``) asks for offline rendering without loading Altair for it.
"""

import sys
from importlib import import_module

from mtorlib.lazy import exports

_OFFLINE = {"wanted": False}


def render_offline() -> None:
    """Render charts with the bundled Vega libraries (no internet) from now on; idempotent.

    If Altair is loaded, at once (``render.enable_offline()``); otherwise when the first chart
    module loads it (each imports ``render``, which then enables it), so that asking costs
    nothing before a chart is drawn. An Altair chart built without this package, in a cell after
    the first, is drawn offline once any chart of the suite has been built or :func:`show` called.
    """
    _OFFLINE["wanted"] = True
    if "altair" in sys.modules:
        import_module(".render", __name__).enable_offline()


def offline_wanted() -> bool:
    """Whether :func:`render_offline` was called (``render`` reads it when it is imported)."""
    return _OFFLINE["wanted"]


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
    "reference_note": "cases", "with_visited": "cases", "visited_value": "cases",
    "show": "render",
}

__all__ = sorted([*_EXPORTS, "offline_wanted", "render_offline"])

__getattr__, __dir__ = exports(__name__, _EXPORTS)
