"""Execute notebooks in place, in a fresh kernel, storing outputs but no widget state.

Usage: ``python tools/run_notebook.py notebooks/00_start_here.ipynb [...]``. Run it after editing a
notebook so that the outputs nbval compares (cells marked ``# NBVAL_CHECK_OUTPUT``) are current.
Widget state is not stored (it would add ~1 MB per offline chart); outputs of widget cells keep
only their ``text/plain`` repr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                out["data"] = {k: v for k, v in data.items() if k != "text/html"}
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        run(Path(arg))
