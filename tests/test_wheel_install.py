"""A non-editable install works: the wheel carries the schemas and engine data it needs.

Builds the wheel from a copy of the package (nothing is written into the repository), installs it
into a fresh virtual environment whose third-party dependencies come from this interpreter's
site-packages (a ``.pth`` line: offline, and no copy of numpy or pandas), then runs
``python -m mtorlib validate`` there with ``MTORLIB_CONTENT`` pointing at ``cases/``.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)


def test_wheel_installs_and_validates_the_content(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "mtorlib", src / "mtorlib", ignore=shutil.ignore_patterns("__pycache__"))
    # the build backend (setuptools >= 77, pyproject's build-system) is in the test environment
    # (requirements/test.txt): no index is asked, so the test runs offline
    built = _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                 "--no-index", "-w", str(tmp_path / "dist"), str(src))
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("mtorlib-*.whl")

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                .stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    installed = _run(sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                     "--no-deps", "--no-index", str(wheel))
    assert installed.returncode == 0, installed.stderr[-2000:]

    env = {**os.environ, "MTORLIB_CONTENT": str(REPO / "cases")}
    where = _run(str(python), "-c", "import mtorlib, mtorlib.content.schema as s; "
                 "print(mtorlib.__file__); print(' '.join(s.kinds()))", cwd=tmp_path, env=env)
    assert where.returncode == 0, where.stderr[-2000:]
    path, kinds = where.stdout.splitlines()
    assert Path(path).is_relative_to(site), path  # the wheel, not the repository
    assert {"case", "progress", "pk_model", "quiz_bank"} <= set(kinds.split())
    result = _run(str(python), "-m", "mtorlib", "validate", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "All content valid." in result.stdout
