"""A slider's value as read-only text, in place of its typable readout.

An ipywidgets slider's readout can be typed into, and the browser then clamps what was typed to the
slider's range without a word (-5 kg becomes 5 kg; "abc" is dropped): house rule 10 wants a typed
number checked and an impossible one refused. A slider that is only dragged needs no such check:
:func:`fixed_readout` turns the readout off and returns a label that shows the value (in the
slider's own ``readout_format``) and hides with the slider.
"""

from __future__ import annotations

import ipywidgets as w


def _text(slider) -> str:
    value, fmt = slider.value, slider.readout_format
    if isinstance(value, tuple):  # a range slider: "lo – hi"
        return " – ".join(format(v, fmt) for v in value)
    return format(value, fmt)


def fixed_readout(slider) -> w.Label:
    """Turn ``slider``'s typable readout off; return the label showing its value (read-only)."""
    slider.readout = False
    label = w.Label(value=_text(slider), layout=w.Layout(min_width="6.5em", display=slider.layout.display))
    slider.observe(lambda _change: setattr(label, "value", _text(slider)), names="value")
    slider.layout.observe(lambda change: setattr(label.layout, "display", change["new"]), names="display")
    return label
