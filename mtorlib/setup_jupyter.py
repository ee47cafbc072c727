"""Offline JupyterLab settings for a virtual environment: ``python -m mtorlib.setup_jupyter VENV``.

Writes ``VENV/share/jupyter/lab/settings/overrides.json`` so that JupyterLab never fetches news or
checks for updates (no network at run time), and sets the light theme with a larger font for
projection in class.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Light"},
}


def write_overrides(prefix: Path) -> Path:
    """Write the overrides file under ``prefix`` (a venv or ``sys.prefix``); returns its path."""
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(OVERRIDES, indent=2) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(f"wrote {write_overrides(Path(sys.argv[1] if len(sys.argv) > 1 else sys.prefix))}")
