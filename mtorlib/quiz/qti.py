"""Question banks as an IMS QTI 2.1 content package (a zip an LMS imports), and read back.

* :func:`to_qti_package` — the zip as bytes: ``imsmanifest.xml`` (IMS Content Packaging 1.1)
  listing one ``items/<id>.xml`` ``assessmentItem`` per question, in ``lang`` (en or zh).
* :func:`read_package` — the items of such a zip as :class:`QtiItem` records (the round trip).

Single choice: ``choiceInteraction`` with ``maxChoices=1``, response ``identifier``, cardinality
``single``. Multiple choice: cardinality ``multiple``; only the exact correct set scores 1
(as :func:`mtorlib.quiz.check`). Numeric: ``textEntryInteraction`` with a ``float`` response,
scored by ``equal`` in the question's tolerance mode: ``absolute`` in the answer's unit, or
``relative``, which QTI writes in percent (a fraction 0.05 is ``tolerance="5"``); a relative
tolerance of a negative answer is written as the equivalent absolute one (QTI's relative interval
assumes a positive answer). Each item's response processing sets ``SCORE`` (1 or 0) and shows
one ``modalFeedback``: the explanation (source keys shown as short readable references) and the
full citations. The item body ends with the teaching-only notice in the export language, a
paragraph of class ``teaching-only`` (read back as :attr:`QtiItem.notice`). Items are built from the
concrete :class:`~mtorlib.quiz.questions.Question` records (a rendered variant exports as is);
the zip is deterministic (same questions, same bytes).

>>> from mtorlib.quiz import load_questions
>>> qs = load_questions(["tdm"])[:2]
>>> [i.id for i in read_package(to_qti_package(qs))] == [q.id for q in qs]
True
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from .. import evidence, i18n
from .questions import Question, QuizError

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ITEM_TYPE = "imsqti_item_xmlv2p1"
LANG_TAGS = {"en": "en", "zh": "zh-CN"}
MAX_TITLE = 80
NOTICE_CLASS = "teaching-only"
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same questions give the same bytes


@dataclass(frozen=True)
class QtiItem:
    """One item read back: the question id, type, texts, options and the scoring."""

    id: str
    type: str
    stem: str
    options: tuple[tuple[str, str], ...]  # (option id, text)
    correct: tuple[str, ...]  # correct option ids (choice questions)
    answer: float | None
    tolerance_type: str | None
    tolerance: float | None
    explanation: str
    references: tuple[str, ...]
    notice: str  # the teaching-only paragraph of the item body


def item_identifier(q: Question) -> str:
    """The QTI identifier (an XML NCName) of ``q``: its id, prefixed with ``q_`` when it starts
    with a digit. The id itself is kept in the item's ``label``."""
    return q.id if _NCNAME.match(q.id) else f"q_{q.id}"


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, attrib: dict | None = None, text: str | None = None):
    """A child element; the tree is written unqualified under a default ``xmlns`` on the root."""
    el = ET.SubElement(parent, tag, attrib or {})
    if text is not None:
        el.text = text
    return el


def _title(q: Question, lang: str) -> str:
    stem = " ".join(i18n.text(q.stem, lang).split())
    return stem if len(stem) <= MAX_TITLE else stem[:MAX_TITLE - 1] + "…"


def _tolerance(q: Question) -> tuple[str, float]:
    """QTI ``toleranceMode`` and ``tolerance`` (relative in percent, see the module doc)."""
    if q.tolerance_type == "relative" and q.answer >= 0:
        return "relative", q.tolerance * 100
    limit = q.tolerance if q.tolerance_type == "absolute" else q.tolerance * abs(q.answer)
    return "absolute", limit


def _number(value: float) -> str:
    return f"{float(value):.15g}"


def _declarations(item: ET.Element, q: Question) -> None:
    if q.type == "numeric":
        rd = _sub(item, "responseDeclaration",
                  {"identifier": "RESPONSE", "cardinality": "single", "baseType": "float"})
        _sub(_sub(rd, "correctResponse"), "value", text=repr(float(q.answer)))
    else:
        card = "single" if q.type == "single" else "multiple"
        rd = _sub(item, "responseDeclaration",
                  {"identifier": "RESPONSE", "cardinality": card, "baseType": "identifier"})
        correct = _sub(rd, "correctResponse")
        for o in q.options:
            if o.correct:
                _sub(correct, "value", text=o.id)
    score = _sub(item, "outcomeDeclaration",
                 {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    _sub(_sub(score, "defaultValue"), "value", text="0")
    _sub(item, "outcomeDeclaration",
         {"identifier": "FEEDBACK", "cardinality": "single", "baseType": "identifier"})


def _body(item: ET.Element, q: Question, lang: str) -> None:
    body = _sub(item, "itemBody")
    if q.type == "numeric":
        _sub(body, "p", text=i18n.text(q.stem, lang))
        p = _sub(body, "p")
        box = _sub(p, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "12"})
        if q.unit:
            box.tail = " " + i18n.text(q.unit, lang)
    else:
        inter = _sub(body, "choiceInteraction", {
            "responseIdentifier": "RESPONSE", "shuffle": "false",
            "maxChoices": "1" if q.type == "single" else str(len(q.options))})
        _sub(inter, "prompt", text=i18n.text(q.stem, lang))
        for o in q.options:
            _sub(inter, "simpleChoice", {"identifier": o.id}, i18n.text(o.text, lang))
    _sub(body, "p", {"class": NOTICE_CLASS}, i18n.tr("common.teaching_only", lang))


def _set(parent: ET.Element, identifier: str, base_type: str, value: str) -> None:
    out = _sub(parent, "setOutcomeValue", {"identifier": identifier})
    _sub(out, "baseValue", {"baseType": base_type}, value)


def _processing(item: ET.Element, q: Question) -> None:
    rp = _sub(item, "responseProcessing")
    branch = _sub(_sub(rp, "responseCondition"), "responseIf")
    if q.type == "numeric":
        mode, tol = _tolerance(q)
        test = _sub(branch, "equal", {"toleranceMode": mode, "tolerance": _number(tol),
                                      "includeLowerBound": "true", "includeUpperBound": "true"})
    else:
        test = _sub(branch, "match")
    _sub(test, "variable", {"identifier": "RESPONSE"})
    _sub(test, "correct", {"identifier": "RESPONSE"})
    _set(branch, "SCORE", "float", "1")
    _set(_sub(rp.find("responseCondition"), "responseElse"), "SCORE", "float", "0")
    _set(rp, "FEEDBACK", "identifier", "EXPLANATION")


def _feedback(item: ET.Element, q: Question, lang: str) -> None:
    fb = _sub(item, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "identifier": "EXPLANATION",
                                      "showHide": "show"})
    _sub(fb, "p", text=evidence.readable(i18n.text(q.explanation, lang), lang))
    if q.refs:
        _sub(fb, "p", text=i18n.tr("common.references", lang))
        ol = _sub(fb, "ol")
        for r in q.refs:
            _sub(ol, "li", text=evidence.full_citation(r))


def assessment_item(q: Question, *, lang: str = "en") -> ET.Element:
    """The ``assessmentItem`` element of one question in ``lang``."""
    if q.type not in ("single", "multiple", "numeric"):
        raise QuizError(f"question {q.id}: type must be single, multiple or numeric; got {q.type!r}")
    item = ET.Element("assessmentItem", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}",
        "identifier": item_identifier(q), "title": _title(q, lang), "label": q.id,
        "xml:lang": LANG_TAGS[lang], "adaptive": "false", "timeDependent": "false",
        "toolName": "mtorlib"})
    _declarations(item, q)
    _body(item, q, lang)
    _processing(item, q)
    _feedback(item, q, lang)
    return item


def _xml(el: ET.Element) -> bytes:
    ET.indent(el)
    body = ET.tostring(el, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def manifest(hrefs: Sequence[tuple[str, str]]) -> ET.Element:
    """The ``imsmanifest.xml`` root listing each ``(identifier, href)`` item as a resource."""
    root = ET.Element("manifest", {"xmlns": CP_NS, "xmlns:xsi": XSI_NS, "identifier": "MANIFEST_mtorlib",
                                   "xsi:schemaLocation": f"{CP_NS} {CP_XSD}"})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", text="QTIv2.1 Package")
    _sub(meta, "schemaversion", text="1.0.0")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    for ident, href in hrefs:
        res = _sub(resources, "resource", {"identifier": f"RES_{ident}", "type": ITEM_TYPE, "href": href})
        _sub(res, "file", {"href": href})
    return root


def to_qti_package(questions: Sequence[Question], *, lang: str = "en") -> bytes:
    """A QTI 2.1 content package (zip bytes) of ``questions`` in ``lang``."""
    if lang not in LANG_TAGS:
        raise QuizError(f"lang must be one of {', '.join(LANG_TAGS)}; got {lang!r}")
    if not questions:
        raise QuizError("no questions to export")
    idents = [item_identifier(q) for q in questions]
    dupes = sorted({i for i in idents if idents.count(i) > 1})
    if dupes:
        raise QuizError(f"each question may be exported once; repeated: {', '.join(dupes)}")
    files = [(f"items/{i}.xml", _xml(assessment_item(q, lang=lang)))
             for i, q in zip(idents, questions, strict=True)]
    head = _xml(manifest([(i, href) for i, (href, _) in zip(idents, files, strict=True)]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("imsmanifest.xml", head), *files]:
            zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _text(el: ET.Element | None) -> str:
    return "" if el is None else "".join(el.itertext()).strip()


def read_item(root: ET.Element) -> QtiItem:
    """A :class:`QtiItem` from an ``assessmentItem`` element written by :func:`assessment_item`."""
    rd = root.find(_q("responseDeclaration"))
    values = [v.text for v in rd.iterfind(f"{_q('correctResponse')}/{_q('value')}")]
    fb = root.find(_q("modalFeedback"))
    paras = fb.findall(_q("p"))
    refs = tuple(_text(li) for li in fb.iterfind(f"{_q('ol')}/{_q('li')}"))
    notice = root.find(f"{_q('itemBody')}/{_q('p')}[@class='{NOTICE_CLASS}']")
    common = {"id": root.get("label"), "explanation": _text(paras[0]), "references": refs,
              "notice": _text(notice)}
    if rd.get("baseType") == "float":
        eq = root.find(f".//{_q('equal')}")
        mode, tol = eq.get("toleranceMode"), float(eq.get("tolerance"))
        return QtiItem(type="numeric", stem=_text(root.find(f"{_q('itemBody')}/{_q('p')}")),
                       options=(), correct=(), answer=float(values[0]), tolerance_type=mode,
                       tolerance=tol / 100 if mode == "relative" else tol, **common)
    inter = root.find(f"{_q('itemBody')}/{_q('choiceInteraction')}")
    options = tuple((c.get("identifier"), _text(c)) for c in inter.iterfind(_q("simpleChoice")))
    kind = "single" if rd.get("cardinality") == "single" else "multiple"
    return QtiItem(type=kind, stem=_text(inter.find(_q("prompt"))), options=options,
                   correct=tuple(values), answer=None, tolerance_type=None, tolerance=None, **common)


def read_package(data: bytes) -> tuple[QtiItem, ...]:
    """The items of a package written by :func:`to_qti_package`, in manifest order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        man = ET.fromstring(zf.read("imsmanifest.xml"))
        hrefs = [r.get("href") for r in man.iter(f"{{{CP_NS}}}resource")]
        return tuple(read_item(ET.fromstring(zf.read(h))) for h in hrefs)
