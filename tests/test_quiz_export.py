"""LMS export: Moodle XML and GIFT, parsed back (round trip), in both languages, via the CLI."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from mtorlib import evidence, i18n, quiz
from mtorlib.__main__ import main
from mtorlib.quiz import QuizError
from mtorlib.quiz.export import export, to_gift, to_moodle_xml
from mtorlib.quiz.questions import Question

QUESTIONS = quiz.load_questions()


def strip_p(text: str) -> str:
    assert text.startswith("<p>") and text.endswith("</p>")
    return html.unescape(text[3:-4])


NOTICE_P = re.compile(r'^(<p>.*</p>)<p class="teaching-only">(.*)</p>$', re.S)


def split_notice(text: str) -> tuple[str, str]:
    """The stem paragraph and the teaching-only notice of a Moodle question text."""
    m = NOTICE_P.match(text)
    assert m, f"question text lacks the teaching-only paragraph: {text[:80]}"
    return strip_p(m.group(1)), html.unescape(m.group(2))


def read_moodle(xml_text: str) -> dict:
    """Parse Moodle XML into {id: record} (what Moodle's importer reads)."""
    root = ET.fromstring(xml_text)
    out = {}
    for q in root.findall("question"):
        if q.get("type") == "category":
            continue
        stem, notice = split_notice(q.findtext("questiontext/text"))
        rec = {"type": q.get("type"), "stem": stem, "notice": notice,
               "feedback": html.unescape(q.findtext("generalfeedback/text"))}
        answers = q.findall("answer")
        if q.get("type") == "numerical":
            rec["answer"] = float(answers[0].findtext("text"))
            rec["tolerance"] = float(answers[0].findtext("tolerance"))
        else:
            rec["single"] = q.findtext("single") == "true"
            rec["options"] = [(strip_p(a.findtext("text")), float(a.get("fraction")))
                              for a in answers]
        out[q.findtext("name/text")] = rec
    return out


def gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def read_gift(gift_text: str) -> dict:
    """A small GIFT reader for the subset the exporter writes."""
    out = {}
    for block in re.findall(r"^::(.+?)::(.*?)\{\n(.*?)\n\}$", gift_text, flags=re.M | re.S):
        qid, stem, body = block
        lines = [line.strip() for line in body.split("\n")]
        feedback = gift_unescape(lines[-1].removeprefix("####"))
        stem, _, notice = gift_unescape(stem.strip()).rpartition("\n")
        rec = {"stem": stem, "notice": notice, "feedback": feedback}
        if lines[0].startswith("#"):
            value, tol = lines[0][1:].split(":")
            rec.update(answer=float(value), tolerance=float(tol))
        else:
            opts = []
            for line in lines[:-1]:
                if line.startswith("~%"):
                    pct, text = line[2:].split("%", 1)  # weight, then the text
                    opts.append((gift_unescape(text), float(pct)))
                else:
                    opts.append((gift_unescape(line[1:]), 100.0 if line[0] == "=" else 0.0))
            rec["options"] = opts
        out[qid] = rec
    return out


def stem_with_unit(q, lang):
    s = q.stem[lang]
    return s + f" [{q.unit[lang]}]" if q.type == "numeric" else s


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("reader,writer", [(read_moodle, to_moodle_xml), (read_gift, to_gift)],
                         ids=["moodle", "gift"])
def test_round_trip_every_question(reader, writer, lang):
    back = reader(writer(QUESTIONS, lang=lang))
    assert list(back) == [q.id for q in QUESTIONS]
    for q in QUESTIONS:
        rec = back[q.id]
        assert rec["stem"] == stem_with_unit(q, lang)
        assert rec["notice"] == i18n.tr("common.teaching_only", lang)
        assert evidence.readable(q.explanation[lang], lang) in rec["feedback"]
        assert not re.search(r"\[[a-z][a-z0-9_]*\]", rec["feedback"])  # no internal source keys
        if q.type == "numeric":
            tol = q.tolerance if q.tolerance_type == "absolute" else q.tolerance * abs(q.answer)
            assert rec["answer"] == q.answer and rec["tolerance"] == pytest.approx(tol)
            continue
        assert [t for t, _ in rec["options"]] == [o.text[lang] for o in q.options]
        grades = dict(zip([o.id for o in q.options], [g for _, g in rec["options"]], strict=True))
        right = sum(grades[i] for i in q.correct_ids)
        assert right == pytest.approx(100, abs=1e-3)
        assert all(grades[o.id] <= 0 for o in q.options if not o.correct)
        if q.type == "multiple" and len(q.correct_ids) < len(q.options):
            wrong = sum(g for g in grades.values() if g < 0)
            assert wrong == pytest.approx(-100, abs=1e-3)


def tricky():
    text = {"en": "Dose {a} = 2 ~ 3 # 4: \\ <b>&amp;</b>\nnext line", "zh": "剂量:{甲} = 2~3 #4"}
    return Question.from_dict({
        "id": "tricky", "type": "multiple", "stem": text, "explanation": text, "refs": [7],
        "tags": {"topic": "tdm", "disease": "general", "difficulty": "easy"},
        "options": [{"id": "a", "text": text, "correct": True},
                    {"id": "b", "text": {"en": "%50% plain", "zh": "普通"}, "correct": False},
                    {"id": "c", "text": {"en": "c", "zh": "c"}, "correct": True}]}, bank="x")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_special_characters_survive_both_formats(lang):
    q = tricky()
    for rec in (read_moodle(to_moodle_xml([q], lang=lang))["tricky"],
                read_gift(to_gift([q], lang=lang))["tricky"]):
        assert rec["stem"] == q.stem[lang]
        assert rec["notice"] == i18n.tr("common.teaching_only", lang)
        assert [t for t, _ in rec["options"]] == [o.text[lang] for o in q.options]
        assert [g for _, g in rec["options"]] == [50.0, -100.0, 50.0]


def test_relative_tolerance_is_exported_as_absolute():
    q = Question.from_dict({
        "id": "rel", "type": "numeric", "stem": {"en": "s", "zh": "s"}, "answer": 200,
        "tolerance": {"type": "relative", "value": 0.05}, "unit": {"en": "h", "zh": "小时"},
        "explanation": {"en": "e", "zh": "e"}, "refs": [7],
        "tags": {"topic": "pk", "disease": "general", "difficulty": "easy"}})
    assert read_moodle(to_moodle_xml([q]))["rel"]["tolerance"] == 10.0
    assert read_gift(to_gift([q]))["rel"]["tolerance"] == 10.0


def test_export_errors_name_the_allowed_values():
    with pytest.raises(QuizError, match="fmt must be one of moodle, gift; got 'qti'"):
        export(QUESTIONS, fmt="qti")
    with pytest.raises(QuizError, match="lang must be one of en, zh; got 'fr'"):
        to_gift(QUESTIONS, lang="fr")


def test_cli_export_quiz(tmp_path, capsys):
    out = tmp_path / "tdm.xml"
    assert main(["export-quiz", "--bank", "tdm", "--lang", "zh", "-o", str(out)]) == 0
    back = read_moodle(out.read_text("utf-8"))
    assert list(back) == [q.id for q in QUESTIONS if q.bank == "tdm"]
    assert main(["export-quiz", "--format", "gift", "--bank", "itp"]) == 0
    assert set(read_gift(capsys.readouterr().out)) == {q.id for q in QUESTIONS if q.bank == "itp"}
    assert main(["export-quiz", "--bank", "nope"]) == 1
    err = capsys.readouterr().err
    assert "unknown quiz bank(s) ['nope']" in err and "Traceback" not in err
