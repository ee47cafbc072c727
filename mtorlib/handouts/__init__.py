"""Printable handouts: self-contained A4 HTML (and PDF through headless Chromium) for class.

* :func:`case_handout` — a teaching case along its main path: vignette, labs (table and inline SVG
  chart), each step's options; with ``answers=True`` verdicts, explanations, evidence levels
  (inferred grades labelled), the debrief and readable references; otherwise blank note lines.
* :func:`summary_handout` — one A4 page per disease: the sourced study table and the cases' key points.
* :func:`save` — write ``.html`` or ``.pdf`` (Chromium; without it the HTML and a note saying so).
* :func:`case_list` — ``(id, title)`` of every case.

Floor: the widget floor (a printed view of domain data and charts), but it never imports
``mtorlib.widgets``, so the command line does not load ipywidgets. For teaching only.
"""

from .case_doc import Handout, HandoutError, case_handout, case_list, main_path
from .output import HandoutOutputError, Saved, find_chromium, print_pdf, save
from .summary_doc import DISEASES, summary_handout

__all__ = ["DISEASES", "Handout", "HandoutError", "HandoutOutputError", "Saved", "case_handout",
           "case_list", "find_chromium", "main_path", "print_pdf", "save", "summary_handout"]
