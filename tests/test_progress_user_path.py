"""A typed file name starting with ``~`` is the home folder, in the library as in the widget."""

from pathlib import Path

import pytest

from mtorlib import progress


def test_tilde_is_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    own = tmp_path / "own.json"
    progress.record_answer("pk_food", answer="b", correct=True, mode="exam", path=own)
    written = progress.export("~/copy.json", path=own)
    assert written == tmp_path / "copy.json" and written.is_file()
    assert progress.user_path("~/x.json") == tmp_path / "x.json"


def test_an_unknown_user_is_refused_and_nothing_is_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "own.json"
    progress.record_answer("pk_food", answer="b", correct=True, mode="exam", path=own)
    with pytest.raises(progress.ProgressError, match="~nouser_mtorlib names no known user's home folder"):
        progress.export("~nouser_mtorlib/x.json", path=own)
    assert not Path("~nouser_mtorlib").exists()
