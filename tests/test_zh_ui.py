"""Chinese mode is complete: every widget of the case player, quiz, evidence views and notebook
header, rendered in Chinese, shows no English UI word (references' full citations excepted)."""

import re
from html import unescape

import ipywidgets as w
import pytest

import mtorlib
from mtorlib import cases, i18n, quiz
from mtorlib.widgets import case_player, chrome, evidence_table, evidence_view, quiz_view

AREAS = ("cases.", "common.", "quiz.", "plausibility.")


def english_ui_words() -> set[str]:
    """Words of the English UI strings of these views that the Chinese strings do not also use."""
    words, zh = set(), ""
    for key, entry in i18n.catalogue().items():
        if key.startswith(AREAS):
            words |= {x.lower() for x in re.findall(r"[A-Za-z]{3,}", entry["en"])}
            zh += entry["zh"]
    return words - {x.lower() for x in re.findall(r"[A-Za-z]{3,}", zh)}


def visible_text(widget) -> str:
    """What a reader sees: HTML values without tags and citations (short ones are marked <cite>,
    full ones sit in <details>), labels, buttons, options."""
    out = []
    if isinstance(widget, (w.HTML, w.HTMLMath)) and "<style>" not in widget.value:
        value = re.sub(r"<details>.*?</details>|<cite>.*?</cite>", " ", widget.value, flags=re.S)
        out.append(unescape(re.sub(r"<[^>]+>", " ", value)))
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, (w.RadioButtons, w.ToggleButtons)):
        out += [str(label) for label in widget._options_labels]
    for child in getattr(widget, "children", ()):
        out.append(visible_text(child))
    return " ".join(out)


def english_in(widget) -> set[str]:
    found = {x.lower() for x in re.findall(r"[A-Za-z]{3,}", visible_text(widget))}
    return found & english_ui_words()


def test_the_word_list_is_not_empty():
    words = english_ui_words()
    assert {"reveal", "continue", "score", "lecturer", "day"} <= words  # "Language" is also in
    # the zh hint naming JupyterLab's own English menu (Settings → Language)


@pytest.mark.slow
def test_case_player_in_chinese_through_a_dose_task():
    player = case_player("aiha_evans_azole")
    mtorlib.set_language("zh")
    checked = 0
    for oid in ("evans", "sirolimus", "same_dose"):
        ids = [o["id"] for o in cases.current(player.case, player.state)["options"]]
        player.controls["options"][ids.index(oid)].click()
        assert not english_in(player.widget)
        player.controls["continue"].click()
        checked += 1
    player.controls["answer"].value = "-5"
    player.controls["submit"].click()
    assert player.fields["input_message"].value and not english_in(player.widget)
    player.controls["answer"].value = "1"
    player.controls["submit"].click()
    assert not english_in(player.widget), english_in(player.widget)
    assert checked == 3


def test_case_player_in_chinese_lecturer_mode():
    mtorlib.set_language("zh")
    player = case_player("itp_rr_adult_rescue", lecturer=True)
    player.controls["options"][0].click()
    player.controls["reveal"].click()
    assert not english_in(player.widget), english_in(player.widget)


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_quiz_in_chinese(mode):
    bank = quiz.load_questions()
    numeric = next(q for q in bank if q.type == "numeric" and q.unit and q.unit["en"] == "mg/day")
    single = next(q for q in bank if q.type == "single")
    view = quiz_view([numeric, single], mode=mode, record=False)
    mtorlib.set_language("zh")
    assert not english_in(view.widget)
    view.controls["answer"].value = "abc"
    view.controls["submit"].click()
    assert not english_in(view.widget), english_in(view.widget)
    view.controls["answer"].value = "2"
    view.controls["submit"].click()
    view.controls["finish"].click()
    assert not english_in(view.widget), english_in(view.widget)


def test_header_and_evidence_views_in_chinese():
    header = chrome.notebook_header()  # setup_notebook() returns its .widget
    studies = evidence_table("itp")
    views = [header.widget, evidence_view().widget]
    mtorlib.set_language("zh")
    for view in views:
        assert not english_in(view), english_in(view)
    # study labels ("Feng 2024 (abstract)") are citations: author and year, as published
    table = w.HTML(re.sub(r"<td>[^<]*\b(19|20)\d\d\b[^<]*</td>", "", studies.value))
    assert "<td>" in table.value and not english_in(table), english_in(table)
    toggle = header.language_toggle
    assert toggle.description == "语言" and toggle.tooltip == "语言"  # no title="null"
