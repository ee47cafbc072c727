"""Chinese typography: the validator rule, and notebook Markdown checked the same way."""

import json
from pathlib import Path

import pytest

from mtorlib.content import check_paths
from mtorlib.content.typography import fix, problems

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("text, n", [
    ("剂量,每日", 1), ("剂量:2 mg", 1), ("如何?", 1), ("注意!", 1), ("甲;乙", 1),
    ("谷浓度(ng/mL)", 2), ("终末\n半衰期", 1), ("作用机制、\n药代", 1), ("谷浓度\n（含残差）", 1),
    ("A, B (C): D", 0), ("剂量，每日", 0), ("标题。\n\n下一段", 0),
    ("CL/F × (1 − 0.388)", 0), ("1-2^(-t/t½)", 0),
])
def test_problems_counts(text, n):
    assert len(problems(text)) == n


def test_half_width_after_percent_or_parenthesis_in_chinese_text():
    """Next to numbers, ``%(``, ``%,``, ``%;`` and ``),`` are flagged in Chinese text only."""
    text = "总有效率85%(CR 40%,PR 45%);6个月70%"
    assert fix(text) == "总有效率85%（CR 40%，PR 45%）；6个月70%"
    assert fix("3个月85%,12个月65%") == "3个月85%，12个月65%"
    assert problems(fix(text)) == []


@pytest.mark.parametrize("text", [
    "谷浓度5.5 ng/mL", "C0 与 AUC", "血小板15,800/µL", "1:1随机", "Blood Adv 2023;7(21):6451。",
    "ORR 85%(CR 40%),PR 45%",  # no Chinese: English text is left alone
    "ORR 85 % (CR 40 %), PR 45 %; 总有效率",  # English style: spaced
    "ORR 85%(CR 40%),PR\n总有效率",  # Chinese on another line only
])
def test_ascii_in_chinese_text_is_left_alone(text):
    assert problems(text) == []


def test_fix_is_idempotent_and_clean():
    text = "剂量(mg/d):2,见下\n说明"
    fixed = fix(text)
    assert fixed == "剂量（mg/d）：2，见下说明"
    assert problems(fixed) == [] and fix(fixed) == fixed


def test_validator_names_file_line_and_field(tmp_path):
    f = tmp_path / "demo.yaml"
    f.write_text('kind: ui_strings\nid: demo\nstrings:\n  demo.a:\n    en: "Dose"\n'
                 '    zh: "剂量(mg):"\n', "utf-8")
    found = [str(p) for p in check_paths([f])]
    assert len(found) == 1
    assert "demo.yaml:6" in found[0] and "strings.demo.a.zh" in found[0]
    assert 'use "（"' in found[0]


def _markdown(name):
    nb = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text("utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            yield i, "".join(cell["source"])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_markdown_typography(name):
    checked, bad = 0, []
    for i, text in _markdown(name):
        checked += 1
        bad += [f"{name}.ipynb cell {i}: {p}" for p in problems(text)]
    assert checked > 0
    assert not bad, "\n".join(bad)
