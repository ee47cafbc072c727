"""Set RISE slide metadata (``cell.metadata.slideshow.slide_type``) from a notebook's structure.

Usage: ``python tools/slides.py notebooks/*.ipynb`` (rewrites the files) or ``--check`` (exit 1
and name the notebooks whose slide metadata is missing or stale; nothing is written).

Rules, one idea per slide:

* the first cell opens the title slide;
* a markdown cell whose first line is a ``#`` or ``##`` heading starts a new slide, a ``###``
  heading a sub-slide (RISE shows it below the slide it belongs to);
* a code cell that displays a widget (an output with the widget MIME type, or, unexecuted, a last
  line ending in ``.widget``, ``setup_notebook()`` or ``show(...)``) gets a slide of its own: it
  starts a slide and the cell after it starts the next one;
* every other cell continues the slide before it (``"-"``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_CALL = re.compile(r"(\.widget|setup_notebook\([^)]*\)|\bshow\(.*\))\s*$")


def shows_widget(cell: dict) -> bool:
    """True if the code ``cell`` displays a widget (from its outputs, else from its last line)."""
    if cell.get("cell_type") != "code":
        return False
    outputs = cell.get("outputs") or []
    if outputs:
        return any(WIDGET_MIME in out.get("data", {}) for out in outputs)
    lines = [ln for ln in "".join(cell.get("source", "")).splitlines() if ln.strip()]
    return bool(lines) and bool(WIDGET_CALL.search(lines[-1]))


def heading_level(cell: dict) -> int:
    """Level (1-6) of the markdown heading on the cell's first non-blank line; 0 if none."""
    if cell.get("cell_type") != "markdown":
        return 0
    for line in "".join(cell.get("source", "")).splitlines():
        if line.strip():
            m = re.match(r"^(#{1,6})\s", line)
            return len(m.group(1)) if m else 0
    return 0


def slide_types(cells: list[dict]) -> list[str]:
    """RISE ``slide_type`` of every cell (``"slide"``, ``"subslide"`` or ``"-"``), by the rules above."""
    types: list[str] = []
    after_widget = False
    for i, cell in enumerate(cells):
        level = heading_level(cell)
        widget = shows_widget(cell)
        if i == 0 or level in (1, 2) or widget or after_widget:
            kind = "slide"
        elif level >= 3:
            kind = "subslide"
        else:
            kind = "-"
        types.append(kind)
        after_widget = widget
    return types


def apply(nb) -> bool:
    """Set the slide metadata of notebook ``nb`` in place; True if anything changed."""
    changed = False
    for cell, kind in zip(nb.cells, slide_types(nb.cells), strict=True):
        if cell.metadata.get("slideshow", {}).get("slide_type") != kind:
            cell.metadata["slideshow"] = {"slide_type": kind}
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report stale notebooks, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        if apply(nb):
            stale.append(path)
            if not args.check:
                nbformat.write(nb, path)
    verb = "need slide metadata (run tools/slides.py)" if args.check else "updated"
    for path in stale:
        print(f"{path}: {verb}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
