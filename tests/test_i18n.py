"""Two languages everywhere: switching, the UI catalogue, and no missing translation anywhere."""

import re
from pathlib import Path

import pytest

import mtorlib
from mtorlib import i18n
from mtorlib.content.yamlread import read_yaml

REPO = Path(__file__).resolve().parents[1]


def _bilingual_gaps(node, path=()):
    if isinstance(node, dict):
        langs = {"en", "zh"} & set(node)
        if langs and langs != {"en", "zh"}:
            yield path
        if langs == {"en", "zh"} and not all(isinstance(node[k], str) and node[k].strip() for k in langs):
            yield path
        for k, v in node.items():
            yield from _bilingual_gaps(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _bilingual_gaps(v, (*path, i))


CONTENT = sorted(p for d in ("cases", "mtorlib/data") for p in (REPO / d).rglob("*.y*ml"))


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: str(p.relative_to(REPO)))
def test_no_missing_translation_in_content(path):
    data, _ = read_yaml(path)
    assert list(_bilingual_gaps(data)) == []


def test_every_ui_key_used_in_code_exists():
    used = set()
    for src in (REPO / "mtorlib").rglob("*.py"):
        used |= set(re.findall(r"""\btr\(\s*["']([a-z0-9_.]+)["']\s*[,)]""", src.read_text("utf-8")))
    assert len(used) > 50  # the scan finds the keys the views use
    missing = sorted(used - set(i18n.catalogue()))
    assert missing == []


def test_switch_language_and_notify():
    seen = []

    def listener(lang):
        seen.append(lang)

    i18n.on_change(listener)
    mtorlib.set_language("zh")
    assert mtorlib.get_language() == "zh" and i18n.tr("common.reveal") == "揭晓答案"
    mtorlib.set_language("en")
    assert seen[-2:] == ["zh", "en"] and i18n.tr("common.reveal") == "Reveal"



def test_switching_to_the_current_language_redraws_nothing():
    seen = []

    def listener(lang):
        seen.append(lang)

    i18n.on_change(listener)
    mtorlib.set_language("en")
    assert seen == []
    mtorlib.set_language("zh")
    mtorlib.set_language("zh")
    assert seen == ["zh"]


class _Owner:
    comm = "open"


def test_a_closed_view_stops_following_the_language():
    owner, drawn = _Owner(), []
    i18n.follow(owner, lambda lang=None: drawn.append(lang))
    mtorlib.set_language("zh")
    owner.comm = None  # what ipywidgets does on close()
    mtorlib.set_language("en")
    assert drawn == [None, "zh"]

def test_unknown_language_and_key_raise():
    with pytest.raises(ValueError, match="en, zh"):
        mtorlib.set_language("fr")
    with pytest.raises(i18n.TranslationError, match="no UI string"):
        i18n.tr("common.no_such_key")


def test_text_picks_current_language():
    field = {"en": "Platelets", "zh": "血小板"}
    assert i18n.text(field) == "Platelets"
    assert i18n.text(field, "zh") == "血小板"


def test_chinese_ui_strings_use_full_width_commas_and_semicolons():
    """A half-width "," or ";" in a zh string is a typo unless it sits between digits ("1,000")."""
    zh = {key: value["zh"] for key, value in i18n.catalogue().items()}
    bad = [key for key, text in zh.items() for m in re.finditer(r"[,;]", text)
           if not (text[m.start() - 1:m.start()].isdigit() and text[m.end():m.end() + 1].isdigit())]
    assert bad == []
    assert i18n.tr("pk.ctl_loading", "zh") == "负荷剂量（mg，0 = 无）"


def test_sentences_are_joined_as_each_language_writes_them():
    assert i18n.sentences("Refused.", "", "Allowed 1-2.", lang="en") == "Refused. Allowed 1-2."
    joined = i18n.sentences("你输入的是-5。", "实测谷浓度须大于 0。", lang="zh")
    assert joined == "你输入的是-5。实测谷浓度须大于 0。"
