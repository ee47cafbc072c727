"""Charts that render offline, in class, and on paper.

* :func:`enable_offline` — Altair's Jupyter renderer with Vega bundled (no CDN), idempotent; run on
  import if :func:`mtorlib.charts.render_offline` asked for it before Altair was loaded.
* :data:`PALETTE` — Okabe–Ito colour-blind-safe colours; :func:`set_presentation` — large type.
* :func:`show` — an offline ``JupyterChart`` for a chart; widgets update ``.chart`` in place
  (:class:`mtorlib.charts.offline.OfflineJupyterChart`, also used for charts a cell displays).
  Every chart carries a text description for screen readers (``description=``, else the one in
  the spec, else one made from its title) and shows no "…" actions menu.
* :func:`export` — PNG/SVG/PDF through vl-convert, checking that Chinese text has a CJK font.

The theme ``mtorlib`` is registered and enabled on import (fonts sized for projection).
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from pathlib import Path

import altair as alt

from mtorlib.charts import offline, offline_wanted
from mtorlib.charts.palette import PALETTE

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Source Han Sans SC, Microsoft YaHei, sans-serif"
_state = {"offline": False, "large": False}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _theme() -> alt.theme.ThemeConfig:
    big = _state["large"]
    size = {"label": 16 if big else 12, "title": 20 if big else 14, "head": 24 if big else 16}
    return alt.theme.ThemeConfig(
        config={
            "font": FONT,
            "range": {"category": PALETTE},
            # marks are not announced one by one: the chart's description names it for screen readers
            "mark": {"color": PALETTE[0], "aria": False},
            "axis": {"labelFontSize": size["label"], "titleFontSize": size["title"], "grid": True},
            "legend": {"labelFontSize": size["label"], "titleFontSize": size["title"]},
            "title": {"fontSize": size["head"], "anchor": "start"},
            "view": {"continuousWidth": 640 if big else 520, "continuousHeight": 360 if big else 280},
        }
    )


alt.theme.register("mtorlib", enable=True)(_theme)


def set_presentation(on: bool = True) -> None:
    """Large type and wider charts for projection (affects charts created afterwards)."""
    _state["large"] = bool(on)
    alt.theme.enable("mtorlib")


def _offline_renderer(spec: dict, **metadata) -> dict:
    return show(alt.Chart.from_dict(spec))._repr_mimebundle_()


def enable_offline() -> None:
    """Render Altair charts with the bundled Vega libraries (no internet needed). Idempotent."""
    if _state["offline"]:
        return
    offline.enable()  # alt.JupyterChart.enable_offline() from the cached bundle
    alt.renderers.register("mtorlib-offline", _offline_renderer)
    alt.renderers.enable("mtorlib-offline")
    _state["offline"] = True



def show(chart: alt.TopLevelMixin, description: str | None = None) -> alt.JupyterChart:
    """A live, offline chart widget; set ``.chart`` on it to update in place.

    ``description``: a short text for screen readers (what the chart shows, its key numbers);
    it becomes the chart's accessible name. Without it the spec's own description is kept, or
    one is made from the chart's title.
    """
    enable_offline()
    if description:
        chart = chart.properties(description=description)
    return offline.OfflineJupyterChart(chart)


@cache
def has_cjk_font() -> bool:
    """Whether vl-convert can find a font with Chinese glyphs on this machine (checked once)."""
    import subprocess

    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(out.stdout.strip())


def export(chart: alt.TopLevelMixin, path: str | Path, *, scale: float = 2.0) -> Path:
    """Save ``chart`` as PNG, SVG or PDF (by suffix) with no network; returns the path.

    Warns when the chart holds Chinese text and no CJK font is installed (it would render boxes).
    """
    path = Path(path)
    if path.suffix.lower() not in {".png", ".svg", ".pdf"}:
        raise ValueError(f"export path must end in .png, .svg or .pdf; got {path.name!r}")
    if _CJK.search(chart.to_json()) and not has_cjk_font():
        warnings.warn(
            "chart has Chinese text but no CJK font is installed; install fonts-wqy-microhei "
            "or fonts-noto-cjk (see README)",
            stacklevel=2,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    kwargs = {"scale_factor": scale} if path.suffix.lower() == ".png" else {}
    chart.save(str(path), **kwargs)
    return path


if offline_wanted():  # asked for before Altair was loaded (``mtorlib.charts.render_offline``)
    enable_offline()
