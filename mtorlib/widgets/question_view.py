"""Quiz player: practice (feedback at once) or exam (hidden until "Finish"), then a review.

``view = quiz_view(questions, mode="practice")`` shows one question at a time. The view is a thin
layer over :class:`mtorlib.quiz.Session`: every click calls the same public functions a learner
could call. Answers are saved to the learner's progress file (:mod:`mtorlib.progress`) unless
``record=False``: each submission in practice mode, the final answers when an exam is finished.

Practice mode: "Show score" shows the score and review at any time and locks nothing; a wrong
answer can be tried again. Exam mode: correctness stays hidden until "Finish exam", which ends
the sitting. Numeric answers are read strictly and checked against sourced limits
(:mod:`mtorlib.plausibility`). Lecturer mode (its own switch or the suite-wide one) uses large
type and hides practice feedback until "Reveal".

Controls (``view.controls``): ``answer`` (RadioButtons for single, Text for numeric, None for
multiple), ``choices`` (option id -> Checkbox, multiple only), ``submit``, ``previous``,
``next``, ``finish``, ``retry``, ``reveal``, ``lecturer``. Fields (``view.fields``): ``header``,
``stem``, ``hint``, ``feedback``, ``status``, ``review``. ``view.last`` is the last
:class:`~mtorlib.quiz.Feedback`, or the results frame after "Show score"/"Finish";
``view.session`` is the current session.

Variants (``variants=True``): questions with drawn parameters are rendered per sitting by
:func:`mtorlib.quiz.variants.for_session`: in an exam the numbers are fixed per learner (the
``learner`` name, default the name in the progress file); in practice each attempt gets new
numbers (the attempt number counts the earlier answers in the progress file, and "Try again"
draws the next one). ``view.attempts`` holds the current attempt number per question.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

import ipywidgets as w

from .. import evidence, i18n, plausibility, progress
from ..quiz import Question, QuizError, Session, check, expected
from ..quiz import variants as variants_mod
from . import chrome
from .case_parts import cite_html, full_citation
from .classroom import VERDICT, lecturer_style, set_lecturer_class


@dataclass
class QuizView:
    """The displayed ``widget``, its ``controls``, the ``session`` and the ``last`` result."""

    widget: w.VBox
    session: Session
    controls: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    index: int = 0
    last: object = None
    record: bool = True
    progress_path: object = None
    lecturer: bool = False
    revealed: bool = True
    score_shown: bool = False
    retrying: bool = False
    learner: str = ""
    attempts: dict = field(default_factory=dict)

    def set_lecturer(self, on: bool) -> None:
        """Switch lecturer mode (the suite-wide switch calls this too)."""
        if self.widget.comm is not None and bool(on) != self.lecturer:
            self.controls["lecturer"].value = bool(on)


def _esc(text: str) -> str:
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
    cites = "".join(f"<li>{_esc(full_citation(r))}</li>" for r in q.refs)
    labels = "; ".join(evidence.short_citation(r, lang) for r in q.refs)
    return (f"<p><b>{_esc(i18n.tr('quiz.explanation', lang))}</b> "
            f"{evidence.readable(_esc(i18n.text(q.explanation, lang)), lang, cite_html)}</p>"
            f"<details><summary>{_esc(i18n.tr('common.references', lang))} <cite>{_esc(labels)}</cite>"
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
    ctrl = w.Text(value="" if previous is None else f"{float(previous):g}",
                  placeholder=i18n.text(q.unit) if q.unit else "", continuous_update=False)
    view.controls["answer"] = ctrl
    return ctrl


def _read_answer(q: Question, view: QuizView):
    if q.type == "multiple":
        ids = tuple(k for k, box in view.controls["choices"].items() if box.value)
        return ids or None
    value = view.controls["answer"].value
    return None if value in (None, "") else value


def read_numeric(q: Question, typed: str, lang: str | None = None) -> plausibility.Check:
    """A typed numeric answer, read strictly and checked against the limits of its unit."""
    quantity = plausibility.quantity_for_unit(q.unit["en"] if q.unit else None)
    if quantity:
        return plausibility.check(quantity, typed, lang)
    value = plausibility.parse(typed, lang)
    return plausibility.Check("", "refused" if isinstance(value, str) else "ok",
                              None if isinstance(value, str) else value,
                              value if isinstance(value, str) else "")


def _earlier(record: bool, progress_path) -> dict:
    """The progress record (answers, learner name) when answers are recorded, else empty."""
    if not record:
        return {}
    try:
        return progress.load(progress_path)
    except (OSError, progress.ProgressError):  # the quiz still runs; saving will say what failed
        return {}


def quiz_view(questions: Sequence[Question], *, mode: str = "practice", record: bool = True,
              progress_path=None, lecturer: bool | None = None, variants: bool = False,
              learner: str | None = None) -> QuizView:
    """A quiz over ``questions`` (in the given order; draw them with :func:`mtorlib.quiz.select`).

    Parameters
    ----------
    questions : the questions to ask, e.g. ``quiz.select(quiz.load_questions(), n=8, rng=rng)``.
    mode : ``"practice"`` (feedback after each answer) or ``"exam"`` (hidden until finished).
    record : save answers to the learner's progress file.
    progress_path : progress file (default :func:`mtorlib.progress.default_path`).
    lecturer : large type, feedback after "Reveal"; None follows :func:`mtorlib.widgets.chrome.lecturer_mode`.
    variants : render variant questions with drawn numbers (see the module notes); False keeps
        the numbers stored in the banks.
    learner : name that seeds the variants (default: the progress file's learner name, or none).
    """
    if not questions:
        raise QuizError("questions must hold at least one question; got none")
    earlier = _earlier(record, progress_path) if variants else {}
    name = learner if learner is not None else earlier.get("learner", "")
    attempts = variants_mod.attempts_from(earlier.get("answers", ())) if variants else {}
    attempts = {q.id: attempts.get(q.id, 1) for q in questions if q.variant is not None}
    if variants:
        questions = variants_mod.for_session(questions, mode=mode, learner=name, attempts=attempts)
    view = QuizView(widget=w.VBox(), session=Session(tuple(questions), mode=mode),
                    record=record, progress_path=progress_path,
                    lecturer=chrome.lecturer_mode() if lecturer is None else bool(lecturer),
                    learner=name, attempts=attempts if variants else {})
    f = view.fields
    for name in ("header", "stem", "hint", "feedback", "status", "review"):
        f[name] = w.HTML()
    holder = w.Box()
    buttons = {k: w.Button() for k in ("previous", "submit", "reveal", "retry", "next", "finish")}
    toggle = w.ToggleButton(value=view.lecturer, icon="chalkboard-teacher")
    view.controls.update(buttons, lecturer=toggle)
    notes: dict = {"message": ""}  # a one-off message under the answer (no answer, not saved)

    def draw(_lang=None):
        s = view.session
        q = s.questions[view.index]
        f["header"].value = (f"<b>{_esc(i18n.tr('quiz.' + s.mode))}</b> · "
                             + _esc(i18n.tr("quiz.question_of", i=view.index + 1, n=len(s.questions))))
        if q.pack is not None:  # a content pack's question: say whose
            f["header"].value += f" · <i>{_esc(i18n.tr('quiz.local_pack', pack=i18n.text(q.pack)))}</i>"
        f["stem"].value = f"<p style='font-size:110%'>{_esc(i18n.text(q.stem))}</p>"
        unit = i18n.text(q.unit) if q.unit else ""
        f["hint"].value = f"<i>{_esc(i18n.tr('quiz.' + q.type + '_hint', unit=unit))}</i>"
        previous = None if view.retrying else s.response(q.id)
        holder.children = [_answer_control(q, view, previous)]
        for k, b in buttons.items():
            b.description = i18n.tr("common.reveal" if k == "reveal" else f"quiz.{k}")
        toggle.description = toggle.tooltip = i18n.tr("common.lecturer_mode")
        if s.mode == "practice":
            buttons["finish"].description = i18n.tr("quiz.finish_practice")
        buttons["previous"].disabled = view.index == 0
        buttons["next"].disabled = view.index == len(s.questions) - 1
        buttons["submit"].disabled = buttons["finish"].disabled = s.finished
        answered = s.response(q.id) is not None and not view.retrying
        wrong = answered and s.mode == "practice" and not check(q, s.response(q.id))
        buttons["reveal"].layout.display = "" if answered and not view.revealed else "none"
        buttons["retry"].layout.display = "" if wrong and view.revealed else "none"
        f["status"].value = _esc(i18n.tr("quiz.answered", k=len(s.responses), n=len(s.questions)))
        if s.mode == "exam" and not s.finished:
            f["status"].value += " · " + _esc(i18n.tr("quiz.exam_hidden"))
        show_feedback(None if view.retrying else s.response(q.id))
        shown = s.finished or (s.mode == "practice" and view.score_shown)
        f["review"].value = review_html(s) if shown else ""

    def show_feedback(response):
        q = view.session.questions[view.index]
        extra = notes["message"]
        if response is None:
            f["feedback"].value = extra
            return
        mine = _esc(i18n.tr("quiz.your_answer", answer=format_answer(q, response)))
        if view.session.mode == "exam" and not view.session.finished:
            f["feedback"].value = f"<p>{mine}</p><p>{_esc(i18n.tr('quiz.recorded'))}</p>" + extra
            return
        if not view.revealed:
            f["feedback"].value = f"<p><b>● {mine}</b></p>" + extra
            return
        colour, icon, key = VERDICT["correct" if check(q, response) else "incorrect"]
        exp = format_answer(q, expected(q))
        if q.type == "numeric":
            exp += f" ({_tolerance(q)})"
        f["feedback"].value = (
            f"<div class='mtor-feedback' role='status' aria-live='polite'>"
            f"<p style='color:{colour}'><b>{icon} {_esc(i18n.tr(key))}</b> {mine}<br>"
            f"{_esc(i18n.tr('quiz.expected', answer=exp))}</p>{explanation_html(q)}</div>" + extra)

    def on_submit(_b=None):
        q = view.session.questions[view.index]
        notes["message"] = ""
        response = _read_answer(q, view)
        if response is None:
            notes["message"] = f"<p role='alert'>{_esc(i18n.tr('quiz.no_answer'))}</p>"
            draw()
            return
        if q.type == "numeric":
            result = read_numeric(q, response)
            if not result.accepted:
                notes["message"] = f"<p role='alert' style='color:#A84300'>✘ {_esc(result.text)}</p>"
                draw()
                return
            if result.status == "warning":
                notes["message"] = f"<p style='color:#8A5A00'>⚠ {_esc(result.text)}</p>"
            response = result.value
        view.session, view.last = view.session.submit(q.id, response)
        view.retrying, view.revealed = False, not view.lecturer
        if view.record and view.session.mode == "practice":
            notes["message"] += _save([(q.id, view.last.response, view.last.correct)], "practice") or ""
        draw()
        buttons["reveal" if not view.revealed else "next"].focus()

    def _save(entries, mode) -> str | None:
        """Record answers; on failure return a visible message instead of breaking the quiz."""
        try:
            for qid, response, ok in entries:
                progress.record_answer(qid, answer=response, correct=ok, mode=mode,
                                       path=view.progress_path)
        except (OSError, progress.ProgressError) as exc:
            return f"<p style='color:#A84300'>{_esc(i18n.tr('quiz.not_saved', error=exc))}</p>"
        return None

    def on_move(step):
        def handler(_b=None):
            view.index = min(max(view.index + step, 0), len(view.session.questions) - 1)
            view.retrying, view.revealed, notes["message"] = False, True, ""
            draw()
        return handler

    def on_reveal(_b=None):
        view.revealed = True
        draw()
        buttons["next"].focus()

    def on_retry(_b=None):
        view.retrying, notes["message"] = True, ""
        q = view.session.questions[view.index]
        if q.id in view.attempts and q.variant["seed"] == "per_attempt":  # a new variant
            view.attempts[q.id] += 1
            seed = variants_mod.seed_for(q.id, learner=view.learner, attempt=view.attempts[q.id])
            view.session = view.session.swap(variants_mod.render(q, seed))
        draw()

    def on_finish(_b=None):
        notes["message"] = ""
        if view.session.mode == "practice":  # the score at any time; nothing is locked
            view.score_shown, view.last = True, view.session.results()
            draw()
            return
        view.session = view.session.finish()
        view.last = view.session.results()
        saved = None
        if view.record:
            saved = _save([(qid, r, check(view.session.question(qid), r))
                           for qid, r in view.session.responses], "exam")
        draw()
        if saved:
            f["review"].value = saved + f["review"].value

    def on_lecturer(change):
        view.lecturer = bool(change["new"])
        view.revealed = view.revealed or not view.lecturer
        set_lecturer_class(view.widget, view.lecturer)
        draw()

    for name, handler in (("submit", on_submit), ("previous", on_move(-1)), ("next", on_move(+1)),
                          ("finish", on_finish), ("reveal", on_reveal), ("retry", on_retry)):
        buttons[name].on_click(handler)
    toggle.observe(on_lecturer, names="value")
    top = w.HBox([f["header"], toggle], layout=w.Layout(justify_content="space-between"))
    view.widget.children = [lecturer_style(), top, f["stem"], f["hint"], holder,
                            w.HBox(list(buttons.values()), layout=w.Layout(flex_flow="row wrap")),
                            f["feedback"], f["status"], f["review"], chrome.notice()]
    view.widget.add_class("mtor-quiz")
    set_lecturer_class(view.widget, view.lecturer)
    chrome.follow_lecturer(view)
    i18n.follow(view.widget, draw)
    return view
