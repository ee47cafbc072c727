"""Start-up cost of a notebook: first-cell imports and the kernel's memory (issue 8, item 5).

* **First cell**: the first code cell of ``notebooks/02_pharmacokinetics.ipynb`` (the heaviest
  first cell: PK engine, charts, explorer and quiz widgets), run after ``import numpy, pandas,
  ipywidgets`` in a fresh interpreter, against ``import numpy, pandas, ipywidgets`` alone. Each is
  timed inside the process (interpreter start-up excluded), in ``REPEAT`` fresh processes taken in
  turns, and the minimum of each is kept, so both sides of the ratio see the same machine load.
  Budget: the first cell adds ≤ 1.0 s.
* **Kernel RSS**: notebook 02 executed top to bottom in a fresh ``python3`` kernel (``nbclient``,
  as ``tools/run_notebook.py`` does), then the kernel's resident set read from
  ``/proc/<pid>/status`` (``VmRSS``); minimum over ``REPEAT`` kernels. Budget ≤ 250 MB.
* **IRI parsers compiled**: whether ``rfc3987_syntax`` (Lark Earley parsers compiled at import,
  ~2 s on this machine; see :mod:`mtorlib.startup`) ran during the first cell. Budget: no.

``MTORLIB_BENCH_REPEAT`` (default 5) sets the number of fresh processes per measurement.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_pharmacokinetics.ipynb"
REPEAT = int(os.environ.get("MTORLIB_BENCH_REPEAT", "5"))
BASELINE = "import numpy, pandas, ipywidgets"

# Runs in the fresh interpreter: time the given code, report seconds and whether Lark parsed IRIs.
PROBE = """
import json, sys, time
start = time.perf_counter()
exec(compile(sys.argv[1], "<first cell>", "exec"), {"__name__": "__main__"})
seconds = time.perf_counter() - start
print(json.dumps({"s": seconds, "iri": "rfc3987_syntax.syntax_helpers" in sys.modules}))
"""


def first_cell(path: Path = NOTEBOOK) -> str:
    """Source of the first code cell of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    return "".join(cell["source"])


def _probe(code: str, pycache: str) -> dict:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPYCACHEPREFIX": pycache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, code], cwd=NOTEBOOK.parent, capture_output=True, text=True,
        check=True, env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_times(repeat: int = REPEAT) -> dict:
    """Minimum seconds of the baseline imports and of baseline + first cell, in alternating runs.

    Bytecode is kept in a temporary folder (``PYTHONPYCACHEPREFIX``, never the repository), also
    where ``PYTHONDONTWRITEBYTECODE`` is set: an installed kernel has the suite's bytecode, so
    compiling its ~70 modules from source (~0.2-0.4 s) is not start-up; the first runs compile.
    """
    cell = f"{BASELINE}\n{first_cell()}"
    base, full, iri = [], [], False
    with tempfile.TemporaryDirectory(prefix="mtorlib-bench-pyc-") as pycache:
        for _ in range(repeat):
            base.append(_probe(BASELINE, pycache)["s"])
            probe = _probe(cell, pycache)
            full.append(probe["s"])
            iri |= probe["iri"]
    return {"baseline_s": min(base), "first_cell_s": min(full), "iri_parsers": iri}


def kernel_rss_mb(path: Path = NOTEBOOK) -> float:
    """Resident memory (MB) of a fresh kernel after executing every cell of ``path``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        pid = client.km.provisioner.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kb / 1024


def _row(item, value, unit, budget, ok):
    return {"item": item, "value": value, "unit": unit, "budget": budget, "ok": bool(ok)}


def run() -> pd.DataFrame:
    t = import_times()
    added = t["first_cell_s"] - t["baseline_s"]
    rss = min(kernel_rss_mb() for _ in range(REPEAT))
    rows = [
        _row(f"{BASELINE} (min of {REPEAT})", round(t["baseline_s"], 2), "s", "-", True),
        _row("+ first cell of notebook 02", round(t["first_cell_s"], 2), "s", "-", True),
        _row("first cell adds", round(added, 2), "s", "<= 1.0", added <= 1.0),
        _row("first cell / baseline", round(t["first_cell_s"] / t["baseline_s"], 2), "x", "-", True),
        _row("IRI parsers compiled at start", t["iri_parsers"], "", "False", not t["iri_parsers"]),
        _row("kernel RSS after notebook 02", round(rss, 1), "MB", "<= 250", rss <= 250),
    ]
    return pd.DataFrame(rows)
