"""The offline check itself: a request off localhost fails in the browser and fails the test,
and the check leaves Chromium's HTTP cache on (so JupyterLab's JavaScript loads once per server).

A small server on 127.0.0.1 (a thread of this process) serves a page that loads a cacheable
script; it counts what it was asked for.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser

# A name and an address literal (TEST-NET-1): both go to the dead proxy and fail at once.
OFF_LOCALHOST = ("https://example.invalid/lib.js", "http://192.0.2.1/style.css")
FETCH = """async (url) => { try { await fetch(url, {mode: 'no-cors'}); return 'answered'; }
  catch (e) { return 'failed'; } }"""


@pytest.fixture(scope="module")
def local_site():
    """``(url, hits)``: a page at ``url + "/page"`` that loads ``/lib.js`` (cacheable an hour)."""
    hits = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits[self.path] += 1
            body, kind = ((b"window.libLoaded = true;", "text/javascript") if self.path == "/lib.js"
                          else (b"<script src='/lib.js'></script><p>page</p>", "text/html"))
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if self.path == "/lib.js":
                self.send_header("Cache-Control", "public, max-age=3600")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_a_request_off_localhost_fails_and_is_reported(new_page, local_site):
    url, _ = local_site
    page, log = new_page("offline check")
    page.goto(f"{url}/page")
    failures = {}
    for target in OFF_LOCALHOST:
        # wait for the failure event itself: it may arrive after evaluate() has returned
        with page.expect_event("requestfailed", lambda r, t=target: r.url == t) as event:
            assert page.evaluate(FETCH, target) == "failed", f"{target} was reachable"
        failures[target] = event.value.failure
    problems = log.problems()  # the request event precedes its requestfailed event
    for target in OFF_LOCALHOST:
        assert f"request left localhost: {target}" in problems, problems
        # the dead proxy refused it (without it, this machine answers 192.0.2.1 itself)
        assert failures[target] == "net::ERR_PROXY_CONNECTION_FAILED", failures
    assert not [p for p in problems if p.startswith(f"request left localhost: {url}")], problems


def test_the_http_cache_is_kept_across_pages_and_tests(new_page, local_site):
    url, hits = local_site
    before = hits["/lib.js"]  # 1 when the test above ran in this session's context, else 0
    for n in range(2):
        page, log = new_page(f"cache {n}")
        page.goto(f"{url}/page")
        assert page.evaluate("window.libLoaded") is True
        assert log.problems() == []
    assert hits["/page"] >= 2 and hits["/lib.js"] == (before or 1), (
        f"/lib.js was downloaded {hits['/lib.js'] - before} times by two pages: the browser "
        "context's HTTP cache is off (a page.route/context.route?) or not shared")
