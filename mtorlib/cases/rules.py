"""Semantic rules for ``kind: case`` (registered with :mod:`mtorlib.content.registry` on import).

:func:`check_case` yields ``(field_path, message)`` for: unique node and option ids; ``start`` and
every ``next`` pointing at a node; every node reachable; every reachable node able to reach an end
(so no cycle is inescapable); at least one ``best`` option per decision; an option's feedback that
agrees with its verdict (:func:`check_verdict_wording`: ``not_recommended`` feedback never calls the
choice harmful, ``harmful`` feedback never opens with "Not recommended"); 3–5 key points per end;
Chinese text that contains Chinese; evidence grades that match their Oxford 2009 level and are
marked ``inferred`` (the consensus text is not available); a "minus" level (e.g. 1b−) only with
grade D (:func:`check_minus_grade`); every reference the English cites inline also cited in the
Chinese (:func:`check_inline_refs`); tasks whose library computation runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..content import register_rule
from ..content.rules import GRADE_OF_LEVEL
from .model import CaseError, node_kind, successors
from .tasks import expected_value

_CJK = re.compile(r"[\u3400-\u9fff]")
_MINUS = ("-", "\u2212")
_MINUS_IN_NOTE = re.compile(r"\b([1-3][abc])[-\u2212](?![0-9A-Za-z])")
_INLINE_REF = re.compile(r"\[([A-Za-z0-9_]+)\]")
_SAYS_HARMFUL = re.compile(r"\bharmful\b|有害", re.IGNORECASE)
_OPENS_NOT_RECOMMENDED = re.compile(r"\s*(not recommended|不推荐)", re.IGNORECASE)


@register_rule("case")
def check_case(doc, ctx) -> Iterator[tuple[tuple, str]]:
    """All semantic problems of one case document."""
    nodes = doc.data["nodes"]
    yield from _ids(nodes)
    index = {n["id"]: i for i, n in enumerate(nodes)}
    yield from _links(doc.data, index)
    yield from _graph(doc.data, index)
    for i, node in enumerate(nodes):
        yield from _node(node, ("nodes", i))
    yield from _texts(doc.data, ())
    yield from check_inline_refs(doc.data, ())


def _ids(nodes) -> Iterator:
    seen = set()
    for i, node in enumerate(nodes):
        if node["id"] in seen:
            yield ("nodes", i, "id"), f"node id '{node['id']}' appears twice"
        seen.add(node["id"])
        opts = [o["id"] for o in node.get("options", [])]
        for j, oid in enumerate(opts):
            if opts.index(oid) != j:
                yield (("nodes", i, "options", j, "id"),
                       f"option id '{oid}' appears twice in node '{node['id']}'")


def _links(data, index) -> Iterator:
    allowed = ", ".join(index)
    if data["start"] not in index:
        yield ("start",), f"start '{data['start']}' is not a node; nodes: {allowed}"
    for i, node in enumerate(data["nodes"]):
        if "options" in node:
            targets = [(("nodes", i, "options", j, "next"), o["next"]) for j, o in enumerate(node["options"])]
        elif "task" in node:
            targets = [(("nodes", i, "task", "next"), node["task"]["next"])]
        else:
            targets = []
        for path, target in targets:
            if target not in index:
                yield path, f"next '{target}' is not a node; nodes: {allowed}"
            elif target == node["id"]:
                yield path, f"next '{target}' points back at its own node"


def _graph(data, index) -> Iterator:
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {nid: [t for t in successors(n) if t in nodes] for nid, n in nodes.items()}
    reach = _closure([data["start"]] if data["start"] in nodes else [], edges)
    reverse: dict[str, list] = {nid: [] for nid in nodes}
    for nid, targets in edges.items():
        for t in targets:
            reverse[t].append(nid)
    ends = [nid for nid, n in nodes.items() if node_kind(n) == "terminal"]
    can_end = _closure(ends, reverse)
    if not ends:
        yield ("nodes",), "the case has no terminal node (a node with 'debrief')"
    for nid in nodes:
        if nid not in reach:
            yield ("nodes", index[nid], "id"), f"node '{nid}' cannot be reached from start '{data['start']}'"
        elif nid not in can_end:
            yield (("nodes", index[nid], "id"),
                   f"no path from node '{nid}' reaches a terminal node (endless loop)")


def _closure(seeds, edges) -> set:
    seen, stack = set(seeds), list(seeds)
    while stack:
        for nxt in edges[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _node(node, path) -> Iterator:
    kind = node_kind(node)
    if kind == "decision":
        if "question" not in node:
            yield (*path, "question"), "a decision node needs a question"
        if not any(o["verdict"] == "best" for o in node["options"]):
            yield (*path, "options"), "a decision node needs at least one option with verdict 'best'"
        for j, opt in enumerate(node["options"]):
            yield from _evidence(opt.get("evidence"), (*path, "options", j, "evidence"))
            yield from check_verdict_wording(opt, (*path, "options", j))
    elif kind == "task":
        yield from _evidence(node["task"].get("evidence"), (*path, "task", "evidence"))
        try:
            expected_value(node["task"]["compute"])
        except CaseError as exc:
            yield (*path, "task", "compute"), str(exc)
    else:
        n = len(node["debrief"]["key_points"])
        if not 3 <= n <= 5:
            yield (*path, "debrief", "key_points"), f"a debrief needs 3-5 key points; got {n}"


def check_verdict_wording(opt: dict, path: tuple) -> Iterator[tuple[tuple, str]]:
    """An option whose feedback contradicts its verdict: ``not_recommended`` (the sources do not
    support it) feedback that calls the choice harmful, or ``harmful`` feedback that opens with
    "Not recommended" / "不推荐" (then the verdict is ``not_recommended``)."""
    for lang, text in opt["feedback"].items():
        if opt["verdict"] == "not_recommended" and _SAYS_HARMFUL.search(text):
            yield ((*path, "feedback", lang), "a 'not_recommended' option's feedback must not call the "
                   "choice harmful; use verdict 'harmful' if the sources show harm")
        if opt["verdict"] == "harmful" and _OPENS_NOT_RECOMMENDED.match(text):
            yield ((*path, "verdict"), f"the {lang} feedback opens with 'not recommended': use verdict "
                   "'not_recommended' (allowed: best, acceptable, not_recommended, harmful)")


def _evidence(ev, path) -> Iterator:
    if ev is None:
        return
    if ev.get("minus") or str(ev["level"]).endswith(_MINUS) or _minus_named(ev):
        yield from check_minus_grade(ev, path)
    elif GRADE_OF_LEVEL[ev["level"]] != ev["grade"]:
        yield (*path, "grade"), (f"grade {ev['grade']} does not match level {ev['level']} "
                                 f"(Oxford 2009: level {ev['level']} -> grade {GRADE_OF_LEVEL[ev['level']]})")
    if ev["source"] != "inferred":
        yield (*path, "source"), ("source must be 'inferred': only the consensus abstract is known, so no "
                                  "grade can be quoted as the consensus's own")


def _texts(value, path) -> Iterator:
    """Every bilingual field's ``zh`` holds Chinese characters (catches untranslated copies)."""
    if isinstance(value, dict):
        if set(value) == {"en", "zh"} and isinstance(value["zh"], str):
            if not _CJK.search(value["zh"]):
                yield (*path, "zh"), "the zh text contains no Chinese characters"
            return
        for key, sub in value.items():
            yield from _texts(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _texts(sub, (*path, i))


def _minus_named(ev) -> str | None:
    """The minus level (e.g. ``1b-``) the evidence note names in English, if any."""
    note = ev.get("note")
    found = _MINUS_IN_NOTE.search(note["en"]) if isinstance(note, dict) else None
    return found.group(0) if found else None


def check_minus_grade(ev, path) -> Iterator[tuple[tuple, str]]:
    """Oxford 2009: a level marked "minus" (1b−: wide CI or preliminary data) is inconclusive and
    can only support grade D. The minus is ``minus: true``, a level ending in "-"/"−", or a minus
    level named in the English note."""
    level = str(ev["level"]).rstrip("".join(_MINUS))
    named = _minus_named(ev)
    if not (ev.get("minus") or str(ev["level"]).endswith(_MINUS)):
        yield (*path, "minus"), (
            f"the note names level {named}, but the evidence is not marked minus: set 'minus: true' "
            f"with grade D (Oxford 2009), or drop the minus from the note and say why")
        return
    if ev["grade"] != "D":
        yield (*path, "grade"), (
            f"level {level}\u2212 is an Oxford 2009 'minus' level (inconclusive), so grade "
            f"{ev['grade']} is not allowed; allowed: grade D, or drop the minus and explain why in 'note'")


def check_inline_refs(value, path) -> Iterator[tuple[tuple, str]]:
    """Every reference the ``en`` text of a bilingual field cites inline (``[24]``) is cited in
    its ``zh`` text too, so no language drops a source."""
    if isinstance(value, dict):
        if set(value) == {"en", "zh"} and isinstance(value["en"], str) and isinstance(value["zh"], str):
            zh = set(_INLINE_REF.findall(value["zh"]))
            missing = [r for r in dict.fromkeys(_INLINE_REF.findall(value["en"])) if r not in zh]
            if missing:
                cited = "".join(f"[{r}]" for r in missing)
                yield (*path, "zh"), (f"the English text cites {cited} inline but the Chinese text does "
                                      f"not; cite the same references in both languages")
            return
        for key, sub in value.items():
            yield from check_inline_refs(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from check_inline_refs(sub, (*path, i))
