"""Interactions with a reported half-life change: AUC ratio and half-life both reproduced."""

import pytest

from mtorlib import pk

# (model, interaction, AUC ratio, half-life with/without) from pk_safety_facts.md §5.1-§5.2:
# everolimus + ketoconazole AUC 15.0-fold, t½ 30 -> 56 h; + erythromycin 4.4-fold, t½ 32 -> 44 h;
# + rifampin AUC -63 %, t½ 32 -> 24 h; sirolimus + diltiazem AUC +60 %, t½ 79 -> 67 h.
CASES = [
    ("everolimus_label", "ketoconazole", 15.0, 56 / 30),
    ("everolimus_label", "erythromycin", 4.4, 44 / 32),
    ("everolimus_label", "rifampin", 0.37, 24 / 32),
    ("sirolimus_label", "diltiazem", 1.60, 67 / 79),
]


@pytest.mark.parametrize(("model_id", "name", "auc_ratio", "t_half_ratio"), CASES)
def test_one_compartment_reproduces_auc_and_half_life(model_id, name, auc_ratio, t_half_ratio):
    model = pk.load_model(model_id)
    base = pk.steady_state(model, dose_mg=2, every_h=24)
    with_drug = pk.steady_state(model, dose_mg=2, every_h=24, interactions=(name,))
    assert with_drug.auc_tau_ng_h_ml / base.auc_tau_ng_h_ml == pytest.approx(auc_ratio, rel=1e-6)
    ratio = pk.half_life_h(model, interactions=(name,)) / pk.half_life_h(model)
    assert ratio == pytest.approx(t_half_ratio, rel=1e-3)


def test_without_half_life_data_the_whole_effect_is_on_clearance():
    model = pk.load_model("sirolimus_label")
    ratio = pk.half_life_h(model, interactions=("voriconazole",)) / pk.half_life_h(model)
    auc = pk.list_interactions("sirolimus").set_index("name").loc["voriconazole", "auc_ratio"]
    assert ratio == pytest.approx(auc, rel=1e-6)


def test_two_compartment_split_keeps_auc_and_distribution_rates():
    model = pk.load_model("everolimus_dewit2016")
    p0 = pk.typical_parameters(model)
    p1 = pk.typical_parameters(model, interactions=("ketoconazole",))
    assert p0["cl_l_h"] / p1["cl_l_h"] == pytest.approx(15.0)
    assert p1["q_l_h"] / p1["vc_l"] == pytest.approx(p0["q_l_h"] / p0["vc_l"])
    assert p1["q_l_h"] / p1["vp_l"] == pytest.approx(p0["q_l_h"] / p0["vp_l"])
    assert (p1["cl_l_h"] / p1["vc_l"]) / (p0["cl_l_h"] / p0["vc_l"]) == pytest.approx(30 / 56, rel=1e-3)
