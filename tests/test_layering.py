"""The house has floors: each module imports only from its own floor or the floors below it.

Floors, bottom to top (``docs/DEVELOPING.md`` explains them); the table below is the only place
they are written down. Domain and scenario modules never import a chart or widget library.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mtorlib"

# (floor, module prefixes); a module belongs to the floor of its longest matching prefix.
FLOORS = (
    (0, ("mtorlib.content", "mtorlib.checks", "mtorlib.startup", "mtorlib.lazy")),
    (1, ("mtorlib.i18n", "mtorlib.evidence", "mtorlib.regimen", "mtorlib.pk", "mtorlib.tdm",
         "mtorlib.cases", "mtorlib.quiz", "mtorlib.progress", "mtorlib.diseases",
         "mtorlib.mechanism", "mtorlib.plausibility", "mtorlib.safety")),
    (2, ("mtorlib.scenarios",)),
    (3, ("mtorlib.charts",)),
    (4, ("mtorlib.widgets", "mtorlib.handouts")),  # handouts: printed views (docs/DEVELOPING.md)
    # the command line and its output helpers; also the package root (mtorlib/__init__.py)
    (5, ("mtorlib.__main__", "mtorlib.cli_output")),
)
ROOT, ROOT_FLOOR = "mtorlib", 5
NAMES = {0: "content", 1: "domain", 2: "scenario", 3: "chart", 4: "widget", 5: "command line"}
VIEW_LIBRARIES = ("altair", "ipywidgets", "anywidget")  # charts and widgets only
MAX_PURE_FLOOR = 2


def floor_of(module: str) -> int | None:
    """The floor of a module; ``None`` if it is on none (the package root is on the top floor)."""
    if module == ROOT:
        return ROOT_FLOOR
    best = None
    for floor, prefixes in FLOORS:
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > len(best[1]):
                    best = (floor, prefix)
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(module: str, source: str, is_package: bool):
    """``(line, imported module)`` for every import anywhere in the source (functions too)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            if origin == "mtorlib" or (node.level and not node.module):
                for alias in node.names:  # from .. import pk: the module is mtorlib.pk
                    yield node.lineno, f"{origin}.{alias.name}"
            else:
                yield node.lineno, origin


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """What breaks the floors in one module's source."""
    own = floor_of(module)
    if own is None:
        return [f"{module}: not on any floor; add it to FLOORS in tests/test_layering.py"]
    out = []
    for line, target in imports(module, source, is_package):
        top = target.split(".")[0]
        if top in VIEW_LIBRARIES and own <= MAX_PURE_FLOOR:
            out.append(f"{module}:{line}: a {NAMES[own]} module imports {target}")
        if top != "mtorlib":
            continue
        floor = floor_of(target)
        floor = ROOT_FLOOR if floor is None else floor  # a name of the package root (mtorlib.validate)
        if floor > own:
            out.append(f"{module}:{line}: a {NAMES[own]} module imports {target} "
                       f"(a {NAMES[floor]} module, a floor above)")
    return out


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path


def test_every_module_stays_on_its_floor():
    problems, checked = [], 0
    for name, path in _modules():
        source = path.read_text(encoding="utf-8")
        problems += violations(name, source, path.name == "__init__.py")
        checked += sum(1 for _ in imports(name, source, path.name == "__init__.py"))
    assert problems == []
    assert checked > 200  # the walk really read the package


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("mtorlib.content.documents", "from ..pk import models", "imports mtorlib.pk (a domain module"),
    ("mtorlib.content.rules", "def f():\n    from mtorlib.cases import rules", "imports mtorlib.cases"),
    ("mtorlib.pk.models", "import altair as alt", "a domain module imports altair"),
    ("mtorlib.scenarios.explorer", "from ipywidgets import VBox", "a scenario module imports ipywidgets"),
    ("mtorlib.tdm.bayes", "from .. import widgets", "imports mtorlib.widgets (a widget module"),
    ("mtorlib.charts.pk", "from ..widgets import chrome", "imports mtorlib.widgets (a widget module"),
    ("mtorlib.regimen", "from . import validate", "imports mtorlib.validate (a command line module"),
    ("mtorlib.newthing", "", "not on any floor"),
])
def test_the_check_catches_an_upward_import(module, source, expected):
    found = violations(module, source)
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize(("module", "source"), [
    ("mtorlib.widgets.question_view", "from ..charts import render\nfrom .. import quiz\nimport ipywidgets"),
    ("mtorlib.charts.tdm", "import altair\nfrom ..i18n import tr"),
    ("mtorlib.tdm.bayes", "from .. import pk\nfrom ..content import load_kind\nimport numpy"),
    ("mtorlib.__main__", "from . import validate\nfrom .quiz.export import export"),
])
def test_the_check_allows_imports_downwards_and_sideways(module, source):
    assert violations(module, source) == []
