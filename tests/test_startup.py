"""A kernel's start stays fast without losing a check: deferred IRI parsers (the cached chart
bundle: ``test_offline_bundle.py``).

The IRI checks run in a fresh interpreter (the test process has imported ``jsonschema`` already).
Expected answers are RFC 3987's: an IRI needs a scheme; an IRI reference may be relative; spaces
and ``<`` are not allowed anywhere.
"""

import importlib.util
import json
import subprocess
import sys

import pytest

from mtorlib import startup

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
import importlib.util, json, sys
import mtorlib, jsonschema
stand_in = not hasattr(sys.modules["rfc3987_syntax"], "__file__")  # the real one has a file
found = importlib.util.find_spec("rfc3987_syntax").name  # raises if the stand-in had no __spec__
loaded_at_import = "lark" in sys.modules or "rfc3987_syntax.syntax_helpers" in sys.modules
check = jsonschema.FormatChecker()
answers = {v: [check.conforms(v, "iri"), check.conforms(v, "iri-reference")] for v in sys.argv[1:]}
from rfc3987_syntax import parse  # other names still come from the real package
print(json.dumps({"stand_in": stand_in, "found": found, "loaded_at_import": loaded_at_import,
                  "answers": answers,
                  "loaded_after_check": "rfc3987_syntax.syntax_helpers" in sys.modules,
                  "parse": callable(parse)}))
"""


@pytest.mark.slow
def test_iri_checks_still_work_and_build_their_parsers_only_when_first_used():
    out = subprocess.run([sys.executable, "-c", PROBE, *IRI_CASES], capture_output=True,
                         text=True, check=True, encoding="utf-8", timeout=300)
    seen = json.loads(out.stdout)
    assert seen["stand_in"] and not seen["loaded_at_import"] and seen["found"] == "rfc3987_syntax"
    assert seen["answers"] == {v: list(a) for v, a in IRI_CASES.items()}
    assert seen["loaded_after_check"] and seen["parse"]


def test_guard_stands_aside_once_jsonschema_is_imported():
    import jsonschema  # noqa: F401  (the test process has it already; this makes sure)

    assert startup.defer_iri_parsers() is False


def test_stand_in_keeps_the_real_spec_so_find_spec_works(monkeypatch):
    real = importlib.util.find_spec(startup.IRI_PACKAGE)
    monkeypatch.setitem(sys.modules, startup.IRI_PACKAGE, None)  # restored (or removed) afterwards
    monkeypatch.delitem(sys.modules, startup.IRI_PACKAGE)
    monkeypatch.delitem(sys.modules, "jsonschema", raising=False)
    assert startup.defer_iri_parsers() is True
    stand_in = sys.modules[startup.IRI_PACKAGE]
    assert not hasattr(stand_in, "__file__")  # the stand-in, not the real package
    spec = importlib.util.find_spec(startup.IRI_PACKAGE)  # ValueError when __spec__ is None
    assert spec.name == real.name and spec.origin == real.origin
    assert stand_in.__loader__ is spec.loader
