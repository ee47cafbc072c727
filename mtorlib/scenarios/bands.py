"""Summaries of simulated concentration frames, computed in numpy before charting.

Charts never receive thousands of raw subject curves (Altair's 5000-row limit stays on): they get a
percentile band and at most a small sample of individual curves.

* :func:`percentile_band` — ``subject, time_h, conc_ng_ml`` → ``time_h, p05, p50, p95``
  (one row per time, per ``series`` if given); percentiles across subjects at each time.
* :func:`sample_subjects` — the first ``n`` subjects of a population frame (already random).
* :func:`check_frame` — the columns check shared with the charts.

>>> import pandas as pd
>>> sim = pd.DataFrame({"subject": [0, 0, 1, 1, 2, 2], "time_h": [0, 1] * 3,
...                     "conc_ng_ml": [0.0, 4.0, 0.0, 6.0, 0.0, 5.0]})
>>> percentile_band(sim, probs=(50,)).to_dict("records")
[{'time_h': 0.0, 'p50': 0.0}, {'time_h': 1.0, 'p50': 5.0}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import integer

COLUMNS = ("subject", "time_h", "conc_ng_ml")


class BandError(ValueError):
    """A simulation frame or option that cannot be summarised."""


def check_frame(sim: pd.DataFrame, series: str | None, where: str) -> None:
    """Raise :class:`BandError` naming the missing columns of a simulation frame."""
    need = list(COLUMNS) + ([series] if series else [])
    missing = [c for c in need if c not in sim.columns]
    if missing:
        raise BandError(
            f"sim lacks column(s) {', '.join(missing)}; needs {', '.join(need)} ({where})"
        )


def _column_name(p: float) -> str:
    return f"p{p:02g}" if float(p).is_integer() else f"p{p:g}".replace(".", "_")


def percentile_band(
    sim: pd.DataFrame,
    *,
    probs: tuple[float, ...] = (5, 50, 95),
    series: str | None = None,
    decimals: int = 3,
) -> pd.DataFrame:
    """Percentiles of concentration across subjects at each time.

    Parameters
    ----------
    sim : DataFrame
        ``subject, time_h, conc_ng_ml`` (ng/mL), every subject sampled at the same times (as
        ``pk.simulate`` returns), plus the ``series`` column if given.
    probs : tuple of float
        Percentiles in 0..100; columns are named ``p05``, ``p50``, ``p95`` ...
    series : str, optional
        Column that splits the frame into scenarios summarised separately (kept in the output).
    decimals : int
        Rounding of the percentiles (ng/mL), which keeps chart payloads small.

    Returns
    -------
    DataFrame
        ``[series,] time_h, p05, p50, p95`` sorted by series then time.
    """
    check_frame(sim, series, "percentile_band")
    probs = tuple(float(p) for p in probs)
    if not probs or any(not 0 <= p <= 100 for p in probs):
        raise BandError(f"probs must be percentiles within 0..100; got {probs} (percentile_band)")
    groups = [(None, sim)] if series is None else list(sim.groupby(series, sort=False))
    parts = []
    for key, frame in groups:
        times = np.unique(frame["time_h"].to_numpy(dtype=float))
        n_subjects = frame["subject"].nunique()
        if len(frame) != n_subjects * len(times):
            raise BandError(
                "every subject must be sampled at the same times; got "
                f"{len(frame)} rows for {n_subjects} subjects x {len(times)} times (percentile_band)"
            )
        subject, time = frame["subject"].to_numpy(), frame["time_h"].to_numpy(dtype=float)
        in_order = np.all(subject[:-1] <= subject[1:]) and np.array_equal(
            time, np.tile(times, n_subjects))  # as pk.simulate returns it: no sort needed
        ordered = frame if in_order else frame.sort_values(["subject", "time_h"], kind="stable")
        grid = ordered["conc_ng_ml"].to_numpy(dtype=float).reshape(n_subjects, len(times))
        values = np.percentile(grid, probs, axis=0) if n_subjects > 1 else np.repeat(grid, len(probs), 0)
        out = pd.DataFrame({"time_h": times})
        for p, row in zip(probs, values, strict=True):
            out[_column_name(p)] = np.round(row, decimals)
        if series is not None:
            out.insert(0, series, key)
        parts.append(out)
    return pd.concat(parts, ignore_index=True)


def sample_subjects(sim: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The rows of the first ``n`` subjects (by id) of a population frame.

    Subjects of ``pk.simulate`` are already random draws, so the first ``n`` are a fair sample and
    the choice needs no generator.
    """
    check_frame(sim, None, "sample_subjects")
    n = integer(n, "n", "sample_subjects", lo=0, error=BandError)
    keep = np.sort(sim["subject"].unique())[:n]
    return sim[sim["subject"].isin(keep)].reset_index(drop=True)

