"""Two languages, switchable at run time.

* :func:`set_language` / :func:`get_language`: the current language, ``"en"`` or ``"zh"``.
* :func:`tr`: a UI string from the catalogues in ``mtorlib/data/i18n/*.yaml`` (keys unique
  across catalogues), formatted with keyword arguments.
* :func:`text`: pick the current language from a content field ``{en: ..., zh: ...}``.
* :func:`on_change`: register a callback run after every switch (widgets re-render with it).
* :func:`follow`: draw a view now and again after every switch, for as long as the view lives.

>>> set_language("zh"); text({"en": "Platelets", "zh": "血小板"})
'血小板'
>>> set_language("en"); tr("common.teaching_only")[:22]
'For teaching only: not'
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import cache

from .content.documents import load_kind

LANGUAGES = ("en", "zh")
_state = {"lang": "en"}
_listeners: list = []


class TranslationError(LookupError):
    """A UI key that no catalogue defines."""


def set_language(lang: str) -> None:
    """Switch the suite's language (``"en"`` or ``"zh"``) and notify the views."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    if lang == _state["lang"]:
        return  # nothing changes: no view redraws
    _state["lang"] = lang
    for ref in list(_listeners):
        callback = ref()
        if callback is None:
            _listeners.remove(ref)
        else:
            callback(lang)


def get_language() -> str:
    """The current language code."""
    return _state["lang"]


def on_change(callback: Callable[[str], None]) -> None:
    """Call ``callback(lang)`` after each language switch (held weakly: views may be collected)."""
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
    _listeners.append(ref)


def follow(owner, draw: Callable[..., None]):
    """Call ``draw()`` now and ``draw(lang)`` after every switch while ``owner`` lives; return ``owner``.

    The one language-follow step for views: ``draw`` is kept alive by the widget (``owner`` or
    ``owner.widget``: notebooks keep only the widget, not its view record) because
    :func:`on_change` holds its callbacks weakly. A closed widget (its ``comm`` gone) stops
    following: closed views are not redrawn, even while a reference cycle keeps them alive until
    the next garbage collection.
    """
    draw()
    widget = getattr(owner, "widget", owner)

    def redraw(lang: str) -> None:
        if getattr(widget, "comm", True) is not None:
            draw(lang)

    keep = getattr(widget, "_mtor_followers", None)  # on the widget: notebooks keep only it
    if keep is None:
        keep = []
        widget._mtor_followers = keep
    keep.append(redraw)
    on_change(redraw)
    return owner


def sentences(*parts: str, lang: str | None = None) -> str:
    """Whole sentences joined as the language writes them: a space in English, nothing in Chinese
    (a space after a full-width "。" is a typo); empty parts are left out."""
    return ("" if (lang or get_language()) == "zh" else " ").join(p for p in parts if p)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All UI strings, key -> {en, zh}; duplicate keys across catalogues raise."""
    out: dict[str, dict[str, str]] = {}
    for doc in load_kind("ui_strings"):
        for key, value in doc.data["strings"].items():
            if key in out:
                raise TranslationError(f"UI key '{key}' is defined twice (second in {doc.name})")
            out[key] = value
    return out


def tr(key: str, lang: str | None = None, **fmt) -> str:
    """The UI string ``key`` in ``lang`` (default: current), formatted with ``fmt``."""
    try:
        entry = catalogue()[key]
    except KeyError:
        raise TranslationError(f"no UI string '{key}' in mtorlib/data/i18n/*.yaml") from None
    return entry[lang or get_language()].format(**fmt)


def text(field: dict, lang: str | None = None) -> str:
    """The current-language string of a bilingual content field ``{en, zh}``."""
    return field[lang or get_language()]
