"""Problems found in content files, and the error that carries them.

A :class:`Problem` names the file, the field path (``options[2].feedback.zh``), the 1-based line
where the field starts (``None`` when the file could not be parsed that far) and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_PER_FILE = 50  # problems listed per file; the rest are counted in one last line
MAX_MESSAGE = 400  # characters of one message


def format_path(parts: tuple) -> str:
    """Render a field path: ``("options", 2, "feedback")`` -> ``options[2].feedback``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one content file."""

    file: str
    path: tuple
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = self.message
        if len(message) > MAX_MESSAGE:  # keep both ends: the field's value and the reason after it
            message = f"{message[:MAX_MESSAGE // 2]} … {message[-MAX_MESSAGE // 2:]}"
        if not self.path:
            return f"{where}: {message}"
        return f"{where}: {format_path(self.path)}: {message}"


def cap(problems: list[Problem]) -> list[Problem]:
    """At most :data:`MAX_PER_FILE` problems of one file, plus one line counting the rest."""
    if len(problems) <= MAX_PER_FILE:
        return problems
    rest = len(problems) - MAX_PER_FILE
    return [*problems[:MAX_PER_FILE],
            Problem(problems[0].file, (), None, f"... and {rest} more problem(s) in this file")]


class ContentError(ValueError):
    """Raised when content does not validate; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in content:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


def display_name(path: Path) -> str:
    """A short, stable name for a file: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
