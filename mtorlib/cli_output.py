"""What the command line (:mod:`mtorlib.__main__`) writes and says about its outputs.

:func:`written` writes an output atomically (never over a folder, a link or a device) and prints
where; a refusal or a failed write raises :class:`NotWritten` with a readable message naming the
file, which the command line prints as ``error: ...`` with exit status 1. Also the ``class-report``
exit-status text and its ``--max-bytes`` check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .content.safefiles import FileRefused, atomic_write, printable
from .progress import MAX_BYTES as PROGRESS_MAX_BYTES

CLASS_REPORT_EXIT = f"""exit status:
  0  the report was made from at least one learner's file (rejected files, if any, are listed
     on standard error, one line each with the reason, and in the HTML page)
  1  no file could be used, or an output (--html, --csv) could not be written (the message
     names the file and the reason; a file already there is left as it was)
  2  bad usage

--max-bytes defaults to the largest progress file a learner can save ({PROGRESS_MAX_BYTES} bytes), so no
learner's own file is ever rejected as too large."""


class NotWritten(Exception):
    """An output not written (refused: a folder, a link, a device; or the write failed): its
    readable message naming the file."""


def write_failed(output: str | Path, exc: OSError) -> str:
    """What to print when writing ``output`` failed (a full disk, a file size limit, no permission)."""
    return (f"cannot write {printable(output)}: {printable(exc.strerror or exc)} (nothing was "
            "written; a file already there is unchanged)")


def written(text: str | bytes, output: str) -> None:
    """Write ``text`` atomically to ``output`` and say where (the absolute path)."""
    try:
        dest = atomic_write(output, text)
    except FileRefused as exc:
        raise NotWritten(f"{printable(exc)} (nothing was written)") from None
    except OSError as exc:
        raise NotWritten(write_failed(output, exc)) from None
    print(f"written {printable(dest.absolute())}", file=sys.stderr)


def positive_bytes(text: str) -> int:
    """``--max-bytes``: a whole number of bytes, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of bytes") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: give a number of bytes of 1 or "
                                         f"more (default {PROGRESS_MAX_BYTES})")
    return value
