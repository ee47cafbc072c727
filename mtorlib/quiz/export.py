"""Export question banks to a learning-management system: Moodle XML and GIFT, English or Chinese.

* :func:`to_moodle_xml` — Moodle XML (``multichoice`` single/multiple, ``numerical``), one
  category per bank, the explanation and full citations as general feedback.

Every question text ends with the teaching-only notice in the export language (Moodle XML: a last
paragraph of class ``teaching-only``; GIFT: a last line). Source keys in explanations are shown
as short readable references and the reference list as full citations without internal keys.
* :func:`to_gift` — the same questions in GIFT text (Moodle and other LMSs import it).
* :func:`export` — either format by name (``"moodle"`` or ``"gift"``), as text.

Questions with parameters (:mod:`mtorlib.quiz.variants`) are exported as concrete questions: the
stored numbers by default, or one variant each drawn with a seed
(``variants.for_export(questions, seed)``; ``python -m mtorlib export-quiz --variant-seed N``).
Moodle's "calculated" type is not used: its formulas cannot call the library's computations
(PK model runs, loading-dose rules), and one rendered variant per question keeps Moodle XML,
GIFT and QTI identical and checked by the same validator.

Multiple-choice grading: each correct option gives 100/k %, each wrong one −100/(n−k) %, so only
the exact correct set scores 100 %. A relative tolerance is written as the equivalent absolute
one (Moodle's numerical tolerance is absolute); the unit is appended to the question text.

>>> from mtorlib.quiz import load_questions
>>> "<quiz>" in to_moodle_xml(load_questions(["tdm"])[:1])
True
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from .. import evidence, i18n
from .questions import Question, QuizError

FORMATS = ("moodle", "gift")
_GIFT_SPECIAL = "\\~=#{}:"
NOTICE_CLASS = "teaching-only"


def _fraction(percent: float) -> str:
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fractions(q: Question) -> dict[str, str]:
    """Moodle/GIFT grade percentage of each option of a choice question."""
    k = len(q.correct_ids)
    wrong = len(q.options) - k
    if q.type == "single":
        return {o.id: "100" if o.correct else "0" for o in q.options}
    return {o.id: _fraction(100 / k) if o.correct else _fraction(-100 / wrong) for o in q.options}


def absolute_tolerance(q: Question) -> float:
    """The tolerance of a numeric question in the answer's unit."""
    if q.tolerance_type == "absolute":
        return q.tolerance
    return q.tolerance * abs(q.answer)


def _stem(q: Question, lang: str) -> str:
    stem = i18n.text(q.stem, lang)
    if q.type == "numeric" and q.unit:
        stem += f" [{i18n.text(q.unit, lang)}]"
    return stem


def _feedback_text(q: Question, lang: str) -> tuple[str, list[str]]:
    return (evidence.readable(i18n.text(q.explanation, lang), lang),
            [evidence.full_citation(r) for r in q.refs])


def _notice(lang: str) -> str:
    return i18n.tr("common.teaching_only", lang)


def _check(lang: str) -> None:
    if lang not in i18n.LANGUAGES:
        raise QuizError(f"lang must be one of {', '.join(i18n.LANGUAGES)}; got {lang!r}")


def _text(parent: ET.Element, tag: str, value: str, *, fmt: str | None = None) -> None:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = value


def to_moodle_xml(questions: Sequence[Question], *, lang: str = "en", category: str = "mtorlib") -> str:
    """Moodle XML for ``questions`` in ``lang``; question names and idnumbers are the ids."""
    _check(lang)
    quiz = ET.Element("quiz")
    for bank, group in groupby(questions, key=lambda q: q.bank):
        cat = ET.SubElement(quiz, "question", {"type": "category"})
        _text(cat, "category", f"$course$/{category}/{bank or 'questions'}")
        for q in group:
            el = ET.SubElement(quiz, "question",
                               {"type": "numerical" if q.type == "numeric" else "multichoice"})
            _text(el, "name", q.id)
            _text(el, "questiontext", f"<p>{html.escape(_stem(q, lang))}</p>"
                  f'<p class="{NOTICE_CLASS}">{html.escape(_notice(lang))}</p>', fmt="html")
            expl, cites = _feedback_text(q, lang)
            items = "".join(f"<li>{html.escape(c)}</li>" for c in cites)
            _text(el, "generalfeedback", f"<p>{html.escape(expl)}</p><ol>{items}</ol>", fmt="html")
            ET.SubElement(el, "defaultgrade").text = "1"
            ET.SubElement(el, "penalty").text = "0"
            ET.SubElement(el, "hidden").text = "0"
            ET.SubElement(el, "idnumber").text = q.id
            if q.type == "numeric":
                ans = ET.SubElement(el, "answer", {"fraction": "100"})
                ET.SubElement(ans, "text").text = repr(float(q.answer))
                ET.SubElement(ans, "tolerance").text = repr(float(absolute_tolerance(q)))
                _text(ans, "feedback", "", fmt="html")
                continue
            ET.SubElement(el, "single").text = "true" if q.type == "single" else "false"
            ET.SubElement(el, "shuffleanswers").text = "false"
            ET.SubElement(el, "answernumbering").text = "abc"
            grades = fractions(q)
            for o in q.options:
                ans = ET.SubElement(el, "answer", {"fraction": grades[o.id], "format": "html"})
                ET.SubElement(ans, "text").text = f"<p>{html.escape(i18n.text(o.text, lang))}</p>"
                _text(ans, "feedback", "", fmt="html")
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters (``~ = # { } :`` and backslash) and newlines."""
    out = "".join("\\" + ch if ch in _GIFT_SPECIAL else ch for ch in text)
    return out.replace("\n", "\\n")


def to_gift(questions: Sequence[Question], *, lang: str = "en", category: str = "mtorlib") -> str:
    """GIFT text for ``questions`` in ``lang``; titles are the question ids."""
    _check(lang)
    lines: list[str] = []
    for bank, group in groupby(questions, key=lambda q: q.bank):
        lines += [f"$CATEGORY: $course$/{category}/{bank or 'questions'}", ""]
        for q in group:
            expl, cites = _feedback_text(q, lang)
            feedback = gift_escape(expl + " — " + " ".join(cites))
            head = f"::{q.id}::{gift_escape(_stem(q, lang) + chr(10) + _notice(lang))} {{"
            if q.type == "numeric":
                body = [f"#{q.answer!r}:{absolute_tolerance(q)!r}"]
            else:
                grades = fractions(q)
                body = []
                for o in q.options:
                    text = gift_escape(i18n.text(o.text, lang))
                    if q.type == "single":
                        body.append(("=" if o.correct else "~") + text)
                    else:
                        body.append(f"~%{grades[o.id]}%{text}")
            lines += [head, *(f"\t{b}" for b in body), f"\t####{feedback}", "}", ""]
    return "\n".join(lines)


def export(questions: Sequence[Question], *, fmt: str, lang: str = "en",
           category: str = "mtorlib") -> str:
    """``questions`` as Moodle XML (``fmt="moodle"``) or GIFT (``fmt="gift"``) text."""
    if fmt == "moodle":
        return to_moodle_xml(questions, lang=lang, category=category)
    if fmt == "gift":
        return to_gift(questions, lang=lang, category=category)
    raise QuizError(f"fmt must be one of {', '.join(FORMATS)}; got {fmt!r}")
