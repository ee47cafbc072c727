"""Item analysis for a class report: pure functions from the report's tidy frames to tidy frames.

Each learner counts once per question: their latest answer (as in the report's per-question table).

* :func:`item_difficulty` — proportion correct per question, with ``n`` (learners) and ``n_correct``.
* :func:`wrong_answers` — the most common wrong answers per question (learners giving each).
* :func:`revisit` — the questions to revisit in class: proportion correct below
  :data:`REVISIT_BELOW` among at least :data:`REVISIT_MIN_N` learners (fewer learners say too
  little about a question), hardest first.
* :func:`case_choices` — how many learners took each option at each decision of a case (their
  latest attempt), with the option's verdict; the best path is the options marked ``best``.

Questions and cases are passed in as look-ups (id -> :class:`~mtorlib.quiz.Question` /
:class:`~mtorlib.cases.Case`), so readable titles come from the content; an id no longer in the
content keeps its id as its title.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .. import i18n

REVISIT_BELOW = 0.5  # proportion correct under which a question is listed to revisit ...
REVISIT_MIN_N = 3  # ... when at least this many learners answered it
TITLE_CHARS = {"en": 70, "zh": 36}  # characters of a stem or option shown as its title

DIFFICULTY = ["question_id", "title", "n", "n_correct", "p_correct"]
WRONG = ["question_id", "title", "answer", "n", "rank"]
CHOICES = ["case_id", "case_title", "step", "node_id", "node_title", "option_id", "option",
           "verdict", "best", "n"]


def short(text: str, lang: str | None = None, *, limit: int | None = None) -> str:
    """``text`` cut to ``limit`` (default :data:`TITLE_CHARS`) characters (at a space in English)
    with "…"."""
    limit = limit or TITLE_CHARS[lang or i18n.get_language()]
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut and (lang or i18n.get_language()) == "en":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:，。；：") + "…"


def time_order(times: pd.Series) -> pd.Series:
    """ISO 8601 time stamps (validated progress times, any time zone) as UTC instants, the sort key
    for "latest": text order would put 10:00+08:00 after 09:00+00:00."""
    return pd.to_datetime(times, utc=True, format="ISO8601")


def latest_answers(frame: pd.DataFrame) -> pd.DataFrame:
    """Each learner's latest answer per question: ``learner, question_id, correct, answer``."""
    answers = frame[frame["record"] == "answer"]
    latest = (answers.sort_values("time", kind="stable", key=time_order)
              .groupby(["learner", "item_id"], as_index=False).last())
    return pd.DataFrame({"learner": latest["learner"], "question_id": latest["item_id"],
                         "correct": latest["correct"].astype(bool),
                         "answer": latest["answer"] if "answer" in latest else ""})


def _title(qid: str, questions: Mapping, lang: str | None) -> str:
    q = questions.get(qid)
    return qid if q is None else short(i18n.text(q.stem, lang), lang)


def item_difficulty(frame: pd.DataFrame, questions: Mapping, lang: str | None = None) -> pd.DataFrame:
    """Proportion correct per question (latest answer of each learner), easiest last."""
    latest = latest_answers(frame)
    out = (latest.groupby("question_id", as_index=False)
           .agg(n=("learner", "nunique"), n_correct=("correct", "sum")))
    out["p_correct"] = (out["n_correct"] / out["n"]).round(3)
    out["title"] = [_title(q, questions, lang) for q in out["question_id"]]
    out = out.astype({"n": int, "n_correct": int})
    return out[DIFFICULTY].sort_values(["p_correct", "question_id"]).reset_index(drop=True)


def answer_text(q, answer: str, lang: str | None = None) -> str:
    """A stored answer as a learner would read it: option letters with their text, or the number
    with its unit."""
    if q is None:
        return answer
    if q.type == "numeric":
        unit = i18n.text(q.unit, lang) if q.unit else ""
        return f"{answer} {unit}".strip()
    texts = {o.id: short(i18n.text(o.text, lang), lang) for o in q.options}
    letters = [a for a in str(answer).split(",") if a]
    return " + ".join(f"{a}) {texts.get(a, '?')}" for a in letters)


def wrong_answers(frame: pd.DataFrame, questions: Mapping, lang: str | None = None, *,
                  top: int = 2) -> pd.DataFrame:
    """The ``top`` most common wrong answers of each question: learners giving each (``n``) and
    its ``rank`` (1 = most common; ties by answer text)."""
    wrong = latest_answers(frame)
    wrong = wrong[~wrong["correct"]]
    counts = wrong.groupby(["question_id", "answer"], as_index=False).agg(n=("learner", "nunique"))
    counts = counts.sort_values(["question_id", "n", "answer"], ascending=[True, False, True])
    counts["rank"] = counts.groupby("question_id").cumcount() + 1
    counts = counts[counts["rank"] <= top].copy()
    counts["title"] = [_title(q, questions, lang) for q in counts["question_id"]]
    counts["answer"] = [answer_text(questions.get(q), a, lang)
                        for q, a in zip(counts["question_id"], counts["answer"], strict=True)]
    return counts[WRONG].astype({"n": int, "rank": int}).reset_index(drop=True)


def revisit(difficulty: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`item_difficulty` to revisit in class: ``p_correct`` <
    :data:`REVISIT_BELOW` and ``n`` >= :data:`REVISIT_MIN_N`, hardest first."""
    keep = (difficulty["p_correct"] < REVISIT_BELOW) & (difficulty["n"] >= REVISIT_MIN_N)
    return difficulty[keep].sort_values(["p_correct", "question_id"]).reset_index(drop=True)


def case_choices(steps: pd.DataFrame, case_lookup: Mapping, lang: str | None = None) -> pd.DataFrame:
    """Learners per option at each decision of each case (latest attempt of each learner).

    ``steps`` has rows ``learner, case_id, attempt, node_id, choice`` (``attempt`` orders a
    learner's attempts). Moves that are not an option of a decision node in the case (a dose task's
    number, a node or option no longer in it) are left out; ``step`` is the node's place in the case.
    """
    if steps.empty:
        return pd.DataFrame(columns=CHOICES)
    last = steps.groupby(["learner", "case_id"])["attempt"].transform("max")
    latest = steps[steps["attempt"] == last]
    rows = []
    for (case_id, node_id, choice), group in latest.groupby(["case_id", "node_id", "choice"]):
        case = case_lookup.get(case_id)
        node = None if case is None else case.nodes.get(node_id)
        option = next((o for o in (node or {}).get("options", ()) if o["id"] == choice), None)
        if option is None:
            continue
        rows.append({"case_id": case_id, "case_title": short(i18n.text(case.title, lang), lang),
                     "step": list(case.nodes).index(node_id) + 1, "node_id": node_id,
                     "node_title": short(i18n.text(node["title"], lang), lang), "option_id": choice,
                     "option": short(i18n.text(option["text"], lang), lang),
                     "verdict": option["verdict"], "best": option["verdict"] == "best",
                     "n": group["learner"].nunique()})
    out = pd.DataFrame(rows, columns=CHOICES)
    return out.sort_values(["case_id", "step", "n", "option_id"], ascending=[True, True, False, True],
                           ignore_index=True)
