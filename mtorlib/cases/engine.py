"""Walking a case: pure state transitions, scoring and the debrief.

A :class:`State` is immutable; every move returns a new one.

* :func:`start` — the state at the first node, with the case's starting counters.
* :func:`choose` — pick an option at a decision node; :func:`answer` — answer a task node.
* :func:`last_feedback` — verdict, explanation, refs and evidence of the last move.
* :func:`score` — counts of best / acceptable / not recommended / harmful moves and points
  (2 / 1 / 0 / 0).
* :func:`debrief` — outcome and key points once a terminal node is reached.
* :func:`labs_frame` — tidy lab timeline (``day, test, value, unit, node``) of the visited nodes.
* :func:`visited` — node ids visited so far; :func:`paths` / :func:`walk` — every path from start
  to an end; replay a list of moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .model import COUNTERS, LAB_TESTS, UNITS, Case, CaseError, node_kind
from .tasks import check_answer

# The verdicts of an option, in teaching order, with their points. ``not_recommended`` scores 0 like
# ``harmful`` (it is not a move to make at this step) but teaches something else: the sources do not
# recommend or support it (e.g. outside a trial), not that they show it harms the patient.
VERDICTS = ("best", "acceptable", "not_recommended", "harmful")
POINTS = {"best": 2, "acceptable": 1, "not_recommended": 0, "harmful": 0}
MARKS = {"best": "✔", "acceptable": "◐", "not_recommended": "⊘", "harmful": "✘"}  # never colour alone
# The one colour of each verdict (case player, handouts, class report chart): dark enough for text
# on white (contrast 6.1, 5.9, 7.6, 6.1 : 1; WCAG AA asks 4.5) and told apart by hue.
VERDICT_COLOURS = {"best": "#00704F", "acceptable": "#8A5A00", "not_recommended": "#6A3D9A",
                   "harmful": "#A84300"}


@dataclass(frozen=True)
class Step:
    """One move: the node, the option id (``"task"`` for a task), the verdict, and any answer."""

    node_id: str
    choice: str
    verdict: str
    answer: float | None = None
    expected: float | None = None


@dataclass(frozen=True)
class State:
    """Where the learner is, the counters, and the moves made so far."""

    case_id: str
    node_id: str
    counters: tuple
    history: tuple = ()

    def counter(self, name: str) -> float:
        """The current value of one counter."""
        return dict(self.counters)[name]


@dataclass(frozen=True)
class Score:
    """Counts of verdicts and points (best 2, acceptable 1, not recommended 0, harmful 0)."""

    best: int
    acceptable: int
    harmful: int
    points: int
    max_points: int
    not_recommended: int = 0

    def as_dict(self) -> dict:
        return {"best": self.best, "acceptable": self.acceptable,
                "not_recommended": self.not_recommended, "harmful": self.harmful,
                "points": self.points, "max_points": self.max_points}


@dataclass(frozen=True)
class Feedback:
    """Explanation of a move: bilingual text, refs, evidence (may be None), verdict, numbers."""

    verdict: str
    text: dict
    refs: tuple
    evidence: dict | None
    answer: float | None = None
    expected: float | None = None


def start(case: Case) -> State:
    """The state at the case's first node."""
    return State(case.id, case.start, tuple(case.counters.items()))


def current(case: Case, state: State) -> dict:
    """The node the learner is at."""
    return case.node(state.node_id)


def finished(case: Case, state: State) -> bool:
    """Whether the learner has reached a terminal (debrief) node."""
    return node_kind(current(case, state)) == "terminal"


def _apply(counters: tuple, effects: dict | None) -> tuple:
    values = dict(counters)
    for name, delta in (effects or {}).get("add", {}).items():
        values[name] = max(0, values[name] + delta)
    values.update((effects or {}).get("set", {}))
    return tuple((name, values[name]) for name in COUNTERS)


def _expect(case: Case, state: State, kind: str) -> dict:
    node = current(case, state)
    if node_kind(node) != kind:
        raise CaseError(f"node {node['id']!r} is a {node_kind(node)} node, not a {kind} node "
                        f"(case {case.id})")
    return node


def choose(case: Case, state: State, option_id: str) -> State:
    """Pick ``option_id`` at the current decision node; returns the new state."""
    node = _expect(case, state, "decision")
    options = {opt["id"]: opt for opt in node["options"]}
    if option_id not in options:
        raise CaseError(f"option must be one of {', '.join(options)}; got {option_id!r} "
                        f"(case {case.id}, node {node['id']})")
    opt = options[option_id]
    step = Step(node["id"], option_id, opt["verdict"])
    return State(case.id, opt["next"], _apply(state.counters, opt.get("effects")),
                 (*state.history, step))


def answer(case: Case, state: State, value: float) -> State:
    """Answer the current task node with ``value``; within tolerance scores ``best``."""
    node = _expect(case, state, "task")
    task = node["task"]
    correct, expected = check_answer(task, value)
    step = Step(node["id"], "task", "best" if correct else "harmful", float(value), expected)
    return State(case.id, task["next"], _apply(state.counters, task.get("effects")),
                 (*state.history, step))


def last_feedback(case: Case, state: State) -> Feedback:
    """Feedback on the last move; :class:`CaseError` before the first move."""
    if not state.history:
        raise CaseError(f"no move made yet in case {case.id}")
    step = state.history[-1]
    node = case.node(step.node_id)
    if step.choice == "task":
        task = node["task"]
        text = task["feedback"]["correct" if step.verdict == "best" else "wrong"]
        return Feedback(step.verdict, text, tuple(task["refs"]), task.get("evidence"),
                        step.answer, step.expected)
    opt = next(o for o in node["options"] if o["id"] == step.choice)
    return Feedback(step.verdict, opt["feedback"], tuple(opt["refs"]), opt.get("evidence"))


def score(state: State) -> Score:
    """Verdict counts and points of the moves made so far."""
    verdicts = [step.verdict for step in state.history]
    counts = {v: verdicts.count(v) for v in POINTS}
    points = sum(POINTS[v] for v in verdicts)
    return Score(counts["best"], counts["acceptable"], counts["harmful"], points, 2 * len(verdicts),
                 counts["not_recommended"])


def debrief(case: Case, state: State) -> dict:
    """The terminal node's debrief plus ``score`` and final ``counters``."""
    node = current(case, state)
    if node_kind(node) != "terminal":
        raise CaseError(f"case {case.id} is not finished (at node {node['id']!r})")
    return {**node["debrief"], "score": score(state), "counters": dict(state.counters)}


def visited(state: State) -> tuple[str, ...]:
    """Ids of the nodes visited so far, in order, ending with the current node."""
    return (*(step.node_id for step in state.history), state.node_id)


def labs_frame(case: Case, state: State | None = None) -> pd.DataFrame:
    """Lab results as ``day, test, value, unit, node``: of the visited nodes (in visit order), or
    of every node when ``state`` is None (what a chart filters by the visited nodes)."""
    node_ids = list(case.nodes) if state is None else visited(state)
    rows = [
        {"day": lab["day"], "test": test, "value": float(lab[test]), "unit": UNITS[test], "node": node_id}
        for node_id in node_ids
        for lab in case.node(node_id).get("labs", [])
        for test in LAB_TESTS
        if test in lab
    ]
    return pd.DataFrame(rows, columns=["day", "test", "value", "unit", "node"])


def paths(case: Case) -> list[tuple[tuple[str, str], ...]]:
    """Every path from the start to a terminal node as ``((node_id, choice), ...)``.

    ``choice`` is an option id, or ``"task"`` for a task node. Nodes are not revisited on a path.
    """
    out = []

    def visit(node_id: str, trail: tuple, seen: frozenset):
        node = case.node(node_id)
        kind = node_kind(node)
        if kind == "terminal":
            out.append(trail)
            return
        edges = ([(o["id"], o["next"]) for o in node["options"]] if kind == "decision"
                 else [("task", node["task"]["next"])])
        for choice, nxt in edges:
            if nxt not in seen:
                visit(nxt, (*trail, (node_id, choice)), seen | {nxt})

    visit(case.start, (), frozenset({case.start}))
    return out


def walk(case: Case, moves: list) -> State:
    """Replay ``moves`` from the start: option ids (str) at decisions, numbers at tasks."""
    state = start(case)
    for move in moves:
        state = choose(case, state, move) if isinstance(move, str) else answer(case, state, move)
    return state
