"""Printable handouts: what a learner's and a lecturer's copy hold, offline pages, writing files.

Fast tests draw charts with a stand-in (``draw``) so that no chart is built or drawn; the
slow ones draw real SVG charts, print PDFs with Chromium and check each disease summary is one
A4 page. Every file goes to ``tmp_path``.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from mtorlib import cases, evidence, handouts
from mtorlib.__main__ import main
from mtorlib.handouts import page as handout_page
from mtorlib.handouts.summary_doc import font_size
from mtorlib.i18n import text, tr

CASE = "itp_rr_adult_rescue"  # decisions, two dose tasks, labs at several steps, inferred grades
# Its task answers worked on paper (not the engine's own key): the fraction of steady state after
# 24 h with a 62 h half-life, 1 − 2^(−24/62); the proportional rule, 2 mg × 6 / 3 ng/mL.
BY_HAND = {"steady_state": 1 - 0.5 ** (24 / 62), "new_dose": 2 * 6 / 3}
STUB = "<svg class='stub-chart'></svg>"
# a resource the page would fetch: src/href/url() naming http(s) or a protocol-relative address
RESOURCE = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)\s*(?:https?:)?//""", re.I)
DOI_LINK = re.compile(r"""<a href="https://doi\.org/[^"<>]+">doi:""")
CJK = re.compile(r"[\u4e00-\u9fff]")


DRAWN = []  # the lab frames the stand-in was given, in order (learner's English copy)


def _stub(labs, lang):
    DRAWN.append((lang, labs))
    return STUB


@pytest.fixture(scope="module")
def copies():
    """``{(lang, answers): Handout}`` of :data:`CASE`, charts drawn by the stand-in."""
    DRAWN.clear()
    return {(lang, answers): handouts.case_handout(CASE, lang=lang, answers=answers, draw=_stub)
            for lang in ("en", "zh") for answers in (False, True)}


@pytest.fixture(scope="module")
def case():
    return cases.load_case(CASE)


def _shown(field: dict, lang: str = "en") -> str:
    """A content field as the page shows it (escaped, readable citations), first 60 characters."""
    return handout_page.content(field, lang)[:60]


def test_the_main_path_takes_a_best_option_at_every_decision_and_reaches_an_ending(case):
    path = handouts.main_path(case)
    moves = []
    for node_id, choice in path[:-1]:
        node = case.node(node_id)
        if choice == "task":
            moves.append(BY_HAND[node_id])
        else:
            assert next(o for o in node["options"] if o["id"] == choice)["verdict"] == "best"
            moves.append(choice)
    state = cases.walk(case, moves)
    assert cases.finished(case, state) and state.node_id == path[-1][0]
    assert cases.score(state).harmful == 0 and cases.score(state).acceptable == 0


def test_every_case_has_a_main_path_of_best_moves_to_an_ending():
    for case_id in cases.case_ids():
        case = cases.load_case(case_id)
        path = handouts.main_path(case)
        assert cases.node_kind(case.node(path[-1][0])) == "terminal" and len(path) >= 3, case_id
        assert len({n for n, _ in path}) == len(path), case_id  # no node twice


def test_the_learners_copy_holds_vignette_steps_options_and_notice_but_no_answers(copies, case):
    page = copies[("en", False)].html
    start = case.node(case.start)
    assert _shown(case.summary) in page and _shown(start["text"]) in page
    for node_id, _choice in handouts.main_path(case)[:-1]:
        node = case.node(node_id)
        assert html.escape(text(node["title"], "en")) in page
        for opt in node.get("options", []):
            assert _shown(opt["text"]) in page
            assert _shown(opt["feedback"]) not in page
    assert html.escape(tr("common.teaching_only", "en")) in page
    for word in ("Best choice", "Harmful", "Acceptable", tr("common.references", "en"),
                 "Grade inferred", "Answer: "):
        assert word not in page
    assert page.count("class='line'") >= 10  # room to write


def test_the_lecturers_copy_adds_verdicts_feedback_evidence_answers_and_references(copies, case):
    page = copies[("en", True)].html
    path = handouts.main_path(case)
    for node_id, _ in path[:-1]:
        node = case.node(node_id)
        for opt in node.get("options", []):
            assert _shown(opt["feedback"]) in page
        if "task" in node:
            assert f"Answer: {BY_HAND[node_id]:.2f}" in page
    assert page.count("✔ Best choice") >= 3 and "✘ Harmful" in page
    assert html.escape(evidence.evidence_note("inferred", "en")) in page  # inferred grades say so
    assert tr("common.references", "en") in page and "Rodeghiero et al. 2009" in page
    ending = case.node(path[-1][0])
    assert _shown(ending["debrief"]["key_points"][0]) in page
    assert "iwg_itp_2009" not in page  # readable citations, never the source keys


def test_one_inline_svg_per_chart_one_chart_per_step_with_labs(copies, case):
    steps = [n for n, _ in handouts.main_path(case)[:-1]]
    with_labs = [i for i, n in enumerate(steps) if case.node(n).get("labs")]
    for made in copies.values():
        assert made.charts == len(with_labs) >= 2
        assert made.html.count("<svg") == made.charts
    assert len(DRAWN) == 4 * len(with_labs)


def test_each_chart_shows_the_labs_seen_so_far_and_nothing_later(copies, case):
    steps = [n for n, _ in handouts.main_path(case)[:-1]]
    with_labs = [i for i, n in enumerate(steps) if case.node(n).get("labs")]
    first = [labs for lang, labs in DRAWN[:len(with_labs)]]
    for i, labs in zip(with_labs, first, strict=True):
        seen = [lab for n in steps[:i + 1] for lab in case.node(n).get("labs", [])]
        expected = sum(1 for lab in seen for key in lab if key != "day")
        assert len(labs) == expected and labs["day"].max() == max(lab["day"] for lab in seen)
        assert list(labs.columns) == ["day", "test", "value", "unit"]


def test_no_page_fetches_anything_only_doi_text_links_point_outside(copies):
    for made in copies.values():
        outside = RESOURCE.findall(made.html)
        assert len(outside) == len(DOI_LINK.findall(made.html))
        assert "<link" not in made.html and "<script" not in made.html and "@import" not in made.html
    assert DOI_LINK.search(copies[("en", True)].html)  # the check above saw real links


def test_the_chinese_copy_is_chinese(copies, case):
    page = copies[("zh", True)].html
    assert '<html lang="zh-Hans">' in page
    assert html.escape(text(case.title, "zh")) in page and tr("common.teaching_only", "zh") in page
    assert "第1步：" in page and "最佳选择" in page
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.S)
    assert len(CJK.findall(visible)) > 1000
    for english in ("Step 1", "Best choice", "Your answer", "Laboratory results"):
        assert english not in page


def test_text_is_escaped_and_citations_readable():
    shown = handout_page.content({"en": "<b>x</b> & y [rapamune_uspi_s2]", "zh": "-"}, "en")
    assert shown.startswith("&lt;b&gt;x&lt;/b&gt; &amp; y") and "Rapamune US PI §2" in shown


def test_an_unknown_case_or_disease_says_how_to_see_the_valid_ones():
    with pytest.raises(handouts.HandoutError, match="handout --list"):
        handouts.case_handout("itp_nonexistent")
    with pytest.raises(handouts.HandoutError, match="itp, aiha, prca, alps, gvhd"):
        handouts.summary_handout("tb")


def test_the_summary_holds_every_study_the_inferred_note_and_case_key_points():
    for lang in ("en", "zh"):
        made = handouts.summary_handout("prca", lang=lang)
        frame = cases.evidence_frame("prca", lang)
        for study in frame["study"]:
            assert html.escape(study) in made.html
        assert html.escape(evidence.evidence_note("inferred", lang)) in made.html
        first = cases.load_case(cases.case_ids("prca")[0])
        point = first.node(handouts.main_path(first)[-1][0])["debrief"]["key_points"][0]
        assert _shown(point, lang) in made.html
        assert "@page { size: A4" in made.html and made.charts == 0


def test_longer_summaries_get_smaller_type_within_bounds():
    sizes = [float(font_size("x" * n)[:-2]) for n in (100, 5200, 8000, 50_000)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 7.5 and sizes[1] == 7.0 and sizes[-1] == 5.5
    assert font_size("病" * 2000) < font_size("x" * 2000) or font_size("病" * 2000) == "7.5pt"


def test_save_writes_html_refuses_other_suffixes_and_falls_back_without_chromium(tmp_path, monkeypatch):
    saved = handouts.save("<p>x</p>", tmp_path / "a.html")
    assert saved.kind == "html" and saved.path.read_text(encoding="utf-8") == "<p>x</p>"
    with pytest.raises(handouts.HandoutOutputError, match=r"\.html, \.htm, \.pdf"):
        handouts.save("<p>x</p>", tmp_path / "a.docx")
    monkeypatch.setenv("MTORLIB_CHROMIUM", str(tmp_path / "no-such-browser"))
    saved = handouts.save("<p>y</p>", tmp_path / "b.pdf")
    assert saved.kind == "html" and saved.path == tmp_path / "b.html"
    assert "PDF needs Chromium" in saved.note and "wrote HTML instead" in saved.note
    assert not (tmp_path / "b.pdf").exists()


def test_the_command_line_lists_cases_and_explains_bad_requests(tmp_path, capsys):
    assert main(["handout", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == len(cases.case_ids()) and listed[0].startswith(cases.case_ids()[0] + "  ")
    assert main(["handout", "no_such_case", "-o", str(tmp_path / "x.html")]) == 1
    assert "handout --list" in capsys.readouterr().err
    assert main(["handout", "-o", str(tmp_path / "x.html")]) == 2
    assert main(["handout", CASE]) == 2
    assert "-o/--output" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# ----- slow: real charts, Chromium ------------------------------------------------------------

def _chromium():
    found = handouts.find_chromium()
    if found is None:
        pytest.skip("no Chromium (apt-get install chromium, or set MTORLIB_CHROMIUM)")
    return found


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.slow
def test_real_charts_are_inline_svg_drawn_offline(case):
    made = handouts.case_handout(CASE, lang="zh")
    svgs = re.findall(r"<svg\b[^>]*>", made.html)
    assert len(svgs) == made.charts >= 2
    assert all('role="img"' in s and "aria-label=" in s for s in svgs)
    assert "血小板" in made.html  # the chart's own labels are Chinese
    assert len(RESOURCE.findall(made.html)) == 0


@pytest.mark.slow
@pytest.mark.parametrize("answers", [False, True])
def test_the_pdf_opens_and_holds_the_case(tmp_path, answers):
    _chromium()
    out = tmp_path / "case.pdf"
    args = ["handout", CASE, "-o", str(out)] + (["--answers"] if answers else [])
    assert main(args) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and _pages(data) >= 2
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                               check=True).stdout
        assert "Relapsed/refractory ITP" in words and "For teaching only" in words
        assert ("Best choice" in words) is answers


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("disease", handouts.DISEASES)
def test_every_disease_summary_prints_on_one_a4_page(disease, lang):
    pdf = handouts.print_pdf(handouts.summary_handout(disease, lang=lang).html, _chromium())
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1
    assert b"/MediaBox [0 0 594.95996 841.91998]" in pdf or b"/MediaBox [0 0 595" in pdf  # A4


@pytest.mark.slow
def test_a_failing_chromium_is_a_message_not_a_traceback(tmp_path, capsys, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("MTORLIB_CHROMIUM", str(fake))
    assert main(["handout", "--summary", "alps", "-o", str(tmp_path / "s.pdf")]) == 1
    err = capsys.readouterr().err
    assert "Chromium did not write a PDF (exit status 3): cannot open display" in err
    assert "Traceback" not in err and not (tmp_path / "s.pdf").exists()


def test_a_not_recommended_option_has_its_own_sign_word_and_colour_class():
    for lang, word in (("en", "Not recommended"), ("zh", "不推荐")):
        page = handouts.case_handout("itp_newly_diagnosed", lang=lang, answers=True, draw=_stub).html
        assert f"<span class='verdict verdict-not_recommended'>⊘ {word}</span>" in page
        assert ".verdict-not_recommended {" in page  # its own colour in the page's style
