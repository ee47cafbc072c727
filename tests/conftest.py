"""Shared test fixtures: English by default, progress files in a temporary folder, widgets closed.

Widgets are closed after each test: ipywidgets keeps every open widget alive, and each live view
re-renders on a language switch, so without closing them every later switch would redraw them all.
"""

import ipywidgets
import pytest

import mtorlib


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    monkeypatch.setenv("MTORLIB_PROGRESS", str(tmp_path / "progress.json"))
    mtorlib.set_language("en")
    yield
    ipywidgets.Widget.close_all()
    mtorlib.set_language("en")
