"""The closed-form engine: closed forms, an independent ODE oracle, and properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorlib import regimen
from mtorlib.pk import PKInputError, predict
from mtorlib.pk.reference import ode_predict

ONE = {"ka_per_h": 1.2, "cl_l_h": 10.0, "vc_l": 150.0}
TWO = {"ka_per_h": 2.19, "cl_l_h": 7.47, "vc_l": 118.0, "q_l_h": 5.07, "vp_l": 609.0}


def one_dose(dose=1.0, at=0.0):
    return regimen.repeated(dose_mg=dose, every_h=24, n_doses=1, start_h=at)


def test_single_dose_one_compartment_closed_form():
    t = np.array([0.0, 0.5, 3.0, 24.0, 200.0])
    ka, k, v = 1.2, 10 / 150, 150.0
    expected = 1000 * 2 * ka / (v * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    np.testing.assert_allclose(predict(ONE, one_dose(2), t)[0], expected, rtol=1e-12, atol=1e-14)


def test_equal_rate_constants_use_the_limit_form():
    p = {"ka_per_h": 0.1, "cl_l_h": 15.0, "vc_l": 150.0}  # ka == k exactly
    t = np.array([1.0, 10.0, 50.0])
    expected = 1000 * 0.1 * t * np.exp(-0.1 * t) / 150
    np.testing.assert_allclose(predict(p, one_dose(), t)[0], expected, rtol=1e-10)
    near = dict(p, ka_per_h=0.1 * (1 + 1e-9))  # nearly equal: no cancellation blow-up
    np.testing.assert_allclose(predict(near, one_dose(), t)[0], expected, rtol=1e-7)


def _trapezoid_auc(p, dose, horizon):
    t = np.linspace(0, horizon, 400_001)
    c = predict(p, one_dose(dose), t)[0]
    return float(np.sum((c[1:] + c[:-1]) / 2 * np.diff(t)))


@pytest.mark.parametrize("p", [ONE, TWO])
def test_auc_equals_dose_over_clearance(p):
    # AUC0-inf = 1000 * Dose / CL (ng*h/mL for mg and L/h); the tail beyond the horizon is negligible
    auc = _trapezoid_auc(p, 3.0, 4000.0)
    assert auc == pytest.approx(1000 * 3.0 / p["cl_l_h"], rel=1e-5)


def test_f_rel_scales_exposure():
    base = predict(ONE, one_dose(), [5.0])
    assert predict(dict(ONE, f_rel=1.35), one_dose(), [5.0]) == pytest.approx(1.35 * base)


def test_accumulation_of_troughs_one_compartment():
    # trough after n doses / trough after 1 dose = (1 - r^n)/(1 - r), r = e^(-k tau); limit 1/(1 - r)
    p = {"ka_per_h": 50.0, "cl_l_h": 12.74, "vc_l": 1139.6}
    k, tau = 12.74 / 1139.6, 24.0
    ev = regimen.repeated(dose_mg=2, every_h=tau, n_doses=60)
    c = predict(p, ev, tau * np.arange(1, 61) - 1e-9)[0]
    r = math.exp(-k * tau)
    assert c[4] / c[0] == pytest.approx((1 - r**5) / (1 - r), rel=1e-6)
    assert c[-1] / c[0] == pytest.approx(1 / (1 - r), rel=1e-3)


def _ode(p, events, times):
    """Independent reference: scipy LSODA on the same ODEs, restarted at each dose."""
    return ode_predict(p, events, times, rtol=1e-11, atol=1e-14)[0]


@pytest.mark.parametrize("p", [ONE, TWO])
def test_agrees_with_an_ode_solution(p):
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=12, loading_mg=6)
    ev = regimen.change_dose(ev, at_h=120, new_dose_mg=3)
    ev = regimen.miss_doses(ev, indices=[7])
    ev = regimen.delay_dose(ev, index=8, by_h=5.5)
    t = np.arange(0.25, 14 * 24, 0.75)
    ref = _ode(p, ev, t)
    np.testing.assert_allclose(predict(p, ev, t)[0], ref, rtol=1e-6)


def test_vectorised_subjects_match_one_by_one_and_any_time_order():
    rng = np.random.default_rng(3)
    params = {k: v * np.exp(rng.normal(0, 0.3, 100)) for k, v in TWO.items()}  # > SMALL_N, > CHUNK
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=5)
    t = rng.uniform(0, 150, 40)
    together = predict(params, ev, t)
    for i in (0, 1, 70, 99):
        alone = predict({k: v[i] for k, v in params.items()}, ev, np.sort(t))[0]
        np.testing.assert_allclose(together[i][np.argsort(t)], alone, rtol=1e-12)


def test_before_first_dose_is_zero_and_simultaneous_doses_add():
    ev = one_dose(2, at=10)
    assert predict(ONE, ev, [0.0, 5.0, 10.0]).tolist() == [[0.0, 0.0, 0.0]]
    double = regimen.add_dose(one_dose(1), time_h=0, amt_mg=1)
    np.testing.assert_allclose(predict(ONE, double, [4.0]), predict(ONE, one_dose(2), [4.0]))


doses = st.floats(0.1, 13)  # 3 × dose stays within the 40 mg label maximum
rates = st.floats(0.01, 5)


@settings(max_examples=30, deadline=None)
@given(d1=doses, d2=doses, ka=rates, cl=st.floats(1, 30), vc=st.floats(20, 2000),
       gap=st.floats(1, 72))
@pytest.mark.slow
def test_linearity_and_superposition(d1, d2, ka, cl, vc, gap):
    p = dict(TWO, ka_per_h=ka, cl_l_h=cl, vc_l=vc)
    t = np.linspace(0, 200, 101)
    a, b = predict(p, one_dose(d1), t), predict(p, one_dose(d2, at=gap), t)
    both = predict(p, regimen.add_dose(one_dose(d1), time_h=gap, amt_mg=d2), t)
    np.testing.assert_allclose(both, a + b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(predict(p, one_dose(3 * d1), t), 3 * a, rtol=1e-9, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(ka=rates, cl=st.floats(1, 30), vc=st.floats(20, 2000), q=st.floats(0.5, 60),
       vp=st.floats(20, 2000), n=st.integers(1, 10))
def test_non_negative_and_monotone_decline_after_the_peak_of_the_last_dose(ka, cl, vc, q, vp, n):
    p = {"ka_per_h": ka, "cl_l_h": cl, "vc_l": vc, "q_l_h": q, "vp_l": vp}
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=n)
    last = 24.0 * (n - 1)
    t = last + np.linspace(0, 400, 801)
    c = predict(p, ev, t)[0]
    assert (c >= 0).all()
    peak = int(np.argmax(c))
    assert (np.diff(c[peak:]) <= 1e-12 * c[peak]).all()


@pytest.mark.parametrize("params, match", [
    ({"ka_per_h": 1, "cl_l_h": 1}, "missing"),
    (dict(ONE, clearance=1), "unknown"),
    (dict(ONE, cl_l_h=-1), r"params\['cl_l_h'\] must be finite and within \[0.0001, 100000\]; got -1"),
    (dict(ONE, vc_l=np.nan), "vc_l"),
    ({"ka_per_h": [1, 2], "cl_l_h": [1, 2, 3], "vc_l": 10}, "has 2 values"),
    (dict(TWO, vp_l=np.inf), "vp_l"),
])
def test_bad_parameters_raise(params, match):
    with pytest.raises(PKInputError, match=match):
        predict(params, one_dose(), [1.0])


def test_bad_times_raise():
    with pytest.raises(PKInputError, match="times_h must be finite and >= 0 and <= 17520; got -1"):
        predict(ONE, one_dose(), [1.0, -1.0])


def test_two_compartment_with_ka_equal_to_alpha_matches_the_ode():
    from mtorlib.pk.closed_form import as_arrays, eigenvalues

    p = dict(TWO)
    p["ka_per_h"] = float(eigenvalues(as_arrays(p)[0])[0, 1])  # ka == alpha: Sylvester is singular
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=4)
    t = np.arange(0.5, 120, 1.5)
    np.testing.assert_allclose(predict(p, ev, t)[0], _ode(p, ev, t), rtol=1e-6)


def test_times_before_the_first_dose_do_not_zero_later_points():
    # regression: a pre-dose time followed by times exactly on dose times was merged into the
    # pre-dose run and returned zeros
    p = {"ka_per_h": 1.0, "cl_l_h": 10.0, "vc_l": 200.0}
    ev = regimen.repeated(dose_mg=2, every_h=10, n_doses=2, start_h=10)
    mixed = predict(p, ev, np.array([5.0, 10.0, 20.0]))[0]
    alone = [predict(p, ev, np.array([t]))[0, 0] for t in (5.0, 10.0, 20.0)]
    assert mixed == pytest.approx(alone, rel=1e-12)
    assert mixed[0] == 0 and mixed[2] > 0
    troughs = predict(p, regimen.repeated(dose_mg=2, every_h=24, n_doses=3, start_h=8),
                         np.array([0.0, 8.0, 32.0, 56.0]))[0]
    assert troughs[0] == 0 and troughs[1] == 0 and troughs[2] > 0 and troughs[3] > troughs[2]
