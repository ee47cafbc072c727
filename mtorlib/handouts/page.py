"""The printed page shared by the handouts: A4 print styles, escaping, citations, inline charts.

* :func:`page` — a whole self-contained HTML document: no external resource (fonts from the
  system, charts inline as SVG), ``@page { size: A4 }`` and print styles.
* :func:`content` — a bilingual content field in ``lang``, escaped, with readable citations.
* :func:`short_refs` / :func:`reference_list` — short citations; full citations with DOI links.
* :func:`evidence_line` — level, grade and where the grade comes from (inferred grades say so).
* :func:`chart_svg` — a chart as an SVG element, drawn offline by vl-convert.
* :func:`note_lines` — blank ruled lines for handwritten notes.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path
from string import Template
from urllib.parse import quote

from .. import evidence
from ..cases import VERDICT_COLOURS
from ..i18n import text, tr

# Fonts from the system only (no web font); CJK fonts first so Chinese never falls back to boxes.
FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", '
         '"DejaVu Sans", "Liberation Sans", Arial, sans-serif')

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
html { font-family: $fonts; font-size: $size; line-height: 1.4; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 182mm; }
h1 { font-size: 1.55em; margin: 0 0 1mm; }
h2 { font-size: 1.2em; margin: 5mm 0 2mm; padding-bottom: 0.5mm; border-bottom: 0.6pt solid #444;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05em; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 1.5mm; }
.kicker { color: #333; margin: 0 0 2mm; }
.notice { border: 1pt solid #A84300; background: #fff4e5; padding: 1.5mm 3mm; margin: 2mm 0 3mm;
          font-weight: bold; }
table { border-collapse: collapse; margin: 1mm 0 2mm; }
th, td { border: 0.5pt solid #777; padding: 0.8mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eef3f8; }
thead { display: table-header-group; }
tr, figure, li, .keep { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 1mm 0 2mm; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.85em; color: #333; }
ol.options { padding-left: 7mm; margin: 1mm 0 2mm; }
ol.options > li { margin: 1.2mm 0; }
.question { font-weight: bold; }
.verdict { font-weight: bold; }
$verdicts
.answer { border-left: 2pt solid #0072B2; padding: 0.5mm 0 0.5mm 2.5mm; margin: 1mm 0; }
.evidence { font-size: 0.9em; }
.badge { border: 0.6pt solid #0072B2; border-radius: 1mm; padding: 0 1.2mm; color: #004f7c; }
.small, .refs { font-size: 0.88em; }
.line { border-bottom: 0.5pt solid #888; height: 8mm; }
.write-in { display: inline-block; min-width: 40mm; border-bottom: 0.5pt solid #888; }
a { color: inherit; }
ol.refs { padding-left: 6mm; }
@media screen { body { padding: 10mm 4mm; } }
"""

DOCUMENT = Template("""<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$css</style>
</head>
<body>
$body
</body>
</html>
""")

LANG_TAGS = {"en": "en", "zh": "zh-Hans"}
VERDICT_CSS = " ".join(f".verdict-{v} {{ color: {c}; }}" for v, c in VERDICT_COLOURS.items())


def esc(value: object) -> str:
    """``value`` as escaped HTML text."""
    return html.escape(str(value), quote=True)


def page(title: str, body: str, lang: str, *, font_size: str = "10pt") -> str:
    """A whole HTML document around ``body`` (already HTML); ``title`` is plain text."""
    css = Template(CSS).substitute(fonts=FONTS, size=font_size, verdicts=VERDICT_CSS)
    return DOCUMENT.substitute(lang=LANG_TAGS[lang], title=esc(title), css=css, body=body)


def plain(value: str, lang: str) -> str:
    """Plain text escaped, with in-text source keys shown as short references."""
    return evidence.readable(esc(value), lang=lang, cite=lambda s: f"<cite>{s}</cite>")


def content(field: dict, lang: str) -> str:
    """A content field ``{en, zh}`` in ``lang``, escaped, with readable citations."""
    return plain(text(field, lang), lang)


def short_refs(refs, lang: str) -> str:
    """Short readable references separated by semicolons, escaped (``""`` for none)."""
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"<cite>{esc(evidence.short_citation(r, lang))}</cite>" for r in refs)


def full_citation(ref) -> str:
    """The full citation without the internal source key (consensus numbers keep ``[n]``)."""
    cited = evidence.citation(ref)
    return cited if isinstance(ref, int) else cited.removeprefix(f"[{ref}] ")


def reference_list(refs, lang: str) -> str:
    """An ordered list of full citations; each DOI becomes a text link to doi.org."""
    items = []
    for ref in refs:
        cited = full_citation(ref)
        doi = re.search(r"doi:(\S+)$", cited)
        body = esc(cited)
        if doi:
            url = "https://doi.org/" + quote(doi.group(1), safe="/:;()._-")
            body = esc(cited[: doi.start()]) + f'<a href="{esc(url)}">doi:{esc(doi.group(1))}</a>'
        items.append(f"<li>{body}</li>")
    return f"<h2>{esc(tr('common.references', lang))}</h2><ol class='refs'>{''.join(items)}</ol>"


def evidence_line(ev: dict | None, lang: str) -> str:
    """Level and grade (Oxford 2009) and where the grade comes from, or ``""``."""
    if not ev:
        return ""
    badge = (f"{esc(tr('common.evidence', lang))}: {esc(tr('common.level', lang))} {esc(ev['level'])}"
             f" · {esc(tr('common.grade', lang))} {esc(ev['grade'])}")
    note = f" {content(ev['note'], lang)}" if ev.get("note") else ""
    return (f"<p class='evidence'><span class='badge'>{badge}</span> "
            f"<i>{esc(evidence.evidence_note(ev['source'], lang))}</i>{note}</p>")


def note_lines(n: int) -> str:
    """``n`` blank ruled lines for handwriting."""
    return "<div class='keep'>" + "<div class='line'></div>" * n + "</div>"


def chart_svg(chart, label: str) -> str:
    """``chart`` as an inline ``<svg>`` element (vl-convert, offline), named ``label`` for
    screen readers; the XML prolog, if any, is dropped."""
    from ..charts import render  # vl-convert and altair load only when a chart is drawn

    with tempfile.TemporaryDirectory(prefix="mtorlib-handout-") as tmp:
        svg = render.export(chart, Path(tmp) / "chart.svg").read_text(encoding="utf-8")
    svg = svg[svg.index("<svg"):]
    return svg.replace("<svg", f'<svg role="img" aria-label="{esc(label)}"', 1)
