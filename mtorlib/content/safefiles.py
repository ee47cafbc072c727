"""Files from outside the suite's control: read regular files only, write atomically, print safely.

* :func:`read_regular` — the bytes of a regular file, refusing FIFOs, devices, sockets and
  folders (opened with ``O_NONBLOCK`` and checked with ``fstat``, so nothing can block), links
  leading out of a given folder, and files over a size limit (checked before reading).
* :func:`check_target` — refuse to write over a folder, a link or a special file.
* :func:`atomic_write` — temporary file in the same folder, ``fsync``, ``os.replace``: an error
  never leaves a truncated or empty file in place of a good one; the new file gets the mode a
  plain write would give (the replaced file's, or ``0o666`` less the umask).
* :func:`printable` — a name or message with control characters and undecodable bytes escaped
  (``\\x1b``), safe to print to a terminal.
"""

from __future__ import annotations

import os
import stat
import tempfile
import unicodedata
from pathlib import Path


class FileRefused(ValueError):
    """A file that is not read or written (special file, link out of its folder, too large)."""


def printable(text: object) -> str:
    """``text`` with control/format characters, lone surrogates and undecodable bytes escaped."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (links followed) lies inside the folder ``root``."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_regular(path: str | Path, *, max_bytes: int, root: str | Path | None = None) -> bytes:
    """The content of ``path`` if it is a regular file of at most ``max_bytes`` bytes.

    With ``root``, a path whose links lead outside that folder is refused too.
    Raises :class:`FileRefused` or ``OSError`` (missing, unreadable).
    """
    path = Path(path)
    if root is not None and not inside(path, Path(root)):
        raise FileRefused("is a link to a file outside the folder given; not read")
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(f"is {_kind(st.st_mode)}, not a regular file; not read")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)  # what was opened, whatever replaced the path meanwhile
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(f"is {_kind(st.st_mode)}, not a regular file; not read")
        if st.st_size > max_bytes:
            raise FileRefused(f"{st.st_size} bytes is over the limit of {max_bytes}")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > max_bytes:
        raise FileRefused(f"grew over the limit of {max_bytes} bytes while being read")
    return b"".join(chunks)


def check_target(path: str | Path, *, allow_link: bool = False) -> Path:
    """``path`` if it may be written: missing or a regular file (not a folder or device, nor a
    link unless ``allow_link``)."""
    path = Path(path)
    if not str(path) or str(path) == ".":
        raise FileRefused("an empty file name was given")
    try:
        st = os.stat(path) if allow_link else os.lstat(path)
    except FileNotFoundError:
        return path
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(f"{printable(path)} is {_kind(st.st_mode)}; write to a regular file")
    return path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every platform lets a folder be opened
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_mode(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would leave: the existing file's, or
    ``0o666`` less the process umask (``mkstemp`` alone would give ``0o600``); never setuid,
    setgid or sticky (a plain write would not carry them over either)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask: read from ``/proc`` on Linux (no change, safe with threads), else set
    and put straight back."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
        return mask


def atomic_write(path: str | Path, data: str | bytes, *, allow_link: bool = False) -> Path:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically; returns ``path``.

    The text is encoded before anything is written, so text that cannot be encoded leaves the
    old file as it was; the target must pass :func:`check_target`.
    """
    path = check_target(path, allow_link=allow_link)
    if allow_link:  # write through the link (a learner's file linked into a synced folder stays linked)
        path = Path(os.path.realpath(path))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), _new_mode(path))
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return path
