"""A notebook's first cell loads nothing it does not use (issue 8, "a fast start").

Altair (~0.5 s), ``scipy.linalg`` (~0.3 s) and ``jsonschema`` (~0.5 s) are loaded when a chart is
drawn, a near-degenerate PK model is solved, or a content file is checked, never by the imports
and ``setup_notebook()`` that open every notebook. Each check runs in a fresh interpreter (this
test process has them all loaded already). Time itself is measured in
``benchmarks/bench_startup.py``, not here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NEVER = ("altair", "scipy.linalg")  # whatever the cache holds
CACHED = ("jsonschema",)  # loaded only to check a file the cache has not seen

# Runs each given cell in order in one fresh interpreter; reports which heavy modules each loaded.
PROBE = """
import json, sys
import numpy, pandas, ipywidgets
watched = json.loads(sys.argv[1])
seen = {}
for name, code in json.loads(sys.argv[2]):
    exec(compile(code, name, "exec"), {"__name__": "__main__"})
    seen[name] = [m for m in watched if m in sys.modules]
    if seen[name]:
        break
draw = sys.argv[3] == "draw"
if draw:  # the first chart drawn after setup_notebook() loads Altair and renders offline
    import numpy as np
    from mtorlib import charts
    frame = pandas.DataFrame({"subject": 0, "time_h": np.arange(4.0), "conc_ng_ml": [0.0, 6.0, 5.0, 4.0]})
    charts.concentration_time(frame, target_ng_ml=None)
    import altair as alt
    seen["offline"] = [alt.renderers.active, bool(alt.JupyterChart._is_offline)]
print(json.dumps(seen))
"""


def first_cell(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])


def probe(cells: list[tuple[str, str]], watched, draw: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(watched)), json.dumps(cells),
         "draw" if draw else "-"],
        cwd=NOTEBOOKS, capture_output=True, text=True, encoding="utf-8", timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # fresh interpreters importing the suite: seconds
def test_notebook_02_first_cell_loads_no_chart_library_scipy_linalg_or_jsonschema():
    cell = [("02_pharmacokinetics", first_cell(NOTEBOOKS / "02_pharmacokinetics.ipynb"))]
    assert probe(cell, NEVER) == {"02_pharmacokinetics": []}  # cache cold or warm
    seen = probe(cell, NEVER + CACHED, draw=True)  # the first run filled the content cache
    assert seen["02_pharmacokinetics"] == []
    assert seen["offline"] == ["mtorlib-offline", True]  # asked for before Altair was loaded


@pytest.mark.slow
def test_no_notebook_first_cell_loads_altair_or_scipy_linalg():
    cells = [(p.stem, first_cell(p)) for p in sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))]
    assert len(cells) >= 12
    seen = probe(cells, NEVER)
    assert seen == {name: [] for name, _ in cells}  # stops at the first cell that loads one
