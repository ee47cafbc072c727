"""Timing helpers shared by the benchmarks: medians of repeated runs, same-process ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(func: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``func()`` over ``repeat`` runs after ``warmup`` untimed runs (s)."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
