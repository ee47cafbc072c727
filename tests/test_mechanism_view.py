"""The pathway chart and explorer, and the PK→PD view: specs, toggle, languages, didactic label."""

import re
from html import unescape

import pytest

import mtorlib
from mtorlib import i18n, mechanism
from mtorlib.charts.pathway import pathway_chart, pkpd_chart
from mtorlib.scenarios.pkpd import PkpdSettings, run_pkpd
from mtorlib.widgets import pathway_explorer, pkpd_view


@pytest.fixture(autouse=True)
def english():
    mtorlib.set_language("en")
    yield
    mtorlib.set_language("en")


def layer_data(spec, i):
    layer = spec["layer"][i]
    return spec["datasets"][layer["data"]["name"]]


def test_pathway_chart_draws_nodes_at_data_coordinates_and_edges_as_rules():
    spec = pathway_chart(mechanism.node_states("sirolimus", "en"), mechanism.edges("en"),
                         lang="en").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "point", "text", "text"]
    rules, points = layer_data(spec, 0), layer_data(spec, 1)
    assert len(rules) == len(mechanism.load_pathway()["edges"])
    at = {p["node"]: (p["x"], p["y"], p["status"]) for p in points}
    assert at["mtorc1"] == (1.0, 4.5, "inhibited")
    assert at["calcineurin"][2] == "not affected"


def test_pathway_legend_is_shape_and_words_not_colour_alone():
    spec = pathway_chart(mechanism.node_states("cyclosporine", "en"), mechanism.edges("en"),
                         lang="en").to_dict()
    enc = spec["layer"][1]["encoding"]
    assert enc["shape"]["field"] == enc["color"]["field"] == "status"
    shapes = dict(zip(enc["shape"]["scale"]["domain"], enc["shape"]["scale"]["range"], strict=True))
    assert len(set(shapes.values())) == len(shapes)  # one shape per effect
    assert shapes["inhibited"] != shapes["not affected"]
    words = {p["node"]: p["status"] for p in layer_data(spec, 3)}  # the word under each node
    assert words["calcineurin"] == "inhibited" and words["mtorc1"] == "not affected"


def test_pkpd_chart_is_titled_didactic_in_both_languages():
    frame = run_pkpd(PkpdSettings.from_data()).frame
    for lang, word in (("en", "ILLUSTRATIVE"), ("zh", "仅为示意")):
        spec = pkpd_chart(frame, lang=lang).to_dict()
        assert word in spec["title"]["text"]
        assert len(spec["vconcat"]) == 2


@pytest.mark.slow
def test_explorer_follows_its_toggle():
    view = pathway_explorer()
    assert view.last.equals(mechanism.effects("sirolimus", "en"))
    view.controls["drug"].value = "tacrolimus"
    assert view.last.equals(mechanism.effects("tacrolimus", "en"))
    points = {p["node"]: p["status"] for p in layer_data(view.chart.spec, 1)}
    assert points["calcineurin"] == "inhibited" and points["mtorc1"] == "not affected"
    claims = view.fields["claims"].value
    assert "FKBP12–tacrolimus complex inhibits calcineurin" in claims
    assert "<details><summary><cite>" in claims and "Curr Opin Nephrol Hypertens 1995" in claims
    with pytest.raises(mechanism.MechanismError, match="unknown drug"):
        pathway_explorer("aspirin")


def visible(html_text: str) -> str:
    text = re.sub(r"<details>.*?</details>|<cite>.*?</cite>", " ", html_text, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", text))


def english_ui_words() -> set[str]:
    words, zh = set(), ""
    for key, entry in i18n.catalogue().items():
        if key.startswith("mechanism."):
            words |= {x.lower() for x in re.findall(r"[A-Za-z]{3,}", entry["en"])}
            zh += entry["zh"]
    return words - {x.lower() for x in re.findall(r"[A-Za-z]{3,}", zh)}


@pytest.mark.slow
def test_zh_render_has_no_english_ui_word():
    view, pkpd = pathway_explorer(), pkpd_view()
    mtorlib.set_language("zh")
    for drug in mechanism.drugs():
        view.controls["drug"].value = drug
        shown = " ".join([visible(view.fields["claims"].value), visible(view.fields["title"].value),
                          view.controls["drug"].description, *view.controls["drug"]._options_labels,
                          *(p["status"] for p in layer_data(view.chart.spec, 1))])
        found = {x.lower() for x in re.findall(r"[A-Za-z]{3,}", shown)} & english_ui_words()
        assert not found, (drug, found)
        assert "药物" in view.controls["drug"].description
    text = visible(pkpd.fields["warning"].value) + visible(pkpd.fields["caption"].value)
    assert not {x.lower() for x in re.findall(r"[A-Za-z]{3,}", text)} & english_ui_words()


def test_pkpd_view_shows_the_didactic_label_in_both_languages():
    view = pkpd_view()
    assert "ILLUSTRATIVE" in view.fields["warning"].value and "not sourced" in view.fields["warning"].value
    assert f"{view.last.last_trough_ng_ml:.1f} ng/mL" in view.fields["caption"].value
    mtorlib.set_language("zh")
    assert "仅为示意" in view.fields["warning"].value and "无文献来源" in view.fields["warning"].value
    assert "仅为示意" in view.chart.spec["title"]["text"]


@pytest.mark.parametrize("build, field", [
    (pkpd_view, "caption"), pytest.param(pathway_explorer, "title", marks=pytest.mark.slow)])
def test_a_view_kept_only_by_its_widget_still_follows_the_language(build, field):
    import gc

    view = build()
    widget, text = view.widget, view.fields[field]
    english = text.value
    del view
    gc.collect()
    mtorlib.set_language("zh")
    assert text.value != english and re.search(r"[\u4e00-\u9fff]", text.value)
    widget.close()
