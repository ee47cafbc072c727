"""Shared test fixtures: English by default, progress files in a temporary folder."""

import pytest

import mtorlib


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    monkeypatch.setenv("MTORLIB_PROGRESS", str(tmp_path / "progress.json"))
    mtorlib.set_language("en")
    yield
    mtorlib.set_language("en")
