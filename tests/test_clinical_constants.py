"""Clinical constants: one sourced home for target windows and shown numbers, read by one function."""

import re
from pathlib import Path

import pytest

from mtorlib import pk, tdm
from mtorlib.content.documents import Document
from mtorlib.pk.constants import check_constants_doc

LIB = Path(__file__).resolve().parents[1] / "mtorlib"


@pytest.mark.parametrize(("drug", "indication", "window", "refs"), [
    # research sheets: pk_safety_facts §4.1-4.2 and disease_evidence §9
    ("sirolimus", None, (5.0, 15.0), (8, "bcf_itp_2024")),
    ("sirolimus", "itp_relapsed_refractory", (4.0, 15.0), (24,)),
    ("sirolimus", "itp_first_line", (5.0, 15.0), (25,)),
    ("sirolimus", "ctd_thrombocytopenia", (6.0, 15.0), (28, 30)),
    ("sirolimus", "alps", (2.0, 10.0), (34,)),
    ("sirolimus", "renal_transplant_ciclosporin", (4.0, 12.0), ("rapamune_eu_smpc_s42",)),
    ("everolimus", None, (3.0, 8.0), ("zortress_uspi",)),
    ("everolimus", "sega", (5.0, 15.0), ("afinitor_uspi",)),
])
def test_target_windows_match_the_research_sheets(drug, indication, window, refs):
    found = tdm.target_window(drug, indication)
    assert found.ng_ml == window and found.refs == refs
    assert found is pk.target_window(drug, indication)  # one function, two doors


def test_unknown_drug_or_indication_lists_what_exists():
    with pytest.raises(pk.UnknownNameError, match="sirolimus"):
        tdm.target_window("tacrolimus")
    with pytest.raises(pk.UnknownNameError, match="alps"):
        tdm.target_window("sirolimus", "lupus")


def test_defaults_follow_the_data():
    """Functions whose window is optional use the sourced default of the model's drug."""
    rec = tdm.recommend_dose(pk.load_model("sirolimus_cheng2020"), covariates={"weight_kg": 20})
    same = tdm.recommend_dose(pk.load_model("sirolimus_cheng2020"), covariates={"weight_kg": 20},
                              target_ng_ml=tdm.target_window("sirolimus").ng_ml)
    assert rec == same


def test_quantities_shown_by_the_notebooks():
    assert pk.quantity("sirolimus_blood_plasma_ratio_healthy").value == 36
    assert pk.quantity("sirolimus_blood_plasma_ratio_renal_tx").value == 38
    assert pk.quantity("sirolimus_mean_trough_2mg_ciclosporin").unit == "ng/mL"
    hsct = pk.quantity("sirolimus_posaconazole_hsct_conc_dose_ratio")
    assert hsct.value == 2.6 and hsct.refs == ("accp_2012_posaconazole",)
    with pytest.raises(pk.UnknownNameError, match="sirolimus_blood_plasma_ratio_healthy"):
        pk.quantity("plasma")


def _doc(windows, quantities=()):
    data = {"kind": "clinical_constants", "id": "clinical_constants",
            "target_windows": windows, "quantities": list(quantities)}
    return Document(Path("clinical_constants.yaml"), data, {})


def _window(**kw):
    return {"drug": "sirolimus", "indication": "x", "lo_ng_ml": 5, "hi_ng_ml": 15,
            "assay": "not_reported", "label": {"en": "x", "zh": "x"}, "refs": [8]} | kw


def test_content_rule_finds_each_problem():
    problems = list(check_constants_doc(_doc([
        _window(default=True), _window(lo_ng_ml=20), _window(drug="everolimus", indication="y"),
    ], [{"id": "q"}, {"id": "q"}]), None))
    messages = [m for _, m in problems]
    assert any("hi_ng_ml must be above" in m for m in messages)
    assert any("indication 'x' twice" in m for m in messages)
    assert any("everolimus must have exactly one default window; has 0" in m for m in messages)
    assert any("quantity id 'q' appears twice" in m for m in messages)
    assert list(check_constants_doc(_doc([_window(default=True)]), None)) == []


def test_no_module_types_the_default_window():
    """The 5-15 ng/mL window comes from the data only (it used to be typed in seven places)."""
    typed = re.compile(r"\(\s*5(\.0)?\s*,\s*15(\.0)?\s*\)")
    found = [str(p.relative_to(LIB)) for p in LIB.rglob("*.py")
             if typed.search(re.sub(r'""".*?"""|#[^\n]*', "", p.read_text("utf-8"), flags=re.S))]
    assert found == []
