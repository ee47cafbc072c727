"""Target attainment, vectorised steady-state troughs, and the remaining sourced models."""

import numpy as np
import pytest

from mtorlib import pk
from mtorlib.pk import PKInputError


def test_steady_state_troughs_match_the_typical_record():
    params = pk.individual_parameters("sirolimus_golubovic2019")
    trough = pk.steady_state_troughs(params, dose_mg=2, every_h=24)
    assert trough.shape == (1,)
    assert trough[0] == pytest.approx(pk.steady_state("sirolimus_golubovic2019", dose_mg=2,
                                                      every_h=24).trough_ng_ml, rel=1e-10)


def test_pta_is_a_tidy_table_and_consistent():
    grid = pk.weight_bands([7, 15, 25, 45])
    t = pk.target_attainment("sirolimus_cheng2020", doses_mg=[0.5, 1, 2], every_h=24, covariate_grid=grid,
                             n_subjects=3000, rng=np.random.default_rng(4))
    assert len(t) == 9
    assert {"band", "weight_kg", "dose_mg", "pta", "below", "above", "median_trough_ng_ml"} <= set(t.columns)
    np.testing.assert_allclose(t.pta + t.below + t.above, 1.0)
    # the same random effects are used for every dose, so below-target falls as the dose rises
    for _, band in t.groupby("band"):
        assert (np.diff(band.below.to_numpy()) <= 0).all()
    # heavier children clear more: lower median trough at the same dose (Cheng 2020 weight effect)
    one = t[t.dose_mg == 1].set_index("weight_kg").median_trough_ng_ml
    assert one.is_monotonic_decreasing


def test_pta_matches_the_lognormal_closed_form_for_a_clearance_only_model():
    # Bolus-like absorption and IIV on CL only: trough = (D/V) e^(-k tau) / (1 - e^(-k tau)), k = CL/V,
    # decreasing in CL, so PTA = P(CL_hi_trough <= CL <= CL_lo_trough) with ln CL ~ Normal(ln TV, omega2)
    import math
    from dataclasses import replace
    from statistics import NormalDist
    from types import MappingProxyType

    from scipy.optimize import brentq

    m = pk.load_model("sirolimus_label")
    m = replace(m, theta=MappingProxyType({**m.theta, "ka_per_h": 1e4}), eta_names=("cl_l_h",),
                omega2=MappingProxyType({"cl_l_h": 0.1454}))
    tv = pk.typical_parameters(m)
    v, tau = tv["vc_l"], 24.0

    def trough(cl):
        r = math.exp(-cl / v * tau)
        return 2000 / v * r / (1 - r)

    cl_at = {c: brentq(lambda cl, c=c: trough(cl) - c, 0.01, 500) for c in (5.0, 15.0)}
    dist = NormalDist(math.log(tv["cl_l_h"]), math.sqrt(0.1454))
    exact = dist.cdf(math.log(cl_at[5.0])) - dist.cdf(math.log(cl_at[15.0]))
    t = pk.target_attainment(m, doses_mg=[2], every_h=tau, n_subjects=40000, rng=np.random.default_rng(1))
    assert t.pta.item() == pytest.approx(exact, abs=0.01)


@pytest.mark.parametrize("kwargs, match", [
    (dict(doses_mg=[0], every_h=24), "doses_mg"),
    (dict(doses_mg=[1], every_h=-24), "every_h"),
    (dict(doses_mg=[1], every_h=24, target_ng_ml=(15, 5)), "target_ng_ml"),
    (dict(doses_mg=[1], every_h=24, n_subjects=0), "n_subjects"),
    (dict(doses_mg=[1], every_h=24, covariate_grid={}), "covariate_grid"),
])
def test_pta_bad_inputs_raise(kwargs, match):
    with pytest.raises(PKInputError, match=match):
        pk.target_attainment("sirolimus_cheng2020", rng=np.random.default_rng(0), **kwargs)


def test_pta_needs_a_generator_and_bands_need_edges():
    with pytest.raises(PKInputError, match="Generator"):
        pk.target_attainment("sirolimus_cheng2020", doses_mg=[1], every_h=24, rng=None)
    with pytest.raises(PKInputError, match="edges_kg"):
        pk.weight_bands([20, 10])


@pytest.mark.parametrize("model_id, t_half", [
    ("sirolimus_jiao2009", 252.0),     # facts §3.2: 0.693 x 3670 / 10.1
    ("everolimus_dewit2016", 22.0),    # facts §3.6b: ~22 h
])
def test_trough_only_and_oncology_half_lives(model_id, t_half):
    assert pk.half_life_h(model_id) == pytest.approx(t_half, rel=0.01)


def test_jiao_covariates():
    base = pk.typical_parameters("sirolimus_jiao2009")
    assert base["cl_l_h"] == 10.1 and base["vc_l"] == 3670
    p = pk.typical_parameters("sirolimus_jiao2009", {"csa_c0_ng_ml": 204, "silymarin": 1, "daily_dose_mg": 4})
    assert p["cl_l_h"] == pytest.approx((10.1 - 0.00417 * 100) * 0.650 * 2**0.479)
    assert p["vc_l"] == pytest.approx(3670 - 727)
    with pytest.raises(PKInputError, match="must be 0 or 1"):
        pk.typical_parameters("sirolimus_jiao2009", {"glycyrrhizin": 0.5})


def test_dewit_allometry_and_abcb1():
    p = pk.typical_parameters("everolimus_dewit2016", {"weight_kg": 35, "abcb1_ttt": 1})
    assert p["cl_l_h"] == pytest.approx(17.4 * 0.5**0.75)
    assert p["vc_l"] == pytest.approx(25.2 * 0.5)
    assert p["f_rel"] == pytest.approx(0.792)


@pytest.mark.parametrize("target", [5, (1, 2, 3), ("a", "b")])
def test_target_that_is_not_a_pair_is_a_clear_error(target):
    with pytest.raises(pk.PKInputError, match="target_ng_ml must be a pair"):
        pk.target_attainment("sirolimus_label", doses_mg=[2], every_h=24, target_ng_ml=target,
                             n_subjects=10, rng=np.random.default_rng(0))
