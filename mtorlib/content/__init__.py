"""Content pipeline (the bottom floor): strict YAML reading, JSON Schema checks, semantic rules.

``check_paths(paths) -> list[Problem]`` validates; ``load_kind(kind)`` / ``load_one(kind, id)``
return validated :class:`Document` records; every problem names file, field path and line.
Domain packages hand their rules and computations in through :mod:`mtorlib.content.registry`;
content itself imports no domain package (``mtorlib.validate`` imports them all, then checks).
"""

from . import rules, typography  # noqa: F401  (register the content floor's own rules)
from .documents import Document, check_paths, default_paths, load_kind, load_one
from .problems import ContentError, Problem
from .registry import register_compute, register_rule

__all__ = ["ContentError", "Document", "Problem", "check_paths", "default_paths", "load_kind", "load_one",
           "register_compute", "register_rule"]
