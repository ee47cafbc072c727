"""Offline ``JupyterChart`` without bundling Vega at every kernel start.

``alt.JupyterChart.enable_offline()`` asks vl-convert to bundle Vega into the widget's JavaScript
each time it is called: seconds of every kernel's start, and ~100 MB of resident memory for
vl-convert's JavaScript engine, which a notebook otherwise never needs. The bundle depends only on
the Altair and vl-convert versions and Altair's widget source, so :func:`chart_bundle` builds it
once and keeps it in the user cache (:func:`mtorlib.content.diskcache.cache_dir`) under a hash of
those; :func:`enable` then does what ``enable_offline()`` does, from that file.

anywidget (0.11) gives a widget model 2 s from its creation to load its front-end module; later it
rejects the model ("[anywidget] Failed to initialize model.") and drops every update the kernel
sends to it. Altair's offline chart puts Vega itself into that module (~0.9 MB), so every chart
would compile and run the whole bundle inside the 2 s window; when Voila creates all of a page's
models at once, or the CPU is busy, later charts miss it. :class:`OfflineJupyterChart` keeps the
module a few lines; the bundle travels in a separate synced trait, ``_bundle``, and is imported
once per page when the first chart *view* renders (outside the window) and shared by later charts.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import version

import altair as alt
import traitlets
from altair.jupyter.jupyter_chart import load_js_src
from altair.utils._importers import import_vl_convert, vl_version_for_vl_convert

from ..content.diskcache import cache_dir, write_atomic
from . import still

# One import of the bundle per page, shared by every chart with the same bundle version.
_LOADER = """const KEY = Symbol.for("mtorlib.altair-offline/%s");
// Evaluating the bundle is one long task; first let the page go idle (at most 1 s), so that
// chart models created just before it finish their own 2 s initialisation.
const idle = () => new Promise((done) => globalThis.requestIdleCallback
  ? requestIdleCallback(done, {timeout: 1000}) : setTimeout(done, 0));
function library(model) {
  if (!globalThis[KEY]) {
    globalThis[KEY] = idle().then(() => {
      const url = URL.createObjectURL(new Blob([model.get("_bundle")], {type: "text/javascript"}));
      return import(url).finally(() => URL.revokeObjectURL(url));
    });
  }
  return globalThis[KEY];
}
export default {
  async render({ model, el }) {
    const lib = await library(model);
    return lib.default.render({ model, el });
  },
};
"""


def _bundle(src: str, vl_version: str) -> str:
    """Vega bundled into Altair's widget source, exactly as ``enable_offline()`` builds it."""
    lines = src.split("\n")
    while lines and (not lines[0].strip() or lines[0].startswith(("import", "//"))):
        lines.pop(0)
    return import_vl_convert().javascript_bundle("\n".join(lines), vl_version=vl_version)


MIN_BUNDLE_CHARS = 100_000  # Vega, Vega-Lite and vega-embed: a shorter cached file is broken


@functools.cache
def chart_bundle() -> str:
    """The offline ``JupyterChart`` JavaScript: from the cache, or built and cached; once per process.

    A cached file that cannot be read, is not UTF-8 or is shorter than :data:`MIN_BUNDLE_CHARS`
    (an interrupted or emptied cache) is built again and replaced.
    """
    src, vl_version = load_js_src(), vl_version_for_vl_convert()
    ident = "\n".join([version("altair"), version("vl-convert-python"), vl_version, src])
    path = cache_dir() / f"jupyterchart-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.js"
    try:
        cached = path.read_text(encoding="utf-8")
        if len(cached) >= MIN_BUNDLE_CHARS:
            return cached
    except (OSError, ValueError):  # missing, unreadable, not UTF-8
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


def _version() -> str:
    return f"altair-{version('altair')}+vl-convert-{version('vl-convert-python')}"


def title_text(chart: alt.TopLevelMixin) -> str:
    """The chart's title as plain text ('' if it has none)."""
    title = getattr(chart, "title", alt.Undefined)
    if isinstance(title, alt.TitleParams):
        title = title.text
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, (list, tuple)):
        title = " ".join(str(t) for t in title)
    return "" if title is alt.Undefined or title is None else str(title)


def described(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` with a screen-reader description: its own, else "Chart: <title>"."""
    own = getattr(chart, "description", alt.Undefined)
    if own is not alt.Undefined and own:
        return chart
    title = title_text(chart)
    return chart.properties(description=f"Chart: {title}" if title else "Chart")


class OfflineJupyterChart(alt.JupyterChart):
    """``alt.JupyterChart`` that renders offline; set ``.chart`` to update it in place.

    Its Vega-Lite ``description`` (:func:`described`) becomes the accessible name of the drawn
    chart; the vega-embed "…" actions menu is off (its export and editor links need the
    internet or a developer; :func:`mtorlib.charts.render.export` saves charts instead).
    """

    _esm = _LOADER % _version()
    _bundle = traitlets.Unicode("").tag(sync=True)

    def __init__(self, chart: alt.TopLevelMixin, **kwargs):
        kwargs.setdefault("embed_options", {"actions": False})
        super().__init__(described(chart), _bundle=chart_bundle(), **kwargs)

    @traitlets.validate("chart")
    def _describe_chart(self, proposal):
        chart = proposal.value
        return described(chart) if isinstance(chart, alt.TopLevelMixin) else chart

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if still.enabled() and isinstance(self.chart, alt.TopLevelMixin):
            picture = still.html(self.chart, str(self.chart.description))
            if picture is not None:
                data["text/html"] = picture
        return bundle
