"""Command line: ``python -m mtorlib validate [PATH ...]``.

Exit status 0 when every content file is valid, 1 when any problem is found, 2 for bad usage.
Problems are printed one per line as ``file:line: field: message``; never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from .content import check_paths, default_paths


def _validate(args) -> int:
    paths = args.paths or default_paths()
    missing = [p for p in map(str, paths) if not __import__("os").path.exists(p)]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    problems = check_paths(paths)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All content valid.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mtorlib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check content files against their schemas and rules")
    val.add_argument("paths", nargs="*", help="files or folders (default: cases/ and mtorlib/data/)")
    val.set_defaults(func=_validate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # the CLI promises no traceback: report and fail
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
