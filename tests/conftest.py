"""Shared test fixtures: English by default, progress files and caches in temporary folders.

Widgets are closed after each test: ipywidgets keeps every open widget alive, and each live view
re-renders on a language switch, so without closing them every later switch would redraw them all.
The cache (``MTORLIB_CACHE``: checked content, the offline chart bundle) is the tests' own,
``~/.cache/mtorlib-test/cache`` (``$XDG_CACHE_HOME`` respected; ``MTORLIB_TEST_CACHE`` names
another), outside the repository and apart from the user's cache: a run neither reads nor fills
the user's own cache, and later runs and parallel workers reuse what the first one checked. Its
entries are keyed by the checked file's bytes and by the checking code's own hash, so a change to
either is checked afresh; tests of the cache itself use temporary folders.
"""

import os
from pathlib import Path

_CACHE_BASE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mtorlib-test"
# Hypothesis keeps a small constants cache in a storage folder (default: .hypothesis/ in the
# working directory, i.e. the repository): keep it beside the tests' other caches.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(_CACHE_BASE / "hypothesis"))

import ipywidgets  # noqa: E402 - after the storage folder is set
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

import mtorlib  # noqa: E402

# Property tests draw their examples from a fixed seed and keep no example database (which would
# be written into the repository as .hypothesis/): the same examples on every run and machine.
settings.register_profile("mtorlib", database=None, derandomize=True)
settings.load_profile("mtorlib")


@pytest.fixture(scope="session")
def _session_cache():
    folder = Path(os.environ.get("MTORLIB_TEST_CACHE") or _CACHE_BASE / "cache")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch, _session_cache):
    monkeypatch.setenv("MTORLIB_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv("MTORLIB_CACHE", str(_session_cache))
    mtorlib.set_language("en")
    yield
    ipywidgets.Widget.close_all()
    mtorlib.set_language("en")
