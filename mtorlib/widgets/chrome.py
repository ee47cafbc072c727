"""Notebook chrome shared by every notebook: offline charts, language switch, teaching notice.

``header = setup_notebook()`` is the one line each notebook's imports cell ends with: it asks for
offline rendering (done when the first chart loads Altair) and returns a small bar with the
language and lecturer switches, the teaching-only notice and a line saying how to switch
JupyterLab's own menus to Chinese (:func:`lab_language_hint`); :func:`notebook_header` builds that
bar as a record with its parts named (``language_toggle``, ``lecturer_toggle``, ``notice``,
``lab_hint``). :func:`notice` returns the notice alone, for the bottom of every calculator and
recommendation.

Lecturer mode, suite-wide without code: ``?lecturer=1`` in a Voila URL (Voila hands the query to
the kernel as ``QUERY_STRING``), or ``MTORLIB_LECTURER=1`` in the environment that starts Jupyter,
or the header's switch. :func:`lecturer_mode` reads it; views that pass themselves to
:func:`follow_lecturer` get ``view.set_lecturer(on)`` when the header switch flips. Lecturer
mode also gives displayed charts, and displayed widgets holding charts, their still picture for RISE
slides (:mod:`mtorlib.charts.still`, :mod:`mtorlib.widgets.slide_still`), except under Voila.
"""

from __future__ import annotations

import html
import os
import weakref
from dataclasses import dataclass
from urllib.parse import parse_qs

import ipywidgets as w

from .. import charts, i18n
from ..charts import still
from . import slide_still


def notice() -> w.HTML:
    """The teaching-only notice, re-rendered on every language switch."""
    box = w.HTML()

    def draw(_lang=None):
        box.value = (
            '<div class="mtor-notice" style="border-left:4px solid #D55E00;padding:4px 8px;'
            f'background:#fff4e5">⚠ {html.escape(i18n.tr("common.teaching_only"))}</div>'
        )

    draw()
    box._mtor_draw = draw  # keep the callback alive as long as the widget
    i18n.on_change(draw)
    return box


def language_switch() -> w.ToggleButtons:
    """English / 中文 toggle bound to :func:`mtorlib.set_language`; its label follows the language."""
    toggle = w.ToggleButtons(options=[("English", "en"), ("中文", "zh")], value=i18n.get_language(),
                             style={"button_width": "80px"})

    def on_value(change):
        i18n.set_language(change["new"])

    def draw(_lang=None):
        toggle.description = toggle.tooltip = i18n.tr("common.language")

    toggle.observe(on_value, names="value")
    return i18n.follow(toggle, draw)


def lab_language_hint() -> w.HTML:
    """How to switch JupyterLab's own menus to Chinese (its language pack); follows the language."""
    box = w.HTML()

    def draw(_lang=None):
        box.value = (f'<span class="mtor-lab-language" style="font-size:90%;color:#555">'
                     f'{html.escape(i18n.tr("common.lab_language"))}</span>')

    return i18n.follow(box, draw)


_LECTURER: dict = {"on": None, "views": []}


def lecturer_mode() -> bool:
    """Suite-wide lecturer mode: the header switch if used, else ``?lecturer=1`` in the Voila URL,
    else the ``MTORLIB_LECTURER`` environment variable (``1``/``true``/``yes``/``on``)."""
    if _LECTURER["on"] is not None:
        return _LECTURER["on"]
    env = os.environ.get("MTORLIB_LECTURER", "")
    wanted = parse_qs(os.environ.get("QUERY_STRING", "")).get("lecturer", [env])[-1]
    return wanted.strip().lower() in ("1", "true", "yes", "on")


def set_lecturer_mode(on: bool | None) -> None:
    """Switch lecturer mode for every following view (``None``: back to the URL/environment)."""
    _LECTURER["on"] = None if on is None else bool(on)
    _still_pictures()
    for ref in list(_LECTURER["views"]):
        view = ref()
        if view is None:
            _LECTURER["views"].remove(ref)
        else:
            view.set_lecturer(lecturer_mode())


def _still_pictures() -> None:
    """Still pictures for RISE on exactly in lecturer mode outside Voila (Voila always shows the
    live widget, so a picture there would only cost a vl-convert start), for charts and widgets."""
    still.set_enabled(lecturer_mode() and not _in_voila())
    slide_still.install()


def _in_voila() -> bool:
    """Whether this kernel serves a Voila page (Voila sets ``SERVER_SOFTWARE=voila/<version>``)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def follow_lecturer(view) -> None:
    """Call ``view.set_lecturer(on)`` whenever the suite-wide switch flips (held weakly, but kept
    alive by ``view.widget``: notebooks keep only the widget)."""
    widget = getattr(view, "widget", view)
    if widget is not view:
        widget._mtor_view = view
    _LECTURER["views"].append(weakref.ref(view))


def lecturer_switch() -> w.ToggleButton:
    """The suite-wide lecturer-mode switch for the notebook header."""
    toggle = w.ToggleButton(value=lecturer_mode(), icon="chalkboard-teacher")
    toggle.observe(lambda change: set_lecturer_mode(change["new"]), names="value")

    def draw(_lang=None):
        toggle.description = toggle.tooltip = i18n.tr("common.lecturer_mode")

    return i18n.follow(toggle, draw)


# Charts shrink, rows of controls wrap and long table cells break within their output area instead
# of making it a scroll box (a scrollable region with nothing focusable in it cannot be scrolled by
# keyboard).
FIT_CHARTS = """<style>
.vega-embed {max-width: 100%}
.vega-embed canvas, .vega-embed svg.marks {max-width: 100% !important; height: auto !important}
.jp-OutputArea-output .widget-hbox {flex-wrap: wrap}
.jp-OutputArea-output .widget-html-content table td {overflow-wrap: anywhere}
</style>"""


@dataclass(frozen=True, eq=False)
class NotebookHeader:
    """The header bar: ``widget`` to display and its named parts."""

    widget: w.VBox
    language_toggle: w.ToggleButtons
    lecturer_toggle: w.ToggleButton
    notice: w.HTML
    lab_hint: w.HTML


def notebook_header() -> NotebookHeader:
    """The header bar: chart-fitting style, language and lecturer switches, notice, menu hint."""
    language, lecturer = language_switch(), lecturer_switch()
    teaching, hint = notice(), lab_language_hint()
    bar = w.HBox([language, lecturer], layout=w.Layout(flex_flow="row wrap"))
    box = w.VBox([w.HTML(FIT_CHARTS), bar, teaching, hint], layout=w.Layout(margin="0 0 8px 0"))
    return NotebookHeader(box, language, lecturer, teaching, hint)


def setup_notebook(lang: str | None = None) -> w.VBox:
    """Ask for offline charts, optionally set the language, and return the header bar's widget.

    Loads no chart library: Altair is imported by the first chart drawn, which then renders
    offline (:func:`mtorlib.charts.render_offline`).
    """
    charts.render_offline()
    _still_pictures()
    if lang is not None:
        i18n.set_language(lang)
    return notebook_header().widget
