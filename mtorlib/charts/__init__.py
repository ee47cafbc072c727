"""Altair chart builders from tidy frames, one module per subject.

* ``concentration`` — :func:`concentration_time`, :func:`compare_drugs`, :func:`pta_heatmap`,
  :func:`caption`, :func:`fmt_number` (concentration–time curves and target attainment).
* ``monitoring`` — :func:`forecast`, :func:`approach`, :func:`assay_windows` (TDM).
* ``cases`` — :func:`lab_timeline` (the case player's labs).
* ``transplant`` — :func:`azole_course` (the transplant ward: an azole started and stopped).
* ``prca`` — :func:`response_course` (sourced PRCA response points over months).
* ``safety`` — :func:`adverse_event_chart` (adverse-event frequencies by population).
* ``describe`` — the screen-reader description each builder attaches (pure, from the same frames).

Each builder returns an ``alt.Chart`` (never displayed); render it with
``mtorlib.charts.render.show`` or export it with ``mtorlib.charts.render.export``. Names are
imported on first use (PEP 562), so ``import mtorlib.charts`` does not import Altair.
"""

from importlib import import_module

_EXPORTS = {
    "concentration_time": "concentration", "compare_drugs": "concentration",
    "pta_heatmap": "concentration", "caption": "concentration", "fmt_number": "describe",
    "ChartError": "concentration",
    "forecast": "monitoring", "approach": "monitoring", "assay_windows": "monitoring",
    "TDMChartError": "monitoring",
    "lab_timeline": "cases",
    "azole_course": "transplant", "TransplantChartError": "transplant",
    "pathway_chart": "pathway", "pkpd_chart": "pathway",
    "response_course": "prca",
    "adverse_event_chart": "safety",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
