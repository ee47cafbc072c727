"""Which notebooks the browser tests open, and what each one is expected to show.

Rule for "how many charts this notebook must draw" (read from the stored, executed notebook):

* ``tools/run_notebook.py`` records in each widget output's ``metadata.mtorlib.charts`` how many
  Altair ``JupyterChart`` views the displayed widget tree holds (a chart inside a view's VBox
  counts); the expected number is their sum;
* outputs without that record (a notebook saved from JupyterLab) count one chart each if they
  have a Vega/Vega-Lite MIME type or their ``text/plain`` mentions ``JupyterChart``, and a code
  cell that calls ``show(`` or ``JupyterChart(`` counts one chart when nothing else did.

At least that many ``.vega-embed`` elements must draw a canvas or ``svg.marks``, and on every
notebook every ``.vega-embed`` on the page must have drawn (none left empty).
``MTORLIB_NOTEBOOKS`` (a glob) replaces ``notebooks/*.ipynb``, for trying the harness elsewhere.
"""

from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VEGA_MIME = re.compile(r"application/vnd\.vega(lite)?\.v\d")
CHART_CALL = re.compile(r"\b(show|JupyterChart)\(")


@dataclass(frozen=True)
class NotebookInfo:
    """A notebook to open: path, number of code cells, minimum number of charts to draw, and
    each cell's type and first line (for timeout messages)."""

    path: Path
    code_cells: int
    charts: int
    first_lines: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        return self.path.stem


def expected_charts(cells: list[dict]) -> int:
    """Minimum number of charts the executed ``cells`` must draw (rule in the module docstring)."""
    total, calls = 0, False
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        calls = calls or bool(CHART_CALL.search("".join(cell.get("source", ""))))
        for out in cell.get("outputs", []):
            recorded = out.get("metadata", {}).get("mtorlib", {}).get("charts")
            data = out.get("data", {})
            plain = "".join(data.get("text/plain", ""))
            if recorded is not None:
                total += int(recorded)
            elif any(VEGA_MIME.match(k) for k in data) or "JupyterChart" in plain:
                total += 1
    return total or int(calls)


def describe(path: Path) -> NotebookInfo:
    """Read ``path`` (nbformat 4 JSON) and classify it."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    n_code = sum(1 for c in cells if c.get("cell_type") == "code")
    first = tuple(f"{c.get('cell_type')} cell: " + ("".join(c.get("source", "")).strip()
                                                    .splitlines() or [""])[0] for c in cells)
    return NotebookInfo(path=path, code_cells=n_code, charts=expected_charts(cells),
                        first_lines=first)


def notebook_paths() -> list[Path]:
    """Every notebook to test, sorted (``notebooks/*.ipynb`` unless ``MTORLIB_NOTEBOOKS``)."""
    pattern = os.environ.get("MTORLIB_NOTEBOOKS") or str(ROOT / "notebooks" / "*.ipynb")
    return sorted(Path(p) for p in glob.glob(pattern) if ".ipynb_checkpoints" not in p)
