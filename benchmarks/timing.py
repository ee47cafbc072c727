"""Timing helpers shared by the benchmarks: medians of repeated runs, same-process ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(
    func: Callable[[], object], *, repeat: int = 7, warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median time of ``func()`` over ``repeat`` runs after ``warmup`` untimed runs (s).

    ``clock`` is wall time by default; ``time.process_time`` gives this process's CPU time, which
    other processes on a shared machine do not inflate.
    """
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = clock()
        func()
        times.append(clock() - start)
    return statistics.median(times)
