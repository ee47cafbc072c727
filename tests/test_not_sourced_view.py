"""Notebook 01's list of what the sources do not give, in the current language."""

import mtorlib
from mtorlib import mechanism
from mtorlib.widgets import not_sourced_view
from mtorlib.widgets.mechanism_view import not_sourced_html


def test_not_sourced_list_follows_the_language():
    view = not_sourced_view()
    assert all(t in view.fields["items"].value for t in mechanism.not_sourced("en"))
    mtorlib.set_language("zh")
    try:
        shown = view.fields["items"].value
        assert all(t in shown for t in mechanism.not_sourced("zh")) and "IC50（或EC50）" in shown
        assert "reachable sources" not in shown
    finally:
        mtorlib.set_language("en")


def test_not_sourced_html_lists_every_item_in_each_language():
    for lang in ("en", "zh"):
        shown = not_sourced_html(lang)
        assert shown.count("<li>") == len(mechanism.not_sourced(lang)) > 0
