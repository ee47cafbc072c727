"""Playwright helpers: an offline page, Run All in JupyterLab, Voila readiness, the checks.

Every helper raises ``AssertionError`` naming the notebook and what was missing, so a failure
reads like "02_pk.ipynb (lab): 0 of 2 charts drew a canvas/svg after 30 s".
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ERROR_TEXTS = ("Error displaying widget", "Loading widget...", "Error loading script",
               "Javascript Error")
CHART_DRAWN = ".vega-embed canvas, .vega-embed svg.marks"
# Voila's lab template links Font Awesome from a CDN; blocked offline, nothing uses it.
HARMLESS_BLOCKED = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# JupyterLab endpoints that make the *server* fetch from the internet (news feed, PyPI update
# check); mtorlib.setup_jupyter's overrides switch both off, so a call means they were not applied.
PHONE_HOME = ("/lab/api/news", "/lab/api/update")
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

IDLE_FOR_1S = """() => {
  const el = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const idle = !!el && el.getAttribute('data-status') === 'idle';
  const now = performance.now();
  if (!idle) { window.__mtorIdleSince = null; return false; }
  if (window.__mtorIdleSince == null) window.__mtorIdleSince = now;
  return now - window.__mtorIdleSince >= 1000;
}"""

PROMPTS = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
  .map(e => e.textContent.trim())"""

# Tracebacks (JupyterLab) and Voila's "There was an error when executing cell [n]".
CELL_ERRORS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => e.innerText)
  .filter(t => /Traceback|\\w+Error\\b|There was an error/.test(t)).map(t => t.slice(-1500))"""

CHART_COUNTS = """() => {
  const embeds = Array.from(document.querySelectorAll('.vega-embed'));
  const drawn = embeds.filter(e => e.querySelector('canvas, svg.marks')).length;
  return {embeds: embeds.length, drawn: drawn};
}"""


@dataclass
class PageLog:
    """What a page did: console errors, uncaught errors, requests blocked for leaving localhost."""

    label: str
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def attach(self, context, page) -> None:
        """Block every non-local request of ``context`` and record errors of ``page``."""

        def route(r):
            url = r.request.url
            parts = urlsplit(url)
            if parts.hostname in LOCAL_HOSTS and parts.path.startswith(PHONE_HOME):
                self.blocked.append(f"{url} (the server would fetch it from the internet)")
                r.abort()
            elif parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}"))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))

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


def lab_run_all(page, label: str, n_code: int, *, timeout_s: float) -> float:
    """Run → Run All Cells, robustly, then wait until every code cell has an ``[n]`` prompt.

    Returns the seconds from the call until the kernel was ready (idle for 1 s).

    Run All is swallowed if clicked while the new kernel's handshake still flips busy/idle, so
    wait for 1 s of continuous idle, click, and retry (Escape first) if no prompt changes.
    """
    start = time.perf_counter()
    wait_for(page, label, "the kernel to be idle for 1 s", IDLE_FOR_1S, timeout_s=60)
    ready_s = time.perf_counter() - start
    for _attempt in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        # exact text: the menu also has "Restart Kernel and Run All Cells…"
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        started = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
          .some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""
        try:
            wait_for(page, label, "execution to start", started, timeout_s=10)
            break
        except AssertionError:
            page.keyboard.press("Escape")
            wait_for(page, label, "the kernel to be idle for 1 s", IDLE_FOR_1S, timeout_s=30)
    else:
        raise AssertionError(f"{label}: Run All Cells did not start execution in 3 attempts")
    # Done: every prompt is [n] and the kernel idle. Stopped: idle for 2 s with a cell left
    # unrun and a stderr output shown (an exception aborts the rest of Run All).
    done = f"""() => {{
      const p = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
        .map(e => e.textContent.trim());
      const el = document.querySelector('.jp-Notebook-ExecutionIndicator');
      const idle = !!el && el.getAttribute('data-status') === 'idle';
      const ran = p.length === {n_code} && p.every(t => /^\\[\\d+\\]:?$/.test(t));
      if (ran && idle) return 'done';
      const stuck = idle && !p.some(t => t.includes('*')) && !!document.querySelector({STDERR!r});
      if (!stuck) {{ window.__mtorStuckSince = null; return false; }}
      window.__mtorStuckSince = window.__mtorStuckSince || performance.now();
      return performance.now() - window.__mtorStuckSince > 2000 ? 'stopped' : false;
    }}"""
    result = wait_for(page, label, f"all {n_code} code cells to finish", done,
                      timeout_s=timeout_s).json_value()
    if result == "stopped":
        detail = page.locator(STDERR).last.inner_text()[-1500:]
        raise AssertionError(f"{label}: Run All stopped at an error:\n{detail}")
    return ready_s


def voila_wait_rendered(page, label: str, *, timeout_s: float) -> None:
    """Wait until Voila has executed every cell and shown the page (spinner gone)."""
    shown = """() => { const r = document.querySelector('#rendered_cells');
      return !!r && getComputedStyle(r).display !== 'none' && !document.querySelector('#loading'); }"""
    wait_for(page, label, "Voila to finish executing and show the cells", shown,
             timeout_s=timeout_s)


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
    problems = log.problems()
    assert not problems, f"{label}:\n" + "\n".join(problems)
    return page.evaluate(CHART_COUNTS)
