"""Notebook chrome shared by every notebook: offline charts, language switch, teaching notice.

``header = chrome.setup_notebook()`` is the one line each notebook's imports cell ends with: it enables
offline rendering and returns a small bar with the language switch and the teaching-only notice.
:func:`notice` returns the notice alone, for the bottom of every calculator and recommendation.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import i18n
from ..charts import render


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
    """English / 中文 toggle bound to :func:`mtorlib.set_language`."""
    toggle = w.ToggleButtons(
        options=[("English", "en"), ("中文", "zh")],
        value=i18n.get_language(),
        description=i18n.tr("common.language"),
        style={"button_width": "80px"},
    )

    def on_value(change):
        i18n.set_language(change["new"])

    toggle.observe(on_value, names="value")
    return toggle


def setup_notebook(lang: str | None = None) -> w.VBox:
    """Enable offline charts, optionally set the language, and return the header bar."""
    render.enable_offline()
    if lang is not None:
        i18n.set_language(lang)
    return w.VBox([language_switch(), notice()], layout=w.Layout(margin="0 0 8px 0"))
