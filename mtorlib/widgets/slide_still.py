"""The still picture a displayed widget carries for RISE slides, when it holds charts.

RISE cannot show widgets (README, "Presenting as slides"): for a widget output it renders the
output's next MIME type. A view's ``widget`` (a calculator, a case, the PK explorer) is an
ipywidgets box, and a box's output has only the widget view and ``text/plain``, so its slide
showed the text placeholder. In lecturer mode (:func:`mtorlib.charts.still.enabled`) a displayed
box also carries ``text/html``: one :func:`mtorlib.charts.still.figure` with a picture of each
chart it shows, as drawn at that moment, with the chart's description as alt text, and the note.
JupyterLab and Voila rank their widget renderer before HTML, so they show the live widget only.

The one place that does it is IPython's ``text/html`` formatter for ``ipywidgets.Box``
(:func:`install`, called by the notebook header), so every view gets it without code of its own,
and a chart nested in a box is drawn once, by the box (a nested chart's own output is never
made). With lecturer mode off :func:`html` returns at once: no chart is drawn and vl-convert is
never imported.

A :class:`TextPanel` (a box of text only, e.g. the safety statements) carries its current text as
``text/html`` in every mode, so a notebook saved with its outputs shows that text when viewed
without a kernel, and a RISE slide shows it instead of a placeholder.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import ipywidgets as w

from ..charts import still

if TYPE_CHECKING:  # a chart exists only once Altair is loaded; the header must not load it
    import altair as alt


def _hidden(widget: w.Widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


class TextPanel(w.VBox):
    """A box of text only: its displayed output carries its ``w.HTML`` children's current
    content as ``text/html`` in every mode (:func:`html`)."""


TEXT_PANEL_CLASS = "mtor-text-panel"  # marks the HTML a stored notebook keeps (tools/run_notebook.py)


def text_html(panel: TextPanel) -> str:
    """The HTML ``panel`` shows now: its visible ``w.HTML`` children's values, in order, in one
    ``<div class="mtor-text-panel">`` ("" when it shows no text)."""
    body = "".join(c.value for c in panel.children if isinstance(c, w.HTML) and not _hidden(c))
    return f'<div class="{TEXT_PANEL_CLASS}">{body}</div>' if body else ""


def charts_in(widget: w.Widget) -> Iterator[alt.JupyterChart]:
    """The charts ``widget`` shows, depth first in screen order; hidden parts are skipped."""
    altair = sys.modules.get("altair")
    if altair is None or _hidden(widget):  # no chart can exist before Altair is imported
        return
    if isinstance(widget, altair.JupyterChart):
        if widget.spec:
            yield widget
    elif isinstance(widget, w.Box):
        for child in widget.children:
            yield from charts_in(child)


def html(widget: w.Box) -> str | None:
    """A :class:`TextPanel`'s current text (any mode); otherwise, in lecturer mode, the pictures
    of the charts ``widget`` shows (``None``: off, or no chart).

    Each picture is drawn from the chart's current Vega-Lite spec (what the chart shows now),
    with the spec's description (:func:`mtorlib.charts.offline.described`) as its alt text.
    """
    if isinstance(widget, TextPanel):
        return text_html(widget) or None
    if not still.enabled():
        return None
    found = list(charts_in(widget))
    if not found:
        return None
    return still.figure((chart.spec, str(chart.spec.get("description", ""))) for chart in found)


def install(formatter=None) -> None:
    """Register :func:`html` as the ``text/html`` format of every displayed ``ipywidgets.Box``.

    ``formatter``: an IPython ``DisplayFormatter`` (default: the running kernel's; outside
    IPython nothing happens). Idempotent.
    """
    if formatter is None:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            return
        formatter = shell.display_formatter
    formatter.formatters["text/html"].for_type(w.Box, html)
