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

from collections.abc import Sequence
from dataclasses import dataclass, field

import ipywidgets as w

from .. import i18n, plausibility, progress
from ..quiz import Question, QuizError, Session, check
from ..quiz import variants as variants_mod
from . import chrome
from .classroom import lecturer_style, set_lecturer_class
from .focus import FocusSlot
from .quiz_text import esc, feedback_html, review_html


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
    notes: dict = {"message": "", "turn": 0}  # a one-off message under the answer; submissions
    mover = FocusSlot(".mtor-quiz", ".mtor-feedback")

    def draw(_lang=None):
        s = view.session
        q = s.questions[view.index]
        f["header"].value = (f"<b>{esc(i18n.tr('quiz.' + s.mode))}</b> · "
                             + esc(i18n.tr("quiz.question_of", i=view.index + 1, n=len(s.questions))))
        if q.pack is not None:  # a content pack's question: say whose
            f["header"].value += f" · <i>{esc(i18n.tr('quiz.local_pack', pack=i18n.text(q.pack)))}</i>"
        f["stem"].value = f"<p style='font-size:110%'>{esc(i18n.text(q.stem))}</p>"
        unit = i18n.text(q.unit) if q.unit else ""
        f["hint"].value = f"<i>{esc(i18n.tr('quiz.' + q.type + '_hint', unit=unit))}</i>"
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
        f["status"].value = esc(i18n.tr("quiz.answered", k=len(s.responses), n=len(s.questions)))
        if s.mode == "exam" and not s.finished:
            f["status"].value += " · " + esc(i18n.tr("quiz.exam_hidden"))
        show_feedback(None if view.retrying else s.response(q.id))
        shown = s.finished or (s.mode == "practice" and view.score_shown)
        f["review"].value = review_html(s) if shown else ""

    def show_feedback(response):
        q = view.session.questions[view.index]
        exam = view.session.mode == "exam" and not view.session.finished
        f["feedback"].value = notes["message"] if response is None else (
            feedback_html(q, response, exam=exam, revealed=view.revealed, turn=notes["turn"])
            + notes["message"])

    def focus_feedback():
        """Focus moves to this turn's feedback (Tab then reaches Next); before "Reveal", to it."""
        notes["turn"] += 1
        draw()
        if view.revealed:
            mover.move(f".mtor-feedback[data-turn='{notes['turn']}']")
        else:
            buttons["reveal"].focus()

    def on_submit(_b=None):
        q = view.session.questions[view.index]
        notes["message"] = ""
        response = _read_answer(q, view)
        if response is None:
            notes["message"] = f"<p role='alert'>{esc(i18n.tr('quiz.no_answer'))}</p>"
            draw()
            return
        if q.type == "numeric":
            result = read_numeric(q, response)
            if not result.accepted:
                notes["message"] = f"<p role='alert' style='color:#A84300'>✘ {esc(result.text)}</p>"
                draw()
                return
            if result.status == "warning":
                notes["message"] = f"<p style='color:#8A5A00'>⚠ {esc(result.text)}</p>"
            response = result.value
        view.session, view.last = view.session.submit(q.id, response)
        view.retrying, view.revealed = False, not view.lecturer
        if view.record and view.session.mode == "practice":
            notes["message"] += _save([(q.id, view.last.response, view.last.correct)], "practice") or ""
        focus_feedback()

    def _save(entries, mode) -> str | None:
        """Record answers; on failure return a visible message instead of breaking the quiz."""
        try:
            for qid, response, ok in entries:
                progress.record_answer(qid, answer=response, correct=ok, mode=mode,
                                       path=view.progress_path)
        except (OSError, progress.ProgressError) as exc:
            return f"<p style='color:#A84300'>{esc(i18n.tr('quiz.not_saved', error=exc))}</p>"
        return None

    def on_move(step):
        def handler(_b=None):
            view.index = min(max(view.index + step, 0), len(view.session.questions) - 1)
            view.retrying, view.revealed, notes["message"] = False, True, ""
            draw()
        return handler

    def on_reveal(_b=None):
        view.revealed = True
        focus_feedback()

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
    def row(*names):
        return w.HBox([buttons[n] for n in names], layout=w.Layout(flex_flow="row wrap"))

    # the feedback sits between Submit and Next, so Tab from the focused feedback reaches Next
    view.widget.children = [lecturer_style(), top, f["stem"], f["hint"], holder,
                            row("previous", "submit", "reveal"), f["feedback"],
                            row("next", "retry", "finish"), f["status"], f["review"],
                            chrome.notice(), mover]
    view.widget.add_class("mtor-quiz")
    set_lecturer_class(view.widget, view.lecturer)
    chrome.follow_lecturer(view)
    i18n.follow(view.widget, draw)
    return view
