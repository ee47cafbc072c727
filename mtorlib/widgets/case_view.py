"""Case player: a thin ipywidgets view over the pure case engine (:mod:`mtorlib.cases`).

``player = case_player("itp_rr_adult_rescue")`` then display ``player.widget``. The view shows the
vignette, the node's lab table, a lab timeline chart with reference bands, lettered options with
their text beside them (or a dose task with the teaching-only notice), feedback with an evidence
badge and expandable references (focused after a choice, so Tab goes on to Continue), the
counters and the score, and a debrief. The chosen option stays marked with its verdict word and
icon. Typed answers are read strictly and checked against
sourced limits (:mod:`mtorlib.plausibility`): refused with what is allowed, or accepted with a
warning. Lecturer mode (its own switch, or the suite-wide one in :mod:`mtorlib.widgets.chrome`) hides
feedback until "Reveal", uses large type and puts the chart beside the question.

Tests drive it through ``player.controls`` (``options``, ``answer``, ``submit``, ``continue``,
``reveal``, ``restart``, ``lecturer``), read ``player.fields`` (``header``, ``node``,
``options``, ``option_texts``, ``input_message``, ``task``, ``notice``, ``feedback``, ``debrief``,
``chart``), ``player.lecturer_style`` and ``player.state`` / ``player.last``.
"""

from __future__ import annotations

import html
import string
from dataclasses import dataclass, field

import ipywidgets as w

from .. import cases, charts, i18n, plausibility, progress
from . import chrome
from .case_parts import content as _t
from .case_parts import (
    debrief_html,
    evidence_table,
    feedback_html,
    header_html,
    input_message_html,
    node_html,
    read_answer,
    unit_text,
)
from .classroom import lecturer_style, mark, set_lecturer_class
from .focus import FocusSlot

__all__ = ["CasePlayer", "case_player", "evidence_table"]

MAX_OPTIONS = 5  # as in cases/_schema/case.schema.json


@dataclass(eq=False)
class CasePlayer:
    """The view: ``widget`` to display, ``controls`` to drive, ``fields``/``state``/``last`` to read;
    ``lecturer_style`` is the style element that lecturer mode's large type comes from."""

    case: cases.Case
    lecturer: bool | None = None
    widget: w.VBox = None
    controls: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    state: cases.State = None
    last: object = None
    pending: bool = False
    revealed: bool = False
    recorded: bool = False
    save_error: str | None = None
    input_check: plausibility.Check | None = None
    lecturer_style: w.HTML = None

    def __post_init__(self):
        self.lecturer = chrome.lecturer_mode() if self.lecturer is None else bool(self.lecturer)
        self.state = self._before = cases.start(self.case)
        f = self.fields
        for name in ("header", "node", "input_message", "feedback", "debrief", "chart_note"):
            f[name] = w.HTML()
        f["feedback"].add_class("mtor-feedback-box")
        f["chart"] = charts.show(self._make_chart())
        f["options"], f["task"] = w.VBox(), w.VBox()
        answer = w.Text(value="", layout=w.Layout(width="180px"))
        buttons = {name: w.Button(description="") for name in ("submit", "continue", "reveal", "restart")}
        for name, handler in (("submit", self._on_submit), ("continue", self._on_continue),
                              ("reveal", self._on_reveal), ("restart", self._on_restart)):
            buttons[name].on_click(lambda _b, h=handler: h())
        lecturer = w.ToggleButton(value=self.lecturer, icon="chalkboard-teacher")
        lecturer.observe(lambda change: self.set_lecturer(change["new"]), names="value")
        self.controls = {"options": [], "answer": answer, "lecturer": lecturer, **buttons}
        self._rows = []
        for i, letter in enumerate(string.ascii_uppercase[:MAX_OPTIONS]):
            button = w.Button(description=letter, layout=w.Layout(width="64px", min_width="64px"))
            button.on_click(lambda _b, i=i: self._on_option(i))
            text = w.HTML(layout=w.Layout(flex="1 1 auto"))
            row = w.HBox([button, text], layout=w.Layout(width="100%"))
            row.add_class("mtor-option-row")
            self._rows.append((row, button, text))
        f["notice"] = chrome.notice()
        self._focus = FocusSlot(".mtor-case-player", ".mtor-feedback")
        f["task"].children = [w.HBox([answer, buttons["submit"]]), f["input_message"], f["notice"]]
        self.widget = w.VBox(layout=w.Layout(width="100%"))
        self.widget.add_class("mtor-case-player")
        self.lecturer_style = lecturer_style()
        self._layout()
        chrome.follow_lecturer(self)
        i18n.follow(self.widget, self._on_language)

    # ----- moves -------------------------------------------------------------------------------
    def _on_option(self, index: int) -> None:
        node = cases.current(self.case, self.state)
        if self.pending or cases.node_kind(node) != "decision":
            return
        self._before = self.state
        self.state = cases.choose(self.case, self.state, node["options"][index]["id"])
        self._after_move()

    def _on_submit(self) -> None:
        node = cases.current(self.case, self.state)
        if self.pending or cases.node_kind(node) != "task":
            return
        self.input_check = read_answer(self.controls["answer"].value, node["task"]["unit"])
        if not self.input_check.accepted:
            self._draw()
            return
        self._before = self.state
        self.state = cases.answer(self.case, self.state, self.input_check.value)
        self._after_move()

    def _after_move(self) -> None:
        self.last = cases.last_feedback(self.case, self.state)
        self.pending, self.revealed = True, not self.lecturer
        self._draw()
        if self.revealed:  # focus moves to the feedback; the next Tab reaches Continue
            self._focus.move()
        else:
            self.controls["reveal"].focus()

    def _on_reveal(self) -> None:
        if not self.pending:
            return
        self.revealed = True
        self._draw()
        self._focus.move()

    def _on_continue(self) -> None:
        if not (self.pending and self.revealed):
            return
        self.pending, self.input_check = False, None
        self.controls["answer"].value = ""
        if cases.finished(self.case, self.state):
            self.last = cases.debrief(self.case, self.state)
            self._record(completed=True)
        self._refresh_chart()
        self._draw()

    def _on_restart(self) -> None:
        if self.state.history and not self.recorded:
            self._record(completed=False)
        self.state, self.last, self.input_check = cases.start(self.case), None, None
        self.pending = self.revealed = self.recorded = False
        self.controls["answer"].value = ""
        self._refresh_chart()
        self._draw()

    def _record(self, *, completed: bool) -> None:
        choices = [f"{s.node_id}:{s.choice if s.answer is None else round(s.answer, 4)}"
                   for s in self.state.history]
        try:
            progress.record_case(self.case.id, choices=choices,
                                 score=cases.score(self.state).as_dict(), completed=completed)
        except (OSError, progress.ProgressError) as exc:  # the case goes on; say it was not kept
            self.save_error = i18n.tr("quiz.not_saved", error=exc)
        else:
            self.save_error = None
        self.recorded = True

    def set_lecturer(self, on: bool) -> None:
        """Switch lecturer mode for this player (the suite-wide switch calls this too)."""
        on = bool(on)
        if on == self.lecturer or self.widget.comm is None:  # unchanged, or the view was closed
            return
        self.lecturer = self.controls["lecturer"].value = on
        if not on and self.pending:
            self.revealed = True
        self.fields["chart"].chart = self._make_chart()
        self._layout()

    def _on_language(self, _lang=None) -> None:
        if _lang is not None:
            self.fields["chart"].chart = self._make_chart()
        if self.input_check is not None:  # re-word the message in the new language
            node = cases.current(self.case, self._shown_state())
            if cases.node_kind(node) == "task":
                self.input_check = read_answer(self.controls["answer"].value, node["task"]["unit"])
        self._draw()

    # ----- drawing -----------------------------------------------------------------------------
    def _layout(self) -> None:
        f, c = self.fields, self.controls
        play = [f["node"], f["options"], f["task"], c["reveal"], f["feedback"], c["continue"],
                f["debrief"], c["restart"]]
        chart = w.VBox([f["chart"], f["chart_note"]], layout=w.Layout(width="100%"))
        top = w.HBox([c["lecturer"]], layout=w.Layout(justify_content="flex-end"))
        if self.lecturer:
            left = w.VBox(play, layout=w.Layout(flex="3 1 0", min_width="0"))
            right = w.VBox([chart], layout=w.Layout(flex="2 1 0", min_width="0", margin="0 0 0 16px"))
            body = [w.HBox([left, right], layout=w.Layout(width="100%"))]
        else:
            body = [f["node"], chart, *play[1:]]
        self.widget.children = [self.lecturer_style, top, f["header"], *body, self._focus]
        set_lecturer_class(self.widget, self.lecturer)
        self._draw()

    def _refresh_chart(self) -> None:
        """Show the labs of the visited nodes: the chart's ``visited`` parameter and description."""
        chart, visited = self.fields["chart"], cases.visited(self._shown_state())
        with chart.hold_sync():
            chart.params.visited = charts.visited_value(visited)
            chart.spec = charts.with_visited(chart.spec, cases.labs_frame(self.case), visited)

    def _make_chart(self):
        visible = cases.visited(self._shown_state())
        return charts.lab_timeline(cases.labs_frame(self.case), visible_nodes=visible,
                                   width=520 if self.lecturer else 420, large=self.lecturer)

    def _shown_state(self) -> cases.State:
        """While feedback is pending the previous node stays on screen; until it is revealed
        (lecturer mode) the counters and score are those from before the move too."""
        if self.pending and self.state.history:
            counters = self.state.counters if self.revealed else self._before.counters
            return cases.State(self.state.case_id, self.state.history[-1].node_id,
                               counters, self.state.history[:-1 if not self.revealed else None])
        return self.state

    def _draw(self) -> None:
        f, c = self.fields, self.controls
        shown = self._shown_state()
        node = cases.current(self.case, shown)
        kind = cases.node_kind(node)
        self._draw_header()
        f["node"].value = node_html(node, lecturer=self.lecturer)
        f["chart_note"].value = f"<small>{html.escape(charts.reference_note())}</small>"
        self._draw_options(node if kind == "decision" else None)
        self._draw_task(node if kind == "task" else None)
        self._draw_feedback()
        self._draw_debrief()
        c["lecturer"].description = c["lecturer"].tooltip = i18n.tr("common.lecturer_mode")
        for name, key in (("continue", "cases.continue"), ("reveal", "common.reveal"),
                          ("restart", "cases.restart")):
            c[name].description = i18n.tr(key)
        c["continue"].layout.display = "" if self.pending and self.revealed else "none"
        c["reveal"].layout.display = "" if self.pending and not self.revealed else "none"
        c["restart"].layout.display = "" if self.state.history else "none"

    def _draw_header(self) -> None:
        self.fields["header"].value = header_html(self.case, self._shown_state())

    def _chosen(self) -> tuple[str | None, str | None]:
        """The option id chosen at the node on screen and its verdict (None while hidden)."""
        if not (self.pending and self.state.history):
            return None, None
        step = self.state.history[-1]
        verdict = self.last.verdict if self.revealed and isinstance(self.last, cases.Feedback) else None
        return step.choice, verdict

    def _draw_options(self, node: dict | None) -> None:
        if node is None:
            self.fields["options"].children, self.controls["options"] = (), []
            self.fields["option_texts"] = []
            return
        chosen, verdict = self._chosen()
        rows = self._rows[:len(node["options"])]
        for (_row, button, text), opt in zip(rows, node["options"], strict=True):
            is_chosen = opt["id"] == chosen
            text.value = _t(opt["text"]) + (f"<br>{mark(verdict)}" if is_chosen else "")
            button.tooltip, button.disabled = i18n.text(opt["text"])[:200], self.pending
            button.button_style = "info" if is_chosen else ""
            button.icon = "check" if is_chosen else ""
        if list(self.fields["options"].children) != [r[0] for r in rows]:
            self.fields["options"].children = [r[0] for r in rows]
        self.controls["options"] = [r[1] for r in rows]
        self.fields["option_texts"] = [r[2] for r in rows]

    def _draw_task(self, node: dict | None) -> None:
        f, c = self.fields, self.controls
        f["task"].layout.display = "" if node is not None else "none"
        c["submit"].description = i18n.tr("cases.submit")
        c["submit"].disabled = self.pending
        c["answer"].disabled = self.pending
        c["answer"].description = i18n.tr("cases.answer")
        if node is not None:
            c["answer"].description += f" ({unit_text(node['task']['unit'])})"
        check = self.input_check
        quiet = check is None or check.status == "ok" or (self.pending and check.status == "refused")
        f["input_message"].value = "" if quiet else input_message_html(check)

    def _draw_feedback(self) -> None:
        fb = self.last if isinstance(self.last, cases.Feedback) else None
        if not (self.pending and self.revealed and fb):
            self.fields["feedback"].value = ""
            return
        unit = None
        if fb.expected is not None:
            unit = unit_text(cases.current(self.case, self._shown_state())["task"]["unit"])
        self.fields["feedback"].value = feedback_html(fb, unit)

    def _draw_debrief(self) -> None:
        finished = not self.pending and cases.finished(self.case, self.state)
        self.fields["debrief"].value = (debrief_html(cases.debrief(self.case, self.state), self.save_error)
                                        if finished else "")


def case_player(case_id: str, *, lecturer: bool | None = None) -> CasePlayer:
    """A player for the case ``case_id`` (``LookupError`` listing valid ids if unknown).

    ``lecturer``: None follows the suite-wide setting (:func:`mtorlib.widgets.chrome.lecturer_mode`).
    """
    return CasePlayer(cases.load_case(case_id), lecturer=lecturer)
