"""Content rules for PK models and modifiers: the shipped files pass, each broken copy fails."""

import copy
from pathlib import Path

import pytest

from mtorlib.content import load_kind
from mtorlib.content.documents import Context, Document
from mtorlib.pk.rules import check_model, check_modifiers, evaluate


def _doc(kind, doc_id):
    doc = next(d for d in load_kind(kind) if d.id == doc_id)
    return copy.deepcopy(doc.data)


def _problems(rule, data):
    return [m for _, m in rule(Document(Path(f"{data['id']}.yaml"), data, {}), Context())]


def test_shipped_pk_content_passes_the_rules():
    models, modifiers = load_kind("pk_model"), load_kind("pk_modifiers")
    assert len(models) >= 6 and {d.id for d in modifiers} == {"sirolimus", "everolimus"}
    for doc in models:
        assert list(check_model(doc, Context())) == [], doc.id
    for doc in modifiers:
        assert list(check_modifiers(doc, Context())) == [], doc.id


def test_evaluate_is_restricted_arithmetic():
    assert evaluate("log(1 + cv ** 2)", {"cv": 0.0}) == 0.0
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})


def test_derived_value_must_match_its_formula():
    data = _doc("pk_model", "sirolimus_label")
    data["parameters"]["vc_l"]["value"] = 900.0
    assert any("expression gives 1139.56, expected 900" in m for m in _problems(check_model, data))


def test_derived_value_needs_a_formula():
    data = _doc("pk_model", "sirolimus_label")
    del data["parameters"]["cl_l_h"]["verify"]
    assert any("needs 'formula'" in m for m in _problems(check_model, data))


def test_derived_residual_needs_a_formula():
    data = _doc("pk_model", "sirolimus_label")
    del data["residual"]["formula"]
    assert any("residual error needs 'formula'" in m for m in _problems(check_model, data))


def test_structure_must_match_parameters():
    data = _doc("pk_model", "sirolimus_golubovic2019")
    data["structure"] = "1cmt"
    assert any("must not have q_l_h" in m for m in _problems(check_model, data))


def test_effect_must_name_a_declared_covariate():
    data = _doc("pk_model", "sirolimus_cheng2020")
    data["effects"][0]["covariate"] = "height_cm"
    assert any("'height_cm' is not declared" in m for m in _problems(check_model, data))


def test_step_effect_needs_cutoff():
    data = _doc("pk_model", "sirolimus_golubovic2019")
    del data["effects"][1]["cutoff"]
    assert any("needs 'cutoff'" in m for m in _problems(check_model, data))


def test_reference_covariate_in_range_and_positive_parameters():
    data = _doc("pk_model", "sirolimus_cheng2020")
    data["covariates"]["weight_kg"]["reference"] = 500
    assert any("outside" in m for m in _problems(check_model, data))
    data = _doc("pk_model", "sirolimus_golubovic2019")
    data["covariates"]["age_y"].update(reference=120, max=130)  # 1 - 0.388*120/44 < 0
    assert any("must be > 0" in m for m in _problems(check_model, data))


def test_iiv_must_name_a_parameter():
    data = _doc("pk_model", "sirolimus_cheng2020")
    data["iiv"]["vp_l"] = {"omega2": 0.1, "flag": "paper", "refs": [8]}
    assert any("not a parameter" in m for m in _problems(check_model, data))


def test_comedication_must_be_a_modifier_group():
    data = _doc("pk_model", "sirolimus_label")
    data["comedication"] = ["tacrolimus"]
    assert any("not a modifier group" in m for m in _problems(check_model, data))


def test_modifier_rules():
    data = _doc("pk_modifiers", "sirolimus")
    del data["modifiers"][0]["auc_ratio"]
    data["modifiers"][1]["name"] = data["modifiers"][2]["name"]
    data["modifiers"][3]["applies_to"] = "f_rel"
    problems = _problems(check_modifiers, data)
    assert any("needs 'auc_ratio'" in m for m in problems)
    assert any("also used" in m for m in problems)
    assert any("applies to cl_l_h" in m for m in problems)
