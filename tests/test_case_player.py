"""The case player widget driven through its controls: feedback, evidence badge, references,
lecturer mode, language switch, dose task with the teaching notice, restart and progress."""

import json
import os

import pytest

import mtorlib
from mtorlib import cases, evidence, i18n, progress
from mtorlib.widgets import case_player


def click(player, option_id):
    ids = [o["id"] for o in cases.current(player.case, player.state)["options"]]
    player.controls["options"][ids.index(option_id)].click()


@pytest.mark.slow
def test_feedback_shows_verdict_evidence_badge_and_expandable_citations():
    player = case_player("itp_rr_adult_rescue")
    click(player, "dependent")
    player.controls["continue"].click()
    click(player, "sirolimus")
    fb = player.fields["feedback"].value
    assert player.last.verdict == "best" and i18n.tr("cases.verdict.best") in fb
    assert "mtor-evidence" in fb and "Level 4 · Grade C" in fb
    assert i18n.tr("common.inferred_grade") in fb  # grades are marked as inferred
    assert "<details><summary><cite>[24]</cite></summary>" in fb and evidence.citation(24)[:40] in fb
    # the chosen node stays on screen until Continue; options are disabled meanwhile
    assert "Choosing a rescue" in player.fields["node"].value
    assert all(b.disabled for b in player.controls["options"])
    player.controls["continue"].click()
    assert "Week 4" in player.fields["node"].value and player.fields["feedback"].value == ""


def test_counters_and_score_follow_the_moves():
    player = case_player("itp_rr_adult_rescue")
    click(player, "more_steroid")
    assert "Adverse events 1" in player.fields["header"].value
    assert "Score: 0/2 (best 0, acceptable 0, not recommended 0, harmful 1)" in player.fields["header"].value


def test_not_recommended_choice_has_its_own_word_sign_and_count_in_en_and_zh():
    player = case_player("itp_newly_diagnosed")
    click(player, "dxm_ivig")
    player.controls["continue"].click()
    click(player, "add_now")  # sirolimus off-trial in newly diagnosed ITP (issue 14)
    assert player.last.verdict == "not_recommended"
    (row,) = [t.value for t in player.fields["option_texts"] if "mtor-chosen" in t.value]
    assert f"{cases.MARKS['not_recommended']} Your choice: Not recommended" in row
    assert "Harmful" not in row
    assert "⊘ Not recommended" in player.fields["feedback"].value
    assert "(best 1, acceptable 0, not recommended 1, harmful 0)" in player.fields["header"].value
    try:
        mtorlib.set_language("zh")
        (row,) = [t.value for t in player.fields["option_texts"] if "mtor-chosen" in t.value]
        shown = (f"{cases.MARKS['not_recommended']} {i18n.tr('common.your_choice', 'zh')}："
                 f"{i18n.tr('cases.verdict.not_recommended', 'zh')}")
        assert shown == "⊘ 你的选择：不推荐" and shown in row and "有害" not in row
        assert "⊘ 不推荐" in player.fields["feedback"].value
        assert "不推荐 1，有害 0" in player.fields["header"].value
    finally:
        mtorlib.set_language("en")


def test_lecturer_mode_hides_feedback_until_reveal_and_uses_large_type():
    player = case_player("aiha_cold_agglutinin", lecturer=True)
    assert "mtor-lecturer" in player.widget._dom_classes and player.controls["lecturer"].value
    style = player.lecturer_style
    assert "font-size: 22px" in style.value and style in player.widget.children
    assert player.fields["chart"].chart.to_dict()["config"]["axis"]["labelFontSize"] == 18
    click(player, "warm")
    assert player.fields["feedback"].value == "" and player.controls["reveal"].layout.display == ""
    assert player.controls["continue"].layout.display == "none"
    player.controls["continue"].click()  # ignored until the lecturer reveals the feedback
    assert player.state.history and player.fields["feedback"].value == ""
    player.controls["reveal"].click()
    assert "Harmful" in player.fields["feedback"].value and player.controls["continue"].layout.display == ""


@pytest.mark.slow
def test_language_switch_rerenders_text_and_chart():
    player = case_player("aiha_evans_azole")
    mtorlib.set_language("zh")
    assert "再次乏力" in player.fields["node"].value and "评分" not in player.fields["header"].value
    assert "得分" in player.fields["header"].value
    title = player.fields["chart"].chart.to_dict()["title"]
    assert title == i18n.tr("cases.lab_timeline", "zh")
    mtorlib.set_language("en")
    assert "Tired and yellow again" in player.fields["node"].value


def test_dose_task_shows_notice_and_checks_the_computed_answer():
    player = case_player("aiha_evans_azole")
    for oid in ("evans", "sirolimus", "same_dose"):
        click(player, oid)
        player.controls["continue"].click()
    assert player.state.node_id == "toxic"
    assert player.fields["task"].layout.display == "" and player.controls["options"] == []
    notice = player.fields["notice"]
    assert notice in player.fields["task"].children
    assert i18n.tr("common.teaching_only") in notice.value
    assert "mg/day" in player.controls["answer"].description
    player.controls["answer"].value = "1"
    player.controls["submit"].click()
    assert player.last.verdict == "harmful" and player.last.expected == pytest.approx(2 * 8 / 24)
    assert "Computed answer: 0.67 mg/day (you entered 1)" in player.fields["feedback"].value
    player.controls["continue"].click()
    assert player.fields["task"].layout.display == "none"


def test_task_answer_on_decision_node_is_ignored():
    player = case_player("itp_ctd_sle")
    player.controls["submit"].click()
    assert player.state == cases.start(player.case)


def test_completed_case_is_saved_to_progress():
    player = case_player("itp_child_sirolimus_vs_csa")
    click(player, "cyclosporine")
    player.controls["continue"].click()
    assert "mtor-debrief" in player.fields["debrief"].value
    assert player.last["outcome"]["en"].startswith("A reasonable")
    data = json.loads(open(os.environ["MTORLIB_PROGRESS"], encoding="utf-8").read())
    (entry,) = data["cases"]
    assert entry["case_id"] == "itp_child_sirolimus_vs_csa" and entry["completed"] is True
    assert entry["choices"] == ["choose_agent:cyclosporine"]
    assert entry["score"] == {"best": 0, "acceptable": 1, "not_recommended": 0, "harmful": 0, "points": 1,
                              "max_points": 2}


@pytest.mark.slow
def test_restart_resets_and_records_an_unfinished_attempt():
    player = case_player("itp_newly_diagnosed")
    click(player, "dxm_ivig")
    player.controls["continue"].click()
    player.controls["restart"].click()
    assert player.state == cases.start(player.case) and player.last is None
    assert player.fields["chart"].params.visited == "|first_line|"
    (entry,) = progress.load()["cases"]
    assert entry["completed"] is False and entry["choices"] == ["first_line:dxm_ivig"]


@pytest.mark.slow
def test_lab_table_has_units():
    player = case_player("aiha_post_hsct_cni")
    assert "Creatinine (µmol/L)" in player.fields["node"].value and "LDH (U/L)" in player.fields["node"].value


def test_unknown_case_lists_valid_ids():
    with pytest.raises(LookupError, match="valid ids: .*itp_ctd_sle"):
        case_player("no_such_case")


def test_lab_timeline_spec_filters_by_visited_nodes():
    from mtorlib.charts.cases import lab_timeline, visited_value

    case = cases.load_case("aiha_post_hsct_cni")
    labs = cases.labs_frame(case)
    spec = lab_timeline(labs, visible_nodes=["onset"]).to_dict()
    assert spec["params"] == [{"name": "visited", "value": "|onset|"}]
    assert spec["transform"] == [
        {"filter": "datum.kind == 'range' || indexof(visited, '|' + datum.node + '|') >= 0"}]
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    assert spec["facet"]["row"]["sort"][:2] == ["Platelets (×10⁹/L)", "Hemoglobin (g/L)"]  # LAB_TESTS order
    rows = next(iter(spec["datasets"].values()))
    values = [r for r in rows if r["kind"] == "value"]
    assert len(values) == len(labs) and {r["node"] for r in values} == set(labs["node"])
    bands = {r["test"]: (r["low"], r["high"]) for r in rows if r["kind"] == "range"}
    assert bands == {"platelets": (150, 400), "hemoglobin": (115, 175)}  # Hoffbrand, Appendix 1
    assert visited_value(["a", "b"]) == "|a|b|"


def test_lab_timeline_rejects_bad_frames():
    import pandas as pd

    from mtorlib.charts.cases import lab_timeline

    with pytest.raises(ValueError, match="missing unit"):
        lab_timeline(pd.DataFrame({"day": [0], "test": ["platelets"], "value": [1.0]}))
    with pytest.raises(ValueError, match="labs.test must be one of .*got glucose"):
        lab_timeline(pd.DataFrame({"day": [0], "test": ["glucose"], "value": [1.0], "unit": ["mmol/L"]}))
    with pytest.raises(ValueError, match="'node' column"):
        lab_timeline(pd.DataFrame({"day": [0], "test": ["platelets"], "value": [1.0], "unit": ["x"]}),
                     visible_nodes=["a"])


@pytest.mark.slow
def test_lecturer_mode_hides_score_and_counters_until_reveal():
    player = case_player("itp_rr_adult_rescue", lecturer=True)
    before = player.fields["header"].value
    player.controls["options"][0].click()
    assert player.fields["header"].value == before  # nothing about the choice shows before Reveal
    player.controls["reveal"].click()
    assert player.fields["header"].value != before


def test_a_progress_file_that_cannot_be_written_does_not_stop_the_case(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    monkeypatch.setenv("MTORLIB_PROGRESS", str(blocker / "progress.json"))
    player = case_player("aiha_cold_agglutinin")
    for path in cases.paths(player.case)[:1]:
        for node_id, choice in path:
            node = cases.current(player.case, player.state)
            assert node["id"] == node_id
            player.controls["options"][[o["id"] for o in node["options"]].index(choice)].click()
            player.controls["continue"].click()
    assert cases.finished(player.case, player.state)
    assert player.save_error and "could not be saved" in player.save_error
    assert "could not be saved" in player.fields["debrief"].value


def _to_toxic(player):
    for oid in ("evans", "sirolimus", "same_dose"):
        click(player, oid)
        player.controls["continue"].click()
    assert player.state.node_id == "toxic"


@pytest.mark.parametrize("typed, words", [
    ("abc", "is not a number"), ("", "Type a number"), ("-5", "between 0 and 40 mg/day"),
    ("41", "40 mg on any one day"), ("1e400", "is not a number"), ("nan", "is not a number"),
])
@pytest.mark.slow
def test_dose_task_refuses_text_and_impossible_doses_with_a_message(typed, words):
    player = case_player("aiha_evans_azole")
    _to_toxic(player)
    before = player.state
    player.controls["answer"].value = typed
    player.controls["submit"].click()
    assert player.state == before and not player.pending  # nothing scored, nothing became 0
    message = player.fields["input_message"].value
    assert words in message and "role='alert'" in message
    assert "toxic" not in message and "aiha_evans_azole" not in message  # no internal ids


def test_dose_task_accepts_a_decimal_comma_and_shows_chinese_units():
    player = case_player("aiha_evans_azole")
    _to_toxic(player)
    player.controls["answer"].value = "0,67"
    player.controls["submit"].click()
    assert player.last.answer == pytest.approx(0.67) and player.last.verdict == "best"
    mtorlib.set_language("zh")
    assert "mg/天" in player.fields["feedback"].value and "mg/day" not in player.fields["feedback"].value
    assert "mg/天" in player.controls["answer"].description


def test_chosen_option_stays_marked_with_a_word_and_focus_moves_to_the_feedback(monkeypatch):
    import ipywidgets

    focused = []
    from mtorlib.widgets.focus import FocusSlot

    monkeypatch.setattr(ipywidgets.Button, "focus", lambda self: focused.append(self.description))
    monkeypatch.setattr(FocusSlot, "move", lambda self, target=None: focused.append(target or self.target))
    player = case_player("itp_rr_adult_rescue", lecturer=True)
    click(player, "more_steroid")
    (row,) = [t.value for t in player.fields["option_texts"] if "mtor-chosen" in t.value]
    assert "Your choice" in row and "Harmful" not in row  # verdict hidden until Reveal
    assert focused == ["Reveal"]
    player.controls["reveal"].click()
    (row,) = [t.value for t in player.fields["option_texts"] if "mtor-chosen" in t.value]
    assert "Your choice: Harmful" in row and "✘" in row  # word and icon, not colour alone
    assert focused == ["Reveal", ".mtor-feedback"]  # focus moves to the feedback; Tab goes on to Continue
    feedback = player.fields["feedback"].value
    assert "role='status'" in feedback and "class='mtor-feedback'" in feedback


def test_counters_show_a_dash_for_what_does_not_apply_and_restart_after_a_move():
    player = case_player("itp_newly_diagnosed")
    assert "Trough —" in player.fields["header"].value and "Trough 0" not in player.fields["header"].value
    assert player.controls["restart"].layout.display == "none"
    click(player, "dxm_ivig")
    assert player.controls["restart"].layout.display == ""


@pytest.mark.slow
def test_lecturer_switch_in_the_player_and_suite_wide(monkeypatch):
    from mtorlib.widgets import chrome

    player = case_player("itp_ctd_sle")
    assert not player.lecturer
    player.controls["lecturer"].value = True
    assert player.lecturer and "mtor-lecturer" in player.widget._dom_classes
    monkeypatch.setenv("QUERY_STRING", "lecturer=1")  # how Voila passes ?lecturer=1 to the kernel
    assert case_player("itp_ctd_sle").lecturer
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("MTORLIB_LECTURER", "1")
    assert case_player("itp_ctd_sle").lecturer
    monkeypatch.delenv("MTORLIB_LECTURER")
    other = case_player("itp_ctd_sle")
    assert not other.lecturer
    try:
        chrome.set_lecturer_mode(True)
        assert other.lecturer and player.lecturer
    finally:
        chrome.set_lecturer_mode(None)
    assert not chrome.lecturer_mode()


def test_citations_are_short_and_expand_to_the_full_reference():
    player = case_player("itp_rr_adult_rescue")
    click(player, "dependent")
    player.controls["continue"].click()
    click(player, "sirolimus")
    fb = player.fields["feedback"].value
    assert "<summary><cite>[24]</cite></summary>" in fb
    player.controls["continue"].click()
    for oid in [o["id"] for o in cases.current(player.case, player.state).get("options", [])][:1]:
        click(player, oid)
    text = player.fields["feedback"].value + player.fields["node"].value
    assert "[rapamune_" not in text and "_uspi" not in text


def test_each_step_updates_the_charts_parameter_and_description_in_place():
    player = case_player("itp_rr_adult_rescue")
    labs = cases.labs_frame(player.case)
    player.controls["options"][0].click()
    player.controls["continue"].click()
    spec, visited = player.fields["chart"].spec, cases.visited(player.state)
    assert len(visited) == 2
    expected = "|" + "|".join(visited) + "|"
    assert spec["params"][0]["value"] == player.fields["chart"].params.visited == expected
    shown = labs[labs["node"].isin(visited)].sort_values("day")
    assert len(shown)
    for _test, part in shown.groupby("test"):
        last = part["value"].iloc[-1]
        assert f"{last:.3g} on day {part['day'].iloc[-1]:.3g}" in spec["description"]



def test_a_view_kept_only_by_its_widget_still_follows_the_lecturer_switch():
    """Notebooks keep ``view.widget`` only; a record nothing else holds must not be lost."""
    import gc

    import ipywidgets as w

    from mtorlib.widgets import chrome

    class Record:  # a view record whose widget holds no callback of it
        def __init__(self):
            self.widget = w.VBox()

        def set_lecturer(self, on):
            self.widget.add_class("mtor-lecturer") if on else self.widget.remove_class("mtor-lecturer")

    record = Record()
    chrome.follow_lecturer(record)
    widget = record.widget
    del record
    gc.collect()
    try:
        chrome.set_lecturer_mode(True)
        assert "mtor-lecturer" in widget._dom_classes
    finally:
        chrome.set_lecturer_mode(None)
    widget.close()
