"""Chinese typography in content: full-width punctuation and no line break inside a paragraph.

A Chinese string (every ``zh`` field of a content file, and Chinese notebook Markdown) must use
full-width punctuation next to Chinese characters (，。：；（）！？) and must not break a line
between two Chinese characters (it renders as a stray space). :func:`problems` lists what is
wrong in one string; :func:`fix` returns the corrected string; :func:`check_chinese` is the
validator rule over every ``zh`` field of a document.

>>> problems("剂量:2")
['half-width ":" next to Chinese text: use "："']
>>> fix("剂量(mg/d):2")
'剂量（mg/d）：2'
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .registry import register_rule
from .schema import kinds

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Chinese characters (not punctuation)
_CJK = re.compile(f"[{CJK}]")
WIDE = CJK + "\u3000-\u303f\uff00-\uffef"  # Chinese characters and full-width punctuation
_WIDE = re.compile(f"[{WIDE}]")
FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_BREAK = re.compile(f"(?<=[{WIDE}])[ \\t]*\\n[ \\t]*(?=[{WIDE}])")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def _is_wide(ch: str) -> bool:
    return bool(ch) and bool(_WIDE.match(ch))


def _chinese_line(s: str, i: int) -> bool:
    """Whether the line of ``s`` holding index ``i`` contains a Chinese character."""
    start, end = s.rfind("\n", 0, i) + 1, s.find("\n", i)
    return bool(_CJK.search(s, start, end if end >= 0 else len(s)))


def _pairs(s: str) -> dict[int, int]:
    """Matching half-width parentheses: index of each "(" -> its ")" and back."""
    out, stack = {}, []
    for i, ch in enumerate(s):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            out[i], out[j] = j, i
    return out


def _flagged(s: str) -> list[int]:
    """Indices of half-width punctuation that must be full-width.

    Both parentheses of a pair when either one touches a Chinese character; then ``, : ; ! ?``
    next to a Chinese character or full-width punctuation (after those parentheses are fixed).
    On a line that contains Chinese, also the unambiguous cases next to numbers: a pair whose
    "(" follows "%" (``85%(CR 40%)``), and ``, ; :`` right after "%" or ")" and not followed by a
    space (``40%,PR``, ``),6个月``). English (``40 %, PR``, ``(CR): platelets``) and ASCII such as
    ``ng/mL``, ``C0``, ``15,800``, ``1:1`` or ``7(21):6451`` are left alone.
    """
    pairs = _pairs(s)
    out = []
    for i, j in pairs.items():
        if any(_is_cjk(s[k - 1] if k else "") or _is_cjk(s[k + 1: k + 2]) for k in (i, j)):
            out.append(i)
        elif s[min(i, j) - 1: min(i, j)] == "%" and _chinese_line(s, i):
            out.append(i)
    chars = list(s)
    for i in out:
        chars[i] = FULL[s[i]]
    t = "".join(chars)
    for i, ch in enumerate(t):
        before = t[i - 1] if i else ""
        if ch in ",:;!?" and (_is_wide(before) or _is_wide(t[i + 1: i + 2])):
            out.append(i)
        elif (ch in ",:;" and before in ("%", ")") and t[i + 1: i + 2].strip()
              and _chinese_line(t, i)):
            out.append(i)
    return sorted(out)


def problems(s: str) -> list[str]:
    """What is wrong with the Chinese typography of ``s`` (empty when fine)."""
    out = [f'half-width "{s[i]}" next to Chinese text: use "{FULL[s[i]]}"' for i in _flagged(s)]
    if _BREAK.search(s):
        out.append("line break between two Chinese characters (it shows as a stray space): "
                   "join the lines")
    return out


def fix(s: str) -> str:
    """``s`` with the flagged punctuation made full-width and in-paragraph line breaks removed."""
    chars = list(s)
    for i in _flagged(s):
        chars[i] = FULL[s[i]]
    return _BREAK.sub("", "".join(chars))


def _zh_fields(node, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "zh" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from _zh_fields(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _zh_fields(value, (*path, i))


@register_rule(*kinds())  # every kind: Chinese text anywhere in content
def check_chinese(doc, ctx) -> Iterator[tuple[tuple, str]]:
    """Validator rule: every ``zh`` field uses full-width punctuation and no in-paragraph break."""
    for path, value in _zh_fields(doc.data):
        found = problems(value)
        if found:
            shown = "; ".join(dict.fromkeys(found))
            yield path, f"Chinese typography: {shown} (in “{value[:30]}…”)"
