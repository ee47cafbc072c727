"""Content pipeline: strict YAML reading, JSON Schema checks, semantic rules, loading.

``check_paths(paths) -> list[Problem]`` validates; ``load_kind(kind)`` / ``load_one(kind, id)``
return validated :class:`Document` records; every problem names file, field path and line.
"""

from .documents import Document, check_paths, default_paths, load_kind, load_one
from .problems import ContentError, Problem

__all__ = ["ContentError", "Document", "Problem", "check_paths", "default_paths", "load_kind", "load_one"]
