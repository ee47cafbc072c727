"""The mechanism as data: the pathway rule, the per-drug effects, the illustrative Emax curve and
the PK→PD scenario."""

import copy
from types import SimpleNamespace

import numpy as np
import pytest

from mtorlib import evidence, mechanism, pk, regimen, validate
from mtorlib.content import paths
from mtorlib.scenarios.pkpd import PkpdSettings, run_pkpd


def problems(data):
    return list(mechanism.check_pathway(SimpleNamespace(data=data), None))


@pytest.mark.slow
def test_the_shipped_pathway_is_valid_and_every_ref_resolves():
    assert not [p for p in validate() if "mechanism" in str(p)]
    data = mechanism.load_pathway()
    assert problems(data) == []
    refs = {r for section in ("nodes", "edges", "facts", "affinities") for c in data[section]
            for r in c["refs"]}
    refs |= {r for d in data["drugs"] for e in d["effects"] for r in e["refs"]}
    for ref in refs:
        assert evidence.citation(ref)  # LookupError for an unknown source


def test_rule_catches_a_claim_without_refs():
    data = copy.deepcopy(mechanism.load_pathway())
    del data["edges"][0]["refs"]
    data["drugs"][0]["effects"][1]["refs"] = []
    found = problems(data)
    assert (("edges", 0, "refs"), "every claim needs refs (a consensus number or a source id)") in found
    assert any(p[0] == ("drugs", 0, "effects", 1, "refs") for p in found)


def test_rule_catches_edges_and_effects_naming_unknown_nodes():
    data = copy.deepcopy(mechanism.load_pathway())
    data["edges"][0]["to"] = "nfat"
    data["drugs"][2]["effects"][0]["node"] = "il2_gene"
    found = dict(problems(data))
    assert "unknown node 'nfat'" in found[("edges", 0, "to")]
    assert "unknown node 'il2_gene'" in found[("drugs", 2, "effects", 0, "node")]


def test_rule_catches_a_duplicate_node():
    data = copy.deepcopy(mechanism.load_pathway())
    data["nodes"].append(dict(data["nodes"][0]))
    assert any("appears twice" in msg for _, msg in problems(data))


def test_validator_reports_a_broken_pathway_file(tmp_path):
    text = (paths.DATA_DIR / "mechanism.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "mechanism.yaml"
    bad.write_text(text.replace("  - {from: fkbp12, to: fkbp12_drug", "  - {from: fkbp99, to: fkbp12_drug"),
                   encoding="utf-8")
    found = [str(p) for p in validate([bad])]
    assert any("fkbp99" in p for p in found)


def states(drug):
    return mechanism.effects(drug, "en").set_index("node")


def test_sirolimus_and_everolimus_inhibit_mtorc1_not_calcineurin():
    for drug in ("sirolimus", "everolimus"):
        e = states(drug)
        assert e.loc["mtorc1", "effect"] == "inhibited" and e.loc["mtorc1", "inhibited"]
        assert e.loc["calcineurin", "effect"] == "not_affected"
        assert not e.loc["calcineurin", "inhibited"]
        assert e.loc["s6k1", "inhibited"] and e.loc["eif4ebp1", "inhibited"]


def test_calcineurin_inhibitors_inhibit_calcineurin_not_mtorc1():
    for drug in ("cyclosporine", "tacrolimus"):
        e = states(drug)
        assert e.loc["calcineurin", "effect"] == "inhibited"
        assert e.loc["mtorc1", "effect"] == "not_affected" and not e.loc["mtorc1", "inhibited"]
    assert "fkbp12" in states("tacrolimus").index and "fkbp12" not in states("cyclosporine").index
    assert states("cyclosporine").loc["cyclophilin", "effect"] == "bound"


def test_mtorc2_only_for_sirolimus_and_with_long_exposure():
    e = states("sirolimus")
    assert e.loc["mtorc2", "effect"] == "inhibited" and "4 weeks" in e.loc["mtorc2", "why"]
    assert "mtorc2" not in states("everolimus").index  # not stated by the sources
    s = mechanism.node_states("everolimus", "en").set_index("node")
    assert s.loc["mtorc2", "effect"] == mechanism.NOT_STATED and not s.loc["mtorc2", "inhibited"]


def test_effects_frame_shape_and_languages():
    e = mechanism.effects("sirolimus", "zh")
    assert list(e.columns) == ["node", "effect", "inhibited", "why", "refs"]
    assert all(isinstance(r, tuple) and r for r in e["refs"])
    assert "钙调磷酸酶" in " ".join(e["why"])
    with pytest.raises(mechanism.MechanismError, match="allowed: sirolimus, everolimus"):
        mechanism.effects("rapamycin")


def test_affinities_match_the_fact_sheet():
    a = mechanism.affinities("en")
    assert a["kd_nm"].tolist() == [0.2, 26000.0, 12.0]
    assert round(a.loc[1, "kd_nm"] / a.loc[2, "kd_nm"]) == 2167  # "about 2000-fold"


def test_layout_and_edges_come_from_the_data():
    n = mechanism.nodes("en").set_index("node")
    e = mechanism.edges("en")
    first = e.iloc[0]
    assert (first.x, first.y) == (n.loc[first.source, "x"], n.loc[first.source, "y"])
    assert (first.x2, first.y2) == (n.loc[first.target, "x"], n.loc[first.target, "y"])


def test_emax_is_half_at_ec50_and_saturates():
    f = dict(ec50_ng_ml=5.0, emax_percent=100.0, hill=1.0)
    assert mechanism.emax_effect(5.0, **f) == pytest.approx(50.0)
    assert mechanism.emax_effect(0.0, **f) == 0.0
    assert mechanism.emax_effect(np.array([45.0]), **f)[0] == pytest.approx(90.0)
    assert mechanism.emax_effect(10.0, ec50_ng_ml=5, emax_percent=80, hill=2) == pytest.approx(64.0)
    with pytest.raises(mechanism.MechanismError, match="ec50_ng_ml"):
        mechanism.emax_effect(1.0, ec50_ng_ml=0, emax_percent=100, hill=1)
    with pytest.raises(mechanism.MechanismError, match="conc_ng_ml"):
        mechanism.emax_effect(-1.0, **f)


def test_didactic_parameters_are_labelled_in_both_languages():
    p = mechanism.didactic_parameters()
    assert "ILLUSTRATIVE, NOT SOURCED" in p["note"]["en"] and "仅为示意" in p["note"]["zh"]
    assert any("IC50" in t for t in mechanism.not_sourced("en"))


def test_pkpd_scenario_uses_the_pk_engine():
    s = PkpdSettings.from_data()
    r = run_pkpd(s)
    events = regimen.repeated(dose_mg=s.dose_mg, every_h=s.every_h, n_doses=14, loading_mg=s.loading_mg)
    expected = pk.simulate(s.model_id, events, times_h=r.frame["time_h"].to_numpy())
    np.testing.assert_allclose(r.frame["conc_ng_ml"], expected["conc_ng_ml"], rtol=1e-12)
    np.testing.assert_allclose(
        r.frame["effect_percent"],
        100 * r.frame["conc_ng_ml"] / (s.ec50_ng_ml + r.frame["conc_ng_ml"]), rtol=1e-12)
    assert r.last_trough_ng_ml == pytest.approx(r.frame["conc_ng_ml"].iloc[-1])


def test_check_sentences_read_the_data_in_both_languages():
    assert mechanism.not_sourced_summary("en").startswith(f"{len(mechanism.not_sourced('en'))} things")
    en, zh = mechanism.target_sentences("en"), mechanism.target_sentences("zh")
    assert len(en) == len(zh) == len(mechanism.drugs())
    assert en[0] == "Sirolimus: mTORC1 inhibited; calcineurin not affected"
    assert "受抑制" in zh[0] and "_" not in "".join(en + zh)  # no raw effect ids
