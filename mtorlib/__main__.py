"""Command line: ``python -m mtorlib validate [PATH ...]``.

Exit status 0 when every content file is valid, 1 when any problem is found, 2 for bad usage.
Problems are printed one per line as ``file:line: field: message``; never a traceback.

Also: ``export-quiz`` (question banks as Moodle XML or GIFT, English or Chinese),
``class-report`` (a summary of many learners' progress files, as text, HTML and CSV) and
``setup-jupyter PREFIX`` (offline JupyterLab settings for a virtual environment or conda prefix).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import validate
from .content import default_paths

# JupyterLab never fetches news or checks for updates (no network at run time); light theme.
JUPYTER_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Light"},
}


def _validate(args) -> int:
    paths = args.paths or default_paths()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    problems = validate(paths)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All content valid.")
    return 0


def _write_or_print(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"written {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _export_quiz(args) -> int:
    from .quiz import load_questions
    from .quiz.export import export

    questions = load_questions(args.bank or None)
    _write_or_print(export(questions, fmt=args.format, lang=args.lang), args.output)
    print(f"{len(questions)} question(s) exported ({args.format}, {args.lang}).", file=sys.stderr)
    return 0


def _class_report(args) -> int:
    from .quiz.class_report import class_report

    missing = [p for p in args.paths if not __import__("os").path.exists(p)]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    report = class_report(args.paths, max_bytes=args.max_bytes, lang=args.lang)
    for name, reason in report.rejected:
        print(f"rejected {name}: {reason}", file=sys.stderr)
    print(report.per_learner.to_string(index=False))
    if args.html:
        _write_or_print(report.html, args.html)
    if args.csv:
        report.frame.to_csv(args.csv, index=False)
        print(f"written {args.csv}", file=sys.stderr)
    n_read = report.per_learner.shape[0]
    return 1 if report.rejected and n_read == 0 else 0


def write_jupyter_overrides(prefix: str | Path) -> Path:
    """Write ``PREFIX/share/jupyter/lab/settings/overrides.json``; returns its path."""
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(JUPYTER_OVERRIDES, indent=2) + "\n", encoding="utf-8")
    return target


def _setup_jupyter(args) -> int:
    print(f"wrote {write_jupyter_overrides(args.prefix or sys.prefix)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mtorlib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check content files against their schemas and rules")
    val.add_argument("paths", nargs="*", help="files or folders (default: cases/ and mtorlib/data/)")
    val.set_defaults(func=_validate)
    exp = sub.add_parser("export-quiz", help="export question banks for an LMS (Moodle XML, GIFT)")
    exp.add_argument("--format", choices=("moodle", "gift"), default="moodle", help="output format")
    exp.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text")
    exp.add_argument("--bank", action="append", help="bank id (repeatable; default: all banks)")
    exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    exp.set_defaults(func=_export_quiz)
    rep = sub.add_parser("class-report", help="summarise learners' progress files")
    rep.add_argument("paths", nargs="+", help="progress files or folders of *.json files")
    rep.add_argument("--html", help="write the HTML summary to this file")
    rep.add_argument("--csv", help="write the tidy per-record table to this CSV file")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the HTML")
    rep.add_argument("--max-bytes", type=int, default=1_000_000, help="largest file accepted")
    rep.set_defaults(func=_class_report)
    jup = sub.add_parser("setup-jupyter", help="offline JupyterLab settings (no news, no update check)")
    jup.add_argument("prefix", nargs="?", help="venv or conda prefix (default: this Python's)")
    jup.set_defaults(func=_setup_jupyter)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # the CLI promises no traceback: report and fail
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
