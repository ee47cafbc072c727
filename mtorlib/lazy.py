"""Lazy package exports (PEP 562): a package's public names are imported from their submodule on
first use, so importing the package imports none of its heavy dependencies (Altair, ipywidgets)."""

from __future__ import annotations

import sys
from importlib import import_module


def exports(package: str, table: dict[str, str]):
    """``(__getattr__, __dir__)`` for ``package`` whose names live in submodules (name -> module).

    A name is imported from ``package.<module>`` on first access and then kept in the package's
    namespace, so the hook runs once per name.
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str):
        if name in table:
            value = getattr(import_module(f".{table[name]}", package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
