"""mtorlib: teaching and simulation suite for mTOR inhibitors in immune hematologic diseases.

For teaching only: nothing here is for clinical decisions.

Map of the package (data walks down once: content -> engines -> frames -> charts -> widgets):

* ``mtorlib.content``  — strict YAML + JSON Schema content pipeline (``python -m mtorlib validate``)
* ``mtorlib.i18n``     — ``set_language("en"|"zh")``, UI string catalogue, bilingual fields
* ``mtorlib.evidence`` — ``cite(n)`` for the 57 consensus references, Oxford 2009 table
* ``mtorlib.regimen``  — dosing event tables (``time_h``, ``amt_mg``), BSA dosing
* ``mtorlib.pk``       — sourced PK models, exact vectorised 1-/2-compartment engine, steady state, PTA
* ``mtorlib.tdm``      — label dose rules, assay ranges, Bayesian MAP fit, dose recommendation
* ``mtorlib.cases``    — branching clinical cases: engine, rules, dose tasks
* ``mtorlib.quiz``     — questions, practice/exam sessions, LMS export, class report
* ``mtorlib.progress`` — the learner's progress file (atomic writes)
* ``mtorlib.charts``   — Altair charts from tidy frames; ``charts.render``: offline rendering, export
* ``mtorlib.widgets``  — thin ipywidgets views; ``widgets.chrome``: language switch, teaching notice
* :func:`validate` — every content file with every domain's rules
* ``python -m mtorlib validate | export-quiz | class-report | setup-jupyter`` — the command line
"""

from . import startup

startup.defer_iri_parsers()  # first, before anything imports jsonschema (see mtorlib.startup)

from .i18n import get_language, set_language  # noqa: E402

__all__ = ["get_language", "set_language", "validate"]
__version__ = "0.1.0"


def validate(paths=None) -> list:
    """Check content files with every domain's rules; returns the problems (empty when valid).

    ``paths``: files or folders (default: the content folder and the package data). The content
    floor imports no domain; this entry point sits above them and imports each one, which
    registers its semantic rules and computations (see :mod:`mtorlib.content.registry`).
    """
    from . import cases, diseases, mechanism, pk, quiz, regimen, safety, tdm  # noqa: F401  (each registers its rules)
    from .content import check_paths, default_paths

    return check_paths(default_paths() if paths is None else paths)
