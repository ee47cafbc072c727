"""tools/run_notebook.py starts its kernel without lecturer mode: stored outputs carry no still
pictures, whatever the environment that runs the tool asks for."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("run_notebook_tool", ROOT / "tools" / "run_notebook.py")
run_notebook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_notebook)


def test_the_kernel_environment_drops_the_lecturer_switches(monkeypatch):
    monkeypatch.setenv("MTORLIB_LECTURER", "1")
    monkeypatch.setenv("QUERY_STRING", "lecturer=1")
    monkeypatch.setenv("MTORLIB_PROGRESS", "/tmp/x.json")
    env = run_notebook.kernel_env()
    assert "MTORLIB_LECTURER" not in env and "QUERY_STRING" not in env
    assert env["MTORLIB_PROGRESS"] == "/tmp/x.json" and env["PATH"] == os.environ["PATH"]
