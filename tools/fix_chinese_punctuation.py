"""Make Chinese punctuation full-width in content files, as the validator's typography rule asks.

Usage: ``python tools/fix_chinese_punctuation.py cases mtorlib/data`` (files or folders). Every
``zh`` string with a problem (:func:`mtorlib.content.typography.problems`) is replaced in the file
text by :func:`~mtorlib.content.typography.fix`; strings that cannot be found verbatim (escapes,
folded blocks) are listed for a manual edit. Run ``python -m mtorlib validate`` afterwards.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mtorlib.content.documents import iter_files
from mtorlib.content.typography import _zh_fields, fix
from mtorlib.content.yamlread import read_yaml


def main(paths: list[str]) -> int:
    left = []
    for path in iter_files(paths or ["cases", "mtorlib/data"]):
        data, _ = read_yaml(Path(path))
        raw = new = Path(path).read_text("utf-8")
        for field_path, value in _zh_fields(data):
            fixed = fix(value)
            if fixed == value:
                continue
            if value in new:
                new = new.replace(value, fixed)
            else:
                left.append(f"{path}: {'.'.join(map(str, field_path))}: edit by hand")
        if new != raw:
            Path(path).write_text(new, "utf-8")
    print("\n".join(left) or "done")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
