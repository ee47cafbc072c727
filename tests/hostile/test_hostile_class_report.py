"""Hostile learner files for the class report: each kind is rejected with its reason, or read
safely, within a time bound; one bad file never stops the others (issue 10).

Every input is generated here in ``tmp_path``. A FIFO that would block forever, or unbounded work,
is caught by the hang guard of ``conftest.py`` (``deadline``: an alarm, no wall-time assertion).
"""

import csv
import io
import json
import os
import re
import socket
import time

import pandas as pd
import pytest

from mtorlib import progress
from mtorlib.__main__ import main
from mtorlib.quiz.class_report import class_report, to_csv


def record(learner=None, n=1, **answer):
    data = progress.fresh()
    if learner is not None:
        data["learner"] = learner
    base = {"question_id": "pk_food", "answer": "a", "correct": True, "mode": "exam",
            "time": "2026-01-01T00:00:00.000+00:00"}
    data["answers"] = [{**base, **answer} for _ in range(n)]
    return data


def text(data):
    return json.dumps(data, ensure_ascii=False)


def raw_answer(fragment):
    """A file whose first answer is ``fragment`` spliced in as raw JSON text."""
    return text(record()).replace('"answer": "a"', f'"answer": {fragment}', 1)


def write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")


# name -> (make(folder, outside) -> file name as the report shows it, expected reason pattern)
def _fifo(d, _o):
    os.mkfifo(d / "fifo.json")
    return "fifo.json"


def _link_to_fifo(d, o):
    os.mkfifo(o / "pipe")
    (d / "link_fifo.json").symlink_to(o / "pipe")
    return "link_fifo.json"


def _link_out(d, o):
    write(o / "elsewhere.json", text(record("Mallory")))
    (d / "link_out.json").symlink_to(o / "elsewhere.json")
    return "link_out.json"


def _link_dev(d, _o):
    (d / "devnull.json").symlink_to("/dev/null")
    return "devnull.json"


def _dangling(d, o):
    (d / "dangling.json").symlink_to(o / "missing")
    return "dangling.json"


def _folder(d, _o):
    (d / "folder.json").mkdir()
    return "folder.json"


def _socket(d, _o):
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "sock.json"))
    s.close()
    return "sock.json"


def _file(name, content):
    def make(d, _o):
        write(d / name, content)
        return name
    return make


HOSTILE = {
    "fifo": (_fifo, "FIFO"),
    "link_to_fifo": (_link_to_fifo, "outside the folder"),
    "link_outside": (_link_out, "outside the folder"),
    "link_to_device": (_link_dev, "outside the folder"),
    "dangling_link": (_dangling, "outside the folder|cannot be read"),
    "folder": (_folder, "folder"),
    "socket": (_socket, "socket"),
    "empty": (_file("empty.json", b""), "cannot read"),
    "binary": (_file("binary.json", os.urandom(64) + b"\xff"), "cannot read"),
    "utf16": (_file("utf16.json", text(record()).encode("utf-16")), "cannot read"),
    "bom": (_file("bom.json", b"\xef\xbb\xbf" + text(record()).encode()), "cannot read"),
    "not_json": (_file("notjson.json", "{oops"), "cannot read"),
    "deep": (_file("deep.json", "[" * 100_000 + "]" * 100_000), "cannot read"),
    "huge_int": (_file("hugeint.json", raw_answer("9" * 5000)), "too large"),
    "long_int": (_file("longint.json", raw_answer("1" * 25)), "too large"),
    "huge_float": (_file("hugefloat.json", raw_answer("1e999")), "too large"),
    "nan": (_file("nan.json", raw_answer("NaN")), "not a number"),
    "infinity": (_file("inf.json", raw_answer("-Infinity")), "not a number"),
    "big_score": (_file("bigscore.json", raw_answer("1e12")), "answers/0/answer"),
    "surrogate_learner": (_file("surrogate.json", text(record()).replace(
        '"format"', '"learner": "\\ud800x", "format"', 1)), "broken Unicode"),
    "surrogate_time": (_file("surrtime.json", text(record(time="\\udfff"))
                             .replace("\\\\udfff", "\\udfff")), "broken Unicode"),
    "control_learner": (_file("ctl.json", text(record("\x1b]0;owned\x07"))), "control"),
    "tab_learner": (_file("tab.json", text(record("\tBob"))), "control"),
    "cr_time": (_file("cr.json", text(record(time="\r=1+1"))), "control"),
    "bidi_learner": (_file("bidi.json", text(record("\u202eevil"))), "control"),
    "long_learner": (_file("longname.json", text(record("x" * 101))), "learner"),
    "empty_learner": (_file("emptyname.json", text(record(""))), "learner"),
    "extra_key": (_file("extra.json", text({**record(), "password": "x"})), "Additional"),
    "bad_id": (_file("badid.json", text(record(question_id="<script>"))), "question_id"),
    "wrong_format": (_file("format.json", text({**record(), "format": "x"})), "format"),
    "wrong_version": (_file("version.json", text({**record(), "version": 2})), "version"),
    "top_array": (_file("array.json", "[]"), "object"),
    "oversize": (_file("oversize.json", text(record()) + " " * (progress.MAX_BYTES + 1)), "over the limit"),
    "many_invalid": (_file("manybad.json", text({**progress.fresh(),
                                                  "answers": [{}] * 240_000})), "or more"),
    "many_valid": (_file("manyvalid.json", text(record(n=50_001))), "over the limit|50000"),
    "bool_answer": (_file("boolanswer.json", text(record(answer=True))), "answer"),
}

READ_SAFELY = {  # kind -> (file name, content, learner as reported)
    "formula_learner": ("formula.json", text(record("=HYPERLINK(\"http://x\")")),
                        "=HYPERLINK(\"http://x\")"),
    "plus_learner": ("plus.json", text(record("+1+1")), "+1+1"),
    "minus_learner": ("minus.json", text(record("-2+3")), "-2+3"),
    "at_learner": ("at.json", text(record("@SUM(A1)")), "@SUM(A1)"),
    "html_learner": ("html.json", text(record("<script>alert(1)</script>")),
                     "<script>alert(1)</script>"),
    "chinese_learner": ("zh.json", text(record("王伟")), "王伟"),
    "control_file_name": ("\x1b]0;pwned\x07\x1b[2J.json", text(record()), "\\x1b]0;pwned\\x07\\x1b[2J"),
    "not_utf8_file_name": (os.fsdecode(b"bad\xff.json"), text(record()), "bad\\xff"),
}


@pytest.fixture
def outside(tmp_path):
    o = tmp_path / "outside"
    o.mkdir()
    return o


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_each_hostile_file_is_rejected_with_its_reason(kind, tmp_path, outside, deadline):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "good.json", text(record("Good Learner")))
    make, reason = HOSTILE[kind]
    name = make(folder, outside)
    with deadline():
        rep = class_report([folder])
    rejected = dict(rep.rejected)
    assert list(rejected) == [name], rep.rejected
    assert re.search(reason, rejected[name]), rejected[name]
    assert list(rep.per_learner["learner"]) == ["Good Learner"]
    rep.html.encode("utf-8")  # no broken text reaches the page


@pytest.mark.parametrize("kind", sorted(READ_SAFELY))
def test_awkward_but_valid_files_are_read_and_written_safely(kind, tmp_path, capsys, deadline):
    folder = tmp_path / "class"
    folder.mkdir()
    name, content, learner = READ_SAFELY[kind]
    write(folder / name, content)
    out_html, out_csv = tmp_path / "r.html", tmp_path / "r.csv"
    with deadline():
        status = main(["class-report", str(folder), "--html", str(out_html), "--csv", str(out_csv),
                       "--no-charts"])  # learner names never reach a chart; kept fast
    assert status == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "\x07" not in printed.out + printed.err
    page = out_html.read_text("utf-8")
    assert "<script>" not in page and page.rstrip().endswith("</html>")
    with out_csv.open(newline="", encoding="utf-8") as fh:
        cells = [cell for row in list(csv.reader(fh))[1:] for cell in row]
    assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert class_report([folder]).per_learner["learner"].tolist() == [learner]


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_beyond_the_calendar_in_utc_is_rejected_and_the_others_kept(stamp, tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "good.json", text(record("Good Learner")))
    bad = record("Edge")
    bad["cases"] = [{"case_id": "itp_newly_diagnosed", "choices": ["first_line:dxm_ivig"],
                     "score": {"best": 1, "acceptable": 0, "harmful": 0, "points": 2, "max_points": 2},
                     "completed": False, "time": stamp}]
    write(folder / "edge.json", text(bad))
    out = tmp_path / "r.csv"
    assert main(["class-report", str(folder), "--csv", str(out), "--no-charts"]) == 0
    assert "OverflowError" not in capsys.readouterr().err
    rep = class_report([folder])
    assert list(rep.per_learner["learner"]) == ["Good Learner"]
    assert re.search(r"cases/0/time: .*real calendar date", dict(rep.rejected)["edge.json"])


@pytest.mark.parametrize("cell", ["=1+1", "+A1", "-1+1", "-A1", "@A1", "\tx", "\rx",
                                  "=cmd|' /C calc'!A0"])
def test_csv_neutralises_every_formula_start(cell):
    frame = pd.DataFrame([{"learner": cell, "record": "answer", "item_id": "q", "correct": True,
                           "completed": None, "mode": "exam", "time": "ok"}])
    row = next(iter(list(csv.reader(io.StringIO(to_csv(frame))))[1:]))
    assert row[0] == "'" + cell and row[-1] == "ok"


def test_same_learner_name_in_two_files_is_flagged(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "a.json", text(record("Wang Wei")))
    write(folder / "b.json", text(record("Wang Wei")))
    (folder / "c.json").symlink_to(folder / "a.json")  # a link inside the folder is read
    rep = class_report([folder])
    assert rep.per_learner["learner"].tolist() == ["Wang Wei"]
    assert sorted(dict(rep.rejected)) == ["b.json", "c.json"]
    assert all("also in a.json" in r for _, r in rep.rejected)


def test_html_is_a_complete_document_with_a_charset(tmp_path):
    page = class_report([], lang="zh").html
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert '<html lang="zh-CN">' in page and page.rstrip().endswith("</html>")


def test_an_error_never_leaves_a_truncated_report(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "a.json", text(record("Ann")))
    out = tmp_path / "report.html"
    out.write_text("the old good report")
    import mtorlib.content.safefiles as sf

    def broken_replace(*_a):
        raise OSError("disk full")
    monkeypatch.setattr(sf.os, "replace", broken_replace)
    assert main(["class-report", str(folder), "--html", str(out), "--no-charts"]) == 1
    assert out.read_text() == "the old good report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert "disk full" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["folder", "link", "device"])
def test_outputs_never_replace_a_folder_link_or_device(target, tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "a.json", text(record("Ann")))
    dest = {"folder": tmp_path / "out", "link": tmp_path / "link.html", "device": "/dev/null"}[target]
    if target == "folder":
        dest.mkdir()
    elif target == "link":
        (tmp_path / "real.html").write_text("kept")
        dest.symlink_to(tmp_path / "real.html")
    assert main(["class-report", str(folder), "--html", str(dest), "--no-charts"]) == 1
    assert "regular file" in capsys.readouterr().err
    assert os.path.isdir(dest) if target == "folder" else True
    assert os.path.islink(dest) if target == "link" else True
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


@pytest.mark.slow
def test_a_thousand_learners_with_every_hostile_kind(tmp_path, outside, capsys, deadline):
    """The done-when run: every valid learner reported, every bad file named with its reason."""
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(1000):
        data = record(f"Learner {i:04d}", n=1 + i % 5, correct=bool(i % 3))
        write(folder / f"learner{i:04d}.json", text(data))
    bad = {make(folder, outside) for make, _ in HOSTILE.values()}
    out_html, out_csv = tmp_path / "r.html", tmp_path / "r.csv"
    start = time.perf_counter()
    with deadline(240):
        status = main(["class-report", str(folder), "--html", str(out_html), "--csv", str(out_csv)])
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert status == 0
    rejected = [line for line in err.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == len(bad) == len(HOSTILE)
    assert all(any(line.startswith(f"rejected {b}: ") for line in rejected) for b in bad)
    assert "1000 learner(s) reported" in err
    page = out_html.read_text("utf-8")
    assert page.rstrip().endswith("</html>") and page.count("Learner ") >= 1000
    assert len(out_csv.read_text("utf-8").splitlines()) == 1 + sum(1 + i % 5 for i in range(1000))
    print(f"1000 valid + {len(bad)} hostile files: {elapsed:.1f} s")
