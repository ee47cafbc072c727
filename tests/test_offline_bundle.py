"""The offline chart bundle: built once, cached on disk, read back once per process; a broken
cached file (empty, cut short, not UTF-8) is built again. The slow vl-convert build is mocked,
except in the one test that compares with what Altair builds itself."""

import os
import subprocess
import sys

import pytest

from mtorlib.charts import offline

FAKE = "x" * offline.MIN_BUNDLE_CHARS  # as long as a real bundle


@pytest.fixture(autouse=True)
def fresh_memo():
    """Each test starts without the per-process memo and leaves none behind (it may hold a fake)."""
    offline.chart_bundle.cache_clear()
    yield
    offline.chart_bundle.cache_clear()


@pytest.fixture
def builds(tmp_path, monkeypatch):
    """The cache under ``tmp_path/cache``; returns the list of fake builds made."""
    monkeypatch.setenv("MTORLIB_CACHE", str(tmp_path / "cache"))
    built = []
    monkeypatch.setattr(offline, "_bundle", lambda src, vl: built.append(vl) or f"{FAKE} {vl}")
    return built


def _cached(tmp_path):
    [path] = (tmp_path / "cache").glob("jupyterchart-*.js")
    return path


def test_chart_bundle_is_built_once_then_read_from_the_cache(tmp_path, builds):
    first = offline.chart_bundle()
    assert first.startswith(FAKE) and len(builds) == 1
    assert _cached(tmp_path).read_text(encoding="utf-8") == first
    offline.chart_bundle.cache_clear()  # a new process: read from the file, not built
    assert offline.chart_bundle() == first and len(builds) == 1


def test_chart_bundle_is_memoised_per_process(tmp_path, builds):
    first = offline.chart_bundle()
    _cached(tmp_path).unlink()
    assert offline.chart_bundle() is first and len(builds) == 1


@pytest.mark.parametrize("content", [b"", b"var vega = 1;", b"\xff\xfe" * 60_000])
def test_a_broken_cached_bundle_is_built_again(tmp_path, builds, content):
    offline.chart_bundle()
    path = _cached(tmp_path)
    path.write_bytes(content)  # emptied, cut short or not UTF-8
    offline.chart_bundle.cache_clear()
    again = offline.chart_bundle()
    assert again.startswith(FAKE) and len(builds) == 2
    assert path.read_text(encoding="utf-8") == again


def test_chart_bundle_works_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MTORLIB_CACHE", str(blocker))
    monkeypatch.setattr(offline, "_bundle", lambda src, vl: "bundle")
    assert offline.chart_bundle() == "bundle"
    assert list(tmp_path.iterdir()) == [blocker]


BUNDLE_PROBE = """
import altair as alt
from mtorlib.charts import offline
ours = offline.chart_bundle()
alt.JupyterChart.enable_offline()
print(ours == alt.JupyterChart._esm, len(ours))
"""


@pytest.mark.slow
def test_cached_chart_bundle_is_what_altair_builds(tmp_path):
    env = {**os.environ, "MTORLIB_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", BUNDLE_PROBE], capture_output=True, text=True,
                         check=True, env=env, timeout=300)
    same, size = out.stdout.split()
    assert same == "True" and int(size) > offline.MIN_BUNDLE_CHARS  # Vega, Vega-Lite, vega-embed
