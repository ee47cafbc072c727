"""Colours and line patterns of the charts, as plain values (no Altair: a widget's legend table
reads them without loading a chart library).

* :data:`PALETTE` — Okabe & Ito (2008) colour-universal-design palette (the theme's categories).
* :data:`OVERLAY_COLOURS`, :data:`OVERLAY_DASHES` — the PK explorer's kept scenarios, in the order
  they are listed: told apart by colour and by line pattern (readable in greyscale).
"""

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# solid, long dash, dots, dash-dot: distinct in greyscale, in the order scenarios are listed
OVERLAY_DASHES = ([1, 0], [8, 4], [2, 3], [10, 3, 2, 3])
# Okabe–Ito blue, vermillion, reddish purple, black: not the target window's green, high contrast
OVERLAY_COLOURS = tuple(PALETTE[i] for i in (0, 5, 3, 7))
