"""The TDM coach's typed history → the dose and level frames the coach scenario takes.

A learner types a once-daily dose history and measured levels as short lines:

* doses: ``day, dose_mg`` — from that day on, ``dose_mg`` once daily (day 0 = first dose);
* levels: ``day, conc_ng_ml`` for a trough drawn just before that day's dose, or
  ``day, conc_ng_ml, hours_after_dose`` for a level drawn after that day's dose.

:func:`parse_doses` and :func:`parse_levels` are strict: :class:`~mtorlib.tdm.TDMError` names
the line and what is allowed; text never silently becomes a number. The frames are then checked
again by :func:`mtorlib.scenarios.coach.check_doses` / ``check_levels``.

>>> parse_levels("7, 4.1\\n14, 9.5, 2").to_dict("list")
{'time_h': [168.0, 338.0], 'conc_ng_ml': [4.1, 9.5]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenarios.coach import DAY_H, MAX_DAY
from ..tdm.rules import MAX_DAILY_MG, TDMError


def _rows(text: str, field: str, widths: tuple[int, ...]) -> list[tuple[int, list[float]]]:
    if not isinstance(text, str):
        raise TDMError(f"{field} must be text; got {type(text).__name__}")
    rows = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) not in widths:
            raise TDMError(f"{field} line {n} must have {' or '.join(map(str, widths))} "
                           f"comma-separated numbers; got {raw.strip()!r}")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise TDMError(f"{field} line {n} must hold numbers only; got {raw.strip()!r}") from None
        if not all(np.isfinite(values)) or min(values) < 0:
            raise TDMError(f"{field} line {n} must hold finite numbers >= 0; got {raw.strip()!r}")
        if values[0] > MAX_DAY:
            raise TDMError(f"{field} line {n}: day must be <= {MAX_DAY}; got {values[0]:g}")
        rows.append((n, values))
    return rows


def parse_doses(text: str) -> pd.DataFrame:
    """Dose changes ``day, dose_mg`` → DataFrame ``day, dose_mg`` (sorted; first day is 0)."""
    rows = _rows(text, "doses", (2,))
    if not rows:
        raise TDMError("doses must have at least one line 'day, dose_mg' (e.g. '0, 2')")
    for n, (day, dose) in rows:
        if day != int(day):
            raise TDMError(f"doses line {n}: day must be a whole number; got {day:g}")
        if not 0 < dose <= MAX_DAILY_MG:
            raise TDMError(f"doses line {n}: dose_mg must be > 0 and <= {MAX_DAILY_MG:g} "
                           f"(label maximum on any day); got {dose:g}")
    days = [d for _, (d, _) in rows]
    if len(set(days)) != len(days):
        raise TDMError(f"doses: each day may appear once; got days {days}")
    out = pd.DataFrame([v for _, v in rows], columns=["day", "dose_mg"]).sort_values("day")
    if out.day.iloc[0] != 0:
        raise TDMError(f"doses: the first line must be day 0 (first dose); got day {out.day.iloc[0]:g}")
    return out.reset_index(drop=True)


def parse_levels(text: str) -> pd.DataFrame:
    """Levels ``day, conc[, hours_after_dose]`` → DataFrame ``time_h, conc_ng_ml`` (h after dose 0)."""
    rows = _rows(text, "levels", (2, 3))
    if not rows:
        raise TDMError("levels must have at least one line 'day, conc_ng_ml' (e.g. '7, 4.2')")
    out = []
    for n, values in rows:
        day, conc = values[0], values[1]
        if conc <= 0:
            raise TDMError(f"levels line {n}: conc_ng_ml must be > 0; got {conc:g}")
        after = values[2] if len(values) == 3 else None
        if after is not None and not 0 < after < DAY_H:
            raise TDMError(f"levels line {n}: hours_after_dose must be > 0 and < 24; got {after:g}")
        if after is None and day != int(day):
            raise TDMError(f"levels line {n}: a trough day must be a whole number; got {day:g}")
        if after is None and day < 1:
            raise TDMError(f"levels line {n}: a trough needs day >= 1 (after the first dose); got {day:g}")
        out.append({"time_h": day * DAY_H + (after or 0.0), "conc_ng_ml": conc})
    frame = pd.DataFrame(out, columns=["time_h", "conc_ng_ml"])
    return frame.sort_values("time_h", kind="stable").reset_index(drop=True)
