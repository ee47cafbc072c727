"""Reference lists: cited references found in text, rendered as readable Markdown, and each
notebook's list covering exactly what the notebook cites."""

import ast
from pathlib import Path

import nbformat
import pytest

from mtorlib import evidence

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_cited_refs_finds_known_refs_in_order():
    text = "See [8] and [rapamune_uspi_s2, 24]; a [link](x.ipynb), [unknown_id] and [8] again."
    assert evidence.cited_refs(text) == [8, "rapamune_uspi_s2", 24]
    assert evidence.cited_refs("no citation [58] [0]") == []


def test_reference_list_is_markdown_with_doi_links():
    text = evidence.reference_list([8, "rapamune_uspi_s2"])
    first, second = text.splitlines()
    assert first.startswith("- [8] Cheng X") and first.endswith(
        "[doi:10.1177/2058738420934936](https://doi.org/10.1177/2058738420934936)")
    assert second.startswith("- Rapamune US PI §2: Rapamune")  # the short citation the texts use
    with pytest.raises(LookupError, match="nowhere"):
        evidence.reference_list(["nowhere"])


def _cited_and_listed(name: str) -> tuple[set, list]:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    ref_cell = next(c for c in nb.cells if "evidence.reference_list" in c.source)
    listed = ast.literal_eval(ref_cell.source.split("=", 1)[1].split("\nMarkdown")[0].strip())
    texts = [c.source for c in nb.cells
             if c.cell_type == "markdown" and not c.source.startswith("## References")]
    texts += ["".join(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
              for c in nb.cells if c.cell_type == "code" and c is not ref_cell
              for o in c.get("outputs", [])]  # e.g. the assay table lists its sources
    return set(evidence.cited_refs("\n".join(texts))), listed


@pytest.mark.parametrize("name", ["02_pharmacokinetics.ipynb", "03_tdm.ipynb",
                                  "04_interactions_special_populations.ipynb"])
def test_each_notebook_lists_exactly_what_it_cites(name):
    cited, listed = _cited_and_listed(name)
    assert len(listed) == len(set(listed))
    assert sorted(map(str, cited - set(listed))) == []  # cited but not listed
    assert sorted(map(str, set(listed) - cited)) == []  # listed but never cited


def test_no_source_key_in_any_notebook_reference_list():
    """Every notebook's rendered list shows readable labels, never an internal source key."""
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cell = next((c for c in nb.cells if "evidence.reference_list" in c.source), None)
        if cell is None:
            continue
        listed = ast.literal_eval(cell.source[cell.source.index("["): cell.source.rindex("]") + 1])
        keys = [r for r in listed if isinstance(r, str)]
        for lang in ("en", "zh"):
            rendered = evidence.reference_list(listed, lang)
            assert [k for k in keys if k in rendered] == [], (path.name, lang)
            assert len(rendered.splitlines()) == len(listed)


def test_sources_without_author_have_a_journal_year_short_citation():
    assert evidence.short_citation("fortin2004_ajt") == "Am J Transplant 2004"
    assert evidence.short_citation("mtori_renal_ae_review_2013") == "J Immunol Res 2013"
    assert evidence.short_citation("banaszynski2005_jacs") == "Banaszynski et al. 2005"  # derived
