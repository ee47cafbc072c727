"""mtorlib: teaching and simulation suite for mTOR inhibitors in immune hematologic diseases.

For teaching only: nothing here is for clinical decisions.

Map of the package (data walks down once: content -> engines -> frames -> charts -> widgets):

* ``mtorlib.content``  — strict YAML + JSON Schema content pipeline (``python -m mtorlib validate``)
* ``mtorlib.i18n``     — ``set_language("en"|"zh")``, UI string catalogue, bilingual fields
* ``mtorlib.evidence`` — ``cite(n)`` for the 57 consensus references, Oxford 2009 table
* ``mtorlib.render``   — offline Altair rendering and PNG/SVG export
"""

from .i18n import get_language, set_language

__all__ = ["get_language", "set_language"]
__version__ = "0.1.0"
