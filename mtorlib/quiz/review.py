"""Spaced review (pure): questions answered wrongly and cases whose best path was missed come back.

A simple Leitner schedule over the records of a progress file (:mod:`mtorlib.progress`):

* an item (a question or a case) enters the review when it is first got wrong: a wrong answer, or a
  completed case attempt that scored fewer points than the best path (``points < max_points``);
  until then it is never due, whatever right answers it has;
* a wrong answer (or a missed best path) puts it in box 1; a right one moves it up a box, at most
  box 5 (incomplete case attempts do not count);
* it is due :data:`INTERVALS_DAYS` ``[box]`` days after its last attempt (box 1: 0 days, the same
  day; 2: 1; 3: 3; 4: 7; 5: 14), on calendar days in UTC.

:func:`schedule` gives every reviewed item with its box and due date; :func:`due` the items due on
``today`` (a ``datetime.date``, passed in so tests use fixed dates), most overdue first.

>>> answers = [{"question_id": "q1", "correct": False, "time": "2026-03-01T09:00:00+00:00"},
...            {"question_id": "q2", "correct": True, "time": "2026-03-01T09:01:00+00:00"}]
>>> [(i.item_id, i.box) for i in due({"answers": answers, "cases": []}, date(2026, 3, 1))]
[('q1', 1)]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from .questions import QuizError

INTERVALS_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}
TOP_BOX = max(INTERVALS_DAYS)
KINDS = ("question", "case")


@dataclass(frozen=True)
class ReviewItem:
    """One item in the review: ``kind`` (question or case), its id, Leitner ``box``, ``due`` date."""

    kind: str
    item_id: str
    box: int
    last_seen: date
    due: date
    attempts: int


def _moment(stamp: str) -> datetime:
    """An ISO 8601 time stamp as a UTC time (a naive stamp is read as UTC)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        raise QuizError(f"time must be an ISO 8601 time stamp; got {stamp!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def outcomes(data: dict) -> list[tuple[str, str, str, bool]]:
    """``(kind, item_id, time, right)`` for every answer and completed case attempt, oldest first."""
    rows = [("question", a["question_id"], a["time"], bool(a["correct"])) for a in data["answers"]]
    for c in data["cases"]:
        if c["completed"]:
            score = c["score"]
            right = "points" in score and "max_points" in score and score["points"] >= score["max_points"]
            rows.append(("case", c["case_id"], c["time"], right))
    return sorted(rows, key=lambda r: _moment(r[2]))


def schedule(data: dict) -> tuple[ReviewItem, ...]:
    """Every item that was ever got wrong, with its current box and due date (Leitner)."""
    state: dict[tuple[str, str], list] = {}  # key -> [box, last day, attempts]
    for kind, item_id, stamp, right in outcomes(data):
        key = (kind, item_id)
        if key not in state:
            if right:
                continue
            state[key] = [1, None, 0]
        entry = state[key]
        entry[0] = min(entry[0] + 1, TOP_BOX) if right else 1
        entry[1], entry[2] = _moment(stamp).date(), entry[2] + 1
    return tuple(ReviewItem(kind, item_id, box, last, last + timedelta(days=INTERVALS_DAYS[box]), n)
                 for (kind, item_id), (box, last, n) in state.items())


def due(data: dict, today: date) -> tuple[ReviewItem, ...]:
    """The items due on ``today``: most overdue first, then questions before cases, then by id."""
    if not isinstance(today, date):
        raise QuizError(f"today must be a datetime.date; got {type(today).__name__}")
    if isinstance(today, datetime):
        today = today.date()
    items = [i for i in schedule(data) if i.due <= today]
    return tuple(sorted(items, key=lambda i: (i.due, KINDS.index(i.kind), i.item_id)))


def intervals_frame() -> pd.DataFrame:
    """The schedule itself: rows ``box, days`` (days after the last attempt until it is due)."""
    return pd.DataFrame({"box": list(INTERVALS_DAYS), "days": list(INTERVALS_DAYS.values())})


def schedule_frame(data: dict, today: date) -> pd.DataFrame:
    """Tidy rows ``kind, item_id, box, last_seen, due, attempts, is_due`` of :func:`schedule`."""
    cols = ["kind", "item_id", "box", "last_seen", "due", "attempts", "is_due"]
    rows = [{**i.__dict__, "is_due": i.due <= today} for i in schedule(data)]
    return pd.DataFrame(rows, columns=cols)
