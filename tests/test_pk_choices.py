"""What a scenario may choose for a model and what it implies: rules that left the widgets."""

import pytest

from mtorlib import pk


def test_reference_covariates_are_the_model_files_values():
    assert pk.reference_covariates("sirolimus_cheng2020")["weight_kg"] == 28.5  # Cheng 2020 [8]
    assert pk.reference_covariates("sirolimus_jiao2009")["daily_dose_mg"] == 2  # Jiao 2009
    model = pk.load_model("sirolimus_label")
    assert pk.reference_covariates(model) == {k: v["reference"] for k, v in model.covariates.items()}


def test_regimen_covariates_weight_only_where_the_model_uses_it():
    assert pk.regimen_covariates("sirolimus_cheng2020", daily_dose_mg=1.5, weight_kg=20) == {
        "weight_kg": 20}
    assert pk.regimen_covariates("sirolimus_cheng2020", daily_dose_mg=1.5) == {}
    # dose-dependent CL/F (Jiao 2009): the covariate is the regimen's daily dose, weight unused
    assert pk.regimen_covariates("sirolimus_jiao2009", daily_dose_mg=3.0, weight_kg=60) == {
        "daily_dose_mg": 3.0}


def test_the_daily_dose_rule_changes_the_simulated_clearance():
    one = pk.typical_parameters("sirolimus_jiao2009",
                                pk.regimen_covariates("sirolimus_jiao2009", daily_dose_mg=2.0))
    four = pk.typical_parameters("sirolimus_jiao2009",
                                 pk.regimen_covariates("sirolimus_jiao2009", daily_dose_mg=4.0))
    assert four["cl_l_h"] > one["cl_l_h"]


def test_offered_modifiers_leave_out_what_the_model_already_reflects():
    label = pk.offered_modifiers("sirolimus_label", "interaction")
    assert "cyclosporine" in set(pk.list_modifiers("sirolimus", "interaction")["group"])
    assert "cyclosporine" not in set(label["group"])  # the label model's patients took ciclosporin
    child = set(pk.offered_modifiers("sirolimus_cheng2020", "interaction")["name"])
    assert {"cyclosporine_4h_apart", "cyclosporine_simultaneous", "posaconazole"} <= child
    evero = set(pk.offered_modifiers("everolimus_label", "interaction")["name"])
    assert "erythromycin" in evero and "voriconazole" not in evero
    assert set(pk.offered_modifiers("sirolimus_label", "hepatic")["name"]) == set(
        pk.list_modifiers("sirolimus", "hepatic")["name"])


@pytest.mark.parametrize(("names", "caveats"), [
    ((), ()),
    (("posaconazole",), ("pk.interaction_caveat",)),  # no half-life data: all put on clearance
    (("diltiazem",), ()),  # half-life ratio reported: the split reproduces it
    (("high_fat_meal_tablet", "child_pugh_b"), ()),  # food and liver are not interactions
    (("diltiazem", "rifampin"), ("pk.interaction_caveat",)),
])
def test_modifier_caveats(names, caveats):
    assert pk.modifier_caveats("sirolimus", names) == caveats


def test_modifier_caveats_refuse_unknown_names():
    with pytest.raises(pk.UnknownNameError, match="grapefruit"):
        pk.modifier_caveats("sirolimus", ("grapefruit",))
