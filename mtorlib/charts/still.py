"""A still picture of a chart, for front ends that cannot show widgets (RISE slides).

jupyterlab-rise 0.43.1 cannot load the ipywidgets manager (README, "Presenting as slides"), so
for a widget output it renders the output's next MIME type. :func:`html` is that type for a
chart: the chart as a static SVG, made offline by vl-convert, and a short note saying where the
interactive chart shows. JupyterLab and Voila render the widget view instead (their widget
renderer ranks before HTML), so the picture never shows twice there.

Drawing a picture costs a kernel a vl-convert start (3–7 s, ~90 MB) that only a presenter in RISE
benefits from, so it is off unless :func:`set_enabled` switches it on; the notebook header
(:mod:`mtorlib.widgets.chrome`) does that from lecturer mode. While off, vl-convert is never
imported for a picture.

A widget holding charts (a calculator, a case) gets the same kind of picture from
:mod:`mtorlib.widgets.slide_still`, through :func:`figure`.
"""

from __future__ import annotations

import base64
import html as _html
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mtorlib import i18n

if TYPE_CHECKING:  # Altair is loaded by the chart itself; the on/off switch needs none of it
    import altair as alt

NOTE_KEY = "slides.chart_still"
_STATE = {"on": False}


def enabled() -> bool:
    """Whether displayed charts carry a still picture (off by default)."""
    return _STATE["on"]


def set_enabled(on: bool) -> None:
    """Switch still pictures on or off for charts displayed from now on."""
    _STATE["on"] = bool(on)


def svg(chart: alt.TopLevelMixin | dict) -> str:
    """``chart`` (an Altair chart or its Vega-Lite dict) as SVG text, drawn by vl-convert with no
    network.

    About 0.5–1 s per chart; the first call in a process also starts vl-convert (3–7 s, ~90 MB).
    """
    from altair.utils._importers import import_vl_convert, vl_version_for_vl_convert

    vlc = import_vl_convert()
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return vlc.vegalite_to_svg(spec, vl_version=vl_version_for_vl_convert())


def _img(chart: alt.TopLevelMixin | dict, description: str) -> str | None:
    """The ``<img>`` of one chart's SVG (``alt`` = ``description``); ``None`` if vl-convert cannot
    draw it (a warning says why)."""
    try:
        picture = svg(chart)
    except ValueError as exc:  # vl-convert's error for a spec it cannot draw
        warnings.warn(f"no still picture of the chart for slides: {exc}", stacklevel=3)
        return None
    data = base64.b64encode(picture.encode("utf-8")).decode("ascii")
    return (f'<img src="data:image/svg+xml;base64,{data}" alt="{_html.escape(description)}" '
            'style="max-width:100%;height:auto;display:block">')


def figure(charts: Iterable[tuple[alt.TopLevelMixin | dict, str]]) -> str | None:
    """One ``<figure>``: a picture per ``(chart, description)`` pair, in order, and the note once.

    ``None`` if no chart could be drawn; the interactive charts are unaffected.
    """
    images = [img for chart, description in charts if (img := _img(chart, description))]
    if not images:
        return None
    return (
        '<figure class="mtor-chart-still" style="margin:0">' + "".join(images)
        + f'<figcaption style="font-size:0.8em">{_html.escape(i18n.tr(NOTE_KEY))}</figcaption>'
        "</figure>"
    )


def html(chart: alt.TopLevelMixin, description: str = "") -> str | None:
    """A ``<figure>``: the chart's SVG as an image (``alt`` = ``description``) and the note.

    ``None`` if vl-convert cannot draw the chart (a warning says why); the interactive chart is
    unaffected.
    """
    return figure([(chart, description)])
