"""PRCA: sourced response rates over months (published figures only, nothing interpolated)."""

import math

import pytest

from mtorlib.content import check_paths
from mtorlib.content.paths import DATA_DIR
from mtorlib.diseases import prca


def test_huang_rates_are_the_published_ones_and_start_at_zero():
    f = prca.response_over_months(lang="en")
    huang = f[f.study == "Huang 2022"]
    orr = huang[huang.measure == "orr"][["month", "percent", "basis"]].values.tolist()
    assert orr == [[0.0, 0.0, "start"], [3.0, 60.9, "reported"], [6.0, 84.4, "reported"],
                   [12.0, 73.5, "reported"]]
    cr = huang[huang.measure == "cr"]["percent"].tolist()
    assert cr == [0.0, 50.0, 65.6, 66.0]
    assert set(huang["n"]) == {64} and set(huang["refs"]) == {"[18]"}


def test_median_time_gives_one_derived_point_half_of_the_responders():
    f = prca.response_over_months(measure="orr", lang="en")
    long = f[f.study == "Long 2018"]
    derived = long[long.basis == "derived_median"].iloc[0]
    assert derived["month"] == 4 and derived["percent"] == pytest.approx(76.2 / 2)
    assert len(long) == 2  # start + derived: no invented months
    assert long[long.basis == "derived_median"].shape[0] == 1
    assert prca.response_over_months(measure="cr")["basis"].ne("derived_median").all()


def test_cyclosporine_has_no_time_course_and_says_why():
    f = prca.response_over_months(lang="en")
    assert "cyclosporine" not in set(f["arm"])
    untimed = prca.untimed_rates("en")
    csa = untimed[untimed.arm == "cyclosporine"].set_index("study")
    assert csa.loc["Meta-analysis 2023", "percent"] == 74 and csa.loc["Medicine 2019", "percent"] == 76.2
    meta = untimed[(untimed.arm == "sirolimus_after_csa") & (untimed.study == "Meta-analysis 2023")].iloc[0]
    assert (meta["percent"], meta["ci_low"], meta["ci_high"], meta["n"]) == (87, 68, 100, 64)
    assert math.isnan(csa.loc["Meta-analysis 2023", "n"])
    gaps = prca.not_found("en")
    assert any("cyclosporine" in g and "no point can be derived" in g for g in gaps)
    assert any("[19]" in g for g in gaps)


def test_relapse_and_withdrawal():
    rel = prca.relapse_frame("en").iloc[0]
    assert (rel["study"], rel["percent"], rel["events"], rel["of"], rel["median_followup_months"]) == (
        "Huang 2022", 14.8, 8, 54, 14.5)
    statement, refs = prca.withdrawal("zh")
    assert "过早停用" in statement and refs == "[17] [18]"


def test_language_and_bad_measure():
    assert set(prca.response_over_months(lang="zh")["arm_label"]) == {"环孢素失败后的西罗莫司"}
    with pytest.raises(prca.PrcaError, match="measure must be one of orr, cr or None; got 'ORR'"):
        prca.response_over_months(measure="ORR")


def test_response_rule_catches_inconsistent_figures(tmp_path):
    text = (DATA_DIR / "prca_response.yaml").read_text("utf-8")
    bad = text.replace("percent: 14.8, events: 8", "percent: 18.4, events: 8")
    bad = bad.replace("ci_percent: [68, 100]", "ci_percent: [88, 100]")
    bad = bad.replace("          - {measure: orr, percent: 76.2}\n          - {measure: cr, percent: 42.9}",
                      "          - {measure: cr, percent: 42.9}")
    path = tmp_path / "prca_response.yaml"
    path.write_text(bad, "utf-8")
    messages = [p.message for p in check_paths([path])]
    assert any("does not match 8/54" in m for m in messages)
    assert any("interval must contain the rate" in m for m in messages)
    assert any("needs an overall ORR" in m for m in messages)
