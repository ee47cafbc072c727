"""Hostile inputs over the library API: each gives a clear error or a finite result, quickly.

The corpus is generated: every numeric argument of the public dosing, PK and TDM functions meets
the same hostile values (NaN, ±inf, negative, zero where > 0 is required, 1e308, an int with 400
digits, bool, text, None), plus the cases a hostile-input campaign found (a huge interval, a tiny
volume, 10^8 subjects, 10^7 doses, a dose at 10^7 h, an interval of 1e-9 h) and numpy scalars,
which must be accepted. Each call runs under the hang guard of ``conftest.py`` (an alarm after
60 s; the calls take milliseconds to about a second): a guard against unbounded work (minutes,
before the policy), never a wall-time assertion that a loaded machine could fail (speed is
measured in ``benchmarks/``).
"""

import math
from dataclasses import astuple, is_dataclass

import numpy as np
import pandas as pd
import pytest

from mtorlib import evidence, pk, regimen, tdm
from mtorlib.pk import PKInputError
from mtorlib.regimen import RegimenError
from mtorlib.tdm import TDMError

ONE = {"ka_per_h": 1.0, "cl_l_h": 10.0, "vc_l": 100.0}
EV = regimen.repeated(dose_mg=2, every_h=24, n_doses=3)
RNG = np.random.default_rng(0)

# Hostile values for an argument that must be a finite number > 0 within bounds.
HOSTILE = {
    "nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "negative": -1.0, "zero": 0,
    "1e308": 1e308, "400-digit int": 10**400, "bool": True, "text": "2", "None": None,
    "numpy nan": np.float64("nan"),
}

# (function, valid keyword arguments, error class): each numeric argument is replaced in turn.
TARGETS = {
    "regimen.repeated": (regimen.repeated, dict(dose_mg=2, every_h=24, n_doses=3), RegimenError),
    "regimen.bsa_m2": (regimen.bsa_m2, dict(height_cm=170, weight_kg=70), RegimenError),
    "regimen.dose_from_bsa": (regimen.dose_from_bsa, dict(mg_per_m2=1.5, bsa_m2=1.2), RegimenError),
    "regimen.add_dose": (lambda **kw: regimen.add_dose(EV, **kw), dict(time_h=12, amt_mg=1), RegimenError),
    "pk.steady_state": (lambda **kw: pk.steady_state("sirolimus_label", **kw), dict(dose_mg=2, every_h=24),
                        PKInputError),
    "tdm.proportional_dose": (tdm.proportional_dose,
                              dict(current_dose_mg=2, measured_ng_ml=4, target_ng_ml=8), TDMError),
    "tdm.loading_dose": (tdm.loading_dose, dict(new_dose_mg=4, current_dose_mg=2), TDMError),
    "tdm.fraction_of_steady_state": (lambda **kw: tdm.fraction_of_steady_state(3, **kw),
                                     dict(half_life_h=62), TDMError),
    "tdm.round_to_strength": (tdm.round_to_strength, dict(dose_mg=2.7), TDMError),
}


ZERO_ALLOWED = {("regimen.add_dose", "time_h")}  # a dose at time 0 is fine


def _generated():
    for target, (func, valid, error) in TARGETS.items():
        for arg in valid:
            for label, value in HOSTILE.items():
                if label == "zero" and (target, arg) in ZERO_ALLOWED:
                    continue
                yield pytest.param(func, {**valid, arg: value}, (error, arg), id=f"{target}-{arg}-{label}")


def _named():
    """Cases found by the campaign and the edges of the policy, each with its own outcome."""
    SL, CH = "sirolimus_label", "sirolimus_cheng2020"
    RE, PE, TE = RegimenError, PKInputError, TDMError
    big_ev = pd.DataFrame({"time_h": [1e7], "amt_mg": [2.0]})
    many = {k: np.full(2, v) for k, v in ONE.items()}
    cases = [
        ("repeated: interval 1e300 h", regimen.repeated, dict(dose_mg=2, every_h=1e300, n_doses=3),
         (RE, "every_h")),
        ("repeated: interval 1e-9 h", regimen.repeated, dict(dose_mg=2, every_h=1e-9, n_doses=3),
         (RE, "every_h must be a finite number >= 1")),
        ("repeated: 10^7 doses", regimen.repeated, dict(dose_mg=2, every_h=24, n_doses=10**7),
         (RE, "n_doses")),
        ("repeated: beyond two years", regimen.repeated, dict(dose_mg=2, every_h=24, n_doses=1000),
         (RE, "<= 17520 h")),
        ("repeated: dose above the label maximum", regimen.repeated, dict(dose_mg=41, every_h=24, n_doses=1),
         (RE, "dose_mg must be a finite number > 0 and <= 40")),
        ("repeated: numpy scalars", regimen.repeated,
         dict(dose_mg=np.float32(2), every_h=np.int64(24), n_doses=np.int32(3)), None),
        ("bsa: huge height", regimen.bsa_m2, dict(height_cm=1e300, weight_kg=1e300), (RE, "height_cm")),
        ("bsa: numpy scalars", regimen.bsa_m2, dict(height_cm=np.float64(180), weight_kg=np.int16(80)), None),
        ("dose_from_bsa: huge", regimen.dose_from_bsa, dict(mg_per_m2=1e200, bsa_m2=1e200),
         (RE, "mg_per_m2")),
        ("miss_doses: index as text", lambda: regimen.miss_doses(EV, indices=["1"]), {}, (RE, "indices")),
        ("miss_doses: a trillion indices", lambda: regimen.miss_doses(EV, indices=range(10**12)), {},
         (RE, "at most 3 dose positions")),
        ("check_events: dose at 1e7 h", lambda: regimen.check_events(big_ev), {}, (RE, "events.time_h")),
        ("check_events: 10^5 rows", lambda: regimen.check_events(
            pd.DataFrame({"time_h": np.arange(100_000.0), "amt_mg": 1.0})), {}, (RE, "at most 17520")),
        ("check_events: text amounts", lambda: regimen.check_events(
            pd.DataFrame({"time_h": [0.0], "amt_mg": ["x"]})), {}, (RE, "events.amt_mg")),
        ("predict: tiny volume", lambda: pk.predict(dict(ONE, vc_l=1e-300), EV, [1.0]), {},
         (PE, "params['vc_l'] must be finite and within")),
        ("predict: huge clearance", lambda: pk.predict(dict(ONE, cl_l_h=1e300), EV, [1.0]), {},
         (PE, "cl_l_h")),
        ("predict: text parameter", lambda: pk.predict(dict(ONE, ka_per_h="fast"), EV, [1.0]), {},
         (PE, "ka_per_h")),
        ("predict: time 1e7 h", lambda: pk.predict(ONE, EV, [1e7]), {}, (PE, "times_h")),
        ("predict: 3e7 output values", lambda: pk.predict(many, EV, np.zeros(15_000_000)), {},
         (PE, "subjects × output times")),
        ("predict: 10^7 parameter sets", lambda: pk.predict({k: np.full(10**7, v) for k, v in ONE.items()},
                                                         EV, [1.0]), {}, (PE, "at most 1000000")),
        ("predict: corner of the bounds, hourly 40 mg for two years", lambda: pk.predict(
            {"ka_per_h": 1e4, "cl_l_h": 1e-4, "vc_l": 1e-2},
            regimen.repeated(dose_mg=40, every_h=1, n_doses=17_520), [0.0, 17_519.5]), {}, None),
        ("predict: numpy scalar parameters", lambda: pk.predict(
            {k: np.float32(v) for k, v in ONE.items()}, EV, np.array([1.0, 30.0])), {}, None),
        ("simulate: dose at 1e7 h on the hourly grid", lambda: pk.simulate(SL, big_ev), {},
         (RE, "events.time_h")),
        ("simulate: 10^8 subjects", lambda: pk.simulate(SL, EV, n_subjects=10**8, rng=RNG), {},
         (PE, "n_subjects")),
        ("simulate: too many rows", lambda: pk.simulate(SL, EV, n_subjects=100_000, rng=RNG), {},
         (PE, "rows")),
        ("simulate: numpy n_subjects", lambda: pk.simulate(SL, EV, n_subjects=np.int64(3),
                                                           rng=np.random.default_rng(1)), {}, None),
        ("simulate: bool n_subjects", lambda: pk.simulate(SL, EV, n_subjects=True, rng=RNG), {},
         (PE, "n_subjects")),
        ("steady_state: interval 1e-9 h", lambda: pk.steady_state(SL, dose_mg=2, every_h=1e-9), {},
         (PE, "every_h")),
        ("steady_state: huge interval", lambda: pk.steady_state(SL, dose_mg=2, every_h=1e300), {},
         (PE, "every_h")),
        ("steady_state: numpy scalars", lambda: pk.steady_state(SL, dose_mg=np.float64(2),
                                                                every_h=np.int64(12)), {}, None),
        ("steady_state: longest interval", lambda: pk.steady_state(SL, dose_mg=40, every_h=672), {},
         None),
        ("steady_state: shortest interval, largest dose", lambda: pk.steady_state(
            SL, dose_mg=40, every_h=1), {}, None),
        ("steady_state: extreme covariates", lambda: pk.steady_state(
            CH, dose_mg=40, every_h=1, covariates={"weight_kg": 3}), {}, None),
        ("time_to_steady_state: fraction 1", lambda: pk.time_to_steady_state_h(SL, fraction=1), {},
         (PE, "fraction")),
        ("covariate: NaN weight", lambda: pk.typical_parameters(CH, {"weight_kg": np.nan}), {},
         (PE, "weight_kg")),
        ("covariate: numpy weight", lambda: pk.typical_parameters(CH,
                                                                  {"weight_kg": np.float32(20)}), {}, None),
        ("weight_bands: NaN edge", lambda: pk.weight_bands([10, float("nan"), 40]), {},
         (PE, "edges_kg[1]")),
        ("weight_bands: decreasing", lambda: pk.weight_bands([40, 10]), {}, (PE, "increasing")),
        ("weight_bands: 10^6 edges", lambda: pk.weight_bands(list(range(1, 10**6))), {},
         (PE, "edges_kg must be a list of 2 to 101")),
        ("weight_bands: a number", lambda: pk.weight_bands(10), {}, (PE, "edges_kg")),
        ("target_attainment: 10^8 subjects", lambda: pk.target_attainment(
            CH, doses_mg=[1], every_h=24, n_subjects=10**8, rng=RNG), {},
         (PE, "n_subjects")),
        ("target_attainment: interval 1e-9 h", lambda: pk.target_attainment(
            CH, doses_mg=[1], every_h=1e-9, n_subjects=10, rng=RNG), {},
         (PE, "every_h")),
        ("target_attainment: NaN dose", lambda: pk.target_attainment(
            CH, doses_mg=[1, np.nan], every_h=24, n_subjects=10, rng=RNG), {},
         (PE, "doses_mg[1]")),
        ("target_attainment: 10^4 dose levels", lambda: pk.target_attainment(
            CH, doses_mg=np.ones(10_000), every_h=24, n_subjects=10, rng=RNG), {},
         (PE, "doses_mg must be 1 to 100")),
        ("target_attainment: infinite window", lambda: pk.target_attainment(
            CH, doses_mg=[1], every_h=24, target_ng_ml=(5, float("inf")), n_subjects=10,
            rng=RNG), {}, (PE, "target_ng_ml")),
        ("target_attainment: numpy arguments", lambda: pk.target_attainment(
            CH, doses_mg=np.array([1.0, 2.0]), every_h=np.float64(24),
            n_subjects=np.int64(200), rng=np.random.default_rng(2)), {}, None),
        ("proportional_dose: level 1e-300", tdm.proportional_dose,
         dict(current_dose_mg=40, measured_ng_ml=1e-300, target_ng_ml=1e4), (TE, "measured_ng_ml")),
        ("proportional_dose: extreme but allowed", tdm.proportional_dose,
         dict(current_dose_mg=40, measured_ng_ml=0.01, target_ng_ml=10_000), None),
        ("proportional_dose: numpy scalars", tdm.proportional_dose,
         dict(current_dose_mg=np.float64(2), measured_ng_ml=np.int64(4), target_ng_ml=np.float32(8)), None),
        ("recommend_dose: interval 1e-9 h", lambda: tdm.recommend_dose(
            pk.load_model(CH), every_h=1e-9, covariates={"weight_kg": 20}), {},
         (TE, "every_h")),
        ("recommend_dose: window up to 1e308", lambda: tdm.recommend_dose(
            pk.load_model(CH), target_ng_ml=(5, 1e308), covariates={"weight_kg": 20}), {},
         (TE, "target_ng_ml[1]")),
        ("map_estimate: level 1e308", lambda: tdm.map_estimate(
            pk.load_model(CH), EV, pd.DataFrame({"time_h": [47.0], "conc_ng_ml": [1e308]})), {},
         (TE, "observations.conc_ng_ml")),
        ("map_estimate: 10^4 levels", lambda: tdm.map_estimate(
            pk.load_model(CH), EV,
            pd.DataFrame({"time_h": np.linspace(1, 70, 10_000), "conc_ng_ml": 5.0})), {},
         (TE, "at most 1000 levels")),
        ("assay: level 1e308", lambda: tdm.assay.to_chromatographic(
            1e308, comparison="cmia_vs_lcmsms_sites"), {}, (TE, "conc_ng_ml")),
        ("trough_timing: 1e9 days", lambda: tdm.trough_timing(days=1e9), {}, (TE, "days")),
        ("cite: numpy integer", lambda: evidence.cite(np.int64(7)), {}, "text"),
        ("cite: 10^400", lambda: evidence.cite(10**400), {}, (LookupError, "1-57")),
    ]
    for label, func, kwargs, expected in cases:
        yield pytest.param(func, kwargs, expected, id=label)


@pytest.fixture(scope="module", autouse=True)
def _content_loaded():
    """Load the models, assay table and references once, outside the timed calls."""
    for model_id in ("sirolimus_label", "sirolimus_cheng2020"):
        pk.typical_parameters(model_id)
    tdm.assay.comparisons()
    evidence.cite(1)


def _finite(result) -> bool:
    if isinstance(result, pd.DataFrame):
        numbers = result.select_dtypes("number").to_numpy(float)
        return numbers.size > 0 and bool(np.isfinite(numbers).all())
    if is_dataclass(result):
        return all(math.isfinite(v) for v in astuple(result) if isinstance(v, float))
    if isinstance(result, dict):
        return all(_finite(v) for v in result.values())
    return bool(np.isfinite(np.asarray(result, float)).all())


@pytest.mark.slow
@pytest.mark.parametrize(("func", "kwargs", "expected"), [*_generated(), *_named()])
def test_hostile_input_gives_a_clear_outcome_in_time(func, kwargs, expected, deadline):
    with deadline():  # a hang guard (60 s), not a speed test
        try:
            result, error = func(**kwargs), None
        except Exception as exc:  # the outcome is compared below
            result, error = None, exc
    if expected is None:  # a finite result
        assert error is None, f"{type(error).__name__}: {error}"
        assert _finite(result), result
    elif expected == "text":
        assert error is None and isinstance(result, str) and result
    else:
        cls, fragment = expected
        assert isinstance(error, cls), f"expected {cls.__name__}, got {type(error).__name__}: {error}"
        assert isinstance(error, ValueError), "every refusal is a ValueError subclass"
        assert fragment in str(error), str(error)
        assert "(" in str(error) and ")" in str(error)  # names the function


def test_the_corpus_is_large_enough():
    assert len(list(_generated())) + len(list(_named())) >= 60
