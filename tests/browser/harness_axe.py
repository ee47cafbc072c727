"""Accessibility checks with axe-core 4, run inside the page.

axe-core comes from the npm registry: :func:`axe_script` installs it once into
``~/.cache/mtorlib-test/axe`` (``$XDG_CACHE_HOME`` respected; ``MTORLIB_AXE`` names another
``axe.min.js``), so later runs are offline. :func:`audit` injects it and splits each violation's
elements into the suite's own (inside a notebook output area, a widget, an ``mtor-*`` element or
a chart), what JupyterLab/Voila own (menus, toolbars, the notebook panel, prompts) and the
inside of ipywidgets' slider (noUiSlider's handle, which ipywidgets 8 renders without an
accessible name; the slider's visible description labels it and it works by keyboard).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SUITE = ".jp-OutputArea-output, [class*='widget-'], [class*='mtor-'], .vega-embed"
LIBRARY = ".noUi-target"  # ipywidgets' slider internals
BLOCKING = ("critical", "serious")

# Run axe on the whole document and tag each offending element as the suite's or the page's.
AUDIT = """async ([suite, library]) => {
  const res = await axe.run(document, {resultTypes: ['violations'], elementRef: true});
  const owner = (e) => !e ? 'page' : e.closest(library) ? 'ipywidgets'
    : e.closest(suite) && !e.closest('.jp-OutputPrompt') ? 'suite' : 'page';
  return res.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({owner: owner(n.element),
                              html: n.html.slice(0, 200),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}"""


def _cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mtorlib-test" / "axe"


def axe_script() -> Path | str:
    """Path of ``axe.min.js`` (installed with npm on first use), or a string saying why not."""
    if os.environ.get("MTORLIB_AXE"):
        return Path(os.environ["MTORLIB_AXE"])
    folder = _cache()
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (Debian: apt-get install nodejs npm), so axe-core is missing"
    folder.mkdir(parents=True, exist_ok=True)
    out = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                          "--no-save", "axe-core@4"], capture_output=True, text=True, timeout=300)
    if out.returncode != 0 or not script.is_file():
        return f"`npm install axe-core@4` failed:\n{out.stderr[-1500:]}"
    return script


def audit(page, script: Path) -> list[dict]:
    """Inject axe-core into ``page`` and return its violations (each node tagged ``suite``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    return page.evaluate(AUDIT, [SUITE, LIBRARY])


def counts(violations: list[dict]) -> dict:
    """``{owner: {rule: n}}`` (owners ``suite``, ``ipywidgets``, ``page``), ``rule`` as
    ``id/impact``."""
    out: dict = {"suite": {}, "ipywidgets": {}, "page": {}}
    for v in violations:
        for node in v["nodes"]:
            side = out[node["owner"]]
            key = f"{v['id']}/{v['impact']}"
            side[key] = side.get(key, 0) + 1
    return out


def blocking(label: str, violations: list[dict]) -> list[str]:
    """Messages for every critical/serious violation on one of the suite's own elements."""
    found = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            if node["owner"] == "suite":
                found.append(f"{label}: axe {v['impact']} {v['id']} ({v['help']}): "
                             f"{node['html']}\n    {node['summary']}")
    return found
