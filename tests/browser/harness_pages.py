"""Playwright helpers: an offline page, Run All in JupyterLab, Voila readiness, the checks.

Every helper raises ``AssertionError`` naming the notebook and what was missing, so a failure
reads like "02_pk.ipynb (lab): 0 of 2 charts drew a canvas/svg after 30 s".
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ERROR_TEXTS = ("Error displaying widget", "Loading widget...", "Error loading script",
               "Javascript Error")
CHART_DRAWN = ".vega-embed canvas, .vega-embed svg.marks"
STILL = "figure.mtor-chart-still"  # a chart's static picture, shown where widgets cannot render
# Voila's lab template links Font Awesome from a CDN; blocked offline, nothing uses it.
HARMLESS_BLOCKED = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# JupyterLab endpoints that make the *server* fetch from the internet (news feed, PyPI update
# check); mtorlib.setup_jupyter's overrides switch both off, so a call means they were not applied.
PHONE_HOME = ("/lab/api/news", "/lab/api/update")
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# A console "[anywidget] Failed to initialize model." is a real defect, never filtered: anywidget
# 0.11 (labextensions/anywidget/static/528.*.js, Runtime) rejects a model whose module was not
# imported within 2 s of the model's creation (a wall-clock timer; no kernel round trip), and then
# drops every message the kernel sends to it. The page's main thread was busy for that long.

# The notebook's real kernel, read from JupyterLab's application object (the server starts Lab
# with ``expose_app_in_browser``). The toolbar's execution indicator is no readiness signal: it
# starts as "idle" before any kernel exists, and Run All clicked then makes Lab start a second
# kernel for the same notebook (``runCell`` -> ``sessionContext.startKernel()``), racing the
# first one, which is shut down mid-run.
KERNEL_OF = """(path) => {
  const app = window.jupyterapp;
  const ctx = app && app.shell && app.shell.currentWidget && app.shell.currentWidget.sessionContext;
  if (!ctx || ctx.path !== path) return {state: 'notebook not open'};
  const k = ctx.session && ctx.session.kernel;
  if (!ctx.isReady || ctx.hasNoKernel || !k) return {state: 'no kernel yet'};
  if (window.__mtorInfo !== k.id) {
    if (window.__mtorAsked !== k.id) {
      window.__mtorAsked = k.id;
      k.info.then(() => { window.__mtorInfo = k.id; });
    }
    return {state: 'waiting for the kernel handshake', id: k.id};
  }
  return {state: k.connectionStatus === 'connected' ? k.status : k.connectionStatus, id: k.id};
}"""

# Ready for Run All: the notebook's own kernel answered kernel_info, is connected and has been
# idle for 1 s (the handshake's busy/idle is over), with the same kernel id throughout.
KERNEL_READY = f"""(path) => {{
  const k = ({KERNEL_OF})(path);
  const now = performance.now();
  if (k.state !== 'idle' || k.id !== window.__mtorReadyId) {{
    window.__mtorReadyId = k.state === 'idle' ? k.id : null;
    window.__mtorIdleSince = k.state === 'idle' ? now : null;
    return false;
  }}
  return now - window.__mtorIdleSince >= 1000;
}}"""

PROMPTS = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
  .map(e => e.textContent.trim())"""

# Tracebacks (JupyterLab) and Voila's "There was an error when executing cell [n]".
CELL_ERRORS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => e.innerText)
  .filter(t => /Traceback|\\w+Error\\b|There was an error/.test(t)).map(t => t.slice(-1500))"""

# Where Run All is: the first code cell whose prompt shows [*], its first line, how many ran.
RUN_STATE = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
  let code = 0, done = 0, running = null;
  cells.forEach((c, i) => {
    if (!c.classList.contains('jp-CodeCell')) return;
    const p = (c.querySelector('.jp-InputPrompt') || {}).textContent || '';
    if (/\\[\\d+\\]/.test(p)) done += 1;
    if (running === null && p.includes('*')) {
      const line = c.querySelector('.cm-content .cm-line');
      running = {cell: i, code_cell: code, first_line: line ? line.textContent : ''};
    }
    code += 1;
  });
  const el = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return {running, done, code, kernel: el ? el.getAttribute('data-status') : 'unknown'};
}"""

CHART_COUNTS = """() => {
  const embeds = Array.from(document.querySelectorAll('.vega-embed'));
  const drawn = embeds.filter(e => e.querySelector('canvas, svg.marks')).length;
  return {embeds: embeds.length, drawn: drawn};
}"""


@dataclass
class PageLog:
    """What a page did: console errors, uncaught errors, requests that tried to leave localhost.

    The browser itself cannot reach anything but localhost (``conftest.offline_args``: a dead
    proxy and no name resolution); this log only *records* requests, with ``page.on("request")``.
    It never routes them: Playwright's request interception turns Chromium's HTTP cache off, and
    every JupyterLab page would download its JavaScript again.
    """

    label: str
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        """Record ``page``'s (and its popups') off-localhost requests and errors."""
        page.on("request", lambda r: self.check_url(r.url))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}"))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        page.on("popup", self.attach)

    def check_url(self, url: str) -> None:
        """Add ``url`` to :attr:`blocked` unless it is local (localhost, 127.0.0.1, data:, blob:)."""
        parts = urlsplit(url)
        if parts.hostname in LOCAL_HOSTS and parts.path.startswith(PHONE_HOME):
            self.blocked.append(f"{url} (the server would fetch it from the internet)")
        elif not (parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS):
            self.blocked.append(url)

    def problems(self) -> list[str]:
        """Console errors and blocked requests that matter (known harmless ones dropped)."""
        blocked = [u for u in self.blocked if not u.startswith(HARMLESS_BLOCKED)]
        console = [e for e in self.console_errors
                   if not ("Failed to load resource" in e and _is_harmless(e, self.blocked))]
        return ([f"request left localhost: {u}" for u in blocked]
                + [f"console error: {e}" for e in console])


def _is_harmless(message: str, blocked: list[str]) -> bool:
    return any(u in message for u in blocked if u.startswith(HARMLESS_BLOCKED))


def wait_for(page, label: str, what: str, js: str, *, timeout_s: float, arg=None,
             polling: str | int = 100):
    """``page.wait_for_function`` with a failure message naming ``label`` and ``what``.

    ``polling`` is ms between checks, or ``"raf"`` (every animation frame, for timing).
    """
    from playwright.sync_api import TimeoutError as PwTimeout

    try:
        return page.wait_for_function(js, arg=arg, timeout=timeout_s * 1000, polling=polling)
    except PwTimeout:
        raise AssertionError(f"{label}: timed out after {timeout_s:.0f} s waiting for {what}") \
            from None


def lab_run_all(page, label: str, path: str, n_code: int, *, timeout_s: float,
                ready_timeout_s: float = 90) -> float:
    """Run → Run All Cells once the notebook's kernel is ready; wait until every cell ran.

    ``path`` is the notebook's path relative to the server root. Returns the seconds from the
    call until the kernel was ready (handshake done, idle for 1 s). One click, no retry: a
    second Run All would queue every cell again.
    """
    start = time.perf_counter()
    try:
        wait_for(page, label, "the notebook's kernel to be ready (connected, idle for 1 s)",
                 KERNEL_READY, arg=path, timeout_s=ready_timeout_s)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; kernel: {page.evaluate(KERNEL_OF, path)}") from None
    ready_s = time.perf_counter() - start
    kernel = page.evaluate(KERNEL_OF, path)["id"]
    before = page.evaluate(PROMPTS)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    # exact text: the menu also has "Restart Kernel and Run All Cells…"
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    started = f"""(before) => {{ const p = ({PROMPTS})();
      return p.some(t => t.includes('*')) || p.join() !== before.join(); }}"""
    wait_for(page, label, "Run All Cells to start execution", started, arg=before, timeout_s=30)
    # Done: every prompt is [n] and the kernel idle. Stopped: idle for 2 s with a cell left
    # unrun and a stderr output shown (an exception aborts the rest of Run All).
    done = f"""() => {{
      const p = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
        .map(e => e.textContent.trim());
      const k = ({KERNEL_OF})({json.dumps(path)});
      if (k.id && k.id !== {json.dumps(kernel)}) return 'kernel changed';
      const idle = k.state === 'idle';
      const ran = p.length === {n_code} && p.every(t => /^\\[\\d+\\]:?$/.test(t));
      if (ran && idle) return 'done';
      const stuck = idle && !p.some(t => t.includes('*')) && !!document.querySelector({STDERR!r});
      if (!stuck) {{ window.__mtorStuckSince = null; return false; }}
      window.__mtorStuckSince = window.__mtorStuckSince || performance.now();
      return performance.now() - window.__mtorStuckSince > 2000 ? 'stopped' : false;
    }}"""
    try:
        result = wait_for(page, label, f"all {n_code} code cells to finish", done,
                          timeout_s=timeout_s).json_value()
    except AssertionError as exc:
        raise AssertionError(f"{exc}; {run_state(page)}") from None
    if result == "kernel changed":
        raise AssertionError(f"{label}: the notebook's kernel changed during Run All "
                             f"(was {kernel}, now {page.evaluate(KERNEL_OF, path)}); "
                             f"{run_state(page)}")
    if result == "stopped":
        detail = page.locator(STDERR).last.inner_text()[-1500:]
        raise AssertionError(f"{label}: Run All stopped at an error:\n{detail}")
    return ready_s


def run_state(page) -> str:
    """Which cell Run All was running (from its ``[*]`` prompt) and how many cells had run."""
    try:
        state = page.evaluate(RUN_STATE)
    except Exception as exc:  # a crashed page still deserves a readable message
        return f"the page could not be read ({exc})"
    done = f"{state['done']} of {state['code']} code cells had completed"
    running = state["running"]
    if running is None:
        return f"no cell was running; {done}; kernel {state['kernel']}"
    return (f"running cell {running['cell']} (code cell {running['code_cell'] + 1}), first line "
            f"{running['first_line']!r}; {done}; kernel {state['kernel']}")


def voila_wait_rendered(page, label: str, first_lines=(), *, timeout_s: float) -> None:
    """Wait until Voila has executed every cell and shown the page (spinner gone).

    On timeout, names the cell Voila was executing (its "Executing i of n" text; ``first_lines``
    are the notebook's cells, as in :class:`harness_notebooks.NotebookInfo`).
    """
    shown = """() => { const r = document.querySelector('#rendered_cells');
      return !!r && getComputedStyle(r).display !== 'none' && !document.querySelector('#loading'); }"""
    try:
        wait_for(page, label, "Voila to finish executing and show the cells", shown,
                 timeout_s=timeout_s)
    except AssertionError as exc:
        text = page.evaluate("""() => { const e = document.querySelector('#loading_text');
          return e ? e.textContent.trim() : ''; }""")
        found = re.search(r"(\d+) of (\d+)", text)
        where = f"Voila shows {text!r}"
        if found and 0 < int(found[1]) <= len(first_lines):
            index = int(found[1]) - 1
            where += (f": running cell {index} ({first_lines[index]!r}); the {index} cells "
                      "before it had completed")
        raise AssertionError(f"{exc}; {where}") from None


def check_rendered(page, label: str, log: PageLog, *, charts: int, timeout_s: float) -> dict:
    """No cell error, charts drawn, no widget error text, no console error, all local."""
    errors = page.evaluate(CELL_ERRORS, STDERR)
    assert not errors, f"{label}: a cell raised an error:\n" + "\n".join(errors)
    want = max(charts, 0)
    all_drawn = f"""() => {{
      const e = Array.from(document.querySelectorAll('.vega-embed'));
      const d = e.filter(x => x.querySelector('canvas, svg.marks')).length;
      return d >= {want} && d === e.length;
    }}"""
    try:
        wait_for(page, label, f"{want} chart(s) to draw a canvas/svg", all_drawn,
                 timeout_s=timeout_s)
    except AssertionError as exc:
        counts = page.evaluate(CHART_COUNTS)
        raise AssertionError("\n".join([
            f"{exc}; found {counts['drawn']} drawn of {counts['embeds']} .vega-embed elements "
            f"(expected at least {want})", *log.problems()])) from None
    no_transient = """(texts) => !texts.some(t => document.body.innerText.includes(t))"""
    try:
        wait_for(page, label, "widget placeholders to resolve", no_transient,
                 arg=list(ERROR_TEXTS), timeout_s=15)
    except AssertionError:
        body = page.evaluate("() => document.body.innerText")
        found = [t for t in ERROR_TEXTS if t in body]
        raise AssertionError(f"{label}: page shows {found}") from None
    # the still picture (mtorlib.charts.still) is for RISE only: never beside the live chart
    stills = page.locator(STILL).count()
    assert stills == 0, f"{label}: {stills} still chart picture(s) shown beside the live charts"
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)
    return page.evaluate(CHART_COUNTS)
