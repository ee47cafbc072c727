"""A failed output write (a full disk, a file size limit) names the file and the reason, exits 1
and leaves the good file already there as it was; every file written gets a plain write's mode."""

import errno
import os
import stat

import pytest

from mtorlib import progress
from mtorlib.__main__ import main
from mtorlib.content.safefiles import atomic_write


@pytest.fixture
def full_disk(monkeypatch):
    """Every ``fsync`` fails as on a full disk or past ``ulimit -f`` (after the bytes went out)."""
    def fail(_fd):
        raise OSError(errno.EFBIG, "File too large")
    monkeypatch.setattr(os, "fsync", fail)


@pytest.fixture
def learner_file(tmp_path):
    path = tmp_path / "alice.json"
    progress.record_answer("pk_food", answer="b", correct=True, mode="practice", path=path)
    return path


def _refused(capsys, target, old):
    err = capsys.readouterr().err
    assert f"cannot write {target}: File too large" in err and "OSError" not in err
    assert target.read_text(encoding="utf-8") == old  # the good file is untouched
    assert [p.name for p in target.parent.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.slow  # builds the class report (reads the question banks, ~1 s)
@pytest.mark.parametrize("flag, name", [("--html", "report.html"), ("--csv", "report.csv")])
def test_class_report_output_that_cannot_be_written(tmp_path, learner_file, full_disk, capsys,
                                                    flag, name):
    target = tmp_path / name
    target.write_text("old good report", encoding="utf-8")
    assert main(["class-report", "--no-charts", str(learner_file), flag, str(target)]) == 1
    _refused(capsys, target, "old good report")


def test_export_xapi_output_that_cannot_be_written(tmp_path, learner_file, full_disk, capsys):
    target = tmp_path / "out.json"
    target.write_text("[]", encoding="utf-8")
    assert main(["export-xapi", str(learner_file), "--name", "Alice", "-o", str(target)]) == 1
    _refused(capsys, target, "[]")


@pytest.mark.slow  # loads a question bank and renders a handout (~1-2 s)
@pytest.mark.parametrize("argv", [["export-quiz", "--bank", "itp", "--format", "gift"],
                                  ["handout", "--summary", "itp"]])
def test_quiz_and_handout_output_that_cannot_be_written(tmp_path, full_disk, capsys, argv):
    target = tmp_path / ("out.html" if argv[0] == "handout" else "out.txt")
    target.write_text("old", encoding="utf-8")
    assert main([*argv, "-o", str(target)]) == 1
    _refused(capsys, target, "old")


def test_a_new_file_gets_the_mode_a_plain_write_gives(tmp_path):
    mask = os.umask(0o027)
    try:
        made = atomic_write(tmp_path / "new.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(made.stat().st_mode) == 0o640  # 0o666 less the umask, not mkstemp's 0o600


def test_a_replaced_file_keeps_no_setuid_or_setgid_bit(tmp_path):
    old = tmp_path / "old.sh"
    old.write_text("a", encoding="utf-8")
    old.chmod(0o6755)
    if stat.S_IMODE(old.stat().st_mode) & 0o6000 == 0:
        pytest.skip("this file system drops setuid/setgid bits itself")
    atomic_write(old, "b")
    assert stat.S_IMODE(old.stat().st_mode) == 0o755


def test_a_replaced_file_keeps_its_mode(tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("a", encoding="utf-8")
    old.chmod(0o604)
    atomic_write(old, "b")
    assert stat.S_IMODE(old.stat().st_mode) == 0o604 and old.read_text(encoding="utf-8") == "b"


def test_a_read_failure_while_building_a_handout_is_not_called_a_failed_write(tmp_path, monkeypatch,
                                                                              capsys):
    from mtorlib import handouts

    def unreadable(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied", "cases/itp/x.yaml")
    monkeypatch.setattr(handouts, "summary_handout", unreadable)
    target = tmp_path / "out.html"
    assert main(["handout", "--summary", "itp", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "cannot write" not in err and "Permission denied" in err and "x.yaml" in err
    assert not target.exists()
