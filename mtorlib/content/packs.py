"""Content packs: a department's own cases, question banks and sources beside the built-in ones.

A pack is a folder with a ``pack.yaml`` manifest at its top (kind ``content_pack``: ``id``,
``title`` {en, zh}, ``maintainer``, ``version``) and any sub-folders of ``case``, ``quiz_bank``
and ``sources`` files (see ``docs/content-pack-template/``). ``$MTORLIB_CONTENT_PACKS`` lists the
packs in use (folders separated by ``os.pathsep``: ``:`` on Linux and macOS, ``;`` on Windows);
:func:`mtorlib.content.default_paths` then includes them, so the case list and the question
banks show pack content beside the built-in content (``$MTORLIB_CONTENT`` still replaces the
built-in folder as a whole).

The validator checks a pack against the built-in content (:func:`mtorlib.validate`,
``python -m mtorlib validate --pack DIR``): its references may cite the built-in registry
(consensus ``[n]``, label sections, sources) and the pack's own ``sources`` files; its ids may not
collide with a built-in id or another pack's id.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .paths import DATA_DIR, content_dir
from .safefiles import inside

ENV_VAR = "MTORLIB_CONTENT_PACKS"
MANIFEST = "pack.yaml"
KIND = "content_pack"
PACK_KINDS = ("case", "quiz_bank", "sources")  # what a pack may hold besides its manifest


@dataclass(frozen=True)
class Pack:
    """A pack's manifest: ``root`` folder, ``id``, ``title`` {en, zh}, ``maintainer``, ``version``."""

    root: Path
    id: str
    title: dict
    maintainer: str
    version: str


def pack_dirs() -> list[Path]:
    """The pack folders named in ``$MTORLIB_CONTENT_PACKS`` (empty entries skipped, each once)."""
    out: list[Path] = []
    for entry in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if entry.strip():
            p = Path(entry.strip()).expanduser()
            if all(os.path.realpath(p) != os.path.realpath(q) for q in out):
                out.append(p)
    return out


def builtin_dirs() -> list[Path]:
    """The built-in content: the content folder and the package data."""
    return [content_dir(), DATA_DIR]


def root_of(path: str | Path) -> Path | None:
    """The pack folder holding ``path`` (the nearest folder above it with a ``pack.yaml``), or
    ``None`` for built-in content and files in no pack."""
    path = Path(path)
    if any(inside(path, b) for b in builtin_dirs()):
        return None
    real = Path(os.path.realpath(path))
    for folder in [real, *real.parents] if real.is_dir() else real.parents:
        if (folder / MANIFEST).is_file():
            return folder
    return None


def manifest(root: str | Path) -> Pack | None:
    """The valid manifest of the pack at ``root``; ``None`` if it is missing or invalid (the
    validator says why)."""
    from .documents import read_document  # documents imports this module

    doc, _ = read_document(Path(root) / MANIFEST)
    if doc is None or doc.kind != KIND:
        return None
    d = doc.data
    return Pack(Path(os.path.realpath(root)), d["id"], d["title"], d["maintainer"], d["version"])


def pack_of(path: str | Path) -> Pack | None:
    """The pack a content file belongs to (its manifest), or ``None`` for built-in content."""
    root = root_of(path)
    return None if root is None else manifest(root)


def stamp() -> tuple:
    """What changes when a pack in use changes: each pack file's path, size and modification time
    (keys the in-memory cache of loaded content, so an edited pack is read again)."""
    out = []
    for root in pack_dirs():
        for dirpath, _dirs, files in os.walk(root):
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")):
                    try:
                        st = os.stat(os.path.join(dirpath, name))
                    except OSError:
                        continue
                    out.append((dirpath, name, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(sorted(out))
