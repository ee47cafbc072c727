"""A JSON Schema error said plainly: the value shortened, then the reason, then what is allowed.

:func:`explain` never lets a huge value (a list of 120,000 items, a number of 400 digits) push the
reason out of a message; :func:`shorten` is the short ``repr`` it shows.
"""

from __future__ import annotations

from itertools import islice


def shorten(value: object, limit: int = 60) -> str:
    """``value`` as a short ``repr`` (``[{}, {}, … (120000 items)]``, ``a number of 401 digits``)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a number of {len(str(abs(value))) if value.bit_length() < 13_000 else 'over 4000'} digits"
    if isinstance(value, list | dict) and len(value) > 3:
        head = repr(value[:2] if isinstance(value, list) else dict(islice(value.items(), 2)))
        items = "items" if isinstance(value, list) else "keys"
        return f"{head[:-1][:limit]}, … ({len(value)} {items}){head[-1]}"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# What each schema keyword allows, said after the reason (the value shown is shortened).
_ALLOWED = {"maxItems": "at most {} items", "minItems": "at least {} items",
            "maxLength": "at most {} characters", "minLength": "at least {} characters",
            "maximum": "a number of at most {}", "minimum": "a number of at least {}",
            "exclusiveMaximum": "a number less than {}",
            "exclusiveMinimum": "a number more than {}", "type": "a value of type {}", "enum": "one of {}",
            "const": "{}", "pattern": "text matching {}", "maxProperties": "at most {} fields"}


def explain(err) -> str:
    """The schema error ``err`` as "value — reason; allowed: …", the value shortened, never the reason."""
    shown = shorten(err.instance)
    try:
        text = repr(err.instance)
    except ValueError:  # an int too long for repr
        text = None
    message = err.message.replace(text, shown, 1) if text and text in err.message else err.message
    if len(message) > 300:  # still long (a long list inside the reason): keep its end, the reason
        message = f"{shown} … {message[-200:]}"
    allowed = _allowed(err)
    return f"{message}; allowed: {allowed}" if allowed and allowed not in message else message


def _allowed(err) -> str:
    """What the schema keyword that failed allows (for ``anyOf``/``oneOf``: each alternative)."""
    if err.validator == "additionalProperties":
        return ", ".join(sorted(err.schema.get("properties", {})))
    if err.validator in ("anyOf", "oneOf"):
        ways = dict.fromkeys(a for e in err.context if len(e.relative_path) == 0 and (a := _allowed(e)))
        return " or ".join(ways)
    allowed = _ALLOWED.get(err.validator)
    return allowed.format(shorten(err.validator_value, 120)) if allowed else ""
