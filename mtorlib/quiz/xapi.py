"""A learner's progress file as xAPI 1.0.3 statements, for a learning record store (LRS).

* :func:`statements` — one statement per quiz answer (verb *answered*) and per case attempt
  (*completed* when the case reached its end, *attempted* otherwise), from a progress record.
* :func:`export_xapi` — the same from a progress file, read strictly by
  :func:`mtorlib.progress.read_file` (:class:`XapiError` names the file and what is wrong).
* :func:`actor` — the learner as an xAPI Agent; :func:`to_json` — statements as a JSON array.

Identifiers (documented placeholders that the LMS maps; both can be given instead):

* the learner is an Agent named by ``name``: with ``mbox`` ``mailto:<email>`` when an e-mail
  address is given, otherwise an ``account`` whose ``name`` is the learner's name on the system
  :data:`HOME_PAGE`. xAPI requires the account's ``homePage`` to be an IRL (a locator, so not a
  ``urn:``); the default is a URL under the reserved ``.invalid`` domain (RFC 6761), which never
  resolves and so can never name a real system by accident;
* activities are ``<IRI base>question/<id>``, ``<IRI base>case/<id>`` and
  ``<IRI base>bank/<id>`` (a question's bank, as the context's parent), with :data:`IRI_BASE`
  by default: stable as long as the ids are.

Each statement's ``id`` is a UUID 5 of the learner, the activity and the timestamp, so exporting
the same file twice gives the same statements (an LRS then stores them once). The timestamp is
the record's time in UTC with milliseconds (``2026-11-30T09:23:03.120Z``). Results: answers carry
``success`` (the recorded verdict), the ``response`` (``b``; ``a[,]c``; ``12.5``) and a score of 1
or 0 out of 1; case attempts carry ``completion``, the choices as ``response`` and, when the
record holds ``points`` and ``max_points``, the points as raw score (min 0) and their fraction as
``scaled``; every counter is kept in a result extension. Questions and cases of this suite are
described (name, choices, correct-response pattern) in English (``en``) and Chinese (``zh-CN``).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from .. import progress
from ..content.safefiles import printable
from .export import absolute_tolerance
from .questions import Question

IRI_BASE = "https://mtorlib.invalid/xapi/"
HOME_PAGE = "https://mtorlib.invalid/learners"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, IRI_BASE)  # fixed: statement ids never change
ADL = "http://adlnet.gov/expapi/"
INTERACTION = f"{ADL}activities/cmi.interaction"
SIMULATION = f"{ADL}activities/simulation"
ASSESSMENT = f"{ADL}activities/assessment"
LANG_TAGS = {"en": "en", "zh": "zh-CN"}
MAX_NAME = 80
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


class XapiError(ValueError):
    """A progress file or an option that cannot be turned into statements."""


@dataclass(frozen=True)
class XapiExport:
    """The statements (oldest first) and how many duplicate records were left out."""

    statements: tuple[dict, ...]
    duplicates: int


def _locator(value: str, what: str) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc \
            or re.search(r"[\s\x00-\x1f\x7f]", value):
        raise XapiError(f"{what} must be an http(s) address such as https://lms.example.edu/; "
                        f"got {printable(value)!r}")
    return value


def actor(name: str, email: str | None = None, *, home_page: str = HOME_PAGE) -> dict:
    """The learner as an xAPI Agent (mbox if ``email`` is given, else an account on ``home_page``)."""
    try:
        name = progress.learner_name(name)
    except progress.ProgressError as exc:
        raise XapiError(f"--name: {exc}") from None
    if email is None:
        return {"objectType": "Agent", "name": name,
                "account": {"homePage": _locator(home_page, "--homepage"), "name": name}}
    if not isinstance(email, str) or len(email) > 254 or not _EMAIL.match(email):
        raise XapiError(f"--email must be an e-mail address such as name@example.edu; "
                        f"got {printable(email)!r}")
    local, _, domain = email.rpartition("@")
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{local}@{domain.lower()}"}


def _lang_map(field: dict, limit: int | None = None) -> dict:
    out = {}
    for code, tag in LANG_TAGS.items():
        text = " ".join(field[code].split())
        out[tag] = text if limit is None or len(text) <= limit else text[:limit - 1] + "…"
    return out


def _number(value) -> str:
    return str(value) if isinstance(value, int) else f"{float(value):.15g}"


def _timestamp(text: str, where: str, now: datetime) -> str:
    """``text`` (ISO 8601 with a time zone) as UTC with milliseconds (xAPI 1.0.3, part 2, 4.5)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise XapiError(f"{where}: time must be an ISO 8601 date and time with a time zone, "
                        f"e.g. 2026-11-30T09:23:03.120+00:00; got {printable(text)!r}")
    if when > now:
        raise XapiError(f"{where}: time {printable(text)} is in the future; a statement may only "
                        "record what has happened")
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _question_definition(q: Question) -> dict:
    definition = {"name": _lang_map(q.stem, MAX_NAME), "description": _lang_map(q.stem),
                  "type": INTERACTION}
    if q.type == "numeric":
        tol = absolute_tolerance(q)
        lo, hi = q.answer - tol, q.answer + tol
        return {**definition, "interactionType": "numeric",
                "correctResponsesPattern": [f"{_number(lo)}[:]{_number(hi)}"]}
    return {**definition, "interactionType": "choice",
            "correctResponsesPattern": ["[,]".join(sorted(q.correct_ids))],
            "choices": [{"id": o.id, "description": _lang_map(o.text)} for o in q.options]}


def _answer(a: dict, q: Question | None, base: str, defs: dict) -> tuple[dict, dict, dict]:
    value = a["answer"]
    response = ("[,]".join(sorted(value)) if isinstance(value, list)
                else value if isinstance(value, str) else _number(value))
    if a["question_id"] not in defs:  # one definition per question, shared by its statements
        defs[a["question_id"]] = _question_definition(q) if q else {"type": INTERACTION}
    obj = {"objectType": "Activity", "id": f"{base}question/{a['question_id']}",
           "definition": defs[a["question_id"]]}
    result = {"success": a["correct"], "response": response,
              "score": {"scaled": 1.0 if a["correct"] else 0.0, "raw": int(a["correct"]),
                        "min": 0, "max": 1}}
    context = {"platform": "mtorlib", "extensions": {f"{base}extensions/mode": a["mode"]}}
    if q and q.bank:
        context["contextActivities"] = {"parent": [
            {"objectType": "Activity", "id": f"{base}bank/{q.bank}",
             "definition": {"type": ASSESSMENT}}]}
    return obj, result, context


def _case(c: dict, title: dict | None, base: str) -> tuple[dict, dict, dict]:
    definition = {"type": SIMULATION}
    if title:
        definition["name"] = _lang_map(title, MAX_NAME)
    obj = {"objectType": "Activity", "id": f"{base}case/{c['case_id']}", "definition": definition}
    score = c["score"]
    result = {"completion": c["completed"],
              "extensions": {f"{base}extensions/counters": dict(score)}}
    if c["choices"]:
        result["response"] = "[,]".join(c["choices"])
    points, most = score.get("points"), score.get("max_points")
    if points is not None and most is not None and 0 <= points <= most and most > 0:
        result["score"] = {"scaled": points / most, "raw": points, "min": 0, "max": most}
    return obj, result, {"platform": "mtorlib"}


def statements(data: dict, *, name: str, email: str | None = None, home_page: str = HOME_PAGE,
               iri_base: str = IRI_BASE, now: datetime | None = None, source: str = "progress",
               questions: Mapping[str, Question] | None = None,
               case_titles: Mapping[str, dict] | None = None) -> XapiExport:
    """The statements of a validated progress record ``data`` (see the module doc).

    ``now`` (default: the current time) bounds the timestamps: a record from the future is
    refused. ``questions`` / ``case_titles`` (default: this suite's banks and cases) describe the
    activities; unknown ids get a bare activity. The statements of one export share their actor
    and each question's definition (copy a statement before changing it).
    """
    who = actor(name, email, home_page=home_page)
    base = _locator(iri_base, "--iri-base").rstrip("/") + "/"
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise XapiError("now must carry a time zone (e.g. datetime.now(UTC))")
    if questions is None:
        from .questions import load_questions
        questions = {q.id: q for q in load_questions()}
    if case_titles is None:
        from ..content import load_kind
        case_titles = {d.id: d.data["title"] for d in load_kind("case")}
    key = who.get("mbox") or f"{who['account']['homePage']} {who['account']['name']}"
    made, seen, dupes, defs = [], set(), 0, {}
    records = [("answers", i, a, "answered") for i, a in enumerate(data["answers"])]
    records += [("cases", i, c, "completed" if c["completed"] else "attempted")
                for i, c in enumerate(data["cases"])]
    for section, i, rec, verb in records:
        stamp = _timestamp(rec["time"], f"{source}: {section}/{i}/time", now)
        if section == "answers":
            obj, result, context = _answer(rec, questions.get(rec["question_id"]), base, defs)
        else:
            obj, result, context = _case(rec, case_titles.get(rec["case_id"]), base)
        sid = str(uuid.uuid5(NAMESPACE, "\n".join((key, obj["id"], stamp))))
        if sid in seen:
            dupes += 1
            continue
        seen.add(sid)
        verb_ = {"id": f"{ADL}verbs/{verb}", "display": {"en-US": verb}}  # ADL vocabulary
        made.append({"id": sid, "actor": who, "verb": verb_, "object": obj,
                     "result": result, "context": context, "timestamp": stamp})
    made.sort(key=lambda s: (s["timestamp"], s["id"]))
    return XapiExport(tuple(made), dupes)


def to_json(made: tuple[dict, ...] | list[dict]) -> str:
    """The statements as a JSON array, one statement per line (what an LRS's import reads)."""
    lines = ",\n".join(json.dumps(st, ensure_ascii=False, allow_nan=False) for st in made)
    return f"[\n{lines}\n]\n" if made else "[]\n"


def export_xapi(path: str | Path, *, name: str | None = None, email: str | None = None,
                home_page: str = HOME_PAGE, iri_base: str = IRI_BASE,
                now: datetime | None = None) -> XapiExport:
    """The statements of the progress file ``path``; ``name`` defaults to the learner name kept
    in the file. :class:`XapiError` names the file and what is wrong."""
    label = printable(Path(path).name)
    try:
        data = progress.read_file(path)
    except progress.ProgressError as exc:
        raise XapiError(f"{exc} (expected a progress file exported from mtorlib, "
                        "mtorlib-progress-<name>.json)") from None
    if name is None:
        name = data.get("learner")
        if name is None:
            raise XapiError(f"{label} holds no learner name; give one with --name")
    return statements(data, name=name, email=email, home_page=home_page, iri_base=iri_base,
                      now=now, source=label)
