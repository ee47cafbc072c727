"""Command line: ``python -m mtorlib validate [PATH ...] [--pack DIR ...]``.

Exit status 0 when every content file is valid, 1 when any problem is found, 2 for bad usage.
Problems are printed one per line as ``file:line: field: message``; never a traceback.

Also: ``export-quiz`` (question banks as Moodle XML, GIFT or an IMS QTI 2.1 zip, English or
Chinese), ``export-xapi`` (a learner's progress file as xAPI 1.0.3 statements),
``class-report`` (a summary of many learners' progress files, as text, HTML with charts and the
questions to revisit in class, and CSV) and
``setup-jupyter PREFIX [--locale zh_CN]`` (offline JupyterLab settings for a virtual environment or
conda prefix; ``--locale zh_CN`` also makes JupyterLab's menus Chinese by default) and
``handout CASE_ID [--lang zh] [--answers] -o FILE.html|FILE.pdf`` / ``handout --summary DISEASE``
/ ``handout --list`` (printable A4 handouts; exit status 1 when the PDF could not be made: without
Chromium the HTML is written instead and the message says so).

``class-report`` exit status: 0 when the report was made from at least one learner's file (files
that were rejected, if any, are listed on standard error, one line each with the reason, and in
the HTML page); 1 when no file could be used or an output could not be written; 2 for bad usage.
Outputs (``-o``, ``--html``, ``--csv``) are written atomically and never over a folder, a link
or a device; names printed to the terminal have control characters escaped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import validate
from .cli_output import CLASS_REPORT_EXIT, NotWritten, positive_bytes, write_failed, written
from .content import default_paths
from .content.safefiles import printable
from .progress import MAX_BYTES as PROGRESS_MAX_BYTES

# JupyterLab never fetches news or checks for updates (no network at run time); light theme.
# RISE slides use reveal.js's "white" theme, whose fonts RISE ships (its default, "simple", loads
# Google Fonts).
JUPYTER_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Light"},
    "jupyterlab-rise:plugin": {"theme": "white"},
}


def _validate(args) -> int:
    paths = [*args.paths, *(args.pack or ())] or default_paths()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    not_packs = [printable(p) for p in args.pack or () if not (Path(p) / "pack.yaml").is_file()]
    if not_packs:
        print(f"error: not a content pack (no pack.yaml in the folder): {', '.join(not_packs)}; "
              "see docs/content-pack-template/", file=sys.stderr)
        return 1
    problems = validate(paths)
    for p in problems:
        print(printable(p))
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All content valid.")
    return 0


def _diseases() -> list[str]:
    """The disease areas, from the case schema (the one list; ``handout --summary`` choices)."""
    from .content.schema import schema_for

    return list(schema_for("case")["properties"]["disease"]["enum"])


def _usage_error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _export_quiz(args) -> int:
    from .quiz import load_questions
    from .quiz.export import export

    if args.output is not None and not args.output.strip():
        return _usage_error("-o/--output needs a file name (leave it out to print to the terminal)")
    banks = list(dict.fromkeys(args.bank)) if args.bank else None  # --bank itp --bank itp: once
    questions = load_questions(banks)
    if args.variant_seed is not None:  # one rendered variant per question (same seed, same file)
        from .quiz.variants import for_export

        questions = for_export(questions, args.variant_seed)
    if args.format == "qti":  # a zip: to a file only
        from .quiz.qti import to_qti_package

        if not args.output:
            return _usage_error("--format qti writes a zip package: give its file name with -o FILE.zip")
        written(to_qti_package(questions, lang=args.lang), args.output)
        print(f"{len(questions)} question(s) exported (qti, {args.lang}).", file=sys.stderr)
        return 0
    text = export(questions, fmt=args.format, lang=args.lang)
    if args.output:
        written(text, args.output)
    else:
        sys.stdout.write(text)
    print(f"{len(questions)} question(s) exported ({args.format}, {args.lang}).", file=sys.stderr)
    return 0


def _export_xapi(args) -> int:
    from .quiz.xapi import XapiError, export_xapi, to_json

    if args.output is not None and not args.output.strip():
        return _usage_error("-o/--output needs a file name (leave it out to print to the terminal)")
    given = {"home_page": args.homepage, "iri_base": args.iri_base}
    try:
        result = export_xapi(args.progress, name=args.name, email=args.email,
                             **{k: v for k, v in given.items() if v is not None})
    except XapiError as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        return 1
    text = to_json(result.statements)
    if args.output:
        written(text, args.output)
    else:
        sys.stdout.write(text)
    skipped = f" ({result.duplicates} duplicate record(s) left out)" if result.duplicates else ""
    print(f"{len(result.statements)} xAPI statement(s) exported{skipped}.", file=sys.stderr)
    return 0


def _class_report(args) -> int:
    from .charts.class_report import class_report  # the report with its charts (inline SVG)
    from .quiz.class_report import to_csv

    for flag, value in (("--html", args.html), ("--csv", args.csv)):
        if value is not None and not value.strip():
            return _usage_error(f"{flag} needs a file name")
    missing = [printable(p) for p in args.paths if not os.path.lexists(p)]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    if args.no_charts:
        from .quiz.class_report import class_report
    report = class_report(args.paths, max_bytes=args.max_bytes, lang=args.lang)
    for name, reason in report.rejected:
        print(f"rejected {printable(name)}: {printable(reason)}", file=sys.stderr)
    if report.per_learner.empty:
        print("no usable progress files: none of the files given could be read as a learner's "
              "progress (see the reasons above)", file=sys.stderr)
    else:
        shown = report.per_learner.assign(learner=report.per_learner["learner"].map(printable))
        print(shown.to_string(index=False))
    csv = to_csv(report.frame) if args.csv else None  # everything is made before anything is written
    if args.html:
        written(report.html, args.html)
    if csv is not None:
        written(csv, args.csv)
    n_read, n_bad = report.per_learner.shape[0], len(report.rejected)
    print(f"{n_read} learner(s) reported, {n_bad} file(s) rejected.", file=sys.stderr)
    return 0 if n_read else 1


def _handout(args) -> int:
    from . import handouts

    if args.list:
        for case_id, title in handouts.case_list(args.lang):
            print(f"{case_id}  {title}")
        return 0
    if (args.case is None) == (args.summary is None):
        return _usage_error("give a case id or --summary DISEASE (python -m mtorlib handout --list "
                            "lists the case ids)")
    if not (args.output or "").strip():
        return _usage_error("-o/--output needs a file name ending in .html or .pdf")
    try:  # a failure while building (a read) is never reported as a failed write
        made = (handouts.summary_handout(args.summary, lang=args.lang) if args.summary else
                handouts.case_handout(args.case, lang=args.lang, answers=args.answers))
    except handouts.HandoutError as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        return 1
    try:
        saved = handouts.save(made.html, args.output)
    except handouts.HandoutOutputError as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {write_failed(args.output, exc)}", file=sys.stderr)
        return 1
    print(f"written {printable(saved.path.absolute())}", file=sys.stderr)
    if saved.note:
        print(saved.note, file=sys.stderr)
        return 1
    return 0


# JupyterLab display languages this suite's environment ships (jupyterlab-language-pack-zh-CN).
LAB_LOCALES = ("en", "zh_CN")


def write_jupyter_overrides(prefix: str | Path, locale: str | None = None) -> Path:
    """Write ``PREFIX/share/jupyter/lab/settings/overrides.json``; returns its path.

    ``locale`` (one of :data:`LAB_LOCALES`) makes it JupyterLab's default display language
    (``@jupyterlab/translation-extension:plugin``); a learner can still change it in Settings.
    """
    overrides = dict(JUPYTER_OVERRIDES)
    if locale is not None:
        if locale not in LAB_LOCALES:
            raise ValueError(f"locale {locale!r} is not one of {', '.join(LAB_LOCALES)}")
        overrides["@jupyterlab/translation-extension:plugin"] = {"locale": locale}
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(overrides, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _setup_jupyter(args) -> int:
    print(f"wrote {write_jupyter_overrides(args.prefix or sys.prefix, args.locale)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mtorlib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check content files against their schemas and rules")
    val.add_argument("paths", nargs="*", help="files or folders (default: cases/, mtorlib/data/ "
                                              "and the packs in $MTORLIB_CONTENT_PACKS)")
    val.add_argument("--pack", action="append", metavar="DIR",
                     help="a content pack folder, checked against the built-in content (repeatable)")
    val.set_defaults(func=_validate)
    exp = sub.add_parser("export-quiz", help="export question banks for an LMS (Moodle XML, GIFT)")
    exp.add_argument("--format", choices=("moodle", "gift", "qti"), default="moodle",
                     help="output format (qti: an IMS QTI 2.1 zip package, needs -o)")
    exp.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text")
    exp.add_argument("--bank", action="append", help="bank id (repeatable; default: all banks)")
    exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    exp.add_argument("--variant-seed", type=int, metavar="N",
                     help="write questions with parameters as one variant drawn with seed N "
                          "(default: the numbers stored in the banks)")
    exp.set_defaults(func=_export_quiz)
    xap = sub.add_parser("export-xapi", help="a learner's progress file as xAPI statements (JSON)")
    xap.add_argument("progress", help="the learner's progress file (mtorlib-progress-<name>.json)")
    xap.add_argument("--name", help="the learner's name (default: the name kept in the file)")
    xap.add_argument("--email", help="the learner's e-mail address (identifies the learner by mbox)")
    xap.add_argument("--homepage", help="address of the learners' system (the account's homePage, "
                                        "used without --email; default: a placeholder)")
    xap.add_argument("--iri-base", help="address that activity ids start with (default: a placeholder)")
    xap.add_argument("-o", "--output", help="file to write (default: standard output)")
    xap.set_defaults(func=_export_xapi)
    rep = sub.add_parser("class-report", help="summarise learners' progress files",
                         epilog=CLASS_REPORT_EXIT, formatter_class=argparse.RawDescriptionHelpFormatter)
    rep.add_argument("paths", nargs="+", help="progress files or folders of *.json files")
    rep.add_argument("--html", help="write the HTML summary to this file")
    rep.add_argument("--csv", help="write the tidy per-record table to this CSV file")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the HTML")
    rep.add_argument("--max-bytes", type=positive_bytes, default=PROGRESS_MAX_BYTES,
                     help=f"largest file accepted, in bytes (1 or more; default {PROGRESS_MAX_BYTES}, "
                          "the largest progress file a learner can save)")
    rep.add_argument("--no-charts", action="store_true",
                     help="HTML without the charts (faster; the revisit list and tables stay)")
    rep.set_defaults(func=_class_report)
    jup = sub.add_parser("setup-jupyter", help="offline JupyterLab settings (no news, no update check)")
    jup.add_argument("prefix", nargs="?", help="venv or conda prefix (default: this Python's)")
    jup.add_argument("--locale", choices=LAB_LOCALES,
                     help="JupyterLab's default display language (zh_CN: menus in Chinese; "
                          "default: JupyterLab's own, English)")
    jup.set_defaults(func=_setup_jupyter)
    hand = sub.add_parser("handout", help="printable A4 handout of a case, or a disease's one-page "
                                          "summary (HTML, or PDF through Chromium)")
    hand.add_argument("case", nargs="?", help="case id (--list shows them with their titles)")
    hand.add_argument("--summary", choices=_diseases(),
                      help="one-page summary of a disease instead of a case")
    hand.add_argument("--list", action="store_true", help="list the case ids with their titles")
    hand.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the handout")
    hand.add_argument("--answers", action="store_true",
                      help="lecturer's copy: answers, explanations, evidence levels, references")
    hand.add_argument("-o", "--output", help="file to write: NAME.html or NAME.pdf")
    hand.set_defaults(func=_handout)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except NotWritten as exc:  # an output refused: said plainly, nothing written
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the CLI promises no traceback: report and fail
        print(f"error: {type(exc).__name__}: {printable(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
