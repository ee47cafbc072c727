"""The quiz player's texts as HTML (escaped): answers, the feedback on a submission, the review.

* :func:`format_answer` — a response (or the expected answer) as option letters and texts, or
  number and unit;
* :func:`feedback_html` — what the learner sees after submitting (``.mtor-feedback`` with a
  ``data-turn`` attribute, so the view can focus this submission's feedback and no older one);
* :func:`explanation_html` / :func:`review_html` — a question's explanation with its citations,
  and the score with the review of wrong or unanswered questions.
"""

from __future__ import annotations

import html

from .. import evidence, i18n
from ..quiz import Question, Session, check, expected
from .case_parts import cite_html, full_citation
from .classroom import VERDICT


def esc(text: str) -> str:
    """``text`` as escaped HTML."""
    return html.escape(str(text))


def format_answer(q: Question, response, lang: str | None = None) -> str:
    """A response (or the expected answer) as text: option letters and texts, or number + unit."""
    if response is None or response == ():
        return i18n.tr("quiz.unanswered", lang)
    if q.type == "numeric":
        unit = i18n.text(q.unit, lang) if q.unit else ""
        return f"{float(response):g} {unit}".strip()
    ids = [response] if isinstance(response, str) else list(response)
    texts = {o.id: i18n.text(o.text, lang) for o in q.options}
    return "; ".join(f"{i}) {texts[i]}" for i in ids)


def _tolerance(q: Question, lang=None) -> str:
    if q.tolerance_type == "absolute":
        return i18n.tr("quiz.tolerance_abs", lang, value=f"{q.tolerance:g}")
    return i18n.tr("quiz.tolerance_rel", lang, value=f"{100 * q.tolerance:g}")


def explanation_html(q: Question, lang: str | None = None) -> str:
    """Explanation and expandable full citations of a question, escaped."""
    cites = "".join(f"<li>{esc(full_citation(r))}</li>" for r in q.refs)
    labels = "; ".join(evidence.short_citation(r, lang) for r in q.refs)
    return (f"<p><b>{esc(i18n.tr('quiz.explanation', lang))}</b> "
            f"{evidence.readable(esc(i18n.text(q.explanation, lang)), lang, cite_html)}</p>"
            f"<details><summary>{esc(i18n.tr('common.references', lang))} <cite>{esc(labels)}</cite>"
            f"</summary><ol style='font-size:small'>{cites}</ol></details>")


def review_html(session: Session, lang: str | None = None) -> str:
    """Score and the review of wrong or unanswered questions, escaped."""
    k, n = session.score()
    pct = round(100 * k / n) if n else 0
    out = f"<h4>{esc(i18n.tr('quiz.score', lang, k=k, n=n, pct=pct))}</h4>"
    items = session.review()
    if not items:
        return out + f"<p>{esc(i18n.tr('quiz.all_correct', lang))}</p>"
    out += f"<h4>{esc(i18n.tr('quiz.review', lang))}</h4>"
    for r in items:
        q = r.question
        exp = format_answer(q, r.expected, lang)
        if q.type == "numeric":
            exp += f" ({_tolerance(q, lang)})"
        out += (f"<div style='border-left:3px solid #D55E00;padding-left:8px;margin:6px 0'>"
                f"<p>{esc(i18n.text(q.stem, lang))}</p>"
                f"<p>{esc(i18n.tr('quiz.your_answer', lang, answer=format_answer(q, r.response, lang)))}"
                f"<br>"
                f"{esc(i18n.tr('quiz.expected', lang, answer=exp))}</p>"
                f"{explanation_html(q, lang)}</div>")
    return out


def feedback_html(q: Question, response, *, exam: bool, revealed: bool, turn: int,
                  lang: str | None = None) -> str:
    """The feedback on ``response``: recorded (exam), the answer only (lecturer, before "Reveal"),
    or the verdict, the expected answer and the explanation."""
    mine = esc(i18n.tr("quiz.your_answer", lang, answer=format_answer(q, response, lang)))
    box = f"<div class='mtor-feedback' role='status' aria-live='polite' data-turn='{turn}'>"
    if exam:
        return f"{box}<p>{mine}</p><p>{esc(i18n.tr('quiz.recorded', lang))}</p></div>"
    if not revealed:
        return f"<p><b>● {mine}</b></p>"
    colour, icon, key = VERDICT["correct" if check(q, response) else "incorrect"]
    exp = format_answer(q, expected(q), lang)
    if q.type == "numeric":
        exp += f" ({_tolerance(q, lang)})"
    return (f"{box}<p style='color:{colour}'><b>{icon} {esc(i18n.tr(key, lang))}</b> {mine}<br>"
            f"{esc(i18n.tr('quiz.expected', lang, answer=exp))}</p>{explanation_html(q, lang)}</div>")
