"""An interacting drug started or stopped mid-course: the phased engine against independent answers
(an ODE with time-varying clearance solved by LSODA, superposition, the constant-modifier engine,
the exact steady state) and its input errors."""

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import solve_ivp

from mtorlib import pk, regimen
from mtorlib.content.compute import run as run_compute
from mtorlib.pk.closed_form import rate_matrix

ONE = {"ka_per_h": 1.2, "cl_l_h": 12.0, "vc_l": 900.0}  # t½ 52 h
TWO = {"ka_per_h": 0.9, "cl_l_h": 14.0, "vc_l": 250.0, "q_l_h": 30.0, "vp_l": 700.0, "f_rel": 0.8}


def ode_phased(params, events, times, starts, cl_factor, f_factor):
    """Central concentration from dA/dt = K(t) A by LSODA, K(t) piecewise constant, doses as jumps."""
    t_ev, a_ev = events.time_h.to_numpy(float), events.amt_mg.to_numpy(float)
    edges = np.unique(np.concatenate([t_ev, starts, [max(times) + 1.0]]))
    phase = lambda t: np.searchsorted(starts, t, side="right") - 1  # noqa: E731
    f_rel = params.get("f_rel", 1.0)
    m = rate_matrix({k: np.atleast_1d(float(v)) for k, v in params.items()}).shape[1]
    a = np.zeros(m)
    out = np.zeros(len(times))
    for t0, t1 in zip(edges[:-1], edges[1:], strict=True):
        a[0] += f_rel * f_factor[phase(t0)] * a_ev[t_ev == t0].sum()
        p = {k: np.atleast_1d(float(v)) for k, v in params.items()}
        p["cl_l_h"] = p["cl_l_h"] * cl_factor[phase(0.5 * (t0 + t1))]
        K = rate_matrix(p)[0]
        inside = (times >= t0) & (times < t1)
        sol = solve_ivp(lambda _t, y, K=K: K @ y, (t0, t1), a, method="LSODA", rtol=1e-11,
                        atol=1e-14, dense_output=True)
        out[inside] = sol.sol(times[inside])[1] * 1000.0 / params["vc_l"]
        a = sol.y[:, -1]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("params", [ONE, TWO], ids=["1cmt", "2cmt"])
def test_agrees_with_an_ode_with_time_varying_clearance(params):
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=40)
    times = np.linspace(0, 1100, 2201)
    starts, cl, f = [0.0, 250.5, 610.25, 800.0], [1.0, 0.11, 1.0, 2.5], [1.0, 1.0, 1.35, 1.0]
    ours = pk.predict_phased(params, ev, times, starts_h=starts, cl_factor=cl, f_factor=f)[0]
    ref = ode_phased(params, ev, times, starts, cl, f)
    deviation = np.max(np.abs(ours - ref)) / ref.max()
    assert deviation < 1e-7, deviation
    perm = np.random.default_rng(0).permutation(len(times))  # any output order
    shuffled = pk.predict_phased(params, ev, times[perm], starts_h=starts, cl_factor=cl, f_factor=f)[0]
    np.testing.assert_array_equal(shuffled, ours[perm])


def test_one_phase_equals_the_constant_engine_for_many_subjects():
    rng = np.random.default_rng(7)
    n = 50
    p = {k: v * np.exp(0.3 * rng.standard_normal(n)) for k, v in TWO.items()}
    ev = regimen.repeated(dose_mg=3, every_h=12, n_doses=20, loading_mg=6)
    times = rng.uniform(0, 400, 300)
    a = pk.predict_phased(p, ev, times, starts_h=[0], cl_factor=[1], f_factor=[1])
    np.testing.assert_allclose(a, pk.predict(p, ev, times), rtol=1e-10, atol=1e-12)
    empty = pk.predict_phased(p, ev, [], starts_h=[0, 100], cl_factor=[1, 2], f_factor=[1, 1])
    assert empty.shape == (n, 0)


@pytest.mark.parametrize(("model_id", "name"), [
    ("sirolimus_label", "posaconazole"), ("sirolimus_label", "diltiazem"),
    ("sirolimus_label", "high_fat_meal_tablet"), ("sirolimus_label", "child_pugh_b"),
    ("sirolimus_golubovic2019", "voriconazole"), ("everolimus_dewit2016", "ketoconazole"),
    ("everolimus_dewit2016", "rifampin")])
def test_a_window_over_the_whole_horizon_equals_the_constant_modifier(model_id, name):
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=30, loading_mg=6)
    windowed = pk.simulate_windows(model_id, ev, windows=[(name, 0)], n_subjects=20,
                                   rng=np.random.default_rng(3))
    constant = pk.simulate(model_id, ev, interactions=(name,), n_subjects=20, rng=np.random.default_rng(3))
    np.testing.assert_allclose(windowed.conc_ng_ml, constant.conc_ng_ml, rtol=1e-9, atol=1e-12)


def test_bioavailability_window_is_the_superposition_of_scaled_doses():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=30)
    times = np.arange(0, 900, 0.5)
    got = pk.predict_phased(ONE, ev, times, starts_h=[0, 240, 480], cl_factor=[1, 1, 1],
                            f_factor=[1, 1.35, 1])[0]
    scaled = ev.assign(amt_mg=np.where((ev.time_h >= 240) & (ev.time_h < 480), 2 * 1.35, 2.0))
    np.testing.assert_allclose(got, pk.predict(ONE, scaled, times)[0], rtol=1e-10, atol=1e-13)
    # linear in the doses: the profile is the sum of the profiles of two halves of the regimen
    first, second = ev[ev.time_h < 300], ev[ev.time_h >= 300]
    parts = [pk.predict_phased(ONE, part, times, starts_h=[0, 240, 480], cl_factor=[1, 0.2, 1],
                               f_factor=[1, 1.35, 1])[0] for part in (first, second)]
    whole = pk.predict_phased(ONE, ev, times, starts_h=[0, 240, 480], cl_factor=[1, 0.2, 1],
                              f_factor=[1, 1.35, 1])[0]
    np.testing.assert_allclose(whole, parts[0] + parts[1], rtol=1e-10, atol=1e-13)


def test_state_continuity_and_slope_jump_at_the_switch():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=20)
    ts, d = 100.3, 1e-4  # a switch between doses: clearance falls 9-fold
    c = pk.predict_phased(ONE, ev, [ts - d, ts, ts + d], starts_h=[0, ts], cl_factor=[1, 1 / 9],
                          f_factor=[1, 1])[0]
    assert c[0] == pytest.approx(c[1], rel=1e-4) and c[2] == pytest.approx(c[1], rel=1e-4)
    k0 = ONE["cl_l_h"] / ONE["vc_l"]
    jump = (c[2] - c[1]) / d - (c[1] - c[0]) / d  # dC/dt after - before = (k0 - k1) C
    assert jump == pytest.approx((k0 - k0 / 9) * c[1], rel=1e-2)


def test_return_to_the_old_steady_state_after_stop():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=200)
    base = pk.steady_state("sirolimus_label", dose_mg=2, every_h=24).trough_ng_ml
    on = pk.steady_state("sirolimus_label", dose_mg=2, every_h=24, interactions=("voriconazole",))
    troughs = 24.0 * np.array([29, 45, 199])
    c = pk.simulate_windows("sirolimus_label", ev, windows=[("voriconazole", 29 * 24, 60 * 24)],
                            times_h=troughs).conc_ng_ml.to_numpy()
    assert c[0] == pytest.approx(base, rel=1e-3)  # steady state before the start
    assert base < c[1] < on.trough_ng_ml  # rising toward the inhibited steady state
    assert c[2] == pytest.approx(base, rel=1e-4)  # back 139 days after the stop


def test_trough_after_switch_against_simulation_and_steady_state():
    kw = {"modifier": "posaconazole", "trough_ng_ml": 8.0}
    ev = regimen.change_dose(regimen.repeated(dose_mg=2, every_h=24, n_doses=90), at_h=60 * 24,
                             new_dose_mg=1)
    sim = pk.simulate_windows("sirolimus_label", ev, windows=[("posaconazole", 60 * 24)],
                              times_h=[60 * 24, 67 * 24]).conc_ng_ml.to_numpy()
    got = pk.trough_after_switch("sirolimus_label", days=7, dose_factor=0.5, **kw)
    assert got == pytest.approx(8.0 * sim[1] / sim[0], rel=1e-6)
    ss = [pk.steady_state("sirolimus_label", dose_mg=2, every_h=24, interactions=i).trough_ng_ml
          for i in ((), ("posaconazole",))]
    late = pk.trough_after_switch("sirolimus_label", days=365, **kw)
    assert late == pytest.approx(8.0 * ss[1] / ss[0], rel=1e-3)
    back = pk.trough_after_switch("sirolimus_label", days=365, change="stop", **kw)
    assert back == pytest.approx(8.0 * ss[0] / ss[1], rel=1e-3)
    spec = {"function": "mtorlib.pk:trough_after_switch",
            "args": {"model": "sirolimus_label", "days": 7, "dose_factor": 0.5, **kw}}
    assert run_compute(spec) == pytest.approx(got)


def test_phase_table_multiplies_overlapping_modifiers():
    t = pk.phase_table("sirolimus_label", [("posaconazole", 24, 96), ("diltiazem", 48)])
    assert t.start_h.tolist() == [0, 24, 48, 96]
    assert t.active.tolist() == ["", "posaconazole", "posaconazole + diltiazem", "diltiazem"]
    cl_p, _ = pk.modifier_effect("sirolimus", "posaconazole")
    cl_d, f_d = pk.modifier_effect("sirolimus", "diltiazem")
    assert t.cl_factor[2] == pytest.approx(cl_p * cl_d) and t.f_factor[3] == pytest.approx(f_d)
    assert f_d / cl_d == pytest.approx(1.60)  # AUC ratio = bioavailability / clearance factor


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"starts_h": [1, 5], "cl_factor": [1, 1], "f_factor": [1, 1]}, "begin at 0"),
    ({"starts_h": [0, 5, 5], "cl_factor": [1, 1, 1], "f_factor": [1, 1, 1]}, "increase strictly"),
    ({"starts_h": [0, 5], "cl_factor": [1], "f_factor": [1, 1]}, "one value per phase"),
    ({"starts_h": [0], "cl_factor": [-1], "f_factor": [1]}, r"cl_factor\[0\] must be"),
    ({"starts_h": [0], "cl_factor": [1], "f_factor": [True]}, r"f_factor\[0\] must be"),
    ({"starts_h": [0], "cl_factor": ["2"], "f_factor": [1]}, r"cl_factor\[0\] must be"),
    ({"starts_h": [0], "cl_factor": [1], "f_factor": [1], "initial_amounts": [1, -1]}, "initial_amounts"),
])
def test_bad_phases_raise(kwargs, match):
    with pytest.raises(pk.PKInputError, match=match):
        pk.predict_phased(ONE, regimen.repeated(dose_mg=1, every_h=24, n_doses=2), [1.0], **kwargs)


@pytest.mark.parametrize(("windows", "kwargs", "match"), [
    ([("posaconazole", 50, 20)], {}, "stop_h must be"),
    ([("posaconazole", -1)], {}, "start_h must be"),
    ([("posaconazole", 0, 100), ("posaconazole", 50)], {}, "overlap"),
    ([("cyclosporine_4h_apart", 0)], {}, "count it twice"),
    ([("posaconazole", 0)], {"interactions": ("posaconazole",)}, "same group"),
    ([("nystatin", 0)], {}, "not known"),
    ("posaconazole", {}, "list of"),
])
def test_bad_windows_raise(windows, kwargs, match):
    with pytest.raises(pk.PKInputError, match=match):
        pk.phase_table("sirolimus_label", windows, **kwargs)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"days": 7.5}, "whole number of dosing intervals"),
    ({"days": 0}, "days must be"),
    ({"change": "pause"}, "change must be one of"),
    ({"trough_ng_ml": "8"}, "trough_ng_ml must be"),
    ({"dose_factor": -0.5}, "dose_factor must be"),
    ({"modifier": "cyclosporine_simultaneous"}, "count it twice"),
])
def test_bad_switch_arguments_raise(kwargs, match):
    args = {"modifier": "voriconazole", "trough_ng_ml": 8.0, "days": 7, **kwargs}
    with pytest.raises(pk.PKInputError, match=match):
        pk.trough_after_switch("sirolimus_label", **args)


def test_windows_frame_is_tidy():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=3)
    sim = pk.simulate_windows("sirolimus_label", ev, windows=[pk.ModifierWindow("rifampin", 24)])
    assert list(sim.columns) == ["subject", "time_h", "conc_ng_ml"] and isinstance(sim, pd.DataFrame)
    assert (sim.conc_ng_ml >= 0).all() and sim.time_h.iloc[-1] == 48 + 72
