"""QTI 2.1 export: a structural check of the package, a round trip, tolerances, the CLI.

The official QTI 2.1 XSD (``imsqti_v2p1.xsd``) is not shipped by any package on the registries this
project may use (PyPI, npm, Debian), so :func:`package_problems` checks the structure that IMS QTI
2.1 and IMS Content Packaging 1.1 require of what the exporter writes: namespaces, the required
attributes and their values, the order of an item's parts, unique identifiers, response
declarations that match their interaction, feedback that an outcome can show, and a manifest
that lists every item file (and only those). Each rule is shown to fail on a broken package.
"""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from mtorlib import evidence, i18n, quiz
from mtorlib.__main__ import main
from mtorlib.quiz import QuizError
from mtorlib.quiz.qti import CP_NS, ITEM_TYPE, QTI_NS, read_package, to_qti_package
from mtorlib.quiz.questions import Question

QUESTIONS = quiz.load_questions()
Q, CP = f"{{{QTI_NS}}}", f"{{{CP_NS}}}"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# assessmentItem children, in the order QTI 2.1 requires (the parts this exporter uses)
ITEM_ORDER = ["responseDeclaration", "outcomeDeclaration", "templateDeclaration",
              "templateProcessing", "stylesheet", "itemBody", "responseProcessing", "modalFeedback"]
ALLOWED = {"assessmentItem", "responseDeclaration", "correctResponse", "value", "outcomeDeclaration",
           "defaultValue", "itemBody", "p", "prompt", "choiceInteraction", "simpleChoice",
           "textEntryInteraction", "responseProcessing", "responseCondition", "responseIf",
           "responseElse", "match", "equal", "variable", "correct", "setOutcomeValue", "baseValue",
           "modalFeedback", "ol", "li"}
BOOL = {"true", "false"}


def _float(text) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def item_problems(root: ET.Element) -> list[str]:
    """What an ``assessmentItem`` lacks or gets wrong (empty when it is well formed)."""
    out = []
    if root.tag != f"{Q}assessmentItem":
        return [f"root is {root.tag}, not assessmentItem in {QTI_NS}"]
    for el in root.iter():
        ns, _, local = el.tag[1:].partition("}")
        if ns != QTI_NS or local not in ALLOWED:
            out.append(f"element {el.tag} is not a QTI 2.1 element this exporter may write")
    ident = root.get("identifier") or ""
    if not NCNAME.match(ident):
        out.append(f"identifier {ident!r} is not an NCName")
    if not root.get("title"):
        out.append("title missing")
    for attr in ("adaptive", "timeDependent"):
        if root.get(attr) not in BOOL:
            out.append(f"{attr} must be true or false; got {root.get(attr)!r}")
    order = [ITEM_ORDER.index(c.tag.removeprefix(Q)) if c.tag.removeprefix(Q) in ITEM_ORDER else -1
             for c in root]
    if -1 in order or order != sorted(order):
        out.append(f"children out of QTI order: {[c.tag.removeprefix(Q) for c in root]}")
    decl = {d.get("identifier"): d for d in root.iterfind(f"{Q}responseDeclaration")}
    outcomes = {d.get("identifier"): d for d in root.iterfind(f"{Q}outcomeDeclaration")}
    if len(decl) != len(root.findall(f"{Q}responseDeclaration")):
        out.append("response identifiers repeated")
    score = outcomes.get("SCORE")
    if score is None or score.get("baseType") != "float" or score.get("cardinality") != "single":
        out.append("SCORE must be declared as a single float outcome")
    inters = [*root.iter(f"{Q}choiceInteraction"), *root.iter(f"{Q}textEntryInteraction")]
    if len(inters) != 1:
        out.append(f"expected one interaction; found {len(inters)}")
    body = root.find(f"{Q}itemBody")
    last = body[-1] if body is not None and len(body) else None
    if last is None or last.tag != f"{Q}p" or last.get("class") != "teaching-only" or not last.text:
        out.append("itemBody must end with the teaching-only notice (p class teaching-only)")
    parents = {c: p for p in root.iter() for c in p}
    for inter in inters:
        d = decl.get(inter.get("responseIdentifier"))
        if d is None:
            out.append(f"interaction answers undeclared response {inter.get('responseIdentifier')!r}")
            continue
        values = [v.text for v in d.iterfind(f"{Q}correctResponse/{Q}value")]
        if inter.tag == f"{Q}choiceInteraction":
            ids = [c.get("identifier") for c in inter.iterfind(f"{Q}simpleChoice")]
            if len(set(ids)) != len(ids) or not all(NCNAME.match(i or "") for i in ids):
                out.append(f"choice identifiers must be unique NCNames; got {ids}")
            max_choices = int(inter.get("maxChoices", "-1"))
            want = "single" if max_choices == 1 else "multiple"
            if d.get("baseType") != "identifier" or d.get("cardinality") != want:
                out.append(f"choice response must be an identifier of cardinality {want}")
            if inter.get("shuffle") not in BOOL:
                out.append("choiceInteraction needs shuffle true/false")
            if not values or not set(values) <= set(ids) or (want == "single" and len(values) != 1):
                out.append(f"correct response {values} is not among the choices {ids}")
        else:
            if parents[inter].tag != f"{Q}p":
                out.append("textEntryInteraction is inline: it must sit inside a block such as p")
            if d.get("baseType") != "float" or d.get("cardinality") != "single":
                out.append("numeric response must be a single float")
            if len(values) != 1 or not _float(values[0]):
                out.append(f"numeric correct response must be one number; got {values}")
    for eq in root.iter(f"{Q}equal"):
        mode, tol = eq.get("toleranceMode"), (eq.get("tolerance") or "").split()
        if mode not in ("exact", "absolute", "relative"):
            out.append(f"toleranceMode {mode!r} is not exact, absolute or relative")
        elif mode != "exact" and not (1 <= len(tol) <= 2 and all(_float(t) and float(t) >= 0 for t in tol)):
            out.append(f"tolerance {tol} must be one or two numbers >= 0")
    for var in [*root.iter(f"{Q}variable"), *root.iter(f"{Q}correct")]:
        if var.get("identifier") not in decl | outcomes:
            out.append(f"{var.tag.removeprefix(Q)} refers to undeclared {var.get('identifier')!r}")
    set_values = {}
    for s in root.iter(f"{Q}setOutcomeValue"):
        if s.get("identifier") not in outcomes:
            out.append(f"setOutcomeValue of undeclared outcome {s.get('identifier')!r}")
        set_values.setdefault(s.get("identifier"), set()).add(s.findtext(f"{Q}baseValue"))
    for fb in root.iterfind(f"{Q}modalFeedback"):
        oid = fb.get("outcomeIdentifier")
        if oid not in outcomes or fb.get("showHide") not in ("show", "hide"):
            out.append(f"modalFeedback needs a declared outcome and showHide; got {oid!r}")
        elif fb.get("identifier") not in set_values.get(oid, ()):
            out.append(f"modalFeedback {fb.get('identifier')!r} is never switched on")
    return out


def package_problems(data: bytes) -> list[str]:
    """What a QTI 2.1 content package lacks or gets wrong (empty when it is well formed)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    if "imsmanifest.xml" not in names:
        return ["imsmanifest.xml missing at the root of the zip"]
    man = ET.fromstring(zf.read("imsmanifest.xml"))
    out = []
    if man.tag != f"{CP}manifest" or not man.get("identifier"):
        out.append("manifest root must be an identified imscp_v1p1 manifest")
    if man.findtext(f"{CP}metadata/{CP}schema") != "QTIv2.1 Package":
        out.append("manifest metadata schema must be 'QTIv2.1 Package'")
    if man.find(f"{CP}organizations") is None or man.find(f"{CP}resources") is None:
        out.append("manifest needs organizations and resources")
    resources = man.findall(f"{CP}resources/{CP}resource")
    res_ids = [r.get("identifier") for r in resources]
    if len(set(res_ids)) != len(res_ids):
        out.append("resource identifiers repeated")
    listed = []
    for r in resources:
        href = r.get("href")
        files = [f.get("href") for f in r.iterfind(f"{CP}file")]
        if r.get("type") != ITEM_TYPE or href not in files:
            out.append(f"resource {r.get('identifier')} must be an {ITEM_TYPE} listing its own file")
        if href not in names:
            out.append(f"resource file {href} is not in the zip")
        listed.append(href)
    unlisted = sorted(set(names) - {"imsmanifest.xml"} - set(listed))
    if unlisted:
        out.append(f"files not listed in the manifest: {unlisted}")
    item_ids = []
    for href in listed:
        if href in names:
            raw = zf.read(href)
            if not raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
                out.append(f"{href}: no UTF-8 XML declaration")
            root = ET.fromstring(raw)
            item_ids.append(root.get("identifier"))
            out += [f"{href}: {p}" for p in item_problems(root)]
    if len(set(item_ids)) != len(item_ids):
        out.append("item identifiers repeated")
    return out


@pytest.fixture(scope="module", params=["en", "zh"])
def package(request):
    return request.param, to_qti_package(QUESTIONS, lang=request.param)


def test_every_bank_makes_a_well_formed_package(package):
    lang, data = package
    assert package_problems(data) == []
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == len(QUESTIONS) + 1


def test_round_trip_gives_the_same_questions(package):
    lang, data = package
    items = read_package(data)
    assert [i.id for i in items] == [q.id for q in QUESTIONS]
    for q, item in zip(QUESTIONS, items, strict=True):
        assert item.type == q.type
        assert item.stem == q.stem[lang].strip()
        assert item.notice == i18n.tr("common.teaching_only", lang)
        assert item.explanation == evidence.readable(q.explanation[lang], lang).strip()
        assert len(item.references) == len(q.refs)
        assert not any(re.match(r"\[[a-z]", r) for r in item.references)  # no internal keys
        if q.type == "numeric":
            assert item.answer == q.answer
            assert (item.tolerance_type, item.tolerance) == (q.tolerance_type, q.tolerance)
        else:
            assert [t for _, t in item.options] == [o.text[lang].strip() for o in q.options]
            assert set(item.correct) == q.correct_ids


def _numeric(answer, kind, value) -> Question:
    return Question.from_dict({
        "id": "9_numeric", "type": "numeric", "stem": {"en": "How much?", "zh": "多少？"},
        "answer": answer, "tolerance": {"type": kind, "value": value},
        "unit": {"en": "mg", "zh": "毫克"}, "explanation": {"en": "Because.", "zh": "因为。"},
        "refs": [7], "tags": {"topic": "pk", "disease": "general", "difficulty": "easy"}})


def _equal(data: bytes) -> ET.Element:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return ET.fromstring(zf.read(zf.namelist()[1])).find(f".//{Q}equal")


def test_relative_tolerance_is_written_in_percent_and_read_back_as_a_fraction():
    q = _numeric(40, "relative", 0.07)
    data = to_qti_package([q])
    assert package_problems(data) == []
    assert (_equal(data).get("toleranceMode"), _equal(data).get("tolerance")) == ("relative", "7")
    item = read_package(data)[0]
    assert (item.id, item.tolerance_type, item.tolerance, item.answer) == ("9_numeric", "relative", 0.07, 40)


def test_relative_tolerance_of_a_negative_answer_becomes_the_same_absolute_interval():
    data = to_qti_package([_numeric(-20, "relative", 0.1)])
    assert _equal(data).get("toleranceMode") == "absolute"
    assert float(_equal(data).get("tolerance")) == pytest.approx(2.0)


def test_an_id_starting_with_a_digit_gets_an_ncname_identifier_and_keeps_its_label():
    data = to_qti_package([_numeric(1, "absolute", 0.1)])
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("items/q_9_numeric.xml"))
    assert (root.get("identifier"), root.get("label")) == ("q_9_numeric", "9_numeric")


def test_the_unit_follows_the_entry_box_and_citations_are_readable():
    data = to_qti_package([_numeric(1, "absolute", 0.1)], lang="zh")
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("items/q_9_numeric.xml"))
    assert root.find(f".//{Q}textEntryInteraction").tail.strip() == "毫克"
    fb = root.find(f"{Q}modalFeedback")
    assert [p.text for p in fb.iterfind(f"{Q}p")] == ["因为。", "参考文献"]
    assert len(fb.findtext(f"{Q}ol/{Q}li")) > 20  # the full citation, not only a number


def test_the_package_is_reproducible():
    assert to_qti_package(QUESTIONS[:5]) == to_qti_package(QUESTIONS[:5])


def _rewrite(data: bytes, name: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for n in src.namelist():
            raw = src.read(n)
            if n == name:
                raw = change(raw.decode()).encode()
            if raw is not None and raw != b"DROP":
                dst.writestr(n, raw)
    return buf.getvalue()


PAIR = [next(q for q in QUESTIONS if q.type == "single"), next(q for q in QUESTIONS if q.type == "numeric")]
BREAKS = [  # (file, change, what the check must say); item 1 is single choice, item 2 numeric
    ("imsmanifest.xml", lambda t: re.sub(r"<resource .*?</resource>", "", t, count=1, flags=re.S),
     "not listed"),
    ("imsmanifest.xml", lambda t: t.replace("QTIv2.1 Package", "QTI"), "QTIv2.1 Package"),
    (1, lambda t: t.replace('responseIdentifier="RESPONSE"', 'responseIdentifier="R2"'), "undeclared"),
    (1, lambda t: t.replace(' adaptive="false"', ""), "adaptive"),
    (1, lambda t: t.replace('<correctResponse>', '<correctResponse><value>zz</value>', 1), "not among"),
    (1, lambda t: t.replace('cardinality="single" baseType="identifier"',
                            'cardinality="multiple" baseType="identifier"'), "cardinality single"),
    (1, lambda t: t.replace('identifier="EXPLANATION" showHide', 'identifier="OTHER" showHide'),
     "never switched on"),
    (2, lambda t: t.replace(f'identifier="{PAIR[1].id}"', f'identifier="{PAIR[0].id}"', 1),
     "item identifiers repeated"),
    (2, lambda t: t.replace('<textEntryInteraction', '<choiceInteraction shuffle="false"'),
     "identifier of cardinality"),
    (2, lambda t: t.replace('toleranceMode="absolute"', 'toleranceMode="loose"'), "toleranceMode"),
    (1, lambda t: re.sub(r'<p class="teaching-only">.*?</p>', "", t), "teaching-only notice"),
    (2, lambda t: t.replace('class="teaching-only"', 'class="note"'), "teaching-only notice"),
]


@pytest.mark.parametrize(("target", "change", "message"), BREAKS)
def test_the_structural_check_catches_a_broken_package(target, change, message):
    data = to_qti_package(PAIR)
    if isinstance(target, int):
        target = zipfile.ZipFile(io.BytesIO(data)).namelist()[target]
    broken = _rewrite(data, target, change)
    assert any(message in p for p in package_problems(broken)), package_problems(broken)


def test_bad_requests_are_refused_with_what_is_allowed():
    with pytest.raises(QuizError, match="repeated"):
        to_qti_package([QUESTIONS[0], QUESTIONS[0]])
    with pytest.raises(QuizError, match="en, zh"):
        to_qti_package(QUESTIONS[:1], lang="fr")
    with pytest.raises(QuizError, match="no questions"):
        to_qti_package([])


def test_cli_writes_the_package_of_one_bank(tmp_path, capsys):
    out = tmp_path / "quiz.zip"
    assert main(["export-quiz", "--format", "qti", "--bank", "tdm", "--lang", "zh", "-o", str(out)]) == 0
    items = read_package(out.read_bytes())
    assert [i.id for i in items] == [q.id for q in quiz.load_questions(["tdm"])]
    assert "(qti, zh)" in capsys.readouterr().err


def test_cli_needs_a_file_for_qti_and_names_the_allowed_formats(capsys):
    assert main(["export-quiz", "--format", "qti"]) == 2
    assert "-o FILE.zip" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["export-quiz", "--format", "scorm"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "'scorm'" in err and "qti" in err and "moodle" in err


def qti_accepts(equal: ET.Element, answer: float, x: float) -> bool:
    """QTI 2.1 ``equal`` with bounds included: absolute ``[y - t, y + t]``, relative
    ``[y (1 - t/100), y (1 + t/100)]`` (t in percent)."""
    t = float(equal.get("tolerance").split()[0])
    if equal.get("toleranceMode") == "absolute":
        lo, hi = answer - t, answer + t
    else:
        lo, hi = answer * (1 - t / 100), answer * (1 + t / 100)
    return lo - 1e-9 <= x <= hi + 1e-9


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.type == "numeric"] +
                         [_numeric(40, "relative", 0.07), _numeric(-20, "relative", 0.1)],
                         ids=lambda q: q.id)
def test_qti_scoring_accepts_exactly_what_the_quiz_engine_accepts(q):
    eq = _equal(to_qti_package([q]))
    limit = q.tolerance if q.tolerance_type == "absolute" else q.tolerance * abs(q.answer)
    for x, inside in ((q.answer, True), (q.answer + 0.99 * limit, True), (q.answer - 0.99 * limit, True),
                      (q.answer + 1.01 * limit, False), (q.answer - 1.01 * limit, False)):
        assert qti_accepts(eq, q.answer, x) is inside is quiz.check(q, x), (x, inside)
