"""Run every ``benchmarks/bench_*.py`` module's ``run()`` and print its table.

Each ``run()`` returns a pandas DataFrame with at least ``item``, ``value``, ``unit``, ``budget``
and ``ok`` columns; the process exits 1 if any row misses its budget.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import pandas as pd


def main(names: list[str]) -> int:
    here = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if names:
        modules = [m for m in modules if any(n in m for n in names)]
    failed = False
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        for name in modules:
            table = importlib.import_module(f"benchmarks.{name}").run()
            print(f"\n== {name}\n{table.to_string(index=False)}")
            failed |= not bool(table["ok"].all())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
