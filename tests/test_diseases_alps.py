"""ALPS: the revised NIH 2009 criteria as data and the pure classifier."""

import pytest

from mtorlib.content import check_paths
from mtorlib.content.paths import DATA_DIR
from mtorlib.diseases import alps

DEFINITIVE = {"lymphoproliferation_months": 14, "malignancy_infection_excluded": True,
              "dnt_pct_lymphocytes": 4.2, "lymphocytes_normal_or_raised": True,
              "pathogenic_variant_gene": "FAS"}
REQUIRED_ONLY = {k: v for k, v in DEFINITIVE.items() if k != "pathogenic_variant_gene"}


def status(c):
    return dict(zip(c.criteria["criterion"], c.criteria["status"], strict=True))


def test_definitive_with_a_fas_variant():
    c = alps.classify(DEFINITIVE)
    assert c.result == "definitive" and c.count("required") == 2 and c.count("primary_accessory") == 1
    assert c.label("en") == "Definitive ALPS" and c.label("zh") == "确诊ALPS"
    assert status(c)["biomarker"] == "not_tested"


@pytest.mark.parametrize("gene", ["FAS", "FASLG", "CASP10"])
def test_each_primary_gene_counts_and_other_genes_do_not(gene):
    assert alps.classify(REQUIRED_ONLY | {"pathogenic_variant_gene": gene}).result == "definitive"
    other = alps.classify(REQUIRED_ONLY | {"pathogenic_variant_gene": "other"})
    assert other.result == "not_alps" and status(other)["pathogenic_variant"] == "not_met"


def test_two_apoptosis_assays_are_needed():
    assert alps.classify(REQUIRED_ONLY | {"apoptosis_defect_assays": 1}).result == "not_alps"
    assert alps.classify(REQUIRED_ONLY | {"apoptosis_defect_assays": 2}).result == "definitive"


@pytest.mark.parametrize(("finding", "at", "above"), [
    ("sfasl_pg_ml", 200, 201), ("il10_pg_ml", 20, 21), ("b12_ng_l", 1500, 1501), ("il18_pg_ml", 500, 501)])
def test_biomarker_thresholds_are_strict(finding, at, above):
    assert alps.classify(REQUIRED_ONLY | {finding: at}).result == "not_alps"
    assert alps.classify(REQUIRED_ONLY | {finding: above}).result == "probable"


def test_cytopenia_counts_only_with_polyclonal_hypergammaglobulinaemia():
    alone = alps.classify(REQUIRED_ONLY | {"autoimmune_cytopenia": True})
    assert alone.result == "not_alps" and status(alone)["cytopenia_hypergamma"] == "not_tested"
    both = alps.classify(REQUIRED_ONLY | {"autoimmune_cytopenia": True,
                                          "polyclonal_hypergammaglobulinemia": True})
    assert both.result == "probable"


def test_primary_beats_secondary():
    assert alps.classify(DEFINITIVE | {"family_history": True}).result == "definitive"


@pytest.mark.parametrize(("change", "failed"), [
    ({"lymphoproliferation_months": 6}, "chronic_lymphoproliferation"),  # must be > 6 months
    ({"malignancy_infection_excluded": False}, "chronic_lymphoproliferation"),
    ({"dnt_pct_lymphocytes": 1.49, "dnt_pct_cd3": 2.0}, "raised_dnt"),
    ({"lymphocytes_normal_or_raised": False}, "raised_dnt"),
])
def test_a_required_criterion_missing_means_not_alps_even_with_a_variant(change, failed):
    c = alps.classify(DEFINITIVE | change)
    assert c.result == "not_alps" and status(c)[failed] == "not_met"
    assert "lymphoma" in c.explanation("en")


def test_dnt_thresholds_either_of_lymphocytes_or_of_cd3():
    base = {k: v for k, v in DEFINITIVE.items() if k != "dnt_pct_lymphocytes"}
    assert alps.classify(base | {"dnt_pct_lymphocytes": 1.5}).result == "definitive"  # >= 1.5 %
    assert alps.classify(base | {"dnt_pct_lymphocytes": 1.2, "dnt_pct_cd3": 2.5}).result == "definitive"
    assert alps.classify(base | {"dnt_pct_lymphocytes": 1.2, "dnt_pct_cd3": 2.4}).result == "not_alps"


def test_the_mimic_case_is_not_alps_and_nothing_entered_is_not_tested():
    c = alps.classify({"lymphoproliferation_months": 2, "dnt_pct_lymphocytes": 1.2, "dnt_pct_cd3": 2.0})
    assert c.result == "not_alps" and c.count("required") == 0
    empty = alps.classify({})
    assert empty.result == "not_alps" and set(empty.criteria["status"]) == {"not_tested"}
    assert alps.classify({"dnt_pct_cd3": None}).result == "not_alps"  # None = not tested
    # below one DNT threshold with the other untested: not met yet, but only "not tested"
    partial = alps.classify(DEFINITIVE | {"dnt_pct_lymphocytes": 1.2})
    assert partial.result == "not_alps" and status(partial)["raised_dnt"] == "not_tested"


def test_frames_follow_the_language():
    zh = alps.criteria_frame("zh")
    assert list(zh.columns) == ["criterion", "group", "label", "refs"] and len(zh) == 8
    assert "1.5%" in zh.set_index("criterion").loc["raised_dnt", "label"]
    assert list(zh["group"]).count("required") == 2
    f = alps.findings_frame("en").set_index("finding")
    assert f.loc["pathogenic_variant_gene", "choices"] == ("FAS", "FASLG", "CASP10", "other", "none")
    assert f.loc["dnt_pct_cd3", "max"] == 100


@pytest.mark.parametrize(("findings", "message"), [
    ({"dnt": 2}, "unknown finding 'dnt'; allowed: lymphoproliferation_months"),
    ({"dnt_pct_lymphocytes": 120}, "dnt_pct_lymphocytes must be a finite number >= 0 and <= 100; got 120"),
    ({"dnt_pct_lymphocytes": "4"}, "dnt_pct_lymphocytes must be a finite number"),
    ({"family_history": "yes"}, "family_history must be true or false; got 'yes'"),
    ({"pathogenic_variant_gene": "fas"}, "must be one of FAS, FASLG, CASP10, other, none; got 'fas'"),
    ([("dnt_pct_cd3", 3)], "findings must be a mapping"),
])
def test_bad_findings_name_the_problem(findings, message):
    with pytest.raises(alps.AlpsError, match=message.replace("(", r"\(")):
        alps.classify(findings)


def test_criteria_rule_catches_a_bad_condition(tmp_path):
    text = (DATA_DIR / "alps_criteria.yaml").read_text("utf-8")
    bad = text.replace("{finding: family_history, op: is_true}",
                       "{finding: family_history, op: '>', value: 1}")
    bad = bad.replace("{finding: il18_pg_ml, op: \">\", value: 500}",
                      "{finding: il_18, op: \">\", value: 500}")
    path = tmp_path / "alps_criteria.yaml"
    path.write_text(bad, "utf-8")
    messages = [p.message for p in check_paths([path])]
    assert any("op '>' does not suit a boolean finding" in m for m in messages)
    assert any("finding 'il_18' is not declared" in m for m in messages)
