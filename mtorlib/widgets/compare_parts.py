"""The PK explorer's comparison panel: keep / remove / clear buttons, a status line, the table.

:func:`panel` builds a :class:`ComparePanel` (named fields for tests); the explorer owns the
state (``panel.kept``, a :class:`mtorlib.scenarios.compare.Kept`) and redraws through
:func:`draw_controls` and :func:`table_html`. Kept scenarios are reduced once when kept
(``compare.snapshot``), never simulated again.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import ipywidgets as w
import pandas as pd

from .. import i18n
from ..charts.describe import fmt_number
from ..charts.palette import OVERLAY_COLOURS as COLOURS
from ..charts.palette import OVERLAY_DASHES as DASHES
from ..scenarios.compare import FRACTION, MAX_KEPT, Kept, half_lives

COLUMNS = (("trough_ng_ml", "pk.cmp_col_trough"), ("peak_ng_ml", "pk.cmp_col_peak"),
           ("auc_tau_ng_h_ml", "pk.cmp_col_auc"), ("t90_days", "pk.cmp_col_t90"),
           ("t_ss_days", "pk.cmp_col_tss"))


@dataclass(eq=False)
class ComparePanel:
    """``widget`` (buttons, status, table); ``remove`` is the row that shows ``remove_buttons``,
    one button per kept scenario (the first kept first)."""

    widget: w.VBox
    keep: w.Button
    clear: w.Button
    remove: w.HBox
    message: w.HTML
    table: w.HTML
    kept: Kept = field(default_factory=Kept)
    remove_buttons: tuple[w.Button, ...] = ()
    note: tuple | None = None  # (UI key, format values, colour) of the status line


def panel() -> ComparePanel:
    """An empty panel (nothing kept)."""
    auto = w.Layout(width="auto")
    p = ComparePanel(widget=w.VBox(), keep=w.Button(layout=auto),
                     clear=w.Button(layout=auto), remove=w.HBox(),
                     message=w.HTML(), table=w.HTML())
    p.remove.layout.flex_flow = "row wrap"
    p.widget.children = [w.HBox([p.keep, p.remove, p.clear], layout=w.Layout(flex_flow="row wrap")),
                         p.message, p.table]
    return p


def draw_controls(p: ComparePanel, names: list[str], lang: str, on_remove) -> None:
    """Button texts in ``lang``; one remove button per kept scenario (``names``: their labels)."""
    p.keep.description = p.keep.tooltip = i18n.tr("pk.cmp_keep", lang)
    p.keep.disabled = len(p.kept.scenarios) >= MAX_KEPT
    p.clear.description = p.clear.tooltip = i18n.tr("pk.cmp_clear", lang)
    p.clear.disabled = not p.kept.scenarios
    buttons = list(p.remove_buttons[: len(names)])  # reused: a slider move only renames them
    for i in range(len(buttons), len(names)):
        button = w.Button(layout=w.Layout(width="auto"))
        button.on_click(lambda _b, i=i: on_remove(i))
        buttons.append(button)
    for i, (button, name) in enumerate(zip(buttons, names, strict=True)):
        button.description, button.tooltip = i18n.tr("pk.cmp_remove", lang, n=i + 1), name
    if len(buttons) != len(p.remove_buttons):
        p.remove_buttons = p.remove.children = tuple(buttons)
    if p.note is not None:
        key, fmt, colour = p.note
        p.message.value = status(i18n.tr(key, lang, **fmt), colour)


def status(text: str, colour: str) -> str:
    """A polite live status line (screen readers announce it)."""
    return (f'<div role="status" aria-live="polite" style="border-left:4px solid {colour};'
            f'padding:2px 8px">{html.escape(text)}</div>')


def _swatch(i: int) -> str:
    """A short line drawn like scenario ``i`` on the chart (colour and dash), hidden from readers."""
    dash = " ".join(str(v) for v in DASHES[i])
    return (f'<svg width="34" height="10" aria-hidden="true" style="vertical-align:middle">'
            f'<line x1="1" y1="5" x2="33" y2="5" stroke="{COLOURS[i]}" stroke-width="3" '
            f'stroke-dasharray="{dash}"/></svg> ')


def _cell(column: str, row: pd.Series, lang: str) -> str:
    value = row[column]
    if column == "t_ss_days" and (value is None or math.isnan(value)):
        return html.escape(i18n.tr("pk.cmp_not_reached", lang, days=fmt_number(row["days_shown"])))
    return fmt_number(float(value))


def table_html(table: pd.DataFrame, lang: str) -> str:
    """The metrics of each scenario side by side, with the definitions of the two times."""
    head = "".join(f'<th scope="col">{html.escape(i18n.tr(key, lang))}</th>'
                   for key in ("pk.cmp_col_scenario", *(k for _, k in COLUMNS)))
    rows = "".join(
        f'<tr><th scope="row" style="text-align:left">{_swatch(i)}{html.escape(row["scenario"])}</th>'
        + "".join(f'<td style="text-align:right">{_cell(c, row, lang)}</td>' for c, _ in COLUMNS)
        + "</tr>"
        for i, (_, row) in enumerate(table.iterrows()))
    caption = html.escape(i18n.tr("pk.cmp_table_caption", lang))
    note = html.escape(i18n.tr("pk.cmp_definition", lang, pct=round(100 * FRACTION),
                               band=round(100 * (1 - FRACTION)),
                               n_half=f"{half_lives(FRACTION):.2f}"))
    return (f'<table class="mtor-compare" style="border-collapse:collapse">'
            f'<caption style="text-align:left">{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table><p><small>{note}</small></p>")
