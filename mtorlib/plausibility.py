"""Plausibility of the numbers a learner types: refused, accepted with a warning, or accepted.

Limits are data (``mtorlib/data/input_limits.yaml``, schema ``input_limits``), each bound with its
basis and sources. :func:`check` reads typed text strictly or takes a number, and returns a
:class:`Check`:

* ``"refused"`` -- not a number, or outside what is possible/allowed; ``text`` says what is allowed;
* ``"warning"`` -- possible but implausible; accepted, and ``text`` teaches the likely cause;
* ``"ok"`` -- accepted, ``text`` empty.

Typed text (:func:`parse`): optional sign, digits, at most one decimal mark. A decimal comma is
accepted ("2,5" is 2.5) because many learners type it, except when it could be a thousands
separator ("1,000" is refused as ambiguous). Full-width digits are read as digits. Empty text,
words, exponents ("1e400"), "nan" and "inf" are refused: text never silently becomes a number.

>>> check("dose_mg_day", "2,5").value, check("dose_mg_day", "-5").status
(2.5, 'refused')
>>> check("trough_ng_ml", 400).status
'warning'
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .content import load_one
from .i18n import sentences, text, tr

STATUSES = ("ok", "warning", "refused")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3},\d{3}")


class PlausibilityError(LookupError):
    """An unknown quantity (a programming error, not a learner's input)."""


@dataclass(frozen=True)
class Check:
    """The verdict on one typed number: ``status``, the number read (None if unreadable), ``text``."""

    quantity: str
    status: str
    value: float | tuple | None
    text: str = ""

    @property
    def accepted(self) -> bool:
        """True for ``"ok"`` and ``"warning"``: the value may be used."""
        return self.status != "refused"


@cache
def _data() -> dict:
    return load_one("input_limits", "input_limits").data


def quantities() -> tuple[str, ...]:
    """The quantity ids that have limits."""
    return tuple(_data()["quantities"])


def limits(quantity: str) -> dict:
    """The limits record of ``quantity`` (``name, unit, allowed[, plausible, integer]``)."""
    try:
        return _data()["quantities"][quantity]
    except KeyError:
        raise PlausibilityError(
            f"quantity must be one of {', '.join(quantities())}; got {quantity!r}") from None


def quantity_for_unit(unit_en: str | None) -> str | None:
    """The quantity whose limits apply to an answer in ``unit_en`` (None when no limits apply)."""
    return _data()["unit_quantity"].get(unit_en) if unit_en else None


def parse(typed: str, lang: str | None = None) -> float | str:
    """The number in ``typed``, or the message (a ``str``) saying why it is not read as one."""
    raw = unicodedata.normalize("NFKC", str(typed)).strip().replace(" ", "")
    shown = str(typed).strip()[:40]
    if not raw:
        return tr("plausibility.empty", lang)
    if not _NUMBER.fullmatch(raw):
        return tr("plausibility.not_number", lang, text=shown)
    if _THOUSANDS.fullmatch(raw):
        return tr("plausibility.ambiguous_comma", lang, text=shown)
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):
        return tr("plausibility.too_large", lang, text=shown)
    return value


def _fmt(x: float) -> str:
    return f"{x:g}"


def _inside(bound: dict, x: float) -> bool:
    lo, hi = bound.get("min"), bound.get("max")
    if lo is not None and (x <= lo if bound.get("min_open") else x < lo):
        return False
    return hi is None or x <= hi


def _range(bound: dict, unit: str, lang) -> str:
    lo, hi = bound.get("min"), bound.get("max")
    if lo is not None and hi is not None:
        return tr("plausibility.between", lang, lo=_fmt(lo), hi=_fmt(hi), unit=unit).strip()
    if lo is not None:
        key = "plausibility.above" if bound.get("min_open") else "plausibility.at_least"
        return tr(key, lang, lo=_fmt(lo), unit=unit).strip()
    return tr("plausibility.at_most", lang, hi=_fmt(hi), unit=unit).strip()


def check(quantity: str, value, lang: str | None = None) -> Check:
    """Refuse, warn about or accept ``value`` (typed text or a number) as a ``quantity``."""
    lim = limits(quantity)
    name, unit = text(lim["name"], lang), text(lim["unit"], lang)
    if isinstance(value, str):
        value = parse(value, lang)
        if isinstance(value, str):
            return Check(quantity, "refused", None, value)
    elif isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        return Check(quantity, "refused", None, tr("plausibility.not_number", lang, text=str(value)[:40]))
    x = float(value)
    allowed = lim["allowed"]
    if not _inside(allowed, x) or (lim.get("integer") and not x.is_integer()):
        what = _range(allowed, unit, lang)
        if lim.get("integer"):
            what = tr("plausibility.whole", lang, range=what)
        msg = tr("plausibility.refused", lang, name=name, range=what, value=_fmt(x))
        return Check(quantity, "refused", x, sentences(msg, text(allowed['why'], lang), lang=lang))
    plausible = lim.get("plausible")
    if plausible and not _inside(plausible, x):
        msg = tr("plausibility.warning", lang, name=name, value=_fmt(x), unit=unit)
        return Check(quantity, "warning", x, sentences(msg, text(plausible['why'], lang), lang=lang))
    return Check(quantity, "ok", x)


def check_window(low, high, lang: str | None = None) -> Check:
    """Check a target trough window ``low``-``high`` (ng/mL): each end, then low < high."""
    ends = [check("target_ng_ml", v, lang) for v in (low, high)]
    refused = [c for c in ends if c.status == "refused"]
    if refused:
        return Check("target_window", "refused", None, refused[0].text)
    lo, hi = (c.value for c in ends)
    if lo >= hi:
        return Check("target_window", "refused", None,
                     tr("plausibility.window_order", lang, lo=_fmt(lo), hi=_fmt(hi)))
    warned = [c for c in ends if c.status == "warning"]
    if warned:
        return Check("target_window", "warning", (lo, hi), warned[-1].text)
    return Check("target_window", "ok", (lo, hi))
