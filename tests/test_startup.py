"""A kernel's start stays fast without losing a check: deferred IRI parsers, cached chart bundle.

The IRI checks run in a fresh interpreter (the test process has imported ``jsonschema`` already).
Expected answers are RFC 3987's: an IRI needs a scheme; an IRI reference may be relative; spaces
and ``<`` are not allowed anywhere.
"""

import json
import os
import subprocess
import sys

import pytest

from mtorlib import startup
from mtorlib.charts import offline

IRI_CASES = {  # value: (is an IRI, is an IRI reference)
    "http://例子.测试/路径?q=1#frag": (True, True),
    "mailto:someone@example.org": (True, True),
    "urn:isbn:0451450523": (True, True),
    "//example.org/relative": (False, True),
    "../up/one": (False, True),
    "https://example.org/a b": (False, False),
    "http://exa<mple.org": (False, False),
}

PROBE = """
import json, sys
import mtorlib, jsonschema
stand_in = not hasattr(sys.modules["rfc3987_syntax"], "__file__")  # the real one has a file
loaded_at_import = "lark" in sys.modules or "rfc3987_syntax.syntax_helpers" in sys.modules
check = jsonschema.FormatChecker()
answers = {v: [check.conforms(v, "iri"), check.conforms(v, "iri-reference")] for v in sys.argv[1:]}
from rfc3987_syntax import parse  # other names still come from the real package
print(json.dumps({"stand_in": stand_in, "loaded_at_import": loaded_at_import, "answers": answers,
                  "loaded_after_check": "rfc3987_syntax.syntax_helpers" in sys.modules,
                  "parse": callable(parse)}))
"""


@pytest.mark.slow
def test_iri_checks_still_work_and_build_their_parsers_only_when_first_used():
    out = subprocess.run([sys.executable, "-c", PROBE, *IRI_CASES], capture_output=True,
                         text=True, check=True, encoding="utf-8")
    seen = json.loads(out.stdout)
    assert seen["stand_in"] and not seen["loaded_at_import"]
    assert seen["answers"] == {v: list(a) for v, a in IRI_CASES.items()}
    assert seen["loaded_after_check"] and seen["parse"]


def test_guard_stands_aside_once_jsonschema_is_imported():
    import jsonschema  # noqa: F401  (the test process has it already; this makes sure)

    assert startup.defer_iri_parsers() is False


def test_chart_bundle_is_built_once_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MTORLIB_CACHE", str(tmp_path / "cache"))
    built = []
    monkeypatch.setattr(offline, "_bundle", lambda src, vl: built.append(vl) or f"bundle {vl}")
    first = offline.chart_bundle()
    assert first.startswith("bundle v") and len(built) == 1
    assert offline.chart_bundle() == first and len(built) == 1
    [cached] = (tmp_path / "cache").glob("jupyterchart-*.js")
    assert cached.read_text(encoding="utf-8") == first


def test_chart_bundle_works_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MTORLIB_CACHE", str(blocker))
    monkeypatch.setattr(offline, "_bundle", lambda src, vl: "bundle")
    assert offline.chart_bundle() == "bundle"
    assert list(tmp_path.iterdir()) == [blocker]


BUNDLE_PROBE = """
import altair as alt
from mtorlib.charts import offline
ours = offline.chart_bundle()
alt.JupyterChart.enable_offline()
print(ours == alt.JupyterChart._esm, len(ours))
"""


@pytest.mark.slow
def test_cached_chart_bundle_is_what_altair_builds(tmp_path):
    env = {**os.environ, "MTORLIB_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", BUNDLE_PROBE], capture_output=True, text=True,
                         check=True, env=env)
    same, size = out.stdout.split()
    assert same == "True" and int(size) > 100_000  # Vega, Vega-Lite and vega-embed bundled in
