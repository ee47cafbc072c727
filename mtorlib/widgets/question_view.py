"""Quiz player: practice (feedback at once) or exam (hidden until "Finish"), then a review.

``view = quiz_view(questions, mode="practice")`` shows one question at a time. The view is a thin
layer over :class:`mtorlib.quiz.Session`: every click calls the same public functions a learner
could call. Answers are saved to the learner's progress file (:mod:`mtorlib.progress`) unless
``record=False``: each submission in practice mode, the final answers when an exam is finished.

Controls (``view.controls``): ``answer`` (RadioButtons for single, Text for numeric, None for
multiple), ``choices`` (option id -> Checkbox, multiple only), ``submit``, ``previous``,
``next``, ``finish``. ``view.last`` is the last :class:`~mtorlib.quiz.Feedback`, or the results
frame once finished; ``view.session`` is the current session.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

import ipywidgets as w

from .. import evidence, i18n, progress
from ..quiz import Question, QuizError, Session, check, expected
from . import chrome


@dataclass
class QuizView:
    """The displayed ``widget``, its ``controls``, the ``session`` and the ``last`` result."""

    widget: w.VBox
    session: Session
    controls: dict = field(default_factory=dict)
    index: int = 0
    last: object = None
    record: bool = True
    progress_path: object = None


def _esc(text: str) -> str:
    return html.escape(str(text))


def format_answer(q: Question, response, lang: str | None = None) -> str:
    """A response (or the expected answer) as text: option letters and texts, or number + unit."""
    if response is None or response == ():
        return i18n.tr("quiz.unanswered", lang)
    if q.type == "numeric":
        unit = i18n.text(q.unit, lang) if q.unit else ""
        return f"{response:g} {unit}".strip()
    ids = [response] if isinstance(response, str) else list(response)
    texts = {o.id: i18n.text(o.text, lang) for o in q.options}
    return "; ".join(f"{i}) {texts[i]}" for i in ids)


def _tolerance(q: Question, lang=None) -> str:
    if q.tolerance_type == "absolute":
        return i18n.tr("quiz.tolerance_abs", lang, value=f"{q.tolerance:g}")
    return i18n.tr("quiz.tolerance_rel", lang, value=f"{100 * q.tolerance:g}")


def explanation_html(q: Question, lang: str | None = None) -> str:
    """Explanation and expandable full citations of a question, escaped."""
    cites = "".join(f"<li>{_esc(evidence.citation(r))}</li>" for r in q.refs)
    labels = " ".join(evidence.label(r) for r in q.refs)
    return (f"<p><b>{_esc(i18n.tr('quiz.explanation', lang))}</b> "
            f"{_esc(i18n.text(q.explanation, lang))}</p>"
            f"<details><summary>{_esc(i18n.tr('common.references', lang))} {_esc(labels)}"
            f"</summary><ol style='font-size:small'>{cites}</ol></details>")


def review_html(session: Session, lang: str | None = None) -> str:
    """Score and the review of wrong or unanswered questions, escaped."""
    k, n = session.score()
    pct = round(100 * k / n) if n else 0
    out = f"<h4>{_esc(i18n.tr('quiz.score', lang, k=k, n=n, pct=pct))}</h4>"
    items = session.review()
    if not items:
        return out + f"<p>{_esc(i18n.tr('quiz.all_correct', lang))}</p>"
    out += f"<h4>{_esc(i18n.tr('quiz.review', lang))}</h4>"
    for r in items:
        q = r.question
        exp = format_answer(q, r.expected, lang)
        if q.type == "numeric":
            exp += f" ({_tolerance(q, lang)})"
        out += (f"<div style='border-left:3px solid #D55E00;padding-left:8px;margin:6px 0'>"
                f"<p>{_esc(i18n.text(q.stem, lang))}</p>"
                f"<p>{_esc(i18n.tr('quiz.your_answer', lang, answer=format_answer(q, r.response, lang)))}"
                f"<br>"
                f"{_esc(i18n.tr('quiz.expected', lang, answer=exp))}</p>"
                f"{explanation_html(q, lang)}</div>")
    return out


def _answer_control(q: Question, view: QuizView, previous):
    """Build the input for ``q`` (restoring ``previous``) and store it in ``view.controls``."""
    view.controls["choices"] = {}
    if q.type == "single":
        ctrl = w.RadioButtons(options=[(f"{o.id}) {i18n.text(o.text)}", o.id) for o in q.options],
                              value=previous, layout=w.Layout(width="auto"))
        view.controls["answer"] = ctrl
        return ctrl
    if q.type == "multiple":
        chosen = set(previous or ())
        boxes = {o.id: w.Checkbox(value=o.id in chosen, description=f"{o.id}) {i18n.text(o.text)}",
                                  indent=False, layout=w.Layout(width="auto")) for o in q.options}
        view.controls["answer"] = None
        view.controls["choices"] = boxes
        return w.VBox(list(boxes.values()))
    ctrl = w.Text(value="" if previous is None else f"{previous:g}",
                  placeholder=i18n.text(q.unit) if q.unit else "", continuous_update=False)
    view.controls["answer"] = ctrl
    return ctrl


def _read_answer(q: Question, view: QuizView):
    if q.type == "multiple":
        ids = tuple(k for k, box in view.controls["choices"].items() if box.value)
        return ids or None
    value = view.controls["answer"].value
    return None if value in (None, "") else value


def quiz_view(questions: Sequence[Question], *, mode: str = "practice", record: bool = True,
              progress_path=None) -> QuizView:
    """A quiz over ``questions`` (in the given order; draw them with :func:`mtorlib.quiz.select`).

    Parameters
    ----------
    questions : the questions to ask, e.g. ``quiz.select(quiz.load_questions(), n=8, rng=rng)``.
    mode : ``"practice"`` (feedback after each answer) or ``"exam"`` (hidden until finished).
    record : save answers to the learner's progress file.
    progress_path : progress file (default :func:`mtorlib.progress.default_path`).
    """
    if not questions:
        raise QuizError("questions must hold at least one question; got none")
    view = QuizView(widget=w.VBox(), session=Session(tuple(questions), mode=mode),
                    record=record, progress_path=progress_path)
    header, stem, hint = w.HTML(), w.HTML(), w.HTML()
    feedback, review, status = w.HTML(), w.HTML(), w.HTML()
    holder = w.Box()
    buttons = {k: w.Button() for k in ("previous", "submit", "next", "finish")}
    view.controls.update(buttons)

    def draw(_lang=None):
        s = view.session
        q = s.questions[view.index]
        header.value = (f"<b>{_esc(i18n.tr('quiz.' + s.mode))}</b> · "
                        + _esc(i18n.tr("quiz.question_of", i=view.index + 1, n=len(s.questions))))
        stem.value = f"<p style='font-size:110%'>{_esc(i18n.text(q.stem))}</p>"
        unit = i18n.text(q.unit) if q.unit else ""
        hint.value = f"<i>{_esc(i18n.tr('quiz.' + q.type + '_hint', unit=unit))}</i>"
        previous = s.response(q.id)
        holder.children = [_answer_control(q, view, previous)]
        for k, b in buttons.items():
            b.description = i18n.tr(f"quiz.{k}")
        if s.mode == "practice":
            buttons["finish"].description = i18n.tr("quiz.finish_practice")
        buttons["previous"].disabled = view.index == 0
        buttons["next"].disabled = view.index == len(s.questions) - 1
        buttons["submit"].disabled = s.finished
        buttons["finish"].disabled = s.finished
        answered = len(s.responses)
        status.value = _esc(i18n.tr("quiz.answered", k=answered, n=len(s.questions)))
        if s.mode == "exam" and not s.finished:
            status.value += " · " + _esc(i18n.tr("quiz.exam_hidden"))
        show_feedback(previous)
        review.value = review_html(s) if s.finished else ""

    def show_feedback(response):
        q = view.session.questions[view.index]
        if response is None:
            feedback.value = ""
        elif view.session.mode == "exam" and not view.session.finished:
            feedback.value = f"<p>{_esc(i18n.tr('quiz.recorded'))}</p>"
        else:
            ok = check(q, response)
            colour, key = ("#009E73", "quiz.correct") if ok else ("#D55E00", "quiz.incorrect")
            exp = format_answer(q, expected(q))
            if q.type == "numeric":
                exp += f" ({_tolerance(q)})"
            feedback.value = (f"<p style='color:{colour}'><b>{_esc(i18n.tr(key))}</b> "
                              f"{_esc(i18n.tr('quiz.expected', answer=exp))}</p>"
                              + explanation_html(q))

    def on_submit(_b=None):
        q = view.session.questions[view.index]
        response = _read_answer(q, view)
        if response is None:
            feedback.value = f"<p>{_esc(i18n.tr('quiz.no_answer'))}</p>"
            return
        try:
            view.session, view.last = view.session.submit(q.id, response)
        except QuizError as exc:
            feedback.value = f"<p>{_esc(i18n.tr('quiz.bad_answer', error=exc))}</p>"
            return
        saved = None
        if view.record and view.session.mode == "practice":
            saved = _save([(q.id, view.last.response, view.last.correct)], "practice")
        draw()
        if saved:
            feedback.value += saved

    def _save(entries, mode) -> str | None:
        """Record answers; on failure return a visible message instead of breaking the quiz."""
        try:
            for qid, response, ok in entries:
                progress.record_answer(qid, answer=response, correct=ok, mode=mode,
                                       path=view.progress_path)
        except (OSError, progress.ProgressError) as exc:
            return f"<p style='color:#D55E00'>{_esc(i18n.tr('quiz.not_saved', error=exc))}</p>"
        return None

    def on_move(step):
        def handler(_b=None):
            view.index = min(max(view.index + step, 0), len(view.session.questions) - 1)
            draw()
        return handler

    def on_finish(_b=None):
        view.session = view.session.finish()
        view.last = view.session.results()
        saved = None
        if view.record and view.session.mode == "exam":
            saved = _save([(qid, r, check(view.session.question(qid), r))
                           for qid, r in view.session.responses], "exam")
        draw()
        if saved:
            review.value = saved + review.value

    buttons["submit"].on_click(on_submit)
    buttons["previous"].on_click(on_move(-1))
    buttons["next"].on_click(on_move(+1))
    buttons["finish"].on_click(on_finish)
    view.widget.children = [header, stem, hint, holder, w.HBox(list(buttons.values())), feedback,
                            status, review, chrome.notice()]
    draw()
    view.widget._mtor_draw = draw
    i18n.on_change(draw)
    return view
