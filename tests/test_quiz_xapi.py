"""xAPI export: statements checked against the xAPI 1.0.3 statement rules, reproducibility, errors.

Section numbers refer to xAPI 1.0.3, Part Two (Experience API Data), as published by ADL
(``xAPI-Data.md``). :func:`statement_problems` checks what a learning record provider must get
right; each rule is shown to fail on a broken statement.
"""

import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from mtorlib import cases, quiz
from mtorlib.__main__ import main
from mtorlib.quiz.xapi import (
    HOME_PAGE,
    IRI_BASE,
    XapiError,
    actor,
    export_xapi,
    statements,
    to_json,
)

QUESTIONS = quiz.load_questions()
SINGLE = next(q for q in QUESTIONS if q.type == "single")
MULTIPLE = next(q for q in QUESTIONS if q.type == "multiple")
NUMERIC = next(q for q in QUESTIONS if q.type == "numeric")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                  "authority", "version", "attachments"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform",
                "language", "statement", "extensions"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# RFC 3339 date-time with at least millisecond precision and a time zone (4.5)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,}(Z|[+-]\d{2}:\d{2})$")
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
IRL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")


def _lang_map(value, where) -> list[str]:
    if not isinstance(value, dict) or not value:
        return [f"{where} must be a language map"]
    return [f"{where}: {k!r} is not an RFC 5646 tag or its value not a string" for k, v in value.items()
            if not (LANG_TAG.match(k) and isinstance(v, str))]


def _activity(obj, where) -> list[str]:
    out = []
    if obj.get("objectType", "Activity") != "Activity" or not IRI.match(str(obj.get("id", ""))):
        out.append(f"{where}: an Activity needs an IRI id (2.4.4.1)")
    d = obj.get("definition", {})
    for key in ("name", "description"):
        if key in d:
            out += _lang_map(d[key], f"{where}.definition.{key}")
    if "type" in d and not IRI.match(d["type"]):
        out.append(f"{where}: definition type must be an IRI")
    if "interactionType" in d:
        if d["interactionType"] not in INTERACTION_TYPES:
            out.append(f"{where}: interactionType {d['interactionType']!r} is not valid (2.4.4.1.s13)")
        if not all(isinstance(p, str) for p in d.get("correctResponsesPattern", [])):
            out.append(f"{where}: correctResponsesPattern must be strings")
        ids = [c["id"] for c in d.get("choices", [])]
        if len(set(ids)) != len(ids):
            out.append(f"{where}: interaction component ids must be distinct (2.4.4.1.s16)")
    return out


def _score(score) -> list[str]:
    out = []
    scaled, raw, lo, hi = (score.get(k) for k in ("scaled", "raw", "min", "max"))
    if scaled is not None and not -1 <= scaled <= 1:
        out.append("score.scaled must be between -1 and 1 (2.4.5.1)")
    if lo is not None and hi is not None and not lo < hi:
        out.append("score.min must be less than score.max (2.4.5.1)")
    if raw is not None and not ((lo is None or lo <= raw) and (hi is None or raw <= hi)):
        out.append("score.raw must lie between min and max (2.4.5.1)")
    return out


def statement_problems(s: dict, now: datetime = NOW) -> list[str]:
    """What keeps ``s`` from being a valid xAPI 1.0.3 statement from a record provider."""
    out = [f"unknown property {k!r} (2.4)" for k in s if k not in STATEMENT_KEYS]
    out += [f"{k} is required (2.4)" for k in ("actor", "verb", "object") if k not in s]
    if not UUID.match(str(s.get("id", ""))):
        out.append("id must be a UUID in standard string form (2.4.1, 4.4)")
    a = s.get("actor", {})
    ifis = [k for k in IFIS if k in a]
    if a.get("objectType", "Agent") != "Agent" or len(ifis) != 1:
        out.append(f"an Agent needs exactly one inverse functional identifier; has {ifis} (2.4.2.1)")
    if "mbox" in a and not re.match(r"^mailto:[^@\s]+@[^@\s]+$", a["mbox"]):
        out.append("mbox must be 'mailto:' and an address (2.4.2.3)")
    if "account" in a and not (IRL.match(str(a["account"].get("homePage", "")))
                               and isinstance(a["account"].get("name"), str)):
        out.append("an account needs an IRL homePage and a name (2.4.2.4)")
    v = s.get("verb", {})
    if not IRI.match(str(v.get("id", ""))):
        out.append("verb id must be an IRI (2.4.3)")
    out += _lang_map(v.get("display"), "verb.display")
    out += _activity(s.get("object", {}), "object")
    r = s.get("result", {})
    for key, kind in (("success", bool), ("completion", bool), ("response", str)):
        if key in r and not isinstance(r[key], kind):
            out.append(f"result.{key} must be a {kind.__name__} (2.4.5)")
    out += _score(r.get("score", {}))
    c = s.get("context", {})
    out += [f"context has unknown property {k!r} (2.4.6)" for k in c if k not in CONTEXT_KEYS]
    for kind, acts in c.get("contextActivities", {}).items():
        if kind not in ("parent", "grouping", "category", "other") or not isinstance(acts, list):
            out.append(f"contextActivities.{kind} must be parent/grouping/category/other, an array (2.4.6.2)")
        else:
            out += [p for act in acts for p in _activity(act, f"context.{kind}")]
    for ext in (r.get("extensions", {}), c.get("extensions", {})):
        out += [f"extension key {k!r} must be an IRI (4.1)" for k in ext if not IRI.match(k)]
    stamp = s.get("timestamp")
    if stamp is not None:
        if not TIMESTAMP.match(stamp):
            out.append("timestamp must be RFC 3339 with milliseconds and a time zone (4.5)")
        elif datetime.fromisoformat(stamp.replace("Z", "+00:00")) > now:
            out.append("timestamp must not be in the future (2.4.7)")
    if "version" in s and s["version"] != "1.0.0":
        out.append("a provider that sets version must set 1.0.0 (2.4.10)")
    return out


def record(**answers_and_cases) -> dict:
    return {"format": "mtorlib-progress", "version": 1, "created": "2026-11-01T08:00:00.000+00:00",
            "answers": answers_and_cases.get("answers", []), "cases": answers_and_cases.get("cases", [])}


def answer(q, value, correct, time="2026-11-01T09:00:00.123+00:00", mode="exam"):
    return {"question_id": q.id, "answer": value, "correct": correct, "mode": mode, "time": time}


def case(completed, score, time="2026-11-02T10:00:00.000+00:00", case_id="itp_newly_diagnosed"):
    return {"case_id": case_id, "choices": ["n1:a", "n2:c"], "score": score,
            "completed": completed, "time": time}


DATA = record(
    answers=[answer(SINGLE, "b", False, "2026-11-01T17:00:00.123456+08:00", "practice"),
             answer(MULTIPLE, ["c", "a"], True, "2026-11-01T09:01:00.000+00:00"),
             answer(NUMERIC, NUMERIC.answer, True, "2026-11-01T09:02:00.000+00:00"),
             answer(NUMERIC, 12, False, "2026-11-01T09:03:00.000+00:00"),
             {**answer(SINGLE, "a", True, "2026-11-01T09:04:00.000+00:00"), "question_id": "retired_q"}],
    cases=[case(True, {"best": 1, "acceptable": 1, "harmful": 0, "points": 3, "max_points": 4}),
           case(False, {"best": 0, "acceptable": 0, "harmful": 1}, "2026-11-02T11:00:00.000+00:00")])


@pytest.fixture(scope="module")
def made():
    return statements(DATA, name="Li Hua", now=NOW).statements


def test_every_statement_follows_the_xapi_statement_rules(made):
    """xAPI 1.0.3 part 2, 2.4 (statement properties) to 2.4.10, 4.1-4.5."""
    assert len(made) == 7
    assert [p for s in made for p in statement_problems(s)] == []


def test_verbs_results_and_order(made):
    """2.4.3 verbs from the ADL vocabulary (display en-US); 2.4.5 result; oldest first."""
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in made]
    assert verbs == ["answered"] * 5 + ["completed", "attempted"]
    assert {s["verb"]["display"]["en-US"] for s in made} == set(verbs)
    assert [s["timestamp"] for s in made] == sorted(s["timestamp"] for s in made)
    by_object = {s["object"]["id"].removeprefix(IRI_BASE): s for s in made}
    single = by_object[f"question/{SINGLE.id}"]["result"]
    assert single == {"success": False, "response": "b",
                      "score": {"scaled": 0.0, "raw": 0, "min": 0, "max": 1}}
    assert by_object[f"question/{MULTIPLE.id}"]["result"]["response"] == "a[,]c"
    done = made[-2]
    assert done["object"]["id"] == f"{IRI_BASE}case/itp_newly_diagnosed"
    assert done["result"]["score"] == {"scaled": 0.75, "raw": 3, "min": 0, "max": 4}
    assert done["result"]["completion"] is True and done["result"]["response"] == "n1:a[,]n2:c"


def test_a_case_without_points_carries_no_score_but_keeps_its_counters(made):
    """2.4.5.1: a score only where one is known."""
    attempted = made[-1]["result"]
    assert "score" not in attempted and attempted["completion"] is False
    assert attempted["extensions"][f"{IRI_BASE}extensions/counters"]["harmful"] == 1


def test_timestamps_are_the_records_times_in_utc_with_milliseconds(made):
    """4.5: ISO 8601 / RFC 3339, at least millisecond precision, time zone included."""
    assert made[0]["timestamp"] == "2026-11-01T09:00:00.123Z"  # 17:00:00.123456+08:00


def test_questions_are_described_as_interactions_with_their_correct_responses(made):
    """2.4.4.1 interaction activities: interactionType, correctResponsesPattern, choices."""
    defs = {s["object"]["id"]: s["object"]["definition"] for s in made}
    single = defs[f"{IRI_BASE}question/{SINGLE.id}"]
    assert single["interactionType"] == "choice"
    assert single["correctResponsesPattern"] == ["[,]".join(sorted(SINGLE.correct_ids))]
    assert [c["id"] for c in single["choices"]] == list(SINGLE.option_ids)
    assert set(single["name"]) == {"en", "zh-CN"}
    numeric = defs[f"{IRI_BASE}question/{NUMERIC.id}"]
    lo, hi = map(float, numeric["correctResponsesPattern"][0].split("[:]"))
    assert lo < NUMERIC.answer < hi and quiz.check(NUMERIC, lo) and quiz.check(NUMERIC, hi)
    assert defs[f"{IRI_BASE}question/retired_q"] == {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"}


def test_statement_ids_are_reproducible_uuid5_of_learner_item_and_time(made):
    """2.4.1: a UUID; the same export twice gives the same ids, another learner other ids."""
    again = statements(DATA, name="Li Hua", now=NOW).statements
    assert [s["id"] for s in again] == [s["id"] for s in made]
    assert all(uuid.UUID(s["id"]).version == 5 for s in made)
    other = statements(DATA, name="Wang Fang", now=NOW).statements
    assert not {s["id"] for s in other} & {s["id"] for s in made}
    assert len({s["id"] for s in made}) == len(made)


def test_a_repeated_record_is_exported_once_and_counted():
    data = record(answers=[answer(SINGLE, "a", True)] * 2)
    result = statements(data, name="Li Hua", now=NOW)
    assert (len(result.statements), result.duplicates) == (1, 1)


def test_actor_mbox_with_an_email_else_an_account_on_the_placeholder_system():
    """2.4.2.1 one IFI; 2.4.2.3 mbox is a mailto IRI; 2.4.2.4 account homePage is an IRL."""
    assert actor("Li Hua", "Li.Hua@Example.EDU") == {
        "objectType": "Agent", "name": "Li Hua", "mbox": "mailto:Li.Hua@example.edu"}
    assert actor("  Li   Hua ")["account"] == {"homePage": HOME_PAGE, "name": "Li Hua"}
    assert IRL.match(HOME_PAGE) and HOME_PAGE.split("/")[2].endswith(".invalid")
    own = actor("Li Hua", home_page="https://lms.example.edu/")["account"]["homePage"]
    assert own == "https://lms.example.edu/"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": ""}, "learner name"),
    ({"name": "Li\x07Hua"}, "control"),
    ({"name": "Li", "email": "not-an-address"}, "--email must be an e-mail address"),
    ({"name": "Li", "home_page": "urn:mtorlib:learners"}, "--homepage must be an http"),
    ({"name": "Li", "iri_base": "ftp://x"}, "--iri-base must be an http"),
])
def test_bad_options_are_refused_with_what_is_allowed(kwargs, message):
    with pytest.raises(XapiError, match=message):
        statements(DATA, now=NOW, **kwargs)


@pytest.mark.parametrize(("time", "message"), [
    ("yesterday", "answers/0/time: time must be an ISO 8601"),
    ("2026-11-01T09:00:00", "with a time zone"),
    ("2027-01-01T00:00:00+00:00", "in the future"),
])
def test_a_bad_record_time_names_the_record(time, message):
    with pytest.raises(XapiError, match=message):
        statements(record(answers=[answer(SINGLE, "a", True, time)]), name="Li", now=NOW)


BROKEN = [  # (change, what the checker must say)
    (lambda s: s.pop("verb"), "verb is required"),
    (lambda s: s.update(id="not-a-uuid"), "UUID"),
    (lambda s: s["actor"].update(mbox="mailto:x@example.edu"), "exactly one"),
    (lambda s: s["actor"]["account"].update(homePage="urn:x"), "IRL"),
    (lambda s: s["verb"].update(display={"en US": "answered"}), "RFC 5646"),
    (lambda s: s["object"].update(id="question 1"), "IRI id"),
    (lambda s: s["object"]["definition"].update(interactionType="multiple"), "interactionType"),
    (lambda s: s["result"]["score"].update(scaled=1.5), "between -1 and 1"),
    (lambda s: s["result"]["score"].update(raw=2), "between min and max"),
    (lambda s: s["result"].update(success="yes"), "result.success"),
    (lambda s: s["context"]["extensions"].update(mode="exam"), "extension key"),
    (lambda s: s.update(timestamp="2026-11-01 09:00"), "RFC 3339"),
    (lambda s: s.update(timestamp="2026-12-01T09:00:00.000Z"), "future"),
    (lambda s: s.update(version="1.0.3"), "1.0.0"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN)
def test_the_checker_catches_a_broken_statement(made, change, message):
    s = json.loads(json.dumps(made[0]))
    change(s)
    assert any(message in p for p in statement_problems(s)), statement_problems(s)


def _write(tmp_path, data, name="mtorlib-progress-li.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_export_reads_the_learner_name_from_the_file(tmp_path):
    path = _write(tmp_path, {**DATA, "learner": "Li Hua"})
    assert export_xapi(path, now=NOW).statements == statements(DATA, name="Li Hua", now=NOW).statements
    with pytest.raises(XapiError, match="no learner name; give one with --name"):
        export_xapi(_write(tmp_path, DATA, "x.json"), now=NOW)


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot be read"),
    (b"{not json", "cannot read progress"),
    (b'{"format": "mtorlib-progress", "version": 7}', "required property"),
])
def test_a_missing_or_corrupt_file_is_named_with_what_is_expected(tmp_path, content, message):
    path = tmp_path / "mtorlib-progress-x.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(XapiError) as err:
        export_xapi(path, name="Li", now=NOW)
    assert "mtorlib-progress-x.json" in str(err.value) and message in str(err.value)
    assert "expected a progress file exported from mtorlib" in str(err.value)


def test_cli_writes_the_statements(tmp_path, capsys):
    path, out = _write(tmp_path, DATA), tmp_path / "statements.json"
    assert main(["export-xapi", str(path), "--name", "Li Hua", "--email", "li@example.edu",
                 "-o", str(out)]) == 0
    made = json.loads(out.read_text("utf-8"))
    assert len(made) == 7 and {s["actor"]["mbox"] for s in made} == {"mailto:li@example.edu"}
    assert [p for s in made for p in statement_problems(s, datetime.now(UTC))] == []
    assert "7 xAPI statement(s) exported" in capsys.readouterr().err


def test_cli_reports_a_missing_file_without_a_traceback(tmp_path, capsys):
    assert main(["export-xapi", str(tmp_path / "gone.json"), "--name", "Li"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: gone.json") and "Traceback" not in err


def test_json_output_parses_back_to_the_statements(made):
    assert json.loads(to_json(made)) == list(made)
    assert json.loads(to_json([])) == []


def test_a_case_player_score_keeps_the_not_recommended_counter():
    """The player's counters (engine :meth:`Score.as_dict`) pass into the extension unchanged."""
    played = cases.walk(cases.load_case("itp_newly_diagnosed"), ["dxm_ivig", "add_now"])
    data = record(cases=[case(False, cases.score(played).as_dict())])
    (made,) = statements(data, name="Li Hua", now=NOW).statements
    counters = made["result"]["extensions"][f"{IRI_BASE}extensions/counters"]
    assert counters["not_recommended"] == 1 and counters["harmful"] == 0
    assert made["result"]["score"] == {"scaled": 0.5, "raw": 2, "min": 0, "max": 4}
