"""Shared test fixtures: English by default, progress files and caches in temporary folders.

Widgets are closed after each test: ipywidgets keeps every open widget alive, and each live view
re-renders on a language switch, so without closing them every later switch would redraw them all.
The per-user cache (``MTORLIB_CACHE``: checked content, the offline chart bundle) is one temporary
folder per test session, so a run neither reads nor fills the user's own cache.
"""

import ipywidgets
import pytest
from hypothesis import settings

import mtorlib

# Property tests draw their examples from a fixed seed and keep no example database (which would
# be written into the repository as .hypothesis/): the same examples on every run and machine.
settings.register_profile("mtorlib", database=None, derandomize=True)
settings.load_profile("mtorlib")


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("mtorlib-cache")


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch, _session_cache):
    monkeypatch.setenv("MTORLIB_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv("MTORLIB_CACHE", str(_session_cache))
    mtorlib.set_language("en")
    yield
    ipywidgets.Widget.close_all()
    mtorlib.set_language("en")
