"""tools/slides.py (RISE slide metadata from notebook structure) and ``setup-jupyter --locale``."""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from mtorlib.__main__ import main as cli

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("slides_tool", ROOT / "tools" / "slides.py")
slides = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slides)
WIDGET = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
          "data": {slides.WIDGET_MIME: {"model_id": "x", "version_major": 2, "version_minor": 0},
                   "text/plain": ["VBox()"]}}


def md(text):
    return nbformat.v4.new_markdown_cell(text)


def code(text, outputs=()):
    cell = nbformat.v4.new_code_cell(text)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def test_rules_on_a_small_notebook():
    cells = [md("# Title / 标题\nintro"), md("text under the title"), code("x = 1"),
             md("## Idea two"), md("### A detail"), code("view().widget", [WIDGET]),
             md("What the widget showed"), code("print(2)"), code("case_player('a').widget"),
             md("  \n## Last")]
    assert slides.slide_types(cells) == ["slide", "-", "-", "slide", "subslide", "slide", "slide",
                                         "-", "slide", "slide"]


def test_widget_detection_prefers_outputs_over_source():
    printed = {"output_type": "stream", "name": "stdout", "text": "42\n"}
    assert not slides.shows_widget(code("view().widget", [printed]))  # ran, showed no widget
    assert slides.shows_widget(code("header = 1\nsetup_notebook()"))
    assert not slides.shows_widget(code("w = view().widget  # not displayed\nx = 1"))
    assert not slides.shows_widget(md("view().widget"))
    assert slides.heading_level(md("#hashtag, not a heading")) == 0


@pytest.mark.parametrize("stem", ["00_start_here", "05_itp"])
def test_tool_on_a_copy_changes_only_slide_metadata(tmp_path, stem):
    src = ROOT / "notebooks" / f"{stem}.ipynb"
    path = tmp_path / src.name
    shutil.copy(src, path)
    before = nbformat.read(path, as_version=4)
    assert slides.main([str(path)]) == 0
    after = nbformat.read(path, as_version=4)
    kinds = [c.metadata["slideshow"]["slide_type"] for c in after.cells]
    assert kinds[0] == "slide" and set(kinds) <= {"slide", "subslide", "-"}
    for old, new in zip(before.cells, after.cells, strict=True):
        # every widget sits alone: it starts a slide and whatever follows starts the next one
        if slides.shows_widget(old):
            assert new.metadata["slideshow"]["slide_type"] == "slide"
        if slides.heading_level(old) in (1, 2):
            assert new.metadata["slideshow"]["slide_type"] == "slide"
        stripped, was = copy.deepcopy(new), copy.deepcopy(old)
        del stripped.metadata["slideshow"]
        was.metadata.pop("slideshow", None)  # the stored notebooks already carry it
        assert stripped == was  # sources, outputs and other metadata untouched
    widget_at = [i for i, c in enumerate(before.cells) if slides.shows_widget(c)]
    assert widget_at, f"{stem} displays no widget"
    for i in widget_at:
        if i + 1 < len(kinds):
            assert kinds[i + 1] == "slide"
    assert 3 <= kinds.count("slide") < len(kinds)  # several slides, not one slide per cell
    assert slides.main(["--check", str(path)]) == 0  # now up to date
    assert slides.main([str(path)]) == 0 and nbformat.read(path, as_version=4) == after


def test_check_names_stale_notebooks_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[md("# T"), code("x = 1")]), path)
    text = path.read_text(encoding="utf-8")
    assert slides.main(["--check", str(path)]) == 1
    assert "nb.ipynb: need slide metadata" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == text


def test_setup_jupyter_locale_is_an_option_not_the_default(tmp_path, capsys):
    target = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert cli(["setup-jupyter", str(tmp_path)]) == 0
    plain = json.loads(target.read_text(encoding="utf-8"))
    assert "@jupyterlab/translation-extension:plugin" not in plain
    assert plain["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert plain["jupyterlab-rise:plugin"] == {"theme": "white"}  # no Google Fonts in slides
    assert cli(["setup-jupyter", str(tmp_path), "--locale", "zh_CN"]) == 0
    zh = json.loads(target.read_text(encoding="utf-8"))
    assert zh["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    assert zh["@jupyterlab/apputils-extension:notification"] == plain[
        "@jupyterlab/apputils-extension:notification"]
    with pytest.raises(SystemExit) as exc:
        cli(["setup-jupyter", str(tmp_path), "--locale", "zh_TW"])
    assert exc.value.code == 2 and "invalid choice: 'zh_TW'" in capsys.readouterr().err
