"""Fixtures for the real-browser tests: Debian Chromium via Playwright, JupyterLab and Voila.

* ``chromium`` (session): Playwright driving ``/usr/bin/chromium`` (``MTORLIB_CHROMIUM``
  overrides). Missing browser or Playwright: a loud skip, or a failure when
  ``MTORLIB_REQUIRE_BROWSER=1`` (set by ``.ci/run``).
* ``served_root`` (session): a temporary copy of the notebooks folder, which the servers serve,
  so JupyterLab's autosave and checkpoints never touch the repository; the session fails if
  ``git status --porcelain --ignored notebooks/`` changed while the browser tests ran.
* ``lab_server`` / ``voila_server`` (module): a fresh server per test module, always stopped;
  its log (kept in the temporary folder) is attached to every failing test that used it.
* ``chromium`` cannot reach anything but localhost: its proxy is a bound, never-listening local
  port (every non-loopback request fails at once; Chromium never proxies loopback) and no host
  name resolves except localhost (:func:`offline_args`).
* ``new_page`` (function): a page of the session's one browser context, so its HTTP cache is shared
  (JupyterLab's JavaScript is downloaded and compiled once per server, not per notebook), plus its
  :class:`harness_pages.PageLog`, which records every request that tried to leave localhost.
  Nothing routes requests: interception would switch the cache off. Each test's pages are closed
  after it. A later server may be given a stopped server's port (so the same origin): each server's
  cookies are cleared when it stops, and its workspace and settings live in its own folder.
* ``axe_js`` (session): ``axe.min.js`` of axe-core 4, installed from the npm registry into
  ``~/.cache/mtorlib-test/axe`` on first use (:mod:`harness_axe`); offline afterwards.
* ``record`` (function): store measured times; printed at the end of the run and written to
  ``artifacts/browser_timings.json``; ``screenshot_path`` names ``artifacts/screenshots/*.png``
  (``MTORLIB_ARTIFACTS=<folder>`` puts both elsewhere, e.g. a temporary folder).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

# pytest runs with --import-mode=importlib: make the harness_* helpers next to this file importable.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness_axe import axe_script  # noqa: E402
from harness_notebooks import ROOT, notebook_paths  # noqa: E402
from harness_pages import PageLog  # noqa: E402
from harness_servers import OVERRIDES, Server  # noqa: E402

ARTIFACTS = Path(os.environ.get("MTORLIB_ARTIFACTS") or ROOT / "artifacts")  # timings, screenshots
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
TIMINGS = pytest.StashKey[list]()
SKIPPED = pytest.StashKey[list]()


def _unavailable(config, reason: str):
    if os.environ.get("MTORLIB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (MTORLIB_REQUIRE_BROWSER=1: a missing browser is a failure)",
                    pytrace=False)
    config.stash.setdefault(SKIPPED, []).append(reason)
    pytest.skip(f"BROWSER TESTS NOT RUN: {reason}")


@pytest.fixture(scope="session")
def chromium(pytestconfig):
    """A headless Chromium browser driven by Playwright's sync API."""
    exe = os.environ.get("MTORLIB_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(pytestconfig, "Python package 'playwright' is not installed "
                     "(make setup-test installs requirements/test.txt)")
    if not (Path(exe).is_file() and os.access(exe, os.X_OK)):
        _unavailable(pytestconfig, f"no Chromium at {exe} (Debian: apt-get install chromium; "
                     "never `playwright install`)")
    if not OVERRIDES.is_file():
        pytest.fail(f"{OVERRIDES} is missing, so JupyterLab would fetch news from the internet; "
                    "run `make setup` (python -m mtorlib.setup_jupyter .venv)", pytrace=False)
    pw = sync_playwright().start()
    with socket.socket() as dead_proxy:
        dead_proxy.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        try:
            browser = pw.chromium.launch(executable_path=exe, headless=True,
                                         args=CHROMIUM_ARGS + offline_args(dead_proxy))
        except Exception as exc:  # launch errors are environment problems, not notebook defects
            pw.stop()
            _unavailable(pytestconfig, f"Chromium at {exe} failed to start: {exc}")
        yield browser
        browser.close()
        pw.stop()


def offline_args(dead_proxy: socket.socket) -> list[str]:
    """Chromium flags that keep every request on localhost, at the network level.

    Not Playwright's ``proxy=`` option: it also sends loopback through the proxy (``<-loopback>``).
    """
    port = dead_proxy.getsockname()[1]
    return [f"--proxy-server=http://127.0.0.1:{port}",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="session")
def browser_context(chromium):
    """The session's one browser context (one HTTP cache), 1280×900, en-US, no service workers."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                   service_workers="block")
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def axe_js(chromium, pytestconfig):
    """Path of axe-core's ``axe.min.js`` (npm install into the user cache on first use)."""
    script = axe_script()
    if isinstance(script, str):
        _unavailable(pytestconfig, script)
    return script


def _source_root() -> Path:
    parents = {p.parent for p in notebook_paths()}
    assert len(parents) <= 1, f"notebooks must share one folder; got {sorted(parents)}"
    return parents.pop() if parents else ROOT / "notebooks"


def _git_status(folder: Path) -> str | None:
    """``git status --porcelain`` of ``folder``, ignored files (checkpoints) included; None
    outside a git work tree."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all",
                              "--ignored", "--",
                              str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


@pytest.fixture(scope="session")
def served_root(tmp_path_factory):
    """A temporary copy of the notebooks folder for the servers; the repository stays untouched."""
    source = _source_root()
    before = _git_status(source)
    served = tmp_path_factory.mktemp("served") / source.name
    shutil.copytree(source, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    assert not served.resolve().is_relative_to(ROOT), f"served root {served} is inside {ROOT}"
    yield served
    after = _git_status(source)
    assert after == before, (
        f"the browser tests changed {source} (they must only write into {served}):\n"
        f"git status before:\n{before or '(clean)'}\nafter:\n{after or '(clean)'}")


def _server(kind: str, root: Path, tmp_path_factory, context):
    server = Server(kind, root, tmp_path_factory.mktemp(kind))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
        context.clear_cookies()  # its port (origin) may be handed to a later server


@pytest.fixture(scope="module")
def lab_server(browser_context, served_root, tmp_path_factory):
    """A fresh JupyterLab server for this test module."""
    yield from _server("lab", served_root, tmp_path_factory, browser_context)


@pytest.fixture(scope="module")
def voila_server(browser_context, served_root, tmp_path_factory):
    """A fresh Voila server (serving the copied notebooks folder) for this test module."""
    yield from _server("voila", served_root, tmp_path_factory, browser_context)


@pytest.fixture
def new_page(browser_context):
    """``new_page(label) -> (page, log)``: an offline page of the shared context; closed after
    the test."""
    pages = []

    def make(label: str):
        page = browser_context.new_page()
        log = PageLog(label)
        log.attach(page)
        pages.append(page)
        return page, log

    yield make
    for page in pages:
        page.close()


@pytest.fixture
def record(pytestconfig):
    """``record(**row)``: keep one row of measurements for the end-of-run summary."""
    rows = pytestconfig.stash.setdefault(TIMINGS, [])
    return lambda **row: rows.append(row)


@pytest.fixture
def screenshot_path():
    """``screenshot_path(view, stem)``: ``artifacts/screenshots/<view>_<stem>.png`` (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda view, stem: SCREENSHOTS / f"{view}_{stem}.png"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and call.when in ("setup", "call"):
        for name in ("lab_server", "voila_server"):
            server = item.funcargs.get(name) if hasattr(item, "funcargs") else None
            if server is not None:
                report.sections.append((f"{name} log", server.log_tail()))
    return report


def pytest_terminal_summary(terminalreporter, config):
    for reason in dict.fromkeys(config.stash.get(SKIPPED, [])):
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED: {reason}", red=True, bold=True)
    rows = config.stash.get(TIMINGS, [])
    if not rows:
        return
    terminalreporter.write_sep("-", "browser tests: measured times")
    for row in rows:
        terminalreporter.write_line("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser_timings.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    shots = sorted(p.name for p in SCREENSHOTS.glob("*.png")) if SCREENSHOTS.is_dir() else []
    terminalreporter.write_line(f"  screenshots ({len(shots)}) in {SCREENSHOTS}")

