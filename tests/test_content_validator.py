"""Content validator: every malformed input is an exit-1 report naming the file, never a traceback."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mtorlib import validate as check_paths
from mtorlib.__main__ import main
from mtorlib.content import ContentError
from mtorlib.content.yamlread import read_yaml

REPO = Path(__file__).resolve().parents[1]

VALID = textwrap.dedent("""\
    kind: ui_strings
    id: {stem}
    strings:
      demo.hello:
        en: "Hello"
        zh: "你好"
    """)

BAD = {
    "malformed": ("kind: ui_strings\nid: malformed\nstrings: {demo.a: [1\n", "not valid YAML"),
    "unknown_key": (VALID.format(stem="unknown_key") + "colour: red\n", "unknown key 'colour'"),
    "missing_field": ("kind: ui_strings\nid: missing_field\n", "'strings' is required"),
    "wrong_type": ("kind: ui_strings\nid: wrong_type\nstrings: [1, 2]\n", "must be of type object"),
    "empty": ("\n# nothing here\n", "is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    "python_tag": ("kind: ui_strings\nid: python_tag\nstrings: !!python/object/apply:os.system [ls]\n",
                   "tag"),
    "alias_bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
                   "anchor"),
    "duplicate_key": ("kind: ui_strings\nid: duplicate_key\nid: again\nstrings: {}\n", "duplicate key 'id'"),
    "wrong_stem": (VALID.format(stem="another_name"), "must equal the file name stem"),
    "unknown_kind": ("kind: recipe\nid: unknown_kind\n", "kind 'recipe' is not known"),
    "missing_zh": ("kind: ui_strings\nid: missing_zh\nstrings:\n  demo.a:\n    en: Hi\n", "'zh' is required"),
}


def _write(tmp_path, name, body):
    path = tmp_path / f"{name}.yaml"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def test_shipped_content_is_valid():
    assert check_paths([REPO / "cases", REPO / "mtorlib" / "data"]) == []


@pytest.mark.slow
def test_shipped_content_is_valid_by_relative_path(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert main(["validate", "cases"]) == 0, capsys.readouterr().out
    assert main(["validate", "cases/sources/tdm.yaml", "mtorlib/data"]) == 0, capsys.readouterr().out
    assert main(["validate", "cases", "cases/itp"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_is_reported_with_file_and_reason(tmp_path, name):
    body, expected = BAD[name]
    path = _write(tmp_path, name, body)
    problems = check_paths([path])
    assert problems, name
    assert all(p.file.endswith(f"{name}.yaml") for p in problems)
    assert any(expected in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("name", sorted(BAD))
def test_cli_main_exit_1_without_traceback(tmp_path, capsys, name):
    body, expected = BAD[name]
    _write(tmp_path, name, body)
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert f"{name}.yaml" in out.out and expected in out.out
    assert "Traceback" not in out.out + out.err


@pytest.mark.slow  # a fresh interpreter
def test_cli_process_reports_every_bad_file(tmp_path):
    for name, (body, _) in BAD.items():
        _write(tmp_path, name, body)
    out = subprocess.run([sys.executable, "-m", "mtorlib", "validate", str(tmp_path)],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    for name, (_, expected) in BAD.items():
        lines = [ln for ln in out.stdout.splitlines() if f"{name}.yaml" in ln]
        assert any(expected in ln for ln in lines), (name, lines)


def test_cli_valid_folder_exits_0(tmp_path, capsys):
    _write(tmp_path, "fine", VALID.format(stem="fine"))
    assert main(["validate", str(tmp_path)]) == 0
    assert "All content valid" in capsys.readouterr().out


def test_cli_missing_path_is_an_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_all_problems_of_a_file_are_collected_with_lines(tmp_path):
    body = "kind: ui_strings\nid: several\nextra_a: 1\nstrings:\n  demo.a: {en: x}\nextra_b: 2\n"
    problems = check_paths([_write(tmp_path, "several", body)])
    by_msg = {p.message.split(";")[0]: p.line for p in problems}
    assert by_msg["unknown key 'extra_a'"] == 3
    assert by_msg["unknown key 'extra_b'"] == 6
    assert any(p.path == ("strings", "demo.a") and p.line == 5 for p in problems)


def test_problems_from_many_files_are_all_reported(tmp_path):
    for name in ("unknown_key", "empty", "binary"):
        _write(tmp_path, name, BAD[name][0])
    files = {Path(p.file).name for p in check_paths([tmp_path])}
    assert files == {"unknown_key.yaml", "empty.yaml", "binary.yaml"}


def test_dates_stay_text_and_lines_are_one_based(tmp_path):
    data, lines = read_yaml(_write(tmp_path, "d", "a: 2024-01-02\nb:\n  - 1\n"))
    assert data == {"a": "2024-01-02", "b": [1]}
    assert lines[("a",)] == 1 and lines[("b", 0)] == 3


def test_read_yaml_raises_content_error_for_non_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError, match="not UTF-8"):
        read_yaml(path)


def test_unknown_reference_is_reported(tmp_path):
    body = textwrap.dedent("""\
        kind: evidence_levels
        id: ev
        title: {en: t, zh: t}
        refs: [58, no_such_source]
        grades: []
        notes: {en: n, zh: n}
        """)
    msgs = [p.message for p in check_paths([_write(tmp_path, "ev", body)])]
    assert any("58" in m for m in msgs)


def test_a_file_whose_id_is_not_its_name_still_has_its_references_checked(tmp_path):
    body = (REPO / "mtorlib" / "data" / "input_limits.yaml").read_text(encoding="utf-8")
    assert "refs: [sirolimus_tabs_uspi_s2]" in body
    body = body.replace("refs: [sirolimus_tabs_uspi_s2]", "refs: [sirolimus_tabs_uspi_s2, no_such_source]", 1)
    msgs = [p.message for p in check_paths([_write(tmp_path, "other_name", body)])]
    assert any("must equal the file name stem 'other_name'" in m for m in msgs), msgs
    assert any("'no_such_source' does not exist" in m for m in msgs), msgs  # every problem at once


def test_a_huge_value_never_hides_the_reason():
    from mtorlib.content.schema import schema_errors

    data = {"kind": "evidence_levels", "id": "ev", "title": {"en": "t", "zh": "t"},
            "refs": [1], "grades": [{}] * 160, "notes": {"en": "n", "zh": "n"}}
    said = dict(schema_errors("evidence_levels", data))[("grades",)]
    assert said == "[{}, {}, … (160 items)] is too long; allowed: at most 4 items"


def test_a_long_problem_keeps_its_end():
    from mtorlib.content.problems import Problem

    shown = str(Problem("f.yaml", ("a",), 3, "x" * 5000 + " is too long; allowed: at most 4"))
    assert shown.endswith("is too long; allowed: at most 4") and len(shown) < 450
