"""Notebook 09 (GVHD): Chinese typography of its Markdown, and a reference list that covers exactly
what its text cites (consensus numbers as [n], other sources by their short readable names)."""

import ast
import re
from pathlib import Path

import nbformat

from mtorlib import evidence
from mtorlib.content.typography import problems

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "09_gvhd.ipynb"


def _cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def _text() -> str:
    return "\n".join(c.source for c in _cells() if c.cell_type == "markdown"
                     and not c.source.startswith("## References"))


def _listed() -> list:
    cell = next(c for c in _cells() if "evidence.reference_list" in c.source)
    return ast.literal_eval(cell.source.split("=", 1)[1].split("\nMarkdown")[0].strip())


def test_markdown_typography():
    bad = [f"cell {i}: {p}" for i, c in enumerate(_cells()) if c.cell_type == "markdown"
           for p in problems(c.source)]
    assert bad == []


def test_reference_list_covers_exactly_the_citations():
    text, listed = _text(), _listed()
    assert len(listed) == len(set(listed))
    cited_numbers = {int(n) for group in re.findall(r"\[([\d, ]+)\]", text) for n in group.split(",")}
    assert cited_numbers == {r for r in listed if isinstance(r, int)}
    missing = [r for r in listed if isinstance(r, str) and evidence.short_citation(r, "en") not in text]
    assert missing == []  # every listed source is cited in the text by its short name
    assert not re.search(r"\[[a-z][a-z0-9_]+\]", text)  # no raw source ids left in learner text
