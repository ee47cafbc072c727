"""The start notebook's map links every notebook, and every link resolves."""

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _links():
    nb = nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return set(re.findall(r"\]\(([0-9]{2}_[a-z0-9_]+\.ipynb)\)", text))


def test_every_link_resolves():
    assert sorted(link for link in _links() if not (NOTEBOOKS / link).exists()) == []


def test_every_notebook_is_on_the_map():
    present = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")} - {"00_start_here.ipynb"}
    assert sorted(present - _links()) == []


def test_notebooks_are_stored_without_widget_state():
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert "widgets" not in nb.metadata, path.name
        assert path.stat().st_size < 1_000_000, path.name
