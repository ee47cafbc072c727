"""Execute notebooks in place, in a fresh kernel, storing outputs but no widget state.

Usage: ``python tools/run_notebook.py notebooks/00_start_here.ipynb [...]``. Run it after editing a
notebook so that the outputs nbval compares (cells marked ``# NBVAL_CHECK_OUTPUT``) are current.
Widget state is not stored (it would add ~1 MB per offline chart); outputs of widget cells keep
only their ``text/plain`` repr, and the ``text/html`` of a text-only panel (its text, for a reader
without a kernel and for RISE; ``mtorlib.widgets.slide_still.TextPanel``). Each widget output
that contains Altair ``JupyterChart`` views records how many in
``output.metadata["mtorlib"]["charts"]``: the browser tests (``tests/browser``) check that at
least that many charts were drawn. The kernel runs without lecturer mode (:func:`kernel_env`), so
stored outputs never carry still pictures.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
TEXT_PANEL = 'class="mtor-text-panel"'  # mtorlib.widgets.slide_still.TEXT_PANEL_CLASS
LECTURER_VARIABLES = ("MTORLIB_LECTURER", "QUERY_STRING")  # how lecturer mode is asked for


def kernel_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for the kernel, less what switches lecturer mode on."""
    return {k: v for k, v in (os.environ if environ is None else environ).items()
            if k not in LECTURER_VARIABLES}


class _Client(NotebookClient):
    """A client that remembers, per widget model, whether it is a chart and its children."""

    def handle_comm_msg(self, outs, msg, cell_index):
        state = (msg["content"].get("data") or {}).get("state")
        if state:
            models = self.__dict__.setdefault("_mtor_models", {})
            model = models.setdefault(msg["content"]["comm_id"], {"chart": False, "refs": []})
            if "spec" in state and "_vl_selections" in state:
                model["chart"] = True
            refs = [v for k, v in state.items() if k not in ("layout", "style")]
            found = _model_refs(refs)
            if found:
                model["refs"] = found
        super().handle_comm_msg(outs, msg, cell_index)

    def count_charts(self, model_id: str, seen: set[str] | None = None) -> int:
        """Number of chart views reachable from widget ``model_id``."""
        models = self.__dict__.get("_mtor_models", {})
        seen = set() if seen is None else seen
        if model_id in seen or model_id not in models:
            return 0
        seen.add(model_id)
        model = models[model_id]
        return int(model["chart"]) + sum(self.count_charts(r, seen) for r in model["refs"])


def _model_refs(value) -> list[str]:
    if isinstance(value, str):
        return [value[len("IPY_MODEL_"):]] if value.startswith("IPY_MODEL_") else []
    if isinstance(value, list | tuple):
        return [ref for item in value for ref in _model_refs(item)]
    if isinstance(value, dict):
        return _model_refs(list(value.values()))
    return []


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = _Client(
        nb, timeout=600, kernel_name="python3", store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=kernel_env())
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                if TEXT_PANEL not in data.get("text/html", ""):
                    out["data"] = {k: v for k, v in data.items() if k != "text/html"}
                meta = out.setdefault("metadata", {})
                meta.pop("mtorlib", None)
                charts = client.count_charts(data[WIDGET_MIME]["model_id"])
                if charts:
                    meta["mtorlib"] = {"charts": charts}
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        run(Path(arg))
