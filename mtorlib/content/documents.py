"""Reading, checking and loading content documents.

A content file is a YAML mapping with ``kind`` (which schema applies) and ``id`` (equal to the
file stem). :func:`check_paths` validates files and folders and returns *all* problems;
:func:`load_kind` returns the validated documents of one kind for the engines to use, raising
:class:`ContentError` if any of them is invalid.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from . import packs
from .diskcache import FileResults
from .paths import DATA_DIR, content_dir
from .problems import ContentError, Problem, cap, display_name
from .safefiles import inside
from .schema import kinds, schema_errors, schema_for
from .yamlread import read_yaml

SUFFIXES = (".yaml", ".yml")

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
    """What cross-file rules may consult (built by :mod:`mtorlib.content.crossfile`).

    ``reference_ids``: every ref the document may cite ("7", "rapamune_uspi"); ``extra``: what
    rules share across documents; ``base``: installed built-in documents a pack is checked against
    (when not validated with it); ``source_files``: source id -> names of the files defining it;
    ``pack``: the folder of the pack being checked (``None`` for the main content).
    """

    reference_ids: frozenset = frozenset()
    extra: dict = field(default_factory=dict)
    base: tuple = ()
    source_files: dict = field(default_factory=dict)
    pack: Path | None = None


def _folder_files(p: Path) -> Iterator[Path]:
    for f in sorted(p.rglob("*")):
        rel = f.relative_to(p).parts
        if f.suffix in SUFFIXES and not any(part.startswith(("_", ".")) for part in rel[:-1]):
            yield f


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Content files under the given files/folders (``_schema`` and hidden folders skipped; links
    leading out of a folder are skipped, see :func:`outside_links`)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from (f for f in _folder_files(p) if f.is_file() and inside(f, p))
        else:
            yield p


def outside_links(paths: Iterable[str | Path]) -> list[Problem]:
    """One problem per content file in a given folder that is a link leading out of it."""
    return [Problem(display_name(f), (), None, "is a link to a file outside the folder given; not read")
            for p in map(Path, paths) if p.is_dir() for f in _folder_files(p) if not inside(f, p)]


def read_document(path: Path, *, schema_valid: bool = False) -> tuple[Document | None, list[Problem]]:
    """Parse and schema-check one file; returns the document (if usable) and its problems.

    With ``schema_valid``, a document that matches its schema is returned even when it has a
    naming problem (an ``id`` that is not its file name), so that the validator still runs the
    rules and reference checks on it and reports every problem at once.

    Results are cached by content hash (in memory, and per user on disk, see
    :mod:`mtorlib.content.diskcache`), so a new kernel does not parse and check the suite's files
    again; an edited file, schema or checker is read again.
    """
    doc, problems = _CHECKED.get(Path(path), _read_document_tuple, salt=display_name(Path(path)))
    return (doc if schema_valid or not problems else None), list(problems)


def _read_document_tuple(path: Path) -> tuple[Document | None, tuple]:
    doc, problems = _read_document(path)
    return doc, tuple(problems)


def _checker_version() -> str:
    """Hash of what a check depends on besides the file: the content floor's code (this package and
    the number check it uses), schemas, libraries."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for src in [*sorted(here.glob("*.py")), here.parent / "checks.py"]:
        h.update(src.read_bytes())
    schemas = {k: schema_for(k) for k in [*kinds(), "common"]}
    h.update(json.dumps(schemas, sort_keys=True).encode())
    h.update(" ".join([sys.version, version("pyyaml"), version("jsonschema")]).encode())
    return h.hexdigest()[:16]


def _encode(result: tuple[Document | None, tuple]) -> dict:
    doc, problems = result
    return {"doc": None if doc is None else
            {"data": doc.data, "lines": [[list(k), v] for k, v in doc.lines.items()]},
            "problems": [[p.file, list(p.path), p.line, p.message] for p in problems]}


def _decode(path: Path, value: dict) -> tuple[Document | None, tuple]:
    doc = value["doc"]
    if doc is not None:
        doc = Document(path, doc["data"], {tuple(k): v for k, v in doc["lines"]})
    return doc, tuple(Problem(f, tuple(p), line, m) for f, p, line, m in value["problems"])


_CHECKED = FileResults("content", _checker_version, _encode, _decode)


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
    if problems:
        return None, cap(problems)
    if kind == packs.KIND:  # a manifest is always pack.yaml; its id names the pack
        if path.name != packs.MANIFEST:
            problems.append(doc.problem(("kind",), f"a pack manifest must be named {packs.MANIFEST}"))
    elif isinstance(data.get("id"), str) and data["id"] != path.stem:
        msg = f"id '{data['id']}' must equal the file name stem '{path.stem}'"
        problems.append(doc.problem(("id",), msg))
    return doc, problems  # schema-valid: checked further by the validator, named problem or not


def extra_sources() -> dict[str, dict]:
    """Every extra source (``references.yaml`` ``extra`` and ``cases/sources/*.yaml``) by id."""
    out: dict[str, dict] = {}
    for doc in load_kind("references"):
        out.update({s["id"]: s for s in doc.data["extra"]})
    for doc in load_kind("sources"):
        out.update({s["id"]: s for s in doc.data["sources"]})
    return out


def check_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Validate every content file under ``paths``; returns all problems (empty when valid).

    Schema checks always; semantic rules as registered (use :func:`mtorlib.validate` for all).
    """
    paths = list(paths)
    problems: list[Problem] = outside_links(paths)
    docs = []
    seen: set[Path] = set()
    for f in iter_files(paths):
        if f.resolve() in seen:  # overlapping arguments (a folder and a file in it)
            continue
        seen.add(f.resolve())
        doc, found = read_document(f, schema_valid=True)
        problems += found
        if doc is not None:
            docs.append(doc)
    from .crossfile import check_documents  # it builds on this module

    return problems + check_documents(docs)


def default_paths() -> list[Path]:
    """What ``python -m mtorlib validate`` checks with no arguments and what the engines load:
    the content folder, the package data and the content packs in use
    (``$MTORLIB_CONTENT_PACKS``, see :mod:`mtorlib.content.packs`)."""
    return [content_dir(), DATA_DIR, *packs.pack_dirs()]


def load_kind(kind: str) -> tuple[Document, ...]:
    """All valid documents of ``kind`` from the content folder, the package data and the packs.

    Raises :class:`ContentError` if any file of that kind has a problem (nothing is half-loaded).
    Kept in memory per folder list and pack state: an edited pack file is read again.
    """
    return _load_kind(kind, tuple(default_paths()), packs.stamp())


@cache
def _load_kind(kind: str, roots: tuple, _stamp: tuple) -> tuple[Document, ...]:
    docs, problems = [], []
    for f in iter_files(roots):
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
