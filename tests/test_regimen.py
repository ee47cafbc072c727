"""Event tables: construction, edits, BSA, and one test per error rule."""

import math

import numpy as np
import pandas as pd
import pytest

from mtorlib import regimen
from mtorlib.regimen import RegimenError


def test_repeated_with_loading_dose_replaces_the_first_dose():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=4, loading_mg=6, start_h=8)
    assert ev.columns.tolist() == ["time_h", "amt_mg"]
    assert ev.time_h.tolist() == [8, 32, 56, 80]
    assert ev.amt_mg.tolist() == [6, 2, 2, 2]


def test_change_dose_applies_at_and_after_the_time():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=5)
    out = regimen.change_dose(ev, at_h=48, new_dose_mg=3)
    assert out.amt_mg.tolist() == [2, 2, 3, 3, 3]
    assert ev.amt_mg.tolist() == [2] * 5  # input unchanged


def test_miss_and_delay_doses():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=4)
    assert regimen.miss_doses(ev, indices=[0, 2]).time_h.tolist() == [24, 72]
    late = regimen.delay_dose(ev, index=1, by_h=30)  # later than the next dose: order kept by time
    assert late.time_h.tolist() == [0, 48, 54, 72]
    assert regimen.add_dose(ev, time_h=12, amt_mg=1).amt_mg.tolist() == [2, 1, 2, 2, 2]


def test_bsa_mosteller_and_mg_per_m2():
    assert regimen.bsa_m2(height_cm=160, weight_kg=60) == pytest.approx(math.sqrt(160 * 60 / 3600))
    bsa = regimen.bsa_m2(height_cm=130, weight_kg=28.5)
    assert regimen.dose_from_bsa(mg_per_m2=1.5, bsa_m2=bsa) == pytest.approx(1.5 * bsa)


@pytest.mark.parametrize("kwargs, field", [
    (dict(dose_mg=-2, every_h=24, n_doses=3), "dose_mg"),
    (dict(dose_mg=0, every_h=24, n_doses=3), "dose_mg"),
    (dict(dose_mg=2, every_h=float("nan"), n_doses=3), "every_h"),
    (dict(dose_mg=2, every_h=24, n_doses=0), "n_doses"),
    (dict(dose_mg=2, every_h=24, n_doses=2.5), "n_doses"),
    (dict(dose_mg=2, every_h=24, n_doses=3, loading_mg=float("inf")), "loading_mg"),
    (dict(dose_mg=2, every_h=24, n_doses=3, start_h=-1), "start_h"),
    (dict(dose_mg="2", every_h=24, n_doses=3), "dose_mg"),
])
def test_repeated_rejects_bad_values_naming_the_field(kwargs, field):
    with pytest.raises(RegimenError, match=field):
        regimen.repeated(**kwargs)


def test_edit_errors_name_field_and_allowed_values():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=3)
    allowed = r"indices \(dose positions\) must be a whole number >= 0 and <= 2; got 3"
    with pytest.raises(RegimenError, match=allowed):
        regimen.miss_doses(ev, indices=[3])
    with pytest.raises(RegimenError, match="at least one must remain"):
        regimen.miss_doses(ev, indices=[0, 1, 2])
    with pytest.raises(RegimenError, match="by_h"):
        regimen.delay_dose(ev, index=0, by_h=-1)
    with pytest.raises(RegimenError, match=r"index \(dose positions\) must be a whole number >= 0"):
        regimen.delay_dose(ev, index=-1, by_h=1)
    with pytest.raises(RegimenError, match="amt_mg must be a finite number > 0"):
        regimen.add_dose(ev, time_h=5, amt_mg=0)
    with pytest.raises(RegimenError, match="at_h"):
        regimen.change_dose(ev, at_h=-3, new_dose_mg=1)
    with pytest.raises(RegimenError, match="new_dose_mg"):
        regimen.change_dose(ev, at_h=0, new_dose_mg=-1)
    with pytest.raises(RegimenError, match="height_cm"):
        regimen.bsa_m2(height_cm=0, weight_kg=20)
    with pytest.raises(RegimenError, match="mg_per_m2"):
        regimen.dose_from_bsa(mg_per_m2=np.nan, bsa_m2=1)


def test_check_events_rejects_bad_tables():
    with pytest.raises(RegimenError, match="lacks column"):
        regimen.check_events(pd.DataFrame({"time_h": [0.0]}))
    with pytest.raises(RegimenError, match="empty"):
        regimen.check_events(pd.DataFrame({"time_h": [], "amt_mg": []}))
    with pytest.raises(RegimenError, match=r"events.amt_mg must be finite, >= 0 and <= 40; got -1"):
        regimen.check_events(pd.DataFrame({"time_h": [0.0], "amt_mg": [-1.0]}))
    with pytest.raises(RegimenError, match="DataFrame"):
        regimen.check_events([[0, 1]])
