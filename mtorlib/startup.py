"""Start-up guard run first by ``import mtorlib``: defer the IRI parsers that ``jsonschema`` loads.

``jsonschema`` (imported by Altair and by the content validator) imports ``rfc3987_syntax`` for its
``iri``/``iri-reference`` format checks whenever it is installed (``jupyter-events`` pulls it in
through ``jsonschema[format-nongpl]``), and ``rfc3987_syntax`` 1.1.0, the latest release, compiles
some 35 Lark Earley parsers at import: ~2 s of every kernel's start on a 2-core machine, whether or
not an IRI is ever checked. :func:`defer_iri_parsers`, run before ``jsonschema`` is first imported,
puts a stand-in module in its place with the same ``is_valid_syntax(term, value)``, which imports
the real one on the first IRI check: the checks give the same answers, paid for on first use. No
schema of the suite, Altair or Jupyter uses these two formats, so a kernel normally never pays.

Trade-off: it relies on ``jsonschema`` importing that name and function (both pinned in
``requirements/``; ``tests/test_startup.py`` fails if either changes), and it helps only when
``mtorlib`` is imported before anything imports ``jsonschema``, as in every notebook of the suite.
Rejected: the GPL ``rfc3987`` (which ``jsonschema`` would prefer; the suite is MIT); leaving
``rfc3987-syntax`` out of the environment (pip and conda install it with ``jupyter-events``);
``rfc3987-syntax2``, a maintained fork that builds its parsers lazily, which ``jsonschema`` 4.26
does not use. Remove this module once ``jsonschema`` no longer compiles parsers at import.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

IRI_PACKAGE = "rfc3987_syntax"


def defer_iri_parsers() -> bool:
    """Let ``rfc3987_syntax`` compile its parsers on first use; True if the stand-in was installed.

    Does nothing (False) once ``jsonschema`` or ``rfc3987_syntax`` is imported, or if the package
    is not installed.
    """
    if IRI_PACKAGE in sys.modules or "jsonschema" in sys.modules:
        return False
    spec = importlib.util.find_spec(IRI_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return False
    stand_in = types.ModuleType(IRI_PACKAGE, "Stand-in (mtorlib.startup): parsers load on first use.")
    stand_in.__path__ = list(spec.submodule_search_locations)  # its submodules import as usual
    stand_in.__spec__, stand_in.__loader__ = spec, spec.loader  # importlib.util.find_spec works

    def helpers() -> types.ModuleType:
        return importlib.import_module(f"{IRI_PACKAGE}.syntax_helpers")

    def is_valid_syntax(term: str, value: str) -> bool:
        return helpers().is_valid_syntax(term, value)

    def __getattr__(name: str):  # the real package re-exports its helpers' names
        if name.startswith("__"):  # tools probing __file__ & co. must not build the parsers
            raise AttributeError(name)
        return getattr(helpers(), name)

    stand_in.is_valid_syntax = is_valid_syntax
    stand_in.__getattr__ = __getattr__
    sys.modules[IRI_PACKAGE] = stand_in
    return True
