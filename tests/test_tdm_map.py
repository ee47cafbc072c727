"""Bayesian MAP estimation and dose recommendation: optimum, recovery, shrinkage, prior, errors."""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.stats import spearmanr

from mtorlib import pk, regimen, tdm
from mtorlib.tdm import bayes
from mtorlib.tdm.recommend import ss_trough_per_mg

DAY = 24.0
EVENTS = regimen.repeated(dose_mg=2, every_h=24, n_doses=21)
TROUGHS_3 = np.array([7, 14, 21]) * DAY
LEVELS_8 = np.sort(np.r_[np.array([3, 5, 7, 10, 14, 21]) * DAY, 6 * DAY + 2, 13 * DAY + 2])
LABEL_ERROR = (0.05, 0.0)  # the label model has no residual model: give it the true 5 % error


def _obs(times, conc):
    return pd.DataFrame({"time_h": times, "conc_ng_ml": conc})


def _cohort(model_id, times, seed, n=40):
    """n patients from the model's own variability; levels with 5 % proportional error."""
    model = pk.load_model(model_id)
    rng = np.random.default_rng(seed)
    eta = pk.sample_eta(model, n, rng)
    true = pk.individual_parameters(model, eta=eta)
    conc = pk.predict(true, EVENTS, times) * (1 + 0.05 * rng.standard_normal((n, len(times))))
    return model, eta, true, conc


@pytest.mark.slow  # an independent Powell search from two starts per patient
@pytest.mark.parametrize("model_id", ["sirolimus_cheng2020", "sirolimus_golubovic2019"])
def test_map_reaches_the_optimum_of_its_objective(model_id):
    model, eta, _, conc = _cohort(model_id, TROUGHS_3, seed=7, n=2)
    for i in range(2):
        fit = tdm.map_estimate(model, EVENTS, _obs(TROUGHS_3, conc[i]))
        problem = bayes.make_problem(model, EVENTS, _obs(TROUGHS_3, conc[i]))
        # independent: derivative-free Powell from two starts, best of the two
        def j(x, problem=problem):
            return bayes.objective(problem, x)[0]

        best = min((minimize(j, x0, method="Powell",
                             options={"xtol": 1e-7, "ftol": 1e-12, "maxfev": 20000})
                    for x0 in (np.zeros(problem.n_eta), eta[i])), key=lambda r: r.fun)
        assert fit.converged
        assert fit.objective <= best.fun + 1e-6
        np.testing.assert_allclose(fit.eta_vector, best.x, atol=2e-3)


@pytest.mark.slow
def test_map_matches_a_brute_force_grid_in_two_dimensions():
    model, _, _, conc = _cohort("sirolimus_cheng2020", TROUGHS_3, seed=11, n=1)
    problem = bayes.make_problem(model, EVENTS, _obs(TROUGHS_3, conc[0]))
    fit = tdm.map_estimate(model, EVENTS, _obs(TROUGHS_3, conc[0]))
    axis = np.linspace(-0.8, 0.8, 321)  # step 0.005
    grid = np.array(np.meshgrid(axis, axis, indexing="ij")).reshape(2, -1).T
    values = bayes.objective(problem, grid)
    assert fit.objective <= values.min() + 1e-9
    np.testing.assert_allclose(fit.eta_vector, grid[values.argmin()], atol=0.005)


@pytest.mark.slow
def test_three_troughs_rank_clearances():
    model, _, true, conc = _cohort("sirolimus_label", TROUGHS_3, seed=2024)
    est = [tdm.map_estimate(model, EVENTS, _obs(TROUGHS_3, c), residual=LABEL_ERROR).params["cl_l_h"]
           for c in conc]
    assert spearmanr(est, true["cl_l_h"])[0] >= 0.95


@pytest.mark.slow
def test_eight_levels_give_clearance_within_20_percent():
    model, _, true, conc = _cohort("sirolimus_label", LEVELS_8, seed=2025)
    est = np.array([tdm.map_estimate(model, EVENTS, _obs(LEVELS_8, c), residual=LABEL_ERROR)
                    .params["cl_l_h"] for c in conc])
    assert np.sum(np.abs(est / true["cl_l_h"] - 1) <= 0.20) >= 34


@pytest.mark.slow
def test_estimates_shrink_toward_typical_as_the_posterior_says():
    # the paediatric model's own residual error (22 %) is large: estimates must shrink
    model, eta, _, conc = _cohort("sirolimus_cheng2020", TROUGHS_3, seed=2024)
    fits = [tdm.map_estimate(model, EVENTS, _obs(TROUGHS_3, c)) for c in conc]
    est = np.array([f.eta["cl_l_h"] for f in fits])
    weight_of_prior = np.mean([f.shrinkage()["cl_l_h"] for f in fits])
    slope = np.polyfit(eta[:, 0], est, 1)[0]
    assert 0.1 < weight_of_prior < 0.9
    assert slope < 1.0
    assert slope == pytest.approx(1 - weight_of_prior, abs=0.05)
    assert np.std(est) < np.std(eta[:, 0])


def test_no_observations_returns_the_prior():
    model = pk.load_model("sirolimus_golubovic2019")
    fit = tdm.map_estimate(model, EVENTS, None, covariates={"age_y": 44})
    assert all(v == 0 for v in fit.eta.values())
    np.testing.assert_allclose(np.diag(fit.cov), [model.omega2[k] for k in model.eta_names], rtol=1e-6)
    assert fit.params == pytest.approx(fit.typical)
    empty = tdm.map_estimate(model, EVENTS, _obs([], []), covariates={"age_y": 44})
    assert empty.params == pytest.approx(fit.params)


@pytest.mark.parametrize("model_id", ["sirolimus_cheng2020", "sirolimus_golubovic2019"])
def test_typical_data_return_typical_values(model_id):
    model = pk.load_model(model_id)
    typical = pk.individual_parameters(model)
    fit = tdm.map_estimate(model, EVENTS, _obs(LEVELS_8, pk.predict(typical, EVENTS, LEVELS_8)[0]))
    # not exactly 0: the ln SD^2 term of a proportional error model pulls a few % (see map.py)
    assert max(abs(v) for v in fit.eta.values()) < 0.05
    assert fit.params["cl_l_h"] == pytest.approx(fit.typical["cl_l_h"], rel=0.05)


def test_predict_and_band_follow_the_fit():
    model, _, _, conc = _cohort("sirolimus_cheng2020", TROUGHS_3, seed=3, n=1)
    fit = tdm.map_estimate(model, EVENTS, _obs(TROUGHS_3, conc[0]))
    times = np.linspace(0, 21 * DAY, 85)
    point = fit.predict(times)
    direct = pk.predict(pk.individual_parameters(model, eta=fit.eta_vector[None]), EVENTS, times)[0]
    np.testing.assert_allclose(point.conc_ng_ml, direct)
    band = fit.band(times, rng=np.random.default_rng(1))
    later = band[band.time_h > 0]
    assert (later.lo_ng_ml <= later.conc_ng_ml).all() and (later.conc_ng_ml <= later.hi_ng_ml).all()
    again = fit.band(times, rng=np.random.default_rng(1))
    pd.testing.assert_frame_equal(band, again)


def test_steady_state_trough_per_mg_matches_the_closed_form():
    params = {"ka_per_h": np.array([0.75, 2.0]), "cl_l_h": np.array([5.63, 12.7]),
              "vc_l": np.array([144.0, 1140.0])}
    tau = 24.0
    ka, k, v = params["ka_per_h"], params["cl_l_h"] / params["vc_l"], params["vc_l"]
    exact = 1000 * ka / (v * (ka - k)) * (np.exp(-k * tau) / (1 - np.exp(-k * tau))
                                          - np.exp(-ka * tau) / (1 - np.exp(-ka * tau)))
    np.testing.assert_allclose(ss_trough_per_mg(params, every_h=tau), exact, rtol=1e-6)


@pytest.mark.parametrize("form", ["tablet", "solution"])
def test_recommendation_a_priori_and_a_posteriori_lands_in_target(form):
    model, _, _, conc = _cohort("sirolimus_cheng2020", TROUGHS_3, seed=5, n=1)
    prior = tdm.recommend_dose(model, target_ng_ml=(5, 15), covariates={"weight_kg": 20}, form=form)
    fit = tdm.map_estimate(model, EVENTS, _obs(TROUGHS_3, conc[0]))
    post = tdm.recommend_dose(model, target_ng_ml=(5, 15), fit=fit, form=form)
    for rec in (prior, post):
        assert 5 <= rec.predicted_trough_ng_ml <= 15 and rec.in_target
        assert rec.dose_mg == tdm.round_to_strength(rec.dose_mg, form=form)
        assert rec.predicted_trough_ng_ml == pytest.approx(rec.dose_mg * rec.trough_per_mg)
        assert 0 < rec.probability_in_target <= 1
        assert rec.explanation["en"] and rec.explanation["zh"] != rec.explanation["en"]
    assert prior.basis == "a_priori" and post.basis == "a_posteriori"
    assert post.probability_in_target >= prior.probability_in_target  # data narrow the forecast


def test_recommendation_probability_agrees_with_simulation():
    model = pk.load_model("sirolimus_cheng2020")
    rec = tdm.recommend_dose(model, target_ng_ml=(5, 15))
    eta = pk.sample_eta(model, 4000, np.random.default_rng(9))
    troughs = rec.dose_mg * ss_trough_per_mg(pk.individual_parameters(model, eta=eta), every_h=24)
    assert rec.probability_in_target == pytest.approx(np.mean((troughs >= 5) & (troughs <= 15)), abs=0.03)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"observations": _obs([-1.0], [3.0])}, "time_h"),
    ({"observations": _obs([48.0], [0.0])}, "conc_ng_ml"),
    ({"observations": pd.DataFrame({"time_h": [48.0]})}, "conc_ng_ml"),
    ({"observations": [1, 2]}, "DataFrame"),
    ({"residual": (0, 0)}, "residual"),
    ({"residual": 0.1}, "residual"),
])
def test_bad_fit_input_raises(kwargs, match):
    model = pk.load_model("sirolimus_cheng2020")
    args = {"observations": _obs([48.0], [3.0]), **kwargs}
    with pytest.raises(ValueError, match=match):
        tdm.map_estimate(model, EVENTS, args.pop("observations"), **args)


def test_model_without_residual_model_needs_one():
    with pytest.raises(tdm.TDMError, match="no residual error model"):
        tdm.map_estimate(pk.load_model("sirolimus_label"), EVENTS, _obs([48.0], [3.0]))


def test_bad_recommendation_input_raises():
    model = pk.load_model("sirolimus_cheng2020")
    fit = tdm.map_estimate(model, EVENTS, _obs([48.0], [3.0]))
    with pytest.raises(tdm.TDMError, match="target_ng_ml"):
        tdm.recommend_dose(model, target_ng_ml=(15, 5))
    with pytest.raises(tdm.TDMError, match="every_h"):
        tdm.recommend_dose(model, every_h=0)
    with pytest.raises(tdm.TDMError, match="covariates"):
        tdm.recommend_dose(model, fit=fit, covariates={"weight_kg": 20})
    with pytest.raises(tdm.TDMError, match="not 'sirolimus_label'"):
        tdm.recommend_dose(pk.load_model("sirolimus_label"), fit=fit)
    with pytest.raises(tdm.TDMError, match="form"):
        tdm.recommend_dose(model, form="patch")
