"""Case player: a thin ipywidgets view over the pure case engine (:mod:`mtorlib.cases`).

``player = case_player("itp_rr_adult_rescue")`` then display ``player.widget``. The view shows the
vignette, the node's lab table, a lab timeline chart, lettered choices (or a dose task with the
teaching-only notice), feedback with an evidence badge and expandable references, the counters and
the score, and a debrief. ``lecturer=True`` hides feedback until "Reveal" and uses large type.
Tests drive it through ``player.controls`` (``options``, ``answer``, ``submit``, ``continue``,
``reveal``, ``restart``) and read ``player.state`` and ``player.last``.
"""

from __future__ import annotations

import html
import string
from dataclasses import dataclass, field

import ipywidgets as w

from .. import cases, evidence, i18n, progress
from ..cases.model import COUNTERS, LAB_TESTS, UNITS
from ..charts import render
from ..charts.cases import lab_timeline, visited_value
from . import chrome

MAX_OPTIONS = 5  # as in mtorlib/content/schemas/case.schema.json
VERDICT_COLOUR = {"best": "#009E73", "acceptable": "#E69F00", "harmful": "#D55E00"}


def _t(field_: dict) -> str:
    return html.escape(i18n.text(field_))


def _refs_html(refs) -> str:
    items = "".join(
        f"<li><details><summary>{html.escape(evidence.label(r))}</summary>"
        f"<small>{html.escape(evidence.citation(r))}</small></details></li>" for r in refs)
    return f"<b>{html.escape(i18n.tr('common.references'))}</b><ol style='margin:2px 0'>{items}</ol>"


def _evidence_html(ev: dict | None) -> str:
    if not ev:
        return ""
    badge = (f"{html.escape(i18n.tr('common.level'))} {ev['level']} · "
             f"{html.escape(i18n.tr('common.grade'))} {ev['grade']}")
    note = f" {_t(ev['note'])}" if ev.get("note") else ""
    return (f"<p><span class='mtor-evidence' style='background:#0072B2;color:#fff;border-radius:4px;"
            f"padding:1px 6px'>{html.escape(i18n.tr('common.evidence'))}: {badge}</span> "
            f"<small><i>{html.escape(evidence.evidence_note(ev['source']))}</i>{note}</small></p>")


def _labs_table(node: dict) -> str:
    labs = node.get("labs", [])
    tests = [t for t in LAB_TESTS if any(t in row for row in labs)]
    if not tests:
        return ""
    head = "".join(f"<th>{html.escape(i18n.tr(f'cases.lab.{t}'))} ({UNITS[t]})</th>" for t in tests)
    rows = "".join(
        f"<tr><td>{row['day']}</td>" + "".join(f"<td>{row.get(t, '')}</td>" for t in tests) + "</tr>"
        for row in labs)
    return (f"<b>{html.escape(i18n.tr('cases.labs'))}</b><table class='mtor-labs' border=1 "
            f"style='border-collapse:collapse'><tr><th>{html.escape(i18n.tr('cases.day'))}</th>"
            f"{head}</tr>{rows}</table>")


@dataclass(eq=False)
class CasePlayer:
    """The view: ``widget`` to display, ``controls`` to drive, ``state``/``last`` to read."""

    case: cases.Case
    lecturer: bool = False
    widget: w.VBox = None
    controls: dict = field(default_factory=dict)
    state: cases.State = None
    last: object = None
    pending: bool = False
    revealed: bool = False
    recorded: bool = False
    save_error: str | None = None

    def __post_init__(self):
        self.state = self._before = cases.start(self.case)
        self._header, self._node, self._options_html = w.HTML(), w.HTML(), w.HTML()
        self._feedback, self._debrief = w.HTML(), w.HTML()
        self._chart = render.show(self._make_chart())
        self._option_box, self._task_box = w.HBox(), w.VBox()
        answer = w.FloatText(description="", layout=w.Layout(width="160px"))
        buttons = {name: w.Button(description="") for name in ("submit", "continue", "reveal", "restart")}
        buttons["submit"].on_click(lambda _b: self._on_submit())
        buttons["continue"].on_click(lambda _b: self._on_continue())
        buttons["reveal"].on_click(lambda _b: self._on_reveal())
        buttons["restart"].on_click(lambda _b: self._on_restart())
        self.controls = {"options": [], "answer": answer, **buttons}
        self._letter_buttons = []
        for i, letter in enumerate(string.ascii_uppercase[:MAX_OPTIONS]):
            button = w.Button(description=letter, layout=w.Layout(width="64px"))
            button.on_click(lambda _b, i=i: self._on_option(i))
            self._letter_buttons.append(button)
        self._notice = chrome.notice()
        self._task_box.children = [w.HBox([answer, buttons["submit"]]), self._notice]
        self.widget = w.VBox(
            [self._header, self._node, self._chart, self._options_html, self._option_box,
             self._task_box, buttons["reveal"], self._feedback, buttons["continue"], self._debrief,
             buttons["restart"]])
        self.widget.add_class("mtor-case-player")
        self.widget._mtor_player = self  # keep the language callback alive with the widget
        i18n.on_change(self._on_language)
        self._draw()

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
        self._before = self.state
        self.state = cases.answer(self.case, self.state, float(self.controls["answer"].value))
        self._after_move()

    def _after_move(self) -> None:
        self.last = cases.last_feedback(self.case, self.state)
        self.pending, self.revealed = True, not self.lecturer
        self._draw()

    def _on_reveal(self) -> None:
        self.revealed = True
        self._draw()

    def _on_continue(self) -> None:
        if not (self.pending and self.revealed):
            return
        self.pending = False
        if cases.finished(self.case, self.state):
            self.last = cases.debrief(self.case, self.state)
            self._record(completed=True)
        self._refresh_chart()
        self._draw()

    def _on_restart(self) -> None:
        if self.state.history and not self.recorded:
            self._record(completed=False)
        self.state, self.last = cases.start(self.case), None
        self.pending = self.revealed = self.recorded = False
        self.controls["answer"].value = 0.0
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

    def _on_language(self, _lang=None) -> None:
        self._chart.chart = self._make_chart()
        self._draw()

    # ----- drawing -----------------------------------------------------------------------------
    def _refresh_chart(self) -> None:
        """Show the labs of the visited nodes: only the chart's ``visited`` parameter changes."""
        self._chart.params.visited = visited_value(cases.visited(self._shown_state()))

    def _make_chart(self):
        return lab_timeline(cases.labs_frame(self.case), visible_nodes=cases.visited(self._shown_state()),
                            width=560 if self.lecturer else 420, large=self.lecturer)

    def _shown_state(self) -> cases.State:
        """While feedback is pending the previous node stays on screen; until it is revealed
        (lecturer mode) the counters and score are those from before the move too."""
        if self.pending and self.state.history:
            counters = self.state.counters if self.revealed else self._before.counters
            return cases.State(self.state.case_id, self.state.history[-1].node_id,
                               counters, self.state.history[:-1 if not self.revealed else None])
        return self.state

    def _draw(self) -> None:
        shown = self._shown_state()
        node = cases.current(self.case, shown)
        kind = cases.node_kind(node)
        size = "font-size:1.35em;" if self.lecturer else ""
        self._draw_header(size)
        hint = f"<p><i>{html.escape(i18n.tr('cases.lecturer_hint'))}</i></p>" if self.lecturer else ""
        question = node.get("question") or node.get("task", {}).get("prompt")
        self._node.value = (
            f"<div style='{size}'><h3>{_t(node['title'])}</h3><p>{_t(node['text'])}</p>"
            f"{_labs_table(node)}{hint}" + (f"<p><b>{_t(question)}</b></p>" if question else "") + "</div>")
        self._draw_options(node if kind == "decision" else None, size)
        self._task_box.layout.display = "" if kind == "task" else "none"
        self.controls["submit"].description = i18n.tr("cases.submit")
        self.controls["submit"].disabled = self.pending
        self.controls["answer"].description = i18n.tr("cases.answer")
        if kind == "task":
            self.controls["answer"].description += f" ({node['task']['unit']})"
        self._draw_feedback(size)
        self._draw_debrief(size)
        for name, key in (("continue", "cases.continue"), ("reveal", "common.reveal"),
                          ("restart", "cases.restart")):
            self.controls[name].description = i18n.tr(key)
        self.controls["continue"].layout.display = "" if self.pending and self.revealed else "none"
        self.controls["reveal"].layout.display = "" if self.pending and not self.revealed else "none"

    def _draw_header(self, size: str) -> None:
        shown = self._shown_state()
        sc = cases.score(shown).as_dict()
        counters = " · ".join(
            f"{html.escape(i18n.tr(f'cases.counter.{c}'))} {round(shown.counter(c), 1):g}"
            f"{' ' + UNITS[c] if UNITS[c] else ''}" for c in COUNTERS)
        self._header.value = (
            f"<div style='{size}'><h2>{_t(self.case.title)}</h2><p><i>{_t(self.case.summary)}</i></p>"
            f"<p class='mtor-counters'><b>{html.escape(i18n.tr('cases.counters'))}:</b> {counters}<br>"
            f"<span class='mtor-score'>{html.escape(i18n.tr('cases.score', **sc))}</span></p></div>")

    def _draw_options(self, node: dict | None, size: str) -> None:
        if node is None:
            self._options_html.value, self._option_box.children, self.controls["options"] = "", (), []
            return
        letters = string.ascii_uppercase
        self._options_html.value = f"<div style='{size}'>" + "".join(
            f"<p><b>{letters[i]}.</b> {_t(opt['text'])}</p>" for i, opt in enumerate(node["options"])
        ) + "</div>"
        buttons = self._letter_buttons[:len(node["options"])]
        for button, opt in zip(buttons, node["options"], strict=True):
            button.tooltip, button.disabled = i18n.text(opt["text"])[:200], self.pending
        if list(self._option_box.children) != buttons:
            self._option_box.children = buttons
        self.controls["options"] = buttons

    def _draw_feedback(self, size: str) -> None:
        fb = self.last if isinstance(self.last, cases.Feedback) else None
        if not (self.pending and self.revealed and fb):
            self._feedback.value = ""
            return
        colour = VERDICT_COLOUR[fb.verdict]
        numbers = ""
        if fb.expected is not None:
            unit = cases.current(self.case, self._shown_state())["task"]["unit"]
            numbers = "<p>" + html.escape(i18n.tr("cases.expected", expected=f"{fb.expected:.2f}",
                                                  unit=unit, answer=f"{fb.answer:g}")) + "</p>"
        self._feedback.value = (
            f"<div class='mtor-feedback' style='{size}border-left:6px solid {colour};padding:4px 10px'>"
            f"<b style='color:{colour}'>{html.escape(i18n.tr(f'cases.verdict.{fb.verdict}'))}</b>"
            f"<p>{_t(fb.text)}</p>{numbers}{_evidence_html(fb.evidence)}{_refs_html(fb.refs)}</div>")

    def _draw_debrief(self, size: str) -> None:
        if self.pending or not cases.finished(self.case, self.state):
            self._debrief.value = ""
            return
        d = cases.debrief(self.case, self.state)
        points = "".join(f"<li>{_t(p)}</li>" for p in d["key_points"])
        self._debrief.value = (
            f"<div class='mtor-debrief' style='{size}'><h3>{html.escape(i18n.tr('cases.debrief'))}</h3>"
            f"<p>{_t(d['outcome'])}</p><b>{html.escape(i18n.tr('cases.key_points'))}</b><ul>{points}</ul>"
            f"{_refs_html(d['refs'])}</div>")
        if self.save_error:
            self._debrief.value += f"<p style='color:#D55E00'>{html.escape(self.save_error)}</p>"


def case_player(case_id: str, *, lecturer: bool = False) -> CasePlayer:
    """A player for the case ``case_id`` (``LookupError`` listing valid ids if unknown)."""
    return CasePlayer(cases.load_case(case_id), lecturer=lecturer)


def evidence_table(disease: str) -> w.HTML:
    """The disease's sourced study table (``cases/evidence/<disease>.yaml``) as HTML that follows
    the language switch; levels are marked as inferred by the suite."""
    from ..cases.summary import evidence_frame_display, evidence_title

    box = w.HTML()

    def draw(lang=None):
        title, note = evidence_title(disease, lang)
        table = evidence_frame_display(disease, lang).to_html(index=False, escape=True, border=1)
        box.value = (f"<b>{html.escape(title)}</b>{table}<p><small>{html.escape(note)} "
                     f"<i>{html.escape(evidence.evidence_note('inferred', lang))}</i></small></p>")

    draw()
    box.add_class("mtor-evidence-table")
    box._mtor_draw = draw
    i18n.on_change(draw)
    return box
