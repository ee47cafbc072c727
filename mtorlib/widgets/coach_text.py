"""The TDM coach's typed history → the dose and level frames the coach scenario takes.

A learner types a once-daily dose history and measured levels as short lines:

* doses: ``day, dose_mg`` — from that day on, ``dose_mg`` once daily (day 0 = first dose);
* levels: ``day, conc_ng_ml`` for a trough drawn just before that day's dose, or
  ``day, conc_ng_ml, hours_after_dose`` for a level drawn after that day's dose.

:func:`parse_doses` and :func:`parse_levels` are strict: every number goes through
:func:`mtorlib.plausibility.parse` and the typed doses and levels through
:func:`mtorlib.plausibility.check`; :class:`~mtorlib.tdm.TDMError` names the line and says what is
allowed, in the current language. Text never silently becomes a number. The frames are then
checked again by :func:`mtorlib.scenarios.coach.check_doses` / ``check_levels``.

>>> parse_levels("7, 4.1\\n14, 9.5, 2").to_dict("list")
{'time_h': [168.0, 338.0], 'conc_ng_ml': [4.1, 9.5]}
"""

from __future__ import annotations

import re

import pandas as pd

from .. import plausibility
from ..i18n import tr
from ..scenarios.coach import DAY_H, MAX_DAY
from ..tdm.rules import TDMError

_SEPARATORS = re.compile(r"[,;，；、]\s+|[;；、]|,(?!\d)|，")  # "2,5" stays a decimal comma


def _fail(field: str, n: int, message: str) -> TDMError:
    return TDMError(tr("tdm.in_line", field=tr(f"tdm.in_{field}"), n=n, message=message))


def _rows(text: str, field: str, widths: tuple[int, ...]) -> list[tuple[int, list[float]]]:
    if not isinstance(text, str):
        raise TDMError(tr("tdm.in_field", field=tr(f"tdm.in_{field}"),
                          message=tr(f"tdm.in_empty_{field}")))
    rows = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in _SEPARATORS.split(line)]
        if len(parts) not in widths:
            wide = tr("tdm.in_or").join(map(str, widths))
            raise _fail(field, n, tr("tdm.in_width", widths=wide, text=raw.strip()[:40]))
        values = [plausibility.parse(p) for p in parts]
        bad = next((v for v in values if isinstance(v, str)), None)
        if bad is not None:
            raise _fail(field, n, bad)
        day = values[0]
        if day != int(day) or not 0 <= day <= MAX_DAY:
            key = "tdm.in_day" if field == "doses" or len(values) == 3 else "tdm.in_trough_day"
            raise _fail(field, n, tr(key, max=MAX_DAY, value=f"{day:g}"))
        rows.append((n, values))
    return rows


def _checked(field: str, n: int, quantity: str, value: float) -> None:
    verdict = plausibility.check(quantity, value)
    if not verdict.accepted:
        raise _fail(field, n, verdict.text)


def parse_doses(text: str) -> pd.DataFrame:
    """Dose changes ``day, dose_mg`` → DataFrame ``day, dose_mg`` (sorted; first day is 0)."""
    rows = _rows(text, "doses", (2,))
    if not rows:
        raise TDMError(tr("tdm.in_field", field=tr("tdm.in_doses"), message=tr("tdm.in_empty_doses")))
    for n, (_day, dose) in rows:
        _checked("doses", n, "dose_mg_day", dose)
        if dose == 0:
            raise _fail("doses", n, tr("tdm.in_dose_zero", value=f"{dose:g}"))
    days = [d for _, (d, _) in rows]
    repeated = next((d for d in days if days.count(d) > 1), None)
    if repeated is not None:
        raise TDMError(tr("tdm.in_field", field=tr("tdm.in_doses"),
                          message=tr("tdm.in_same_day", value=f"{repeated:g}")))
    out = pd.DataFrame([v for _, v in rows], columns=["day", "dose_mg"]).sort_values("day")
    if out.day.iloc[0] != 0:
        raise TDMError(tr("tdm.in_field", field=tr("tdm.in_doses"),
                          message=tr("tdm.in_first_day", value=f"{out.day.iloc[0]:g}")))
    return out.reset_index(drop=True)


def parse_levels(text: str) -> pd.DataFrame:
    """Levels ``day, conc[, hours_after_dose]`` → DataFrame ``time_h, conc_ng_ml`` (h after dose 0).

    A level above an assay's range is accepted here; the scenario warns about it.
    """
    rows = _rows(text, "levels", (2, 3))
    if not rows:
        raise TDMError(tr("tdm.in_field", field=tr("tdm.in_levels"), message=tr("tdm.in_empty_levels")))
    out = []
    for n, values in rows:
        day, conc = values[0], values[1]
        _checked("levels", n, "trough_ng_ml", conc)
        after = values[2] if len(values) == 3 else None
        if after is not None and not 0 < after < DAY_H:
            raise _fail("levels", n, tr("tdm.in_hours", value=f"{after:g}"))
        if after is None and day < 1:
            raise _fail("levels", n, tr("tdm.in_trough_day", max=MAX_DAY, value=f"{day:g}"))
        out.append({"time_h": day * DAY_H + (after or 0.0), "conc_ng_ml": conc})
    frame = pd.DataFrame(out, columns=["time_h", "conc_ng_ml"])
    return frame.sort_values("time_h", kind="stable").reset_index(drop=True)
