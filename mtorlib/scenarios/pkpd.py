"""The PK→PD scenario: a label regimen through ``pk.simulate`` feeding an ILLUSTRATIVE Emax curve.

Frozen :class:`PkpdSettings` in (defaults from the ``pkpd`` block of the mechanism data),
data-only :class:`PkpdResult` out: the whole-blood concentration of a typical patient and the
illustrative effect at each time. The Emax parameters are didactic, not sourced (no IC50/EC50 of
mTORC1 inhibition exists in the sources); every view shows the data's ``note`` with them.

>>> r = run_pkpd(PkpdSettings.from_data())
>>> list(r.frame.columns)
['time_h', 'time_d', 'conc_ng_ml', 'effect_percent']
>>> bool(r.frame.effect_percent.between(0, 100).all())
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import mechanism, pk, regimen

POINTS_PER_DAY = 24  # hourly output: enough to show peaks and troughs, small for the chart


@dataclass(frozen=True)
class PkpdSettings:
    """A regimen (mg, h, days) and the illustrative Emax parameters (ng/mL, %, Hill)."""

    model_id: str
    dose_mg: float
    every_h: float
    loading_mg: float
    days: float
    ec50_ng_ml: float
    emax_percent: float
    hill: float

    @classmethod
    def from_data(cls) -> PkpdSettings:
        """The settings stored in the mechanism data (a label regimen; didactic Emax)."""
        p = mechanism.didactic_parameters()
        return cls(model_id=p["model_id"], dose_mg=float(p["dose_mg"]), every_h=float(p["every_h"]),
                   loading_mg=float(p["loading_mg"]), days=float(p["days"]),
                   ec50_ng_ml=float(p["ec50_ng_ml"]), emax_percent=float(p["emax_percent"]),
                   hill=float(p["hill"]))


@dataclass(frozen=True, eq=False)
class PkpdResult:
    """Concentration (whole blood, ng/mL) and illustrative effect (%) of a typical patient."""

    settings: PkpdSettings
    frame: pd.DataFrame  # time_h, time_d, conc_ng_ml, effect_percent
    last_trough_ng_ml: float  # concentration just before the last dose interval ends
    last_trough_effect_percent: float


def run_pkpd(settings: PkpdSettings) -> PkpdResult:
    """Simulate the regimen and apply the illustrative Emax curve at every hour."""
    n_doses = max(1, math.floor(settings.days * 24 / settings.every_h))
    events = regimen.repeated(dose_mg=settings.dose_mg, every_h=settings.every_h, n_doses=n_doses,
                              loading_mg=settings.loading_mg or None)
    end_h = n_doses * settings.every_h
    times = np.linspace(0.0, end_h, int(round(end_h / 24 * POINTS_PER_DAY)) + 1)
    sim = pk.simulate(settings.model_id, events, times_h=times)
    conc = sim["conc_ng_ml"].to_numpy(dtype=float)
    effect = mechanism.emax_effect(conc, ec50_ng_ml=settings.ec50_ng_ml,
                                   emax_percent=settings.emax_percent, hill=settings.hill)
    frame = pd.DataFrame({"time_h": times, "time_d": times / 24.0, "conc_ng_ml": conc,
                          "effect_percent": effect})
    return PkpdResult(settings=settings, frame=frame, last_trough_ng_ml=float(conc[-1]),
                      last_trough_effect_percent=float(effect[-1]))
