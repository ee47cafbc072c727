"""The PK explorer's comparison driven through its buttons (one view for the module).

Marked slow: every control change redraws the live chart through a JupyterChart (the state, labels,
metrics and chart data are tested fast and pure in ``test_scenario_compare.py``).
"""

import pytest

import mtorlib
from mtorlib import pk
from mtorlib.widgets import pk_explorer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def view():
    v = pk_explorer()
    v.controls["days"].value = 4
    yield v
    mtorlib.set_language("en")


@pytest.fixture(autouse=True)
def cleared(view):
    view.compare.clear.click()
    yield


def test_nothing_kept_draws_the_single_chart(view):
    assert view.table is None and view.compare.table.value == ""
    assert view.compare.clear.disabled and not view.compare.remove_buttons
    assert view.compare.widget in view.widget.children and view.notice in view.widget.children


def test_keep_three_then_the_fourth_is_refused_with_a_message(view):
    for dose in (2.0, 3.0, 4.0):
        view.controls["dose_mg"].value = dose
        view.compare.keep.click()
    view.controls["dose_mg"].value = 5.0
    assert view.compare.keep.disabled  # the button says it too
    view.keep()
    assert "at most 3" in view.compare.message.value and len(view.compare.kept.scenarios) == 3
    assert list(view.table["scenario"]) == ["Now: 5 mg", "Kept 1: 2 mg", "Kept 2: 3 mg", "Kept 3: 4 mg"]
    assert "<table" in view.compare.table.value and "90%" in view.compare.table.value
    assert "Trough day, this regimen" in view.compare.table.value  # two named times, both defined
    assert "Time to steady state, the drug&#x27;s" in view.compare.table.value
    assert [b.description for b in view.compare.remove_buttons] == [
        "Remove kept 1", "Remove kept 2", "Remove kept 3"]
    assert view.compare.remove.children == view.compare.remove_buttons  # all three shown


def test_remove_one_and_clear_all(view):
    for dose in (2.0, 3.0):
        view.controls["dose_mg"].value = dose
        view.keep()
    view.compare.remove_buttons[0].click()
    assert [sc.settings.dose_mg for sc in view.compare.kept.scenarios] == [3.0]  # the first went
    assert "1 scenario(s) kept" in view.compare.message.value
    view.compare.clear.click()
    assert view.compare.kept.scenarios == () and view.table is None
    assert "cleared" in view.compare.message.value


def test_kept_scenarios_are_not_simulated_again_on_a_slider_move(view, monkeypatch):
    view.keep()
    view.controls["loading_mg"].value = 6
    view.keep()
    kept = view.compare.kept.scenarios
    calls = []
    real = pk.simulate
    monkeypatch.setattr(pk, "simulate", lambda *a, **k: calls.append(1) or real(*a, **k))
    view.controls["dose_mg"].value = 2.5 if view.controls["dose_mg"].value != 2.5 else 3.0
    assert len(calls) == 1 and view.compare.kept.scenarios == kept  # only the live scenario
    assert view.table["scenario"].str.contains("loading dose 6 mg").sum() == 2
    view.controls["loading_mg"].value = 0


def test_language_switch_redraws_labels_table_and_buttons():
    view = pk_explorer()  # its own view: the shared one is closed after the first test (conftest),
    view.controls["days"].value = 4  # and a closed view no longer follows the language (i18n.follow)
    view.keep()
    view.controls["interaction"].value = "posaconazole"
    mtorlib.set_language("zh")
    try:
        assert list(view.table["scenario"]) == ["当前：泊沙康唑", "保留 1：无合用药物"]
        assert "达稳态时间" in view.compare.table.value and view.compare.keep.description == "保留此情景"
        assert "已保留" in view.compare.message.value
    finally:
        mtorlib.set_language("en")
    assert view.compare.keep.description == "Keep this scenario"
