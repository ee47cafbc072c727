"""Sourced models, covariates, simulation and quantities; label figures; one test per error rule."""

import math
from dataclasses import replace
from types import MappingProxyType

import numpy as np
import pytest

from mtorlib import pk, regimen
from mtorlib.pk import PKInputError, UnknownNameError


def test_list_and_load_models():
    models = pk.list_models()
    assert {"model_id", "drug", "population", "structure", "source"} <= set(models.columns)
    assert {"sirolimus_label", "sirolimus_cheng2020", "sirolimus_golubovic2019",
            "everolimus_label"} <= set(models.model_id)
    m = pk.load_model("sirolimus_golubovic2019")
    assert (m.drug, m.structure) == ("sirolimus", "2cmt")
    assert m.eta_names == ("cl_l_h", "vc_l", "vp_l", "q_l_h", "ka_per_h")
    assert m.omega2["vc_l"] == 0.306
    assert set(m.description) == {"en", "zh"}
    with pytest.raises(AttributeError):
        m.drug = "everolimus"  # frozen record


def test_unknown_model_lists_valid_ids():
    with pytest.raises(LookupError, match="valid ids: .*sirolimus_label"):
        pk.load_model("sirolimus_nonexistent")


@pytest.mark.parametrize("weight, cl", [(10, 3.33), (20, 4.72), (40, 6.67), (28.5, 5.63)])
def test_cheng_clearance_by_weight(weight, cl):
    # pk_safety_facts.md §3.1 (derived): 5.63 x (WT/28.5)^0.5 at TBIL 11.29 umol/L
    p = pk.typical_parameters("sirolimus_cheng2020", {"weight_kg": weight})
    assert p["cl_l_h"] == pytest.approx(cl, abs=0.005)


def test_cheng_bilirubin_lowers_clearance():
    p = pk.typical_parameters("sirolimus_cheng2020", {"tbil_umol_l": 2 * 11.29})
    assert p["cl_l_h"] == pytest.approx(5.63 * 2**-0.32)


def test_golubovic_age_and_ast_effects():
    assert pk.typical_parameters("sirolimus_golubovic2019")["cl_l_h"] == pytest.approx(7.47, abs=0.005)
    high = pk.typical_parameters("sirolimus_golubovic2019", {"ast_iu_l": 60})
    assert high["cl_l_h"] == pytest.approx(7.4664 * 0.630)
    old = pk.typical_parameters("sirolimus_golubovic2019", {"age_y": 66})
    assert old["cl_l_h"] == pytest.approx(12.2 * (1 - 0.388 * 66 / 44))


@pytest.mark.parametrize("model_id, t_half, source", [
    ("sirolimus_label", 62.0, "label t1/2 62 h"),
    ("sirolimus_cheng2020", 17.7, "facts §3.1: 0.693 x 144.16 / 5.63"),
    ("sirolimus_golubovic2019", 144.0, "facts §3.3: terminal ~144 h at 44 y"),
    ("everolimus_label", 30.0, "t1/2 30 h (P12)"),
])
def test_half_lives(model_id, t_half, source):
    assert pk.half_life_h(model_id) == pytest.approx(t_half, rel=0.01), source


def test_time_to_90_percent_steady_state_label():
    # facts §1.4: 3.32 x 62 h / 24 = 8.6 days (plus a few minutes of absorption)
    assert pk.time_to_steady_state_h("sirolimus_label") / 24 == pytest.approx(8.6, abs=0.05)
    one = pk.time_to_steady_state_h("sirolimus_label", fraction=0.5)
    assert one == pytest.approx(62.0, rel=0.01)  # one half-life


def test_steady_state_closed_forms_one_compartment():
    ss = pk.steady_state("sirolimus_label", dose_mg=2, every_h=24)
    p = pk.typical_parameters("sirolimus_label")
    k = p["cl_l_h"] / p["vc_l"]
    assert ss.auc_tau_ng_h_ml == pytest.approx(1000 * 2 / p["cl_l_h"], rel=1e-9)
    ka, v, tau = p["ka_per_h"], p["vc_l"], 24.0
    first = 1000 * 2 / v * ka / (ka - k) * ((1 - math.exp(-k * tau)) / k - (1 - math.exp(-ka * tau)) / ka)
    assert ss.accumulation_ratio == pytest.approx(ss.auc_tau_ng_h_ml / first, rel=1e-9)
    fast = replace(pk.load_model("sirolimus_label"),
                   theta=MappingProxyType({**p, "ka_per_h": 1e4}))  # near-instant absorption
    ratio = pk.steady_state(fast, dose_mg=2, every_h=tau).accumulation_ratio
    assert ratio == pytest.approx(1 / (1 - math.exp(-k * tau)), rel=1e-4)
    assert ss.trough_ng_ml < ss.cavg_ng_ml < ss.peak_ng_ml
    assert 0 < ss.tmax_h < 24


def test_label_trough_and_auc_at_2_mg_per_day():
    # Swiss label (L5): mean trough 7.2 ng/mL (range 4.0-11) at 2 mg/day with ciclosporin;
    # AUCtau,ss 158 +/- 70 ng*h/mL
    ss = pk.steady_state("sirolimus_label", dose_mg=2, every_h=24)
    assert 4.0 <= ss.trough_ng_ml <= 11.0  # 5.7: below the label mean, see the model description
    assert ss.auc_tau_ng_h_ml == pytest.approx(158, rel=0.02)


def test_label_accumulation_within_the_label_half_life_range():
    # label: "about 3-fold"; 1/(1 - e^(-k tau)) over the label half-life range 62 +/- 16 h gives
    # 3.3 (46 h) to 5.2 (78 h); the model (t1/2 62 h) sits at 4.29, as its description says
    bounds = [1 / (1 - math.exp(-24 * math.log(2) / t)) for t in (46, 78)]
    ratio = pk.steady_state("sirolimus_label", dose_mg=2, every_h=24).accumulation_ratio
    assert bounds[0] < ratio < bounds[1]
    # engine ratio = AUCtau at steady state / AUC(0-tau) after the first dose: with absorption it is
    # slightly above the bolus formula 1/(1 - e^(-k tau)) = 4.25
    assert ratio == pytest.approx(1 / (1 - 2 ** (-24 / 62)), rel=0.02)


def test_troughs_converge_to_steady_state():
    for model_id in ("sirolimus_golubovic2019", "sirolimus_cheng2020"):
        ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=80)
        troughs = pk.predict(pk.individual_parameters(model_id), ev, 24.0 * np.arange(1, 81) - 1e-9)[0]
        ss = pk.steady_state(model_id, dose_mg=2, every_h=24)
        assert troughs[-1] == pytest.approx(ss.trough_ng_ml, rel=1e-3)
        assert (np.diff(troughs) > -1e-9 * troughs[-1]).all()
        assert troughs[0] < 0.8 * troughs[-1]


@pytest.mark.parametrize("drug, name, ratio", [
    ("sirolimus", "ketoconazole", 11), ("sirolimus", "voriconazole", 11),
    ("sirolimus", "posaconazole", 8.88), ("sirolimus", "rifampin", 0.18),
    ("sirolimus", "diltiazem", 1.60), ("everolimus", "ketoconazole", 15.0),
    ("everolimus", "erythromycin", 4.4), ("everolimus", "verapamil", 3.5),
    ("everolimus", "rifampin", 0.37),
])
def test_interaction_auc_ratios_are_reproduced(drug, name, ratio):
    model = "sirolimus_golubovic2019" if drug == "sirolimus" else "everolimus_label"
    base = pk.steady_state(model, dose_mg=2, every_h=24)
    inter = pk.steady_state(model, dose_mg=2, every_h=24, interactions=(name,))
    assert inter.auc_tau_ng_h_ml / base.auc_tau_ng_h_ml == pytest.approx(ratio, rel=1e-9)
    assert pk.list_interactions(drug).set_index("name").loc[name, "auc_ratio"] == ratio


def test_cyclosporine_timing_and_food_modifiers():
    names = ((), ("cyclosporine_simultaneous",), ("cyclosporine_4h_apart",), ("high_fat_meal_solution",))
    ss = {n: pk.steady_state("sirolimus_cheng2020", dose_mg=1, every_h=24, interactions=n).auc_tau_ng_h_ml
          for n in names}
    base = ss[()]
    assert ss[("cyclosporine_simultaneous",)] / base == pytest.approx(2.83)
    assert ss[("cyclosporine_4h_apart",)] / base == pytest.approx(1.80)
    assert ss[("high_fat_meal_solution",)] / base == pytest.approx(1.35)
    # food changes the amount absorbed, not the half-life (Zimmerman 1999)
    assert pk.half_life_h("sirolimus_cheng2020", interactions=("high_fat_meal_solution",)) == \
        pytest.approx(pk.half_life_h("sirolimus_cheng2020"))


def test_hepatic_class_uses_the_measured_clearance_change():
    base = pk.typical_parameters("sirolimus_golubovic2019")["cl_l_h"]
    c = pk.typical_parameters("sirolimus_golubovic2019", interactions=("child_pugh_c",))["cl_l_h"]
    assert c / base == pytest.approx(0.33)


def test_simulate_typical_and_population():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=10, loading_mg=6)
    typical = pk.simulate("sirolimus_cheng2020", ev)
    assert typical.subject.unique().tolist() == [0]
    assert typical.time_h.iloc[-1] == 9 * 24 + 72
    pop = pk.simulate("sirolimus_cheng2020", ev, times_h=[24, 48], n_subjects=400,
                      rng=np.random.default_rng(7))
    again = pk.simulate("sirolimus_cheng2020", ev, times_h=[24, 48], n_subjects=400,
                        rng=np.random.default_rng(7))
    assert pop.equals(again)
    assert len(pop) == 800
    cl = pk.individual_parameters("sirolimus_cheng2020", eta=pk.sample_eta(
        "sirolimus_cheng2020", 20000, np.random.default_rng(1)))["cl_l_h"]
    assert np.var(np.log(cl)) == pytest.approx(0.0353, rel=0.05)


def test_residual_error_spread():
    ev = regimen.repeated(dose_mg=2, every_h=24, n_doses=3)
    noisy = pk.simulate("sirolimus_cheng2020", ev, times_h=np.full(20000, 30.0), residual=True,
                        rng=np.random.default_rng(2))
    exact = pk.simulate("sirolimus_cheng2020", ev, times_h=[30.0]).conc_ng_ml.item()
    assert noisy.conc_ng_ml.std() / exact == pytest.approx(0.2245, rel=0.05)
    assert (noisy.conc_ng_ml >= 0).all()


# ---- one test per error rule ----

def test_unknown_covariate_raises_listing_allowed():
    with pytest.raises(UnknownNameError, match="allowed: weight_kg, tbil_umol_l"):
        pk.typical_parameters("sirolimus_cheng2020", {"weight": 20})


@pytest.mark.parametrize("value", [-5, float("nan"), float("inf"), "20", 1000])
def test_bad_covariate_value_raises(value):
    allowed = r"covariate weight_kg \(kg\) must be a finite number >= 3 and <= 100"
    with pytest.raises(PKInputError, match=allowed):
        pk.typical_parameters("sirolimus_cheng2020", {"weight_kg": value})


def test_unknown_interaction_raises_listing_allowed():
    with pytest.raises(UnknownNameError, match="allowed: .*voriconazole"):
        pk.simulate("sirolimus_label", regimen.repeated(dose_mg=1, every_h=24, n_doses=1),
                    interactions=("grapefruit",))


def test_alternative_modifiers_cannot_be_combined():
    with pytest.raises(PKInputError, match="alternatives"):
        pk.typical_parameters("sirolimus_golubovic2019", interactions=("child_pugh_a", "child_pugh_c"))


def test_modifier_already_in_the_model_raises():
    with pytest.raises(PKInputError, match="already taking cyclosporine"):
        pk.typical_parameters("sirolimus_label", interactions=("cyclosporine_4h_apart",))


def test_population_needs_a_generator():
    ev = regimen.repeated(dose_mg=1, every_h=24, n_doses=1)
    with pytest.raises(PKInputError, match="numpy.random.Generator"):
        pk.simulate("sirolimus_label", ev, n_subjects=10)
    with pytest.raises(PKInputError, match="numpy.random.Generator"):
        pk.simulate("sirolimus_label", ev, residual=True, rng=42)
    with pytest.raises(PKInputError, match="n_subjects"):
        pk.simulate("sirolimus_label", ev, n_subjects=0, rng=np.random.default_rng(0))


def test_bad_eta_shape_raises():
    with pytest.raises(PKInputError, match=r"eta must have shape \(n_subjects, 2\)"):
        pk.individual_parameters("sirolimus_cheng2020", eta=np.zeros((3, 5)))


def test_bad_steady_state_inputs_raise():
    with pytest.raises(PKInputError, match="every_h must be a finite number >= 1 and <= 672; got 0"):
        pk.steady_state("sirolimus_label", dose_mg=2, every_h=0)
    with pytest.raises(PKInputError, match="fraction"):
        pk.time_to_steady_state_h("sirolimus_label", fraction=1.0)


def test_model_argument_must_be_a_model_or_an_id():
    with pytest.raises(PKInputError, match="PKModel or a model id"):
        pk.half_life_h(3.5)
    with pytest.raises(UnknownNameError, match="drug 'tacrolimus' is not known"):
        pk.list_interactions("tacrolimus")


def test_modifier_records_are_copies():
    rec = pk.modifier("sirolimus", "voriconazole")
    rec["auc_ratio"] = 1.0
    assert pk.modifier("sirolimus", "voriconazole")["auc_ratio"] == 11


def test_every_model_number_has_a_source_and_derived_numbers_a_formula():
    for model_id in pk.list_models().model_id:
        t = pk.parameter_table(model_id)
        assert (t.source.str.len() > 0).all(), model_id
        derived = t[t.flag == "derived"]
        assert (derived.formula.str.len() > 0).all(), model_id
