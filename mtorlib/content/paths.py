"""Where the suite's files live.

``content_dir()`` is the teaching content (``cases/`` in the repository; override with the
``MTORLIB_CONTENT`` environment variable, which replaces it as a whole; content packs in
``MTORLIB_CONTENT_PACKS`` add to it instead: :mod:`mtorlib.content.packs`). ``SCHEMA_DIR`` (the
JSON Schemas) and ``DATA_DIR`` (the engine data: PK parameter sets, interaction factors, UI
strings) ship inside the package, so a non-editable install (a wheel on a JupyterHub image) has them too.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


def content_dir() -> Path:
    """The teaching-content folder (``$MTORLIB_CONTENT`` or ``<repo>/cases``)."""
    return Path(os.environ.get("MTORLIB_CONTENT", REPO_DIR / "cases"))


def schema_dir() -> Path:
    """The JSON Schema folder inside the package (never overridden by content)."""
    return SCHEMA_DIR
