"""Where the suite's files live.

``CONTENT_DIR`` is the teaching content (``cases/`` in the repository; override with the
``MTORLIB_CONTENT`` environment variable), ``SCHEMA_DIR`` its JSON Schemas, ``DATA_DIR`` the engine
data shipped inside the package (PK parameter sets, interaction factors, UI strings).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"


def content_dir() -> Path:
    """The teaching-content folder (``$MTORLIB_CONTENT`` or ``<repo>/cases``)."""
    return Path(os.environ.get("MTORLIB_CONTENT", REPO_DIR / "cases"))


def schema_dir() -> Path:
    """The JSON Schema folder, ``<repo>/cases/_schema`` (never overridden by content)."""
    return REPO_DIR / "cases" / "_schema"
