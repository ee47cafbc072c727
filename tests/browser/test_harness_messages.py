"""A timeout names the running cell: the harness reads it from the page (no server needed)."""

from __future__ import annotations

import pytest
from harness_pages import lab_run_all, run_state, voila_wait_rendered

pytestmark = pytest.mark.browser

# JupyterLab's DOM as the harness reads it: a markdown cell, two finished code cells, a running one.
LAB = """<div class="jp-Notebook">
 <div class="jp-Cell jp-MarkdownCell"><div class="cm-content"><div class="cm-line"># Title</div></div></div>
 <div class="jp-Cell jp-CodeCell"><div class="jp-InputPrompt">[1]:</div>
  <div class="cm-content"><div class="cm-line">import numpy as np</div></div></div>
 <div class="jp-Cell jp-CodeCell"><div class="jp-InputPrompt">[2]:</div>
  <div class="cm-content"><div class="cm-line">x = 1</div></div></div>
 <div class="jp-Cell jp-CodeCell"><div class="jp-InputPrompt">[*]:</div>
  <div class="cm-content"><div class="cm-line">fit = tdm.map_estimate(model)</div>
  <div class="cm-line">print(fit)</div></div></div>
 <div class="jp-Cell jp-CodeCell"><div class="jp-InputPrompt">[ ]:</div>
  <div class="cm-content"><div class="cm-line">show(fit)</div></div></div>
</div><div class="jp-Notebook-ExecutionIndicator" data-status="busy"></div>"""

VOILA = """<div id="loading"><h2 id="loading_text">Executing 3 of 4</h2></div>
<div id="rendered_cells" style="display: none"></div>"""


def test_lab_state_names_the_running_cell(new_page):
    page, _ = new_page("harness")
    page.set_content(LAB)
    assert run_state(page) == ("running cell 3 (code cell 3), first line "
                               "'fit = tdm.map_estimate(model)'; 2 of 4 code cells had completed; "
                               "kernel busy")


def test_lab_timeout_without_kernel_says_so(new_page):
    page, _ = new_page("harness")
    page.set_content(LAB)  # no JupyterLab app on the page: the kernel never becomes ready
    with pytest.raises(AssertionError, match="kernel to be ready.*'no kernel yet'|notebook not open"):
        lab_run_all(page, "nb (JupyterLab)", "nb.ipynb", 4, timeout_s=1, ready_timeout_s=1)


def test_voila_timeout_names_the_cell(new_page):
    page, _ = new_page("harness")
    page.set_content(VOILA)
    lines = ("markdown cell: # T", "code cell: import x", "code cell: slow()", "code cell: y")
    with pytest.raises(AssertionError) as err:
        voila_wait_rendered(page, "nb (Voila)", lines, timeout_s=1)
    assert "running cell 2 ('code cell: slow()'); the 2 cells before it had completed" in str(
        err.value)
