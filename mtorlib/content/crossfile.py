"""Checks across files: which registry each document is checked against, and unique ids.

The documents validated together are split by origin: the main content (files in no pack) and each
content pack (:mod:`mtorlib.content.packs`). The reference registry (consensus numbers, extra
sources) comes from the files being validated when they include a ``references.yaml`` (a whole
content folder, wherever it lies: a copy of ``cases/`` is checked against itself, never against
the installed one); otherwise from the installed built-in content, with the validated ``sources``
files in place of the installed files at the same path. A pack's documents may also cite the
pack's own ``sources``. Ids (``kind`` + ``id``, source ids) must be unique across the main content
and every pack; a pack is also checked against the installed built-in content when that is not
among the files validated.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from . import packs
from .documents import Context, Document, iter_files, read_document
from .paths import content_dir
from .problems import Problem, cap
from .registry import rules_for

REGISTRY_KINDS = ("references", "sources")
BUILTIN_KINDS = (*REGISTRY_KINDS, "case", "quiz_bank")  # what a pack's ids are checked against


def _real(path: Path) -> str:
    return os.path.realpath(path)


def builtin_documents() -> list[Document]:
    """The valid installed documents of :data:`BUILTIN_KINDS` (all in the content folder: the
    package data holds engine data only)."""
    out = []
    for f in iter_files([content_dir()]):
        doc, _ = read_document(f)
        if doc is not None and doc.kind in BUILTIN_KINDS:
            out.append(doc)
    return out


def source_entries(doc: Document) -> list[dict]:
    """The sources a registry document defines (``extra`` of references, ``sources`` of sources)."""
    return doc.data.get("extra", []) if doc.kind == "references" else doc.data.get("sources", [])


def registry_ids(docs: Sequence[Document]) -> set[str]:
    """Every reference id the registry documents define: consensus numbers and source ids."""
    ids: set[str] = set()
    for doc in docs:
        if doc.kind == "references":
            ids |= {str(r["n"]) for r in doc.data["consensus"]}
        if doc.kind in REGISTRY_KINDS:
            ids |= {s["id"] for s in source_entries(doc)}
    return ids


def contexts(docs: Sequence[Document], roots: dict) -> tuple[Context, dict]:
    """The main content's :class:`Context` and one per pack root (sharing ``extra``)."""
    main = [d for d in docs if roots[id(d)] is None]
    validated = {_real(d.path) for d in docs}
    installed = [] if any(d.kind == "references" for d in main) else \
        [d for d in builtin_documents() if _real(d.path) not in validated]
    base = [*installed, *main]
    registry = [d for d in base if d.kind in REGISTRY_KINDS]
    base_ids = registry_ids(registry)
    defined: dict[str, list[str]] = {}
    own: dict[Path, set] = {}
    for doc in [*registry, *(d for d in docs if roots[id(d)] is not None and d.kind == "sources")]:
        name = doc.name
        for s in source_entries(doc):
            defined.setdefault(s["id"], []).append(name)
        if roots.get(id(doc)) is not None:
            own.setdefault(roots[id(doc)], set()).update(registry_ids([doc]))
    extra: dict = {}
    ctx = Context(frozenset(base_ids) if registry else frozenset(), extra, source_files=defined)
    per_pack = {root: Context(frozenset(base_ids | own.get(root, set())), extra,
                              base=tuple(installed), source_files=defined, pack=root)
                for root in {r for r in roots.values() if r is not None}}
    return ctx, per_pack


def _pack_problems(doc: Document, root: Path) -> list[Problem]:
    if doc.kind == packs.KIND:
        if Path(_real(doc.path)) != root / packs.MANIFEST:
            return [doc.problem(("kind",), f"a pack manifest must be the file {packs.MANIFEST} at "
                                           "the top of the pack folder")]
        return []
    if doc.kind not in packs.PACK_KINDS:
        return [doc.problem(("kind",), f"a content pack holds only {', '.join(packs.PACK_KINDS)} "
                                       f"files (and its {packs.MANIFEST}); this file is {doc.kind!r}")]
    return []


def check_documents(docs: Sequence[Document], ctx: Context | None = None) -> list[Problem]:
    """Semantic rules and cross-file uniqueness for schema-valid documents (main content first,
    then each pack); with ``ctx``, every document is checked in that one context.

    Applies the rules registered so far (:mod:`mtorlib.content.registry`); :func:`mtorlib.validate`
    imports every domain package first, so that it applies all of them.
    """
    roots = {id(d): None if ctx is not None else packs.root_of(d.path) for d in docs}
    docs = sorted(docs, key=lambda d: roots[id(d)] is not None)  # stable: main content first
    main_ctx, per_pack = (ctx, {}) if ctx is not None else contexts(docs, roots)
    base_index = {(d.kind, d.id): d for c in per_pack.values() for d in c.base}
    problems: list[Problem] = []
    seen: dict[tuple, Document] = {}
    for doc in docs:
        root = roots[id(doc)]
        key = (doc.kind, doc.id)
        other = seen.get(key) or (base_index.get(key) if root is not None else None)
        if other is not None and root is None:
            problems.append(doc.problem(("id",), f"id '{doc.id}' is also used by {other.name}"))
        elif other is not None:
            problems.append(doc.problem(("id",), (
                f"{doc.kind} id '{doc.id}' is already used by {other.name}; a pack's ids must differ "
                "from the built-in content's and every other pack's: rename this file and its id")))
        seen.setdefault(key, doc)
        found = [] if root is None else _pack_problems(doc, root)
        c = main_ctx if root is None else per_pack[root]
        found += [doc.problem(p, m) for rule in rules_for(doc.kind) for p, m in rule(doc, c)]
        problems += cap(found)
    return problems

