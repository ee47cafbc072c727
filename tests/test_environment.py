"""environment.yml (conda, Binder) names the same packages at the same versions as requirements/.

The pip locks (``requirements/lab.txt`` and ``test.txt``, compiled from ``pyproject.toml``) are the
source of truth; ``environment.yml`` and ``binder/environment.yml`` must pin Python 3.11 and every
direct dependency of ``[project.dependencies]`` at exactly the version of ``lab.txt``, and
``pytest`` and ``nbval`` at the version of ``test.txt`` (a lecturer checks a hub image with
``pytest --nbval-lax notebooks``); the other test tools stay out.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEST_ONLY = {"pytest", "nbval", "hypothesis", "playwright", "ruff"}
HUB_CHECK = {"pytest", "nbval"}  # test tools an image carries: pytest --nbval-lax notebooks


def norm(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_dependencies() -> set[str]:
    """Normalised names in ``[project.dependencies]`` of pyproject.toml."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {norm(re.split(r"[\s<>=!~;\[]", d, maxsplit=1)[0])
            for d in deps["project"]["dependencies"]}


def read_lock(text: str) -> dict[str, str]:
    """``{name: version}`` from a pip-compile/uv lock file (``name==version`` lines)."""
    pins = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)", line)
        if m:
            pins[norm(m.group(1))] = m.group(3)
    return pins


def read_environment(text: str) -> tuple[dict[str, str], list[str]]:
    """``({name: pin}, problems)`` from an environment.yml; pins of conda and pip entries.

    A conda entry ``name==1.2`` or ``name=1.2`` and a pip entry ``name==1.2`` give ``1.2``; an
    unpinned entry gives ``""``. ``python`` is kept under its own name.
    """
    pins, problems = {}, []
    for entry in yaml.safe_load(text).get("dependencies", []):
        if isinstance(entry, dict):
            items = [(s, "pip") for s in entry.get("pip", [])]
        else:
            items = [(entry, "conda")]
        for spec, where in items:
            if spec.startswith("-"):  # -e . / -r file: not a package pin
                continue
            m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(={1,2}\s*([^=\s]+))?", spec)
            if not m:
                problems.append(f"unreadable {where} entry {spec!r}")
                continue
            name = norm(m.group(1))
            if name in pins:
                problems.append(f"{name} listed twice")
            pins[name] = m.group(3) or ""
    return pins, problems


def drift(env_text: str, lock: dict[str, str], direct: set[str], test_lock: dict[str, str]) -> list[str]:
    """Every way an environment.yml text disagrees with the locks; empty when in sync."""
    pins, problems = read_environment(env_text)
    if pins.get("python") != "3.11":
        problems.append(f"python must be pinned to 3.11; got {pins.get('python')!r}")
    for name in sorted(direct):
        if name not in pins:
            problems.append(f"{name} (a direct dependency) is missing")
        elif pins[name] != lock.get(name):
            problems.append(f"{name}: environment.yml has {pins[name] or 'no pin'!s}, "
                            f"requirements/lab.txt has {lock.get(name)}")
    for name in sorted(HUB_CHECK):
        if name not in pins:
            problems.append(f"{name} (to check an image: pytest --nbval-lax notebooks) is missing")
        elif pins[name] != test_lock.get(name):
            problems.append(f"{name}: environment.yml has {pins[name] or 'no pin'!s}, "
                            f"requirements/test.txt has {test_lock.get(name)}")
    problems += [f"{name} is a test-only tool" for name in sorted((TEST_ONLY - HUB_CHECK) & set(pins))]
    return problems


LOCK = read_lock((ROOT / "requirements" / "lab.txt").read_text(encoding="utf-8"))
TEST_LOCK = read_lock((ROOT / "requirements" / "test.txt").read_text(encoding="utf-8"))
DIRECT = direct_dependencies()
ENV_FILES = [ROOT / "environment.yml", ROOT / "binder" / "environment.yml"]


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_environment_matches_lab_lock(path):
    assert drift(path.read_text(encoding="utf-8"), LOCK, DIRECT, TEST_LOCK) == []


def test_root_environment_installs_the_package_and_binder_does_it_in_postbuild():
    root = yaml.safe_load(ENV_FILES[0].read_text(encoding="utf-8"))
    pip_root = next(d["pip"] for d in root["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_root
    # same packages in both files, apart from the editable install
    assert read_environment(ENV_FILES[0].read_text())[0] == read_environment(
        ENV_FILES[1].read_text())[0]
    post = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps -e ." in post and "mtorlib setup-jupyter" in post
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    assert "fonts-wqy-microhei" in (ROOT / "binder" / "apt.txt").read_text().split()


def test_lab_lock_agrees_with_test_lock():
    mismatched = {n: (v, TEST_LOCK.get(n)) for n, v in LOCK.items() if TEST_LOCK.get(n) != v}
    assert mismatched == {}, "requirements/lab.txt vs test.txt (lab, test): " + str(mismatched)
    assert DIRECT <= set(LOCK), f"not locked: {sorted(DIRECT - set(LOCK))}"
    assert TEST_ONLY <= set(TEST_LOCK) and not TEST_ONLY & set(LOCK)


ENV = """dependencies:
  - python=3.11
  - numpy==2.4.6
  - nbval==0.11.0
  - pytest==9.2.0
  - pip:
      - vl-convert-python==1.9.0.post1
      - -e .
"""
SMALL_LOCK = {"numpy": "2.4.6", "vl-convert-python": "1.9.0.post1", "pandas": "3.1.1"}
SMALL_TEST_LOCK = {**SMALL_LOCK, "pytest": "9.2.0", "nbval": "0.11.0", "ruff": "0.17.6"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (ENV.replace("numpy==2.4.6", "numpy==2.4.5"),
         "numpy: environment.yml has 2.4.5, requirements/lab.txt has 2.4.6"),
        (ENV.replace("numpy==2.4.6", "numpy"),
         "numpy: environment.yml has no pin, requirements/lab.txt has 2.4.6"),
        (ENV.replace("  - numpy==2.4.6\n", ""), "numpy (a direct dependency) is missing"),
        (ENV.replace("python=3.11", "python=3.12"), "python must be pinned to 3.11; got '3.12'"),
        (ENV + "  - ruff==0.17.6\n", "ruff is a test-only tool"),
        (ENV + "  - numpy=2.4.6\n", "numpy listed twice"),
        (ENV.replace("  - nbval==0.11.0\n", ""),
         "nbval (to check an image: pytest --nbval-lax notebooks) is missing"),
        (ENV.replace("pytest==9.2.0", "pytest==9.1.0"),
         "pytest: environment.yml has 9.1.0, requirements/test.txt has 9.2.0"),
    ],
    ids=["version", "unpinned", "missing", "python", "test-tool", "duplicate", "no-nbval",
         "pytest-version"],
)
def test_drift_is_detected(text, problem):
    direct = {"numpy", "vl-convert-python"}
    assert drift(ENV, SMALL_LOCK, direct, SMALL_TEST_LOCK) == []
    assert problem in drift(text, SMALL_LOCK, direct, SMALL_TEST_LOCK)


def test_read_lock_parses_uv_output():
    text = "# via\nnumpy==2.4.6\n    # via pandas\npyyaml==6.0.4 ; python_version >= '3'\n"
    assert read_lock(text) == {"numpy": "2.4.6", "pyyaml": "6.0.4"}
