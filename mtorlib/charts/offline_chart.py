"""An offline Altair ``JupyterChart`` whose widget model is ready at once, even on a busy machine.

anywidget (0.11) gives a widget model 2 s from its creation to load its front-end module; later it
rejects the model ("[anywidget] Failed to initialize model.") and drops every update the kernel
sends to it. Altair's offline chart puts Vega itself into that module (~0.9 MB), so every chart
compiles and runs the whole bundle inside the 2 s window; when Voila creates all of a page's models
at once, or the CPU is busy, later charts miss it. Here the module is a few lines; the bundle
travels in a separate synced trait, ``_bundle``, and is imported once per page when the first
chart *view* renders (outside the window) and shared by every later chart.
"""

from __future__ import annotations

import altair as alt
import traitlets

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


def _bundle() -> str:
    """Altair's JupyterChart module with Vega bundled by vl-convert (built once per process)."""
    alt.JupyterChart.enable_offline()
    return alt.JupyterChart._esm


def _version() -> str:
    import vl_convert

    return f"altair-{alt.__version__}+vl-convert-{vl_convert.__version__}"


class OfflineJupyterChart(alt.JupyterChart):
    """``alt.JupyterChart`` that renders offline; set ``.chart`` to update it in place."""

    _esm = _LOADER % _version()
    _bundle = traitlets.Unicode("").tag(sync=True)

    def __init__(self, chart: alt.TopLevelMixin, **kwargs):
        super().__init__(chart, _bundle=_bundle(), **kwargs)
