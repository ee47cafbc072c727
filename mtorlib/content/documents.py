"""Reading, checking and loading content documents.

A content file is a YAML mapping with ``kind`` (which schema applies) and ``id`` (equal to the
file stem). :func:`check_paths` validates files and folders and returns *all* problems;
:func:`load_kind` returns the validated documents of one kind for the engines to use, raising
:class:`ContentError` if any of them is invalid.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from ..paths import DATA_DIR, content_dir
from .problems import ContentError, Problem, display_name
from .schema import kinds, schema_errors
from .yamlread import read_yaml

SUFFIXES = (".yaml", ".yml")

# Semantic rules beyond the schema, per kind: "module:function" taking (Document, Context) and
# yielding (field_path, message). Imported lazily so the engines may import this module.
RULES: dict[str, tuple[str, ...]] = {
    "references": ("mtorlib.content.rules:check_references",),
    "evidence_levels": ("mtorlib.content.rules:check_evidence_levels",),
    "sources": ("mtorlib.content.rules:check_sources",),
    "ui_strings": (),
    "case": ("mtorlib.content.rules:check_refs_exist", "mtorlib.cases.rules:check_case"),
    "quiz_bank": ("mtorlib.content.rules:check_refs_exist", "mtorlib.quiz.rules:check_bank"),
    "pk_model": ("mtorlib.content.rules:check_refs_exist", "mtorlib.pk.rules:check_model"),
    "pk_modifiers": ("mtorlib.content.rules:check_refs_exist", "mtorlib.pk.rules:check_modifiers"),
    "evidence_summary": ("mtorlib.content.rules:check_refs_exist",),
    "assay": ("mtorlib.content.rules:check_refs_exist", "mtorlib.tdm.assay:check_assay_doc"),
}
RULES = {k: (*RULES.get(k, ()), "mtorlib.content.typography:check_chinese") for k in (*RULES, "input_limits")}


@dataclass(frozen=True)
class Document:
    """One parsed content file: its data and the line of each field."""

    path: Path
    data: dict
    lines: dict = field(repr=False, compare=False)

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def name(self) -> str:
        return display_name(self.path)

    def line(self, path: tuple) -> int | None:
        """Line of a field, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def problem(self, path: tuple, message: str) -> Problem:
        return Problem(self.name, tuple(path), self.line(path), message)


@dataclass
class Context:
    """What cross-file rules may consult: the reference ids known to the suite."""

    reference_ids: frozenset = frozenset()
    extra: dict = field(default_factory=dict)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Content files under the given files/folders (``_schema`` and hidden folders skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if f.is_file() and f.suffix in SUFFIXES and not any(
                    part.startswith(("_", ".")) for part in rel[:-1]
                ):
                    yield f
        else:
            yield p


def read_document(path: Path) -> tuple[Document | None, list[Problem]]:
    """Parse and schema-check one file; returns the document (if usable) and its problems.

    Results are cached per process by path, modification time and size, so each file is parsed
    once however many kinds are loaded; an edited file is read again.
    """
    try:
        st = Path(path).stat()
    except OSError:
        return _read_document(Path(path))
    doc, problems = _read_document_cached(str(path), st.st_mtime_ns, st.st_size)
    return doc, list(problems)


@lru_cache(maxsize=4096)
def _read_document_cached(path: str, mtime_ns: int, size: int) -> tuple[Document | None, tuple]:
    doc, problems = _read_document(Path(path))
    return doc, tuple(problems)


def _read_document(path: Path) -> tuple[Document | None, list[Problem]]:
    try:
        data, lines = read_yaml(path)
    except ContentError as exc:
        return None, exc.problems
    doc = Document(path, data if isinstance(data, dict) else {}, lines)
    if not isinstance(data, dict):
        return None, [doc.problem((), "must be a YAML mapping with 'kind' and 'id' at the top")]
    kind = data.get("kind")
    if kind not in kinds():
        msg = f"kind {kind!r} is not known; allowed: {', '.join(kinds())}"
        return None, [doc.problem(("kind",), msg)]
    problems = [doc.problem(p, m) for p, m in schema_errors(kind, data)]
    if isinstance(data.get("id"), str) and data["id"] != path.stem:
        msg = f"id '{data['id']}' must equal the file name stem '{path.stem}'"
        problems.append(doc.problem(("id",), msg))
    return (None if problems else doc), problems


def _rule(spec: str):
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


def _context() -> Context:
    try:
        refs = load_kind("references")
    except ContentError:
        return Context()
    ids = set()
    for doc in refs:
        ids |= {str(r["n"]) for r in doc.data["consensus"]}
    ids |= set(extra_sources())
    return Context(reference_ids=frozenset(ids))


def extra_sources() -> dict[str, dict]:
    """Every extra source (``references.yaml`` ``extra`` and ``cases/sources/*.yaml``) by id."""
    out: dict[str, dict] = {}
    for doc in load_kind("references"):
        out.update({s["id"]: s for s in doc.data["extra"]})
    for doc in load_kind("sources"):
        out.update({s["id"]: s for s in doc.data["sources"]})
    return out


def check_documents(docs: list[Document], ctx: Context | None = None) -> list[Problem]:
    """Semantic rules and cross-file uniqueness for schema-valid documents."""
    ctx = ctx or _context()
    problems: list[Problem] = []
    seen: dict[tuple, Document] = {}
    for doc in docs:
        key = (doc.kind, doc.id)
        if key in seen:
            problems.append(doc.problem(("id",), f"id '{doc.id}' is also used by {seen[key].name}"))
        seen[key] = doc
        for spec in RULES.get(doc.kind, ()):
            problems += [doc.problem(p, m) for p, m in _rule(spec)(doc, ctx)]
    return problems


def check_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Validate every content file under ``paths``; returns all problems (empty when valid)."""
    problems: list[Problem] = []
    docs = []
    seen: set[Path] = set()
    for f in iter_files(paths):
        if f.resolve() in seen:  # overlapping arguments (a folder and a file in it)
            continue
        seen.add(f.resolve())
        doc, found = read_document(f)
        problems += found
        if doc is not None:
            docs.append(doc)
    return problems + check_documents(docs)


def default_paths() -> list[Path]:
    """What ``python -m mtorlib validate`` checks with no arguments."""
    return [content_dir(), DATA_DIR]


@cache
def load_kind(kind: str) -> tuple[Document, ...]:
    """All valid documents of ``kind`` from the content folder and the package data.

    Raises :class:`ContentError` if any file of that kind has a problem (nothing is half-loaded).
    """
    docs, problems = [], []
    for f in iter_files(default_paths()):
        doc, found = read_document(f)
        if doc is not None and doc.kind == kind:
            docs.append(doc)
        elif found and _declares_kind(f, kind):
            problems += found
    if problems:
        raise ContentError(problems)
    return tuple(docs)


def _declares_kind(path: Path, kind: str) -> bool:
    try:
        return f"kind: {kind}" in path.read_text("utf-8", errors="replace")
    except OSError:
        return False


def load_one(kind: str, doc_id: str) -> Document:
    """The document of ``kind`` with ``id``; ``LookupError`` listing the valid ids otherwise."""
    docs = {d.id: d for d in load_kind(kind)}
    if doc_id not in docs:
        raise LookupError(f"no {kind} '{doc_id}'; valid ids: {', '.join(sorted(docs))}")
    return docs[doc_id]
