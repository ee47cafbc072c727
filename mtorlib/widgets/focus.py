"""Move keyboard focus to the feedback after a choice (ipywidgets can focus inputs, not HTML).

:class:`FocusSlot` is an empty box that a view puts inside itself; :meth:`FocusSlot.move` asks the
page to focus the first element matching a CSS selector inside the slot's closest ``scope``
ancestor (``tabindex="-1"`` is added when the element is not focusable). The work is done by
:class:`FocusMover`, a tiny anywidget whose module is a few lines of JavaScript kept here (nothing
from a CDN). anywidget gives a model 2 s from its creation to load its module and drops a model
that misses it; a page busy drawing a notebook's charts can miss it, so the mover is created on
the first request (a learner's click, when the page is idle) and put into the slot then.
Each request counts up ``request``; the page focuses once per count (a view drawn again does not
take the focus back). The kernel's update of the target may reach the page a moment later, so
the page looks again for up to a second. The next Tab goes on from the focused element.
"""

from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets

_ESM = """
const WAIT_MS = 50, TRIES = 20, DONE = Symbol.for("mtorlib.focus-done");
export default {
  render({ model, el }) {
    el.hidden = true;
    const go = () => {
      const request = model.get("request");
      if (!request || model[DONE] === request) return;
      model[DONE] = request;
      let tries = 0;
      const attempt = () => {
        const root = el.closest(model.get("scope"));
        const node = root && root.querySelector(model.get("target"));
        if (node && node.getClientRects().length) {
          if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
          node.focus();
        } else if (++tries < TRIES) {
          setTimeout(attempt, WAIT_MS);
        }
      };
      requestAnimationFrame(attempt);
    };
    go();
    model.on("change:request", go);
    return () => model.off("change:request", go);
  },
};
"""


class FocusMover(anywidget.AnyWidget):
    """Focuses ``target`` (a CSS selector) inside the closest ``scope`` ancestor per ``request``."""

    _esm = _ESM
    scope = traitlets.Unicode().tag(sync=True)
    target = traitlets.Unicode().tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)


class FocusSlot(w.Box):
    """An empty box in a view; :meth:`move` focuses an element of the view (see the module)."""

    def __init__(self, scope: str, target: str, **kwargs):
        super().__init__(**kwargs)
        self.scope, self.target, self.mover = scope, target, None

    def move(self, target: str | None = None) -> None:
        """Focus ``target`` (default: the slot's own) inside the scope; a target naming this
        turn's element (e.g. ``[data-turn="3"]``) is never an older copy of it."""
        target = target or self.target
        if self.mover is None:
            self.mover = FocusMover(scope=self.scope, target=target, request=1)
            self.children = [self.mover]
            return
        with self.mover.hold_sync():
            self.mover.target = target
            self.mover.request += 1
