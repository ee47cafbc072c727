"""Learner progress: atomic writes (survive SIGKILL), corrupt-file recovery, export/import, reset."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from mtorlib import i18n, progress


def test_default_path_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MTORLIB_PROGRESS", str(tmp_path / "p.json"))
    assert progress.default_path() == tmp_path / "p.json"
    monkeypatch.delenv("MTORLIB_PROGRESS")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert progress.default_path() == tmp_path / ".mtorlib" / "progress.json"


def test_missing_file_loads_empty_and_is_not_created(tmp_path):
    path = tmp_path / "none.json"
    data = progress.load(path)
    assert data["version"] == 1 and data["cases"] == [] and data["answers"] == []
    assert not path.exists()


def test_records_round_trip_through_the_file():
    progress.record_answer("pk_halflife", answer="b", correct=True, mode="practice")
    progress.record_answer("tdm_multi", answer=("c", "a"), correct=False, mode="exam")
    progress.record_answer("tdm_prop", answer=4.0, correct=True, mode="practice")
    progress.record_case("itp_adult", choices=["n1_b", "n2_a"],
                         score={"best": 1, "acceptable": 1, "harmful": 0}, completed=True)
    data = progress.load()
    assert [a["question_id"] for a in data["answers"]] == ["pk_halflife", "tdm_multi", "tdm_prop"]
    assert data["answers"][1]["answer"] == ["a", "c"]
    assert data["cases"][0]["score"] == {"best": 1, "acceptable": 1, "harmful": 0}
    frame = progress.answers_frame(data)
    assert list(frame.columns) == ["question_id", "answer", "correct", "mode", "time"]
    assert frame["correct"].tolist() == [True, False, True]
    cases = progress.cases_frame(data)
    assert cases.loc[0, "score_best"] == 1 and cases.loc[0, "n_choices"] == 2


def test_bad_records_are_refused_and_file_unchanged():
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    before = progress.default_path().read_bytes()
    with pytest.raises(progress.ProgressError, match="mode must be one of practice, exam; got 'quiz'"):
        progress.record_answer("q2", answer="a", correct=True, mode="quiz")
    with pytest.raises(progress.ProgressError, match="question_id"):
        progress.record_answer("Bad Id!", answer="a", correct=True, mode="exam")
    assert progress.default_path().read_bytes() == before


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe garbage", b'{"format": "x"}', b""])
def test_corrupt_file_is_set_aside_with_a_warning(content):
    path = progress.default_path()
    path.write_bytes(content)
    with pytest.warns(progress.ProgressWarning, match="corrupt-1"):
        data = progress.load()
    assert data["answers"] == []
    assert (path.parent / "progress.json.corrupt-1").read_bytes() == content
    assert progress.read_file(path)["answers"] == []  # a fresh valid file was started
    path.write_bytes(content)
    with pytest.warns(progress.ProgressWarning, match="corrupt-2"):
        progress.load()


def test_oversized_file_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps(progress.fresh()) + " " * 2000)
    with pytest.raises(progress.ProgressError, match="over the limit of 1000"):
        progress.read_file(big, max_bytes=1000)


def test_export_import_round_trip_merges_without_duplicates(tmp_path):
    mine, theirs = tmp_path / "mine.json", tmp_path / "theirs.json"
    progress.record_answer("q1", answer="a", correct=True, mode="practice", path=mine)
    progress.record_answer("q2", answer=2.5, correct=False, mode="exam", path=theirs)
    out = progress.export(tmp_path / "out.json", path=mine)
    assert progress.read_file(out) == progress.load(mine)
    merged = progress.import_(theirs, path=mine)
    assert sorted(a["question_id"] for a in merged["answers"]) == ["q1", "q2"]
    again = progress.import_(out, path=mine)  # importing what is already there adds nothing
    assert len(again["answers"]) == 2
    assert progress.load(mine) == again


def test_import_of_invalid_file_leaves_progress_untouched(tmp_path):
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    before = progress.default_path().read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**progress.fresh(), "answers": [{"question_id": "<script>"}]}))
    with pytest.raises(progress.ProgressError, match="bad.json"):
        progress.import_(bad)
    assert progress.default_path().read_bytes() == before


def test_reset_empties_progress():
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    assert progress.reset()["answers"] == []
    assert progress.load()["answers"] == []


WRITER = textwrap.dedent("""
    import sys
    from mtorlib import progress
    path = sys.argv[1]
    i = 0
    while True:
        progress.record_answer(f"w{i}", answer=[chr(97 + k % 8) for k in range(8)],
                               correct=bool(i % 2), mode="practice", path=path)
        print("saved", i, flush=True)
        i += 1
""")
SEED_ANSWERS = 400  # ~80 KB: every save rewrites this much, so a kill often lands inside a save


def seed_file(path, tmp_path):
    """A valid progress file with SEED_ANSWERS answers, written once (not answer by answer)."""
    entry = progress.record_answer("q", answer=["a", "b"], correct=True, mode="practice",
                                   path=tmp_path / "template.json")["answers"][0]
    data = progress.fresh()
    data["answers"] = [{**entry, "question_id": f"q{i}"} for i in range(SEED_ANSWERS)]
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert progress.read_file(path)["answers"][-1]["question_id"] == f"q{SEED_ANSWERS - 1}"


@pytest.mark.slow
def test_progress_survives_a_process_killed_while_saving(tmp_path):
    """Kill a writer at arbitrary moments of its save loop; each trial costs a few saves, not more.

    The file starts large, so the work per trial does not grow with the trial number; the kill
    comes after the writer reported its first save (so the loop is running), after a delay that
    differs between trials.
    """
    path = tmp_path / "progress.json"
    seed_file(path, tmp_path)
    for delay in (0.0, 0.013, 0.037):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                                text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        try:
            assert proc.stdout.readline().startswith("saved"), "the writer did not save"
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
            proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        data = progress.read_file(path)  # parses and matches the schema: no torn write
        ids = [a["question_id"] for a in data["answers"]]
        assert ids[:SEED_ANSWERS] == [f"q{i}" for i in range(SEED_ANSWERS)]
        assert "w0" in ids[SEED_ANSWERS:]  # the save the writer reported is there
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_progress_view_counts_refreshes_and_exports(tmp_path):
    import mtorlib
    from mtorlib.widgets import progress_view

    view = progress_view()
    assert "Nothing recorded yet" in view.body.value and view.last.empty
    progress.record_answer("pk_food", answer="a", correct=False, mode="practice")
    progress.record_answer("pk_food", answer="b", correct=True, mode="practice")
    progress.record_answer("tdm_loading_dose", answer=5.0, correct=False, mode="exam")
    progress.record_answer("retired_question", answer="a", correct=True, mode="exam")
    progress.record_case("itp_rr_adult_rescue", choices=["a"], score={"best": 1}, completed=True)
    view.controls["refresh"].click()
    text = view.body.value
    assert "Quiz answers: 4 (2 correct, 50 %); distinct questions: 3" in text
    assert "Case attempts: 1 (1 completed); distinct cases: 1" in text
    assert view.last.set_index("topic").to_dict("index") == {
        "other": {"n_questions": 1, "n_correct": 1},
        "pk": {"n_questions": 1, "n_correct": 1},
        "tdm": {"n_questions": 1, "n_correct": 0}}
    view.controls["export_to"].value = str(tmp_path / "out.json")
    view.controls["export"].click()
    assert progress.read_file(tmp_path / "out.json") == progress.load()
    (tmp_path / "a_file").write_text("x")
    view.controls["export_to"].value = str(tmp_path / "a_file" / "out.json")
    view.controls["export"].click()  # unwritable destination: a message, not an exception
    assert "a_file" in view.message.value
    mtorlib.set_language("zh")
    assert "学习进度" in view.body.value
    assert view.controls["refresh"].description == "刷新"


def test_a_file_too_large_to_read_is_refused_and_left_in_place(tmp_path, monkeypatch):
    written = tmp_path / "written.json"
    progress.reset(written)  # remembered as written: loading it again would not read the file
    path = tmp_path / "p.json"
    path.write_bytes(written.read_bytes())  # the same record in a file progress has not seen
    monkeypatch.setattr(progress, "read_file", lambda p: progress.read.read_file(p, max_bytes=10))
    with pytest.raises(progress.ProgressUnreadable, match="over the limit of 10"):
        progress.load(path)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_a_record_too_large_to_read_back_is_not_written(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    progress.reset(path)
    before = path.read_bytes()
    monkeypatch.setattr(progress, "MAX_BYTES", 50)
    with pytest.raises(progress.ProgressError, match="would exceed 50 bytes"):
        progress.record_answer("q1", answer=1, correct=True, mode="practice", path=path)
    assert path.read_bytes() == before


def test_saving_through_a_link_keeps_the_link(tmp_path):
    real = tmp_path / "synced" / "progress.json"
    real.parent.mkdir()
    progress.reset(real)
    link = tmp_path / "progress.json"
    link.symlink_to(real)
    progress.record_answer("q1", answer=1, correct=True, mode="practice", path=link)
    assert link.is_symlink() and len(progress.load(real)["answers"]) == 1


def test_progress_view_shows_an_unreadable_file_instead_of_raising(tmp_path, monkeypatch):
    from mtorlib.widgets import progress_view

    def unreadable(path=None):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress, "load", unreadable)
    view = progress_view(tmp_path / "p.json")  # drawn at build: no exception escapes
    assert "Permission denied" in view.message.value and "p.json" in view.message.value
    assert view.last.empty  # drawn as an empty record
    view.controls["refresh"].click()
    assert "Permission denied" in view.message.value
    i18n.set_language("zh")
    try:
        view.controls["refresh"].click()
        assert "无法读取进度文件" in view.message.value and "cannot be read" not in view.message.value
    finally:
        i18n.set_language("en")
