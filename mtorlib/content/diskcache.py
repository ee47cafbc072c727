"""A per-user cache on disk, so that a new kernel does not redo what an earlier one did.

:func:`cache_dir` is ``$MTORLIB_CACHE``, else ``$XDG_CACHE_HOME/mtorlib``, else ``~/.cache/mtorlib``
(never the repository). :class:`FileResults` keeps results computed from files, keyed by a hash of
each file's bytes: an edited file is computed again, and nothing stale is ever returned. A cache that
cannot be read or written is skipped: everything still works, only slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .safefiles import FileRefused, read_regular
from .yamlread import MAX_BYTES


def cache_dir() -> Path:
    """``$MTORLIB_CACHE``, else ``$XDG_CACHE_HOME/mtorlib``, else ``~/.cache/mtorlib``."""
    if os.environ.get("MTORLIB_CACHE"):
        return Path(os.environ["MTORLIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mtorlib"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that a reader sees no file or the whole file (``OSError`` if it cannot)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            tmp.write(text)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


class FileResults:
    """Results computed from files, one small JSON file per source file and per ``version``.

    ``version()`` names what the results depend on besides the file (code, schemas, library
    versions); a new version starts an empty folder and removes the older ones. Each entry holds
    the SHA-256 of the file's bytes and of ``salt`` (anything else the result depends on); results
    are JSON, through ``encode``/``decode``. Decoded results are also kept in memory.
    """

    def __init__(self, stem: str, version: Callable[[], str],
                 encode: Callable[[object], object], decode: Callable[[Path, object], object]):
        self.stem, self._version, self.encode, self.decode = stem, version, encode, decode
        self._version_id: str | None = None
        self._memory: dict[str, tuple[str, object]] = {}

    def folder(self) -> Path:
        """Where this version's entries live (under :func:`cache_dir`, read at each call)."""
        if self._version_id is None:
            self._version_id = self._version()
        return cache_dir() / f"{self.stem}-{self._version_id}"

    def get(self, path: Path, compute: Callable[[Path], object], salt: str = "") -> object:
        """``compute(path)``, or its cached result for the same bytes and salt."""
        try:  # regular files only (never blocks on a FIFO); the reader reports what is refused
            data = read_regular(path, max_bytes=MAX_BYTES)
        except (OSError, FileRefused):
            return compute(path)
        key = hashlib.sha256(salt.encode() + b"\0" + data).hexdigest()
        held = self._memory.get(str(path))
        if held and held[0] == key:
            return held[1]
        entry = self.folder() / (hashlib.sha256(str(path).encode()).hexdigest()[:32] + ".json")
        result = self._read(path, entry, key)
        if result is None:
            result = compute(path)
            with contextlib.suppress(OSError, FileRefused):
                # not edited meanwhile: the result is for `key`
                if read_regular(path, max_bytes=MAX_BYTES) == data:
                    self._write(entry, {"path": str(path), "key": key, "value": self.encode(result)})
        self._memory[str(path)] = (key, result)
        return result

    def _read(self, path: Path, entry: Path, key: str) -> object | None:
        try:
            stored = json.loads(entry.read_text(encoding="utf-8"))
            if stored["key"] == key and stored["path"] == str(path):
                return self.decode(path, stored["value"])
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass  # missing, unreadable or from an older layout: compute again
        return None

    def _write(self, entry: Path, stored: dict) -> None:
        folder = entry.parent
        if not folder.exists():  # a new version: drop the folders of older ones
            for old in folder.parent.glob(f"{self.stem}-*"):
                shutil.rmtree(old, ignore_errors=True)
        write_atomic(entry, json.dumps(stored, ensure_ascii=False))
