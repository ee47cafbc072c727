"""The command line's plain messages: an output that is a folder, a class with no usable file,
a file-size limit that is not allowed, the diseases ``handout --summary`` offers."""

import pytest

from mtorlib.__main__ import main
from mtorlib.content.schema import schema_for


@pytest.mark.slow  # loads and packages a question bank (~6 s)
def test_export_to_a_folder_is_refused_in_plain_words(tmp_path, capsys):
    assert main(["export-quiz", "--bank", "itp", "--format", "qti", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "is a folder; write to a regular file (nothing was written)" in err
    assert "FileRefused" not in err and list(tmp_path.iterdir()) == []


def test_class_report_with_no_usable_file_says_so(tmp_path, capsys):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main(["class-report", "--no-charts", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "no usable progress files" in err and "rejected broken.json" in err
    assert "Empty DataFrame" not in out + err


@pytest.mark.parametrize("value, says", [("-5", "-5 is not allowed: give a number of bytes of 1 or more"),
                                         ("0", "0 is not allowed"),
                                         ("ten", "'ten' is not a whole number of bytes")])
def test_max_bytes_must_be_a_positive_whole_number(tmp_path, capsys, value, says):
    with pytest.raises(SystemExit) as stop:
        main(["class-report", f"--max-bytes={value}", str(tmp_path)])
    assert stop.value.code == 2 and says in capsys.readouterr().err


def test_summary_offers_the_case_schema_diseases(capsys):
    with pytest.raises(SystemExit):
        main(["handout", "--summary", "nope"])
    diseases = schema_for("case")["properties"]["disease"]["enum"]
    assert f"choose from {', '.join(repr(d) for d in diseases)}" in capsys.readouterr().err
