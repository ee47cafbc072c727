"""Offline ``JupyterChart`` without bundling Vega at every kernel start.

``alt.JupyterChart.enable_offline()`` asks vl-convert to bundle Vega into the widget's JavaScript
each time it is called: seconds of every kernel's start, and ~100 MB of resident memory for
vl-convert's JavaScript engine, which a notebook otherwise never needs. The bundle depends only on
the Altair and vl-convert versions and Altair's widget source, so :func:`chart_bundle` builds it
once and keeps it in the user cache (:func:`mtorlib.content.diskcache.cache_dir`) under a hash of
those; :func:`enable` then does what ``enable_offline()`` does, from that file.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version

import altair as alt
from altair.jupyter.jupyter_chart import load_js_src
from altair.utils._importers import import_vl_convert, vl_version_for_vl_convert

from ..content.diskcache import cache_dir, write_atomic


def _bundle(src: str, vl_version: str) -> str:
    """Vega bundled into Altair's widget source, exactly as ``enable_offline()`` builds it."""
    lines = src.split("\n")
    while lines and (not lines[0].strip() or lines[0].startswith(("import", "//"))):
        lines.pop(0)
    return import_vl_convert().javascript_bundle("\n".join(lines), vl_version=vl_version)


def chart_bundle() -> str:
    """The offline ``JupyterChart`` JavaScript: from the cache, or built and cached."""
    src, vl_version = load_js_src(), vl_version_for_vl_convert()
    ident = "\n".join([version("altair"), version("vl-convert-python"), vl_version, src])
    path = cache_dir() / f"jupyterchart-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundled = _bundle(src, vl_version)
    try:
        write_atomic(path, bundled)
    except OSError:  # read-only or full: works, just not cached
        pass
    return bundled


def enable() -> None:
    """``alt.JupyterChart.enable_offline()`` from the cached bundle. Idempotent."""
    if not alt.JupyterChart._is_offline:
        alt.JupyterChart._esm = chart_bundle()
        alt.JupyterChart._is_offline = True
