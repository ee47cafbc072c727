"""Case records: a validated case file as an immutable graph.

:func:`load_case` reads ``cases/<disease>/<id>.yaml`` through the content pipeline; :func:`from_data`
builds a :class:`Case` from an already-validated mapping (tests, the rules). Nodes stay plain
mappings (as in the YAML) inside a read-only index.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from ..content import load_kind, load_one
from ..content.packs import pack_of

COUNTERS = ("platelets", "hemoglobin", "trough", "adverse_events", "days_on_drug")
UNITS = {
    "platelets": "×10⁹/L", "hemoglobin": "g/L", "trough": "ng/mL", "adverse_events": "",
    "days_on_drug": "d", "reticulocytes": "%", "ldh": "U/L", "bilirubin": "µmol/L",
    "creatinine": "µmol/L",
}
LAB_TESTS = ("platelets", "hemoglobin", "reticulocytes", "ldh", "bilirubin", "creatinine", "trough")


class CaseError(ValueError):
    """A case, node or option that does not exist, or a move the case does not allow."""


@dataclass(frozen=True)
class Case:
    """One case: metadata, starting counters and nodes by id (read-only)."""

    id: str
    disease: str
    title: dict
    summary: dict
    refs: tuple
    counters: MappingProxyType
    start: str
    nodes: MappingProxyType
    pack: dict | None = None  # title {en, zh} of the content pack it comes from; None: built-in

    def node(self, node_id: str) -> dict:
        """The node ``node_id``; :class:`CaseError` naming the valid ids otherwise."""
        try:
            return self.nodes[node_id]
        except KeyError:
            raise CaseError(
                f"node must be one of {', '.join(self.nodes)}; got {node_id!r} (case {self.id})"
            ) from None


def node_kind(node: dict) -> str:
    """``"decision"``, ``"task"`` or ``"terminal"``."""
    return "decision" if "options" in node else "task" if "task" in node else "terminal"


def successors(node: dict) -> list[str]:
    """Ids of the nodes a node leads to (empty for a terminal node)."""
    if "options" in node:
        return [opt["next"] for opt in node["options"]]
    if "task" in node:
        return [node["task"]["next"]]
    return []


def from_data(data: dict, *, pack: dict | None = None) -> Case:
    """A :class:`Case` from a schema-valid case mapping (the last node wins on duplicate ids);
    ``pack``: the title of the content pack it comes from."""
    counters = {name: 0 for name in COUNTERS} | dict(data.get("counters", {}))
    return Case(
        id=data["id"],
        disease=data["disease"],
        title=data["title"],
        summary=data["summary"],
        refs=tuple(data["refs"]),
        counters=MappingProxyType(counters),
        start=data["start"],
        nodes=MappingProxyType({n["id"]: n for n in data["nodes"]}),
        pack=pack,
    )


def load_case(case_id: str) -> Case:
    """The validated case ``case_id`` (built-in or from a content pack in use, then marked with
    the pack's title); ``LookupError`` listing the valid ids if unknown."""
    doc = load_one("case", case_id)
    found = pack_of(doc.path)
    return from_data(doc.data, pack=None if found is None else found.title)


def case_ids(disease: str | None = None) -> list[str]:
    """Ids of all cases (built-in and from the content packs in use), or of one disease's, sorted."""
    return sorted(d.id for d in load_kind("case") if disease in (None, d.data["disease"]))
