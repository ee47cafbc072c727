"""Hostile inputs for progress files, the content validator, the quiz export and the progress
widget: each gives a clear error (or is refused without change) within a time bound (issue 10).

Every input is generated here in ``tmp_path``; a FIFO that would block forever, or unbounded work,
is caught by the hang guard of ``conftest.py`` (``deadline``: an alarm, no wall-time assertion).
"""

import json
import math
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest

from mtorlib import progress
from mtorlib.__main__ import main
from mtorlib.content import check_paths

REPO = Path(__file__).resolve().parents[2]


def good_text(**answer):
    data = progress.fresh()
    data["answers"] = [{"question_id": "q1", "answer": "a", "correct": True, "mode": "exam",
                        "time": "2026-01-01T00:00:00.000+00:00", **answer}]
    return json.dumps(data)


# ---------------------------------------------------------------- progress: import_ / read_file
def _import_src(tmp_path, kind):
    src = tmp_path / "src.json"
    if kind == "fifo":
        os.mkfifo(src)
    elif kind == "link_to_fifo":
        os.mkfifo(tmp_path / "pipe")
        src.symlink_to(tmp_path / "pipe")
    elif kind == "device":
        src.symlink_to("/dev/zero")
    elif kind == "folder":
        src.mkdir()
    else:
        body = {"huge_int": good_text().replace('"a"', "9" * 5000, 1),
                "nan": good_text().replace('"a"', "NaN", 1),
                "inf_float": good_text().replace('"a"', "1e999", 1),
                "surrogate": good_text().replace('"a"', '"\\udc80"', 1),
                "escape": good_text().replace('"a"', '"\\u001b[2J"', 1),
                "deep": "[" * 200_000 + "]" * 200_000,
                "too_big_score": good_text().replace('"a"', "1e10", 1)}[kind]
        src.write_text(body)
    return src


IMPORT_KINDS = {"fifo": "FIFO", "link_to_fifo": "FIFO", "device": "device", "folder": "folder",
                "huge_int": "too large", "nan": "not a number", "inf_float": "too large",
                "surrogate": "broken Unicode", "escape": "control", "deep": "cannot read",
                "too_big_score": "answer"}


@pytest.mark.parametrize("kind", sorted(IMPORT_KINDS))
def test_import_refuses_hostile_files_and_leaves_progress_untouched(kind, tmp_path, deadline):
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    before = progress.default_path().read_bytes()
    src = _import_src(tmp_path, kind)
    with deadline(), pytest.raises(progress.ProgressError, match=IMPORT_KINDS[kind]):
        progress.import_(src)
    assert progress.default_path().read_bytes() == before


# ---------------------------------------------------------------- progress: own path surprises
def _own_path(tmp_path, kind):
    path = tmp_path / "own.json"
    if kind == "folder":
        path.mkdir()
        (path / "keep.txt").write_text("mine")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device_link":
        path.symlink_to("/dev/null")
    return path


@pytest.mark.parametrize("kind", ["folder", "fifo", "device_link"])
@pytest.mark.parametrize("action", ["load", "reset", "record", "import"])
def test_progress_path_that_is_not_a_regular_file_is_refused_and_nothing_moves(kind, action, tmp_path,
                                                                               deadline):
    path = _own_path(tmp_path, kind)
    before = sorted(p.name for p in tmp_path.iterdir())
    other = tmp_path / "other.json"
    other.write_text(good_text())
    call = {"load": lambda: progress.load(path), "reset": lambda: progress.reset(path),
            "record": lambda: progress.record_answer("q1", answer="a", correct=True, mode="exam", path=path),
            "import": lambda: progress.import_(other, path=path)}[action]
    with deadline(), pytest.raises(progress.ProgressError, match="not was changed|nothing was changed"):
        call()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "other.json") == before
    if kind == "folder":
        assert (path / "keep.txt").read_text() == "mine"


# ---------------------------------------------------------------- progress: export targets
@pytest.mark.parametrize("kind", ["folder", "link", "device", "fifo", "nul", "empty"])
def test_export_refuses_special_targets(kind, tmp_path, deadline):
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    dest = {"folder": tmp_path / "dir", "link": tmp_path / "link.json", "device": Path("/dev/null"),
            "fifo": tmp_path / "pipe.json", "nul": tmp_path / "a\x00b.json", "empty": ""}[kind]
    if kind == "folder":
        dest.mkdir()
    elif kind == "link":
        (tmp_path / "real.json").write_text("kept")
        dest.symlink_to(tmp_path / "real.json")
    elif kind == "fifo":
        os.mkfifo(dest)
    with deadline(), pytest.raises(progress.ProgressError, match="cannot export"):
        progress.export(dest)
    if kind == "link":
        assert dest.is_symlink() and (tmp_path / "real.json").read_text() == "kept"
    if kind == "device":
        assert not dest.is_file()


@pytest.mark.parametrize("answer", [math.nan, math.inf, -math.inf, 1e308, np.float64("nan")])
def test_non_finite_or_huge_answers_are_refused_and_never_written(answer):
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    before = progress.default_path().read_bytes()
    with pytest.raises(progress.ProgressError, match="finite number"):
        progress.record_answer("q2", answer=answer, correct=False, mode="exam")
    assert progress.default_path().read_bytes() == before


def test_non_finite_score_is_refused_and_json_stays_standard():
    with pytest.raises(progress.ProgressError):
        progress.record_case("c1", choices=["a"], score={"best": math.nan}, completed=True)
    saved = progress.record_answer("q1", answer=np.float64(2.5), correct=True, mode="exam")
    assert saved["answers"][0]["answer"] == 2.5
    assert "NaN" not in progress.default_path().read_text()


@pytest.mark.parametrize("name", ["", "   ", "\x1b]0;x\x07", "a\x00b", "x" * 101, "\u202eevil"])
def test_learner_names_with_control_characters_or_wrong_length_are_refused(name):
    with pytest.raises(progress.ProgressError):
        progress.learner_name(name)
    assert progress.learner_name(" a\n\tb ") == "a b"  # white space is folded, not refused


def test_export_keeps_the_learner_name_and_names_the_file_after_it(tmp_path):
    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    name = progress.export_name(" 王 伟/../etc ")
    assert name == "mtorlib-progress-王-伟-etc.json" and "/" not in name
    written = progress.export(tmp_path / name, learner=" 王  伟 ")
    assert written.is_absolute() and written == tmp_path / name
    assert progress.read_file(written)["learner"] == "王 伟"
    assert progress.load()["learner"] == "王 伟"  # kept for the next export


@pytest.mark.slow
def test_a_large_own_file_loads_quickly_and_a_file_of_errors_is_set_aside_quickly(tmp_path, deadline):
    data = progress.fresh()
    entry = {"question_id": "pk_food", "answer": "a", "correct": True, "mode": "practice",
             "time": "2026-01-01T00:00:00.000+00:00"}
    data["answers"] = [entry] * 40_000
    big = tmp_path / "big.json"
    big.write_text(json.dumps(data))
    assert big.stat().st_size > 4_000_000
    with deadline():
        assert len(progress.load(big)["answers"]) == 40_000
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**progress.fresh(), "answers": [{"x": 1}] * 120_000}))
    with deadline(), pytest.warns(progress.ProgressWarning, match="or more"):
        assert progress.load(bad)["answers"] == []


# ---------------------------------------------------------------- content validator
VALID = "kind: ui_strings\nid: {stem}\nstrings:\n  demo.a:\n    en: {value}\n    zh: \"你好\"\n"

YAML = {
    "huge_int": ("9" * 5000, "too large"),
    "long_int": ("1" * 30, "too large"),
    "hex_int": ("0x" + "f" * 40, "too large"),
    "big_float": ("1.0e+400", "finite number"),
    "inf": (".inf", "finite number"),
    "minus_inf": ("-.inf", "finite number"),
    "nan": (".nan", "finite number"),
    "over_bound": ("1.0e+16", "<= 1e\\+15"),
    "surrogate": ('"\\ud800"', "U\\+D800|not valid YAML"),
    "escape": ('"\\e]0;x\\a"', "U\\+001B"),
    "nul": ('"a\\0b"', "U\\+0000"),
    "c1": ('"\\x85"', "U\\+0085"),
    "deep_flow": ("[" * 60 + "]" * 60, "deeper than 40"),
    "very_deep_flow": ("[" * 20_000 + "]" * 20_000, "deeper than 40|not valid YAML|YAML values"),
}


@pytest.mark.parametrize("kind", sorted(YAML))
def test_validator_reports_hostile_values_with_file_and_line(kind, tmp_path, deadline):
    value, pattern = YAML[kind]
    f = tmp_path / f"{kind}.yaml"
    f.write_text(VALID.format(stem=kind, value=value))
    with deadline():
        problems = check_paths([f])
    assert problems and re.search(pattern, str(problems[0])), problems
    assert f"{kind}.yaml" in str(problems[0])


def _special(tmp_path, kind):
    f = tmp_path / "x.yaml"
    if kind == "fifo":
        os.mkfifo(f)
    elif kind == "link_to_fifo":
        os.mkfifo(tmp_path / "pipe")
        f.symlink_to(tmp_path / "pipe")
    elif kind == "oversize":
        f.write_text(VALID.format(stem="x", value="hi") + "#" * 2_100_000)
    elif kind == "too_many_values":
        f.write_text("kind: ui_strings\nid: x\nstrings: [" + "1, " * 9000 + "1]\n")
    elif kind == "many_schema_errors":
        f.write_text("kind: ui_strings\nid: x\nstrings:\n"
                     + "".join(f"  k{i}: {i}\n" for i in range(3000)))
    return f


@pytest.mark.parametrize("kind, pattern", [("fifo", "FIFO"), ("link_to_fifo", "FIFO"),
                                           ("oversize", "over the limit"),
                                           ("too_many_values", "more than 8000 YAML values"),
                                           ("many_schema_errors", r"and \d+ more problem")])
def test_validator_bounds_special_and_oversized_files(kind, pattern, tmp_path, deadline):
    f = _special(tmp_path, kind)
    with deadline():
        problems = check_paths([f])
        check_paths([tmp_path])  # a folder holding it is not blocked either
    assert re.search(pattern, "\n".join(map(str, problems))), problems[:3]
    assert len(problems) <= 51


def _model_with_expression(tmp_path, expression):
    src = (REPO / "mtorlib/data/models/everolimus_label.yaml").read_text("utf-8")
    old = 'expression: "cl * t_half / log(2)"'
    assert old in src
    f = tmp_path / "everolimus_label.yaml"
    f.write_text(src.replace(old, f"expression: \"{expression}\""), "utf-8")
    return f


@pytest.mark.parametrize("expression", ["(" * 150 + "1" + ")" * 150, "1+" * 5000 + "1",
                                        "-" * 150 + "1", "9**9**9**9", "x" * 201])
def test_derived_parameter_expressions_are_bounded(expression, tmp_path, deadline):
    f = _model_with_expression(tmp_path, expression)
    with deadline():
        problems = check_paths([f])
    text = "\n".join(map(str, problems))
    assert "verify.expression: cannot evaluate" in text and "everolimus_label.yaml:" in text, text


def _case_with_compute(tmp_path, compute):
    src = (REPO / "cases/itp/itp_ctd_sle.yaml").read_text("utf-8")
    old = ('compute: {function: "mtorlib.tdm:proportional_dose", args: {current_dose_mg: 1, '
           'measured_ng_ml: 4.0, target_ng_ml: 8}}')
    assert old in src
    f = tmp_path / "itp_ctd_sle.yaml"
    f.write_text(src.replace(old, f"compute: {compute}"), "utf-8")
    return f


@pytest.mark.parametrize("compute, pattern", [
    ('{function: "mtorlib.regimen:repeated", args: {dose_mg: 1, every_h: 24, n_doses: 1000000000000}}',
     "n_doses must be a whole number"),
    ('{function: "mtorlib.tdm:proportional_dose", args: {current_dose_mg: 1.0e+10, measured_ng_ml: 4.0, '
     'target_ng_ml: 8}}', "current_dose_mg must be a finite number"),
])
def test_compute_arguments_are_bounded_before_the_call(compute, pattern, tmp_path, deadline):
    f = _case_with_compute(tmp_path, compute)
    with deadline():
        problems = check_paths([f])
    assert re.search(pattern, "\n".join(map(str, problems))), problems


def test_a_case_with_thousands_of_nodes_is_refused_quickly(tmp_path, deadline):
    nodes = "".join(f"  - {{id: n{i}, title: {{en: x, zh: 病}}, text: {{en: x, zh: 病}}, "
                    f"question: {{en: x, zh: 病}}, options: [{{id: a, text: {{en: x, zh: 病}}, "
                    f"verdict: best, feedback: {{en: x, zh: 病}}, refs: [24], next: n{i + 1}}}]}}\n"
                    for i in range(6000))
    f = tmp_path / "big.yaml"
    f.write_text(f"kind: case\nid: big\nstart: n0\nnodes:\n{nodes}", "utf-8")
    with deadline():
        problems = check_paths([f])
    assert "YAML values" in str(problems[0])


def test_validator_does_not_follow_links_out_of_the_folder(tmp_path):
    folder, outside = tmp_path / "content", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.yaml").write_text("kind: recipe\nid: secret\n")
    (folder / "secret.yaml").symlink_to(outside / "secret.yaml")
    (folder / "ok.yaml").write_text(VALID.format(stem="ok", value="hi"))
    problems = [str(p) for p in check_paths([folder])]
    assert len(problems) == 1 and "outside the folder" in problems[0], problems


def test_validate_cli_escapes_control_characters_in_file_names(tmp_path, capsys):
    f = tmp_path / "\x1b]0;pwned\x07.yaml"
    f.write_text("kind: ui_strings\nid: nope\n")
    assert main(["validate", str(f)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b]0;pwned\\x07.yaml" in out


# ---------------------------------------------------------------- quiz export
def test_export_quiz_counts_a_repeated_bank_once(capsys):
    assert main(["export-quiz", "--format", "gift", "--bank", "itp"]) == 0
    once = capsys.readouterr()
    assert main(["export-quiz", "--format", "gift", "--bank", "itp", "--bank", "itp"]) == 0
    twice = capsys.readouterr()
    assert twice.out == once.out and twice.err == once.err


@pytest.mark.parametrize("target", ["empty", "blank", "folder", "link", "device"])
def test_export_quiz_refuses_empty_or_special_outputs(target, tmp_path, capsys):
    dest = {"empty": "", "blank": "  ", "folder": str(tmp_path), "link": str(tmp_path / "l.xml"),
            "device": "/dev/null"}[target]
    if target == "link":
        (tmp_path / "real.xml").write_text("kept")
        os.symlink(tmp_path / "real.xml", dest)
    status = main(["export-quiz", "--bank", "tdm", "-o", dest])
    out = capsys.readouterr()
    assert status == (2 if target in ("empty", "blank") else 1)
    assert out.out == "" and "error:" in out.err
    if target == "link":
        assert os.path.islink(dest) and (tmp_path / "real.xml").read_text() == "kept"


def test_export_quiz_says_the_full_path_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export-quiz", "--bank", "tdm", "-o", "q.xml"]) == 0
    assert f"written {tmp_path / 'q.xml'}" in capsys.readouterr().err


# ---------------------------------------------------------------- progress widget
@pytest.mark.parametrize("target, name, pattern", [
    ("a\x00b.json", "Ann", "Could not export"),
    ("~no_such_user_xyz/out.json", "Ann", "Could not export"),
    ("{tmp}", "", "Type your name first"),
    ("{tmp}/link.json", "Ann", "Could not export"),
    ("{tmp}", "\x1b[2J", "Could not export"),
])
def test_every_export_error_is_shown_in_the_widget(target, name, pattern, tmp_path):
    from mtorlib.widgets import progress_view

    (tmp_path / "real.json").write_text("kept")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    view = progress_view()
    view.controls["export_to"].value = target.format(tmp=tmp_path)
    view.controls["learner"].value = name
    view.controls["export"].click()  # never raises
    assert re.search(pattern, view.message.value)
    assert (tmp_path / "real.json").read_text() == "kept"


def test_widget_export_to_a_folder_names_the_file_after_the_learner(tmp_path):
    from mtorlib.widgets import progress_view

    progress.record_answer("q1", answer="a", correct=True, mode="practice")
    view = progress_view()
    view.controls["export_to"].value = str(tmp_path)
    view.controls["learner"].value = "Li Na"
    view.controls["export"].click()
    written = tmp_path / "mtorlib-progress-Li-Na.json"
    assert str(written) in view.message.value
    assert progress.read_file(written)["learner"] == "Li Na"
    assert progress_view().controls["learner"].value == "Li Na"  # remembered


def test_widget_shows_a_progress_path_that_is_a_folder(tmp_path, monkeypatch):
    from mtorlib.widgets import progress_view

    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path))
    view = progress_view()
    assert "nothing was changed" in view.message.value
    assert tmp_path.is_dir()


def test_the_hang_guard_fires_and_then_stands_down(deadline):
    with pytest.raises(TimeoutError, match="hang guard"), deadline(0.05):
        time.sleep(5)  # interrupted by the alarm
    with deadline(0.05):
        pass
    time.sleep(0.1)  # the alarm was cancelled: nothing fires after the block
