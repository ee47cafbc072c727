"""Scenario modules are pure (no charts, no widgets), and the package exports are lazy."""

import json
import subprocess
import sys

import pytest

UI_PACKAGES = ("altair", "ipywidgets", "anywidget")


def _loaded_after(statement: str) -> dict:
    """Which UI packages are imported after running ``statement`` in a fresh interpreter."""
    code = (f"import json, sys\n{statement}\n"
            f"print(json.dumps({{m: m in sys.modules for m in {UI_PACKAGES!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("statement", [
    "import mtorlib.scenarios.explorer, mtorlib.scenarios.coach, mtorlib.scenarios.bands",
    "from mtorlib.scenarios import ExplorerSettings, explore\nexplore(ExplorerSettings(days=2))",
    "import mtorlib.widgets, mtorlib.charts",  # lazy package exports
])
@pytest.mark.slow
def test_imports_no_ui_package(statement):
    assert _loaded_after(statement) == dict.fromkeys(UI_PACKAGES, False)


@pytest.mark.slow
def test_the_check_can_fail():
    """The probe does see a UI package when one is imported."""
    assert _loaded_after("from mtorlib.charts import concentration_time")["altair"] is True


def test_lazy_exports_resolve_to_the_builders():
    from mtorlib import charts, widgets
    from mtorlib.charts.monitoring import forecast
    from mtorlib.widgets.coach_view import tdm_coach

    assert widgets.tdm_coach is tdm_coach and charts.forecast is forecast
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = widgets.nothing
