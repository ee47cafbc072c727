"""Writing a handout: HTML as it is, PDF printed by headless Chromium.

* :func:`find_chromium` — ``MTORLIB_CHROMIUM``, else the first of :data:`CHROMIUM_NAMES` on PATH.
* :func:`print_pdf` — HTML text to PDF bytes with Chromium (offline: a local file, no network
  features, a throw-away profile).
* :func:`save` — by the output's suffix; without Chromium a ``.pdf`` request writes the HTML next
  to it and says how to get the PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..content.safefiles import atomic_write

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--no-pdf-header-footer")
SUFFIXES = (".html", ".htm", ".pdf")
INSTALL = ("install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or set MTORLIB_CHROMIUM "
           "to a Chromium or Chrome executable, then run the command again")


class HandoutOutputError(ValueError):
    """An output that cannot be made: a wrong suffix, or Chromium failed to print."""


@dataclass(frozen=True)
class Saved:
    """What :func:`save` wrote: the ``path``, its ``kind`` (``"html"``/``"pdf"``) and a ``note``
    for the user (empty when the file is what was asked for)."""

    path: Path
    kind: str
    note: str = ""


def find_chromium() -> str | None:
    """The Chromium to print with: ``MTORLIB_CHROMIUM`` if set, else one found on PATH."""
    named = os.environ.get("MTORLIB_CHROMIUM")
    if named:
        return named if os.path.isfile(named) and os.access(named, os.X_OK) else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(html_text: str, chromium: str, *, timeout_s: float = 180) -> bytes:
    """``html_text`` printed to A4 PDF by ``chromium``; :class:`HandoutOutputError` if it fails."""
    with tempfile.TemporaryDirectory(prefix="mtorlib-pdf-") as tmp:
        source, pdf = Path(tmp) / "handout.html", Path(tmp) / "handout.pdf"
        source.write_text(html_text, encoding="utf-8")
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                   f"--print-to-pdf={pdf}", source.as_uri()]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise HandoutOutputError(f"Chromium did not finish printing within {timeout_s:g} s") from None
        except OSError as exc:
            raise HandoutOutputError(f"Chromium could not be started ({chromium}): {exc}") from None
        data = pdf.read_bytes() if pdf.is_file() else b""
        if not data.startswith(b"%PDF"):
            last = (run.stderr.strip().splitlines() or ["no message"])[-1][:300]
            raise HandoutOutputError(f"Chromium did not write a PDF (exit status {run.returncode}): {last}")
        return data


def save(html_text: str, output: str | Path) -> Saved:
    """Write ``html_text`` to ``output`` (``.html``/``.htm`` as it is, ``.pdf`` through Chromium).

    Without Chromium a ``.pdf`` request writes ``<output>.html`` instead and :attr:`Saved.note`
    says so and how to install Chromium.
    """
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise HandoutOutputError(f"-o must end in {', '.join(SUFFIXES)}; got {output.name!r}")
    if suffix != ".pdf":
        return Saved(atomic_write(output, html_text), "html")
    chromium = find_chromium()
    if chromium is None:
        fallback = atomic_write(output.with_suffix(".html"), html_text)
        where = ("MTORLIB_CHROMIUM does not name an executable file" if os.environ.get("MTORLIB_CHROMIUM")
                 else f"none of {', '.join(CHROMIUM_NAMES)} is on PATH")
        return Saved(fallback, "html", f"PDF needs Chromium ({where}); wrote HTML instead. To get "
                     f"the PDF, {INSTALL}, or open the HTML in a browser and print it (A4).")
    return Saved(atomic_write(output, print_pdf(html_text, chromium)), "pdf")
