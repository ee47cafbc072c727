"""Move keyboard focus to the feedback after a choice (ipywidgets can focus inputs, not HTML).

:class:`FocusMover` is a tiny anywidget, its module a few lines of JavaScript kept here (nothing
from a CDN; it travels with the widget's state like every anywidget module). Put it inside the
view it serves; :meth:`FocusMover.move` then asks the page to focus the first element matching
``target`` inside the mover's closest ``scope`` ancestor (``tabindex="-1"`` is added when the
element is not focusable). The kernel's update of that element may reach the page a moment after
the request, so the page looks again for up to a second before it gives up. Screen readers read
the focused feedback; the next Tab goes on from there (the view puts Continue after it).
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
const WAIT_MS = 50, TRIES = 20;
export default {
  render({ model, el }) {
    el.hidden = true;
    const onMessage = (msg) => {
      if (!msg || msg.do !== "focus") return;
      let tries = 0;
      const attempt = () => {
        const root = el.closest(model.get("scope"));
        const node = root && root.querySelector(msg.target || model.get("target"));
        if (node && node.getClientRects().length) {
          if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
          node.focus();
        } else if (++tries < TRIES) {
          setTimeout(attempt, WAIT_MS);
        }
      };
      requestAnimationFrame(attempt);
    };
    model.on("msg:custom", onMessage);
    return () => model.off("msg:custom", onMessage);
  },
};
"""


class FocusMover(anywidget.AnyWidget):
    """Focuses ``target`` (a CSS selector) inside the closest ``scope`` ancestor on :meth:`move`."""

    _esm = _ESM
    scope = traitlets.Unicode().tag(sync=True)
    target = traitlets.Unicode().tag(sync=True)

    def __init__(self, scope: str, target: str, **kwargs):
        super().__init__(scope=scope, target=target, **kwargs)

    def move(self, target: str | None = None) -> None:
        """Ask the page to focus ``target`` (default: the mover's own) inside its scope; a
        target naming this turn's element (e.g. ``[data-turn="3"]``) is never an older copy."""
        self.send({"do": "focus", "target": target or self.target})
