"""Label rules, rounding and assay conversion: worked examples and every error rule."""

import math

import pytest

from mtorlib import tdm
from mtorlib.content import check_paths
from mtorlib.content.paths import DATA_DIR
from mtorlib.tdm import assay


def test_proportional_rule_worked_examples():
    # label: new = current x target / measured
    assert tdm.proportional_dose(current_dose_mg=2, measured_ng_ml=4, target_ng_ml=8) == 4.0
    assert tdm.proportional_dose(current_dose_mg=3, measured_ng_ml=15, target_ng_ml=10) == 2.0
    assert math.isclose(tdm.proportional_dose(current_dose_mg=2, measured_ng_ml=4.6,
                                              target_ng_ml=10), 4.347826, rel_tol=1e-6)


def test_loading_dose_is_three_times_the_increase():
    plan = tdm.loading_dose(new_dose_mg=4, current_dose_mg=2)
    assert plan.loading_mg == 6.0 and float(plan) == 6.0
    assert plan.daily_mg == (10.0,) and plan.split_days == 1


def test_loading_dose_split_when_a_day_would_exceed_40_mg():
    plan = tdm.loading_dose(new_dose_mg=15, current_dose_mg=2)  # 39 mg + 15 mg = 54 mg > 40
    assert plan.loading_mg == 39.0
    assert plan.daily_mg == (34.5, 34.5)
    assert plan.loading_mg == 3 * (15 - 2)
    edge = tdm.loading_dose(new_dose_mg=10, current_dose_mg=0.5)  # 28.5 + 10 = 38.5 <= 40
    assert edge.daily_mg == (38.5,)


def test_no_loading_dose_when_not_increasing():
    plan = tdm.loading_dose(new_dose_mg=1, current_dose_mg=2)
    assert plan.loading_mg == 0.0 and plan.daily_mg == ()


def test_trough_timing_follows_the_label():
    assert not tdm.trough_timing(days=5).ready
    assert tdm.trough_timing(days=7).ready
    assert tdm.trough_timing(days=3, loading=True).ready
    assert not tdm.trough_timing(days=2, loading=True).ready
    assert tdm.trough_timing(days=7).hold_days == (7, 14)


def test_fraction_of_steady_state_closed_form():
    assert tdm.fraction_of_steady_state(62 / 24, half_life_h=62) == pytest.approx(0.5)
    # the fact sheet's derived 90 % time: 3.32 half-lives = 8.6 days for 62 h
    assert tdm.fraction_of_steady_state(3.32 * 62 / 24, half_life_h=62) == pytest.approx(0.9, abs=1e-3)
    assert tdm.fraction_of_steady_state(3, half_life_h=62) == pytest.approx(0.552, abs=1e-3)


@pytest.mark.parametrize(("dose", "form", "expected"), [
    (2.7, "tablet", 2.5), (2.75, "tablet", 3.0), (2.24, "tablet", 2.0), (0.1, "tablet", 0.5),
    (4.35, "tablet", 4.5), (2.34, "solution", 2.3), (0.04, "solution", 0.1),
])
def test_round_to_strength(dose, form, expected):
    assert tdm.round_to_strength(dose, form=form) == expected


def test_tablet_combination_uses_fewest_whole_tablets():
    assert tdm.tablet_combination(3.5) == {2.0: 1, 1.0: 1, 0.5: 1}
    assert tdm.tablet_combination(6) == {2.0: 3}
    with pytest.raises(tdm.TDMError, match="multiple of 0.5"):
        tdm.tablet_combination(1.2)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: tdm.proportional_dose(current_dose_mg=0, measured_ng_ml=4, target_ng_ml=8), "current_dose_mg"),
    (lambda: tdm.proportional_dose(current_dose_mg=2, measured_ng_ml=-1, target_ng_ml=8), "measured_ng_ml"),
    (lambda: tdm.proportional_dose(current_dose_mg=2, measured_ng_ml=4, target_ng_ml=float("nan")),
     "target_ng_ml"),
    (lambda: tdm.proportional_dose(current_dose_mg="2", measured_ng_ml=4, target_ng_ml=8), "current_dose_mg"),
    (lambda: tdm.loading_dose(new_dose_mg=-1, current_dose_mg=2), "new_dose_mg"),
    (lambda: tdm.loading_dose(new_dose_mg=45, current_dose_mg=2), "new_dose_mg"),
    (lambda: tdm.loading_dose(new_dose_mg=25, current_dose_mg=2), "no rule"),
    (lambda: tdm.loading_dose(new_dose_mg=4, current_dose_mg=True), "current_dose_mg"),
    (lambda: tdm.round_to_strength(2, form="capsule"), "form"),
    (lambda: tdm.round_to_strength(0), "dose_mg"),
    (lambda: tdm.trough_timing(days=-1), "days"),
])
def test_bad_values_raise_naming_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()


def test_errors_are_tdm_errors():
    assert issubclass(tdm.TDMError, ValueError)
    with pytest.raises(tdm.TDMError):
        tdm.loading_dose(new_dose_mg=float("inf"), current_dose_mg=1)


def test_assay_conversion_is_a_range_from_the_sources():
    lo, hi = assay.to_chromatographic(15.0, comparison="cmia_vs_lcmsms_sites")
    assert (lo, hi) == pytest.approx((15 / 1.39, 15 / 1.14))
    assert assay.to_immunoassay(10.0, comparison="rxl_vs_lcmsms_regression") == pytest.approx((11.3, 11.3))
    back = assay.to_chromatographic(11.3, comparison="rxl_vs_lcmsms_regression")
    with pytest.raises(tdm.TDMError, match="below the range"):
        assay.to_immunoassay(0.5, comparison="rxl_vs_lcmsms_regression")  # 1.2 x 0.5 - 0.7 < 0
    assert back == pytest.approx((10.0, 10.0))


def test_assay_window_table_and_errors():
    row = assay.convert_window((5, 15), comparison="cmia_vs_lcmsms_sites").iloc[0]
    assert row.lo_min_ng_ml < row.lo_max_ng_ml < 5 and row.hi_min_ng_ml < row.hi_max_ng_ml < 15
    table = assay.comparisons()
    assert (table.slope_low <= table.slope_high).all() and (table.slope_low > 1).all()
    with pytest.raises(tdm.TDMError, match="comparison"):
        assay.to_chromatographic(5, comparison="guess")
    with pytest.raises(tdm.TDMError, match="lo < hi"):
        assay.convert_window((15, 5), comparison="cmia_vs_lcmsms_sites")
    with pytest.raises(tdm.TDMError, match="direction"):
        assay.convert_window((5, 15), comparison="cmia_vs_lcmsms_sites", direction="sideways")


def test_assay_rule_catches_wrong_family(tmp_path):
    text = (DATA_DIR / "assay.yaml").read_text("utf-8")
    bad = tmp_path / "assay.yaml"
    bad.write_text(text.replace("    immunoassay: cmia\n", "    immunoassay: lc_ms_ms\n", 1), "utf-8")
    problems = check_paths([bad])
    assert any("expected immunoassay" in p.message for p in problems)
    assert not check_paths([DATA_DIR / "assay.yaml"])
