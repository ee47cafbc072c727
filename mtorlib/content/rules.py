"""Semantic rules of the content floor itself: references exist, the reference list is complete.

Registered with :mod:`mtorlib.content.registry` on import (``mtorlib.content`` imports this module);
the domain packages register their own rules the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from .registry import register_rule

N_CONSENSUS_REFS = 57
LEVELS = ("1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "4", "5")
GRADE_OF_LEVEL = {lv: ("A" if lv[0] == "1" else "B" if lv[0] in "23" else "C" if lv == "4" else "D")
                  for lv in LEVELS}


def walk_refs(node, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """Every entry of every ``refs`` list in a document, with its field path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "refs" and isinstance(value, list):
                for i, ref in enumerate(value):
                    yield (*path, key, i), ref
            else:
                yield from walk_refs(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_refs(value, (*path, i))


@register_rule("case", "quiz_bank", "pk_model", "pk_modifiers", "evidence_summary", "assay",
               "clinical_constants", "diagnostic_criteria", "response_course", "input_limits",
               "lab_reference", "pathway", "safety_facts", "safety_monitoring")
def check_refs_exist(doc, ctx):
    """Every cited reference is a consensus number 1..57 or an extra source id."""
    if not ctx.reference_ids:
        return
    for path, ref in walk_refs(doc.data):
        if str(ref) not in ctx.reference_ids:
            kind = ("consensus numbers are 1-57" if isinstance(ref, int) else
                    "see cases/references.yaml and cases/sources/"
                    + (", or add it to a sources file of this pack" if ctx.pack else ""))
            yield path, f"reference {ref!r} does not exist ({kind})"


@register_rule("references")
def check_references(doc, ctx):
    """The consensus list is exactly [1]..[57], each once; extra ids are unique."""
    numbers = [r["n"] for r in doc.data["consensus"]]
    for i, n in enumerate(numbers):
        if numbers.index(n) != i:
            yield ("consensus", i, "n"), f"reference number {n} appears twice"
    missing = sorted(set(range(1, N_CONSENSUS_REFS + 1)) - set(numbers))
    if missing:
        yield ("consensus",), f"missing consensus reference numbers: {missing}"
    ids = [s["id"] for s in doc.data.get("extra", [])]
    for i, sid in enumerate(ids):
        if ids.index(sid) != i:
            yield ("extra", i, "id"), f"extra source id '{sid}' appears twice"


@register_rule("evidence_levels")
def check_evidence_levels(doc, ctx):
    """All ten Oxford 2009 levels present once, each under the grade the table gives it."""
    seen = []
    for gi, grade in enumerate(doc.data["grades"]):
        for li, level in enumerate(grade["levels"]):
            lv = level["level"]
            seen.append(lv)
            if GRADE_OF_LEVEL[lv] != grade["grade"]:
                yield ("grades", gi, "levels", li, "level"), (
                    f"level {lv} belongs to grade {GRADE_OF_LEVEL[lv]}, not {grade['grade']}")
    if sorted(seen) != sorted(LEVELS):
        yield ("grades",), f"levels must be each of {', '.join(LEVELS)} exactly once; got {seen}"


@register_rule("sources")
def check_sources(doc, ctx):
    """Extra source ids are unique within a file and not also defined in another registry file
    (of the files validated together, or the installed ones: see :mod:`mtorlib.content.crossfile`)."""
    ids = [s["id"] for s in doc.data["sources"]]
    for i, sid in enumerate(ids):
        elsewhere = [name for name in ctx.source_files.get(sid, ()) if name != doc.name]
        if ids.index(sid) != i:
            yield ("sources", i, "id"), f"source id '{sid}' appears twice"
        elif elsewhere:
            yield ("sources", i, "id"), f"source id '{sid}' is also defined in {elsewhere[0]}"
