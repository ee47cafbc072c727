"""Content packs: a department's cases and questions beside the built-in ones, checked against them."""

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from mtorlib import cases, quiz
from mtorlib import validate as check_paths
from mtorlib.__main__ import main
from mtorlib.content import load_kind
from mtorlib.content.documents import read_document

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "docs" / "content-pack-template"
TEMPLATE_CASE = "local_itp_month3_response"

MANIFEST = textwrap.dedent("""\
    kind: content_pack
    id: {pack_id}
    title: {{en: "Ward {pack_id}", zh: "病区{pack_id}"}}
    maintainer: "Teaching office"
    version: "1.0"
    """)

BANK = textwrap.dedent("""\
    kind: quiz_bank
    id: {bank}
    title: {{en: "Local questions", zh: "本地题目"}}
    questions:
      - id: {qid}
        type: single
        stem: {{en: "Which criteria define a response in ITP?", zh: "ITP的疗效由哪套标准判定？"}}
        options:
          - {{id: a, correct: true, text: {{en: "IWG", zh: "IWG标准"}}}}
          - {{id: b, correct: false, text: {{en: "None", zh: "无"}}}}
        explanation: {{en: "The IWG criteria.", zh: "IWG标准。"}}
        refs: [{refs}]
        tags: {{topic: diagnosis, disease: itp, difficulty: easy}}
    """)

SOURCES = textwrap.dedent("""\
    kind: sources
    id: {stem}
    sources:
      - id: {sid}
        type: guideline
        citation: "Example Department. Local ITP pathway, version 1. 2024."
        note: "The department's own pathway."
    """)


def make_pack(folder: Path, pack_id: str = "ward_a", bank: str = "ward_a_itp",
              qid: str = "ward_a_q1", refs: str = "iwg_itp_2009", sources: str | None = None) -> Path:
    """A small pack: manifest, one bank, optionally a sources file with ``sources`` as its id."""
    (folder / "quiz").mkdir(parents=True)
    (folder / "pack.yaml").write_text(MANIFEST.format(pack_id=pack_id), encoding="utf-8")
    (folder / "quiz" / f"{bank}.yaml").write_text(BANK.format(bank=bank, qid=qid, refs=refs),
                                                  encoding="utf-8")
    if sources:
        (folder / "sources").mkdir()
        (folder / "sources" / f"{pack_id}_sources.yaml").write_text(
            SOURCES.format(stem=f"{pack_id}_sources", sid=sources), encoding="utf-8")
    return folder


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.fixture
def template(tmp_path):
    return Path(shutil.copytree(TEMPLATE, tmp_path / "template"))


def test_template_pack_validates_from_a_copy(template):
    assert messages(check_paths([template])) == []


def test_pack_case_listed_beside_builtins_and_marked(template, monkeypatch):
    builtin = cases.case_ids("itp")
    monkeypatch.setenv("MTORLIB_CONTENT_PACKS", str(template))
    listed = cases.case_ids("itp")
    assert listed == sorted([*builtin, TEMPLATE_CASE])
    assert cases.load_case(TEMPLATE_CASE).pack == {"en": "Example Department of Hematology",
                                                   "zh": "示例血液科"}
    assert cases.load_case(builtin[0]).pack is None


def test_pack_questions_join_the_bank_of_their_disease_and_are_marked(tmp_path, monkeypatch):
    n_itp = len(quiz.load_questions(["itp"]))
    monkeypatch.setenv("MTORLIB_CONTENT_PACKS", str(make_pack(tmp_path / "a")))
    itp = quiz.load_questions(["itp"])
    assert len(itp) == n_itp + 1
    assert itp[-1].id == "ward_a_q1" and itp[-1].pack["en"] == "Ward ward_a"
    assert [q.id for q in quiz.load_questions(["ward_a_itp"])] == ["ward_a_q1"]
    assert "ward_a_q1" in {q.id for q in quiz.load_questions()}
    assert all(q.pack is None for q in itp[:-1])


def test_two_packs_both_listed_and_each_validates(tmp_path, monkeypatch):
    a = make_pack(tmp_path / "a", sources="ward_a_pathway", refs="ward_a_pathway")
    b = make_pack(tmp_path / "b", pack_id="ward_b", bank="ward_b_itp", qid="ward_b_q1")
    assert messages(check_paths([a, b])) == []
    monkeypatch.setenv("MTORLIB_CONTENT_PACKS", os.pathsep.join([str(a), "", str(b)]))
    ids = {q.id: q.pack["en"] for q in quiz.load_questions() if q.pack}
    assert ids == {"ward_a_q1": "Ward ward_a", "ward_b_q1": "Ward ward_b"}


def test_pack_citing_a_builtin_ref_and_its_own_source_validates(tmp_path):
    pack = make_pack(tmp_path / "a", refs="24, iwg_itp_2009, ward_a_pathway", sources="ward_a_pathway")
    assert messages(check_paths([pack])) == []


def test_a_pack_may_not_cite_another_packs_source(tmp_path):
    a = make_pack(tmp_path / "a", sources="ward_a_pathway")
    b = make_pack(tmp_path / "b", pack_id="ward_b", bank="ward_b_itp", qid="ward_b_q1",
                  refs="ward_a_pathway")
    found = messages(check_paths([a, b]))
    assert len(found) == 1 and "reference 'ward_a_pathway' does not exist" in found[0]
    assert "ward_b_itp.yaml" in found[0]


def test_unknown_ref_in_pack_refused_with_file_field_line(tmp_path):
    pack = make_pack(tmp_path / "a", refs="iwg_itp_2009, no_such_source")
    (problem,) = check_paths([pack])
    assert problem.file.endswith("ward_a_itp.yaml")
    assert problem.path == ("questions", 0, "refs", 1)
    assert problem.line == 12  # the refs line of the bank above
    assert "reference 'no_such_source' does not exist" in problem.message
    assert "sources file of this pack" in problem.message


def test_colliding_case_id_refused_naming_both_files(tmp_path):
    pack = make_pack(tmp_path / "a")
    (pack / "cases").mkdir()
    builtin = REPO / "cases" / "itp" / "itp_newly_diagnosed.yaml"
    shutil.copy(builtin, pack / "cases" / builtin.name)
    found = [p for p in check_paths([pack]) if p.path == ("id",)]
    assert len(found) == 1
    text = str(found[0])
    assert "cases/itp_newly_diagnosed.yaml" in text.replace(os.sep, "/")  # the pack's file
    assert "case id 'itp_newly_diagnosed'" in text
    assert "cases/itp/itp_newly_diagnosed.yaml" in text.replace(os.sep, "/")  # the built-in file


def test_colliding_question_and_source_ids_refused(tmp_path):
    pack = make_pack(tmp_path / "a", qid="itp_iwg_response", sources="iwg_itp_2009")
    found = messages(check_paths([pack]))
    assert len(found) == 2
    assert any("question id 'itp_iwg_response' is also used in" in m and "itp.yaml" in m for m in found)
    assert any("source id 'iwg_itp_2009' is also defined in" in m and "clinical.yaml" in m for m in found)


def test_two_packs_with_the_same_case_id_refused(template, tmp_path):
    other = Path(shutil.copytree(template, tmp_path / "other"))
    manifest = (other / "pack.yaml").read_text("utf-8").replace("example_department", "other_dept")
    (other / "pack.yaml").write_text(manifest, encoding="utf-8")
    found = [p for p in check_paths([template, other]) if p.path == ("id",)]
    assert len(found) == 1 and f"case id '{TEMPLATE_CASE}' is already used by" in found[0].message


def test_pack_holds_only_cases_questions_and_sources(tmp_path):
    pack = make_pack(tmp_path / "a")
    shutil.copy(REPO / "cases" / "evidence" / "itp.yaml", pack / "itp.yaml")
    found = messages(check_paths([pack]))
    assert any("a content pack holds only case, quiz_bank, sources" in m for m in found)


def test_manifest_checked_by_its_schema(tmp_path):
    pack = make_pack(tmp_path / "a")
    (pack / "pack.yaml").write_text(MANIFEST.format(pack_id="ward_a").replace('"1.0"', '"one"'),
                                    encoding="utf-8")
    (problem,) = check_paths([pack])
    assert problem.path == ("version",) and problem.line == 5


def test_copy_of_builtin_content_elsewhere_is_checked_against_itself(tmp_path):
    copy = Path(shutil.copytree(REPO / "cases" / "sources", tmp_path / "cases" / "sources"))
    shutil.copy(REPO / "cases" / "references.yaml", copy.parent)
    assert messages(check_paths([copy.parent])) == []


def test_cli_validate_pack(template, tmp_path, capsys):
    assert main(["validate", "--pack", str(template)]) == 0
    assert main(["validate", "--pack", str(tmp_path)]) == 1
    assert "not a content pack (no pack.yaml" in capsys.readouterr().err


def test_loaded_content_follows_an_edited_pack_file(tmp_path, monkeypatch):
    pack = make_pack(tmp_path / "a")
    monkeypatch.setenv("MTORLIB_CONTENT_PACKS", str(pack))
    assert "ward_a_q1" in {q.id for q in quiz.load_questions(["ward_a_itp"])}
    bank = pack / "quiz" / "ward_a_itp.yaml"
    bank.write_text(bank.read_text("utf-8").replace("ward_a_q1", "ward_a_q2"), encoding="utf-8")
    assert [q.id for q in quiz.load_questions(["ward_a_itp"])] == ["ward_a_q2"]
    assert [d.id for d in load_kind("quiz_bank") if d.id == "ward_a_itp"] == ["ward_a_itp"]


def test_checked_file_cache_keyed_by_the_pack_files_bytes(tmp_path):
    pack = make_pack(tmp_path / "a")
    bank = pack / "quiz" / "ward_a_itp.yaml"
    assert read_document(bank)[1] == []
    bank.write_text(bank.read_text("utf-8").replace("type: single", "type: essay"), encoding="utf-8")
    doc, problems = read_document(bank)
    assert doc is None and "essay" in str(problems[0])


@pytest.mark.slow  # builds a case player (its chart) and a quiz view
def test_players_mark_pack_content_and_cite_pack_sources(template, tmp_path, monkeypatch):
    from mtorlib import evidence
    from mtorlib.widgets import case_player, quiz_view

    pack = make_pack(tmp_path / "a", refs="ward_a_pathway", sources="ward_a_pathway")
    monkeypatch.setenv("MTORLIB_CONTENT_PACKS", os.pathsep.join([str(template), str(pack)]))
    header = case_player(TEMPLATE_CASE).fields["header"].value
    assert "Local case — Example Department of Hematology" in header
    view = quiz_view(quiz.load_questions(["ward_a_itp"]), record=False)
    assert "Local question — Ward ward_a" in view.fields["header"].value
    assert "Example Department. Local ITP pathway" in evidence.citation("ward_a_pathway")
