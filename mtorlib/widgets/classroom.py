"""What the case player and the quiz share for the classroom: lecturer-mode styling, verdict marks.

* :func:`lecturer_style` — a style element that enlarges text (22 px) and buttons (>= 48 px tall)
  inside any view carrying the class ``mtor-lecturer`` and scales its charts down to their column
  (no scroll box); :func:`set_lecturer_class` toggles it. Class names checked in Chromium by
  ``tests/browser/test_classroom.py``.
* :data:`VERDICT` — per verdict: a colour (``cases.VERDICT_COLOURS``, >= 4.5:1 on white), an icon
  and the UI key of its word, so a verdict is never shown by colour alone.
* :func:`mark` — the "your choice" mark next to a chosen option.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import i18n
from ..cases import MARKS, VERDICT_COLOURS, VERDICTS

VERDICT = {
    **{v: (VERDICT_COLOURS[v], MARKS[v], f"cases.verdict.{v}") for v in VERDICTS},
    "correct": (VERDICT_COLOURS["best"], "✔", "quiz.correct"),
    "incorrect": (VERDICT_COLOURS["harmful"], "✘", "quiz.incorrect"),
}
NEUTRAL = "#0072B2"

_CSS = """<style>
.mtor-lecturer .widget-html-content, .mtor-lecturer .widget-label, .mtor-lecturer label,
.mtor-lecturer .widget-radio-box label, .mtor-lecturer .widget-checkbox {font-size: 22px !important;
  line-height: 1.35 !important}
.mtor-lecturer .widget-html-content {white-space: normal}
.mtor-lecturer .jupyter-button, .mtor-lecturer .widget-button, .mtor-lecturer .widget-toggle-button {
  font-size: 20px !important; height: auto !important; min-height: 48px; padding: 4px 14px;
  width: auto !important; max-width: none; overflow: visible}
.mtor-lecturer .mtor-option-row .jupyter-button {min-width: 96px !important}
.mtor-lecturer .widget-vbox > .jupyter-button {align-self: flex-start}
.mtor-lecturer .widget-inline-hbox > .widget-label {width: auto !important; max-width: none;
  overflow: visible; padding-right: 8px}
.mtor-lecturer input[type=text], .mtor-lecturer input[type=radio], .mtor-lecturer input[type=checkbox] {
  font-size: 22px !important; min-height: 28px; min-width: 28px}
.mtor-lecturer input[type=text] {height: 48px !important}
.mtor-lecturer .vega-embed {max-width: 100%}
.mtor-lecturer .vega-embed canvas, .mtor-lecturer .vega-embed svg.marks {max-width: 100% !important;
  height: auto !important}
.mtor-option-row {align-items: center; gap: 10px}
.mtor-option-row .widget-html-content {line-height: 1.3}
</style>"""


def lecturer_style() -> w.HTML:
    """The style element for lecturer mode (include it once in each view's children)."""
    box = w.HTML(_CSS, layout=w.Layout(height="0px", margin="0"))
    box.add_class("mtor-style")
    return box


def set_lecturer_class(widget: w.DOMWidget, on: bool) -> None:
    """Add or remove the ``mtor-lecturer`` class that the style element targets."""
    (widget.add_class if on else widget.remove_class)("mtor-lecturer")


def mark(verdict: str | None, lang: str | None = None) -> str:
    """HTML of the mark beside a chosen option: the verdict's icon, word and colour, or a neutral
    "Your choice" while the verdict is hidden (``verdict`` None)."""
    mine = html.escape(i18n.tr("common.your_choice", lang))
    if verdict is None:
        return f"<b class='mtor-chosen' style='color:{NEUTRAL}'>● {mine}</b>"
    colour, icon, key = VERDICT[verdict]
    word = html.escape(i18n.tr(key, lang))
    colon = "：" if (lang or i18n.get_language()) == "zh" else ": "  # full-width in Chinese
    return f"<b class='mtor-chosen' style='color:{colour}'>{icon} {mine}{colon}{word}</b>"
