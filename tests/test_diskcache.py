"""The per-user cache: results keyed by file bytes, never stale, optional when the disk says no.

A "new process" is a new :class:`FileResults` (its memory empty) over the same cache folder.
"""

import json
import subprocess
import sys

import pytest

from mtorlib.content.diskcache import FileResults, cache_dir


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test its own cache folder: no test depends on what another left behind."""
    monkeypatch.setenv("MTORLIB_CACHE", str(tmp_path / "cache"))


def results(version="v1", calls=None):
    calls = [] if calls is None else calls

    def compute(path):
        calls.append(path.name)
        return {"words": path.read_text(encoding="utf-8").split()}

    return FileResults("t", lambda: version, lambda r: r, lambda p, v: v), compute, calls


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MTORLIB_CACHE", str(tmp_path / "a"))
    assert cache_dir() == tmp_path / "a"
    monkeypatch.delenv("MTORLIB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "mtorlib"


def test_a_new_process_reads_the_result_instead_of_computing_it(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("one two", encoding="utf-8")
    calls = []
    cache, compute, _ = results(calls=calls)
    assert cache.get(src, compute) == {"words": ["one", "two"]}
    assert cache.get(src, compute) == {"words": ["one", "two"]}  # memory
    again, compute2, _ = results(calls=calls)
    assert again.get(src, compute2) == {"words": ["one", "two"]}  # disk
    assert calls == ["a.txt"]


def test_an_edited_file_or_another_salt_is_computed_again(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("one", encoding="utf-8")
    cache, compute, calls = results()
    cache.get(src, compute)
    src.write_text("one two", encoding="utf-8")
    assert cache.get(src, compute) == {"words": ["one", "two"]}
    assert cache.get(src, compute, salt="shown as other/a.txt") == {"words": ["one", "two"]}
    assert calls == ["a.txt"] * 3
    src.write_text("one", encoding="utf-8")  # back to the first bytes: the entry was replaced
    fresh, compute2, calls2 = results()
    assert fresh.get(src, compute2) == {"words": ["one"]} and calls2 == ["a.txt"]


def test_a_new_version_starts_afresh_and_removes_the_old_entries(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("one", encoding="utf-8")
    old, compute, _ = results("v1")
    old.get(src, compute)
    assert (cache_dir() / "t-v1").is_dir()
    new, compute2, calls = results("v2")
    new.get(src, compute2)
    assert calls == ["a.txt"]
    assert sorted(p.name for p in cache_dir().glob("t-*")) == ["t-v2"]


def test_a_corrupt_entry_is_computed_again(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("one", encoding="utf-8")
    cache, compute, _ = results()
    cache.get(src, compute)
    [entry] = (cache_dir() / "t-v1").iterdir()
    entry.write_text("{not json", encoding="utf-8")
    fresh, compute2, calls = results()
    assert fresh.get(src, compute2) == {"words": ["one"]} and calls == ["a.txt"]
    assert json.loads(entry.read_text(encoding="utf-8"))["value"] == {"words": ["one"]}


def test_an_unwritable_cache_still_gives_results(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MTORLIB_CACHE", str(blocker))
    src = tmp_path / "a.txt"
    src.write_text("one", encoding="utf-8")
    cache, compute, calls = results()
    assert cache.get(src, compute) == {"words": ["one"]}
    assert results()[0].get(src, compute) == {"words": ["one"]} and calls == ["a.txt"] * 2


# A second interpreter loads every kind with the YAML reader disabled: it must get, from the cache
# the first one filled, the same documents (data and field lines) and the same problems.
CONTENT_PROBE = """
import json, sys
from mtorlib.content import documents
if sys.argv[1] == "cached":
    def refuse(path):
        raise AssertionError(f"parsed {path} again")
    documents.read_yaml = refuse
out = {}
for f in documents.iter_files(documents.default_paths()):
    doc, problems = documents.read_document(f)
    out[str(f)] = [doc.data, sorted(map(repr, doc.lines.items())), list(map(str, problems))]
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""


@pytest.mark.slow
def test_checked_content_is_read_from_the_cache_in_a_new_process_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("MTORLIB_CACHE", str(tmp_path))

    def probe(mode):
        out = subprocess.run([sys.executable, "-c", CONTENT_PROBE, mode], capture_output=True,
                             text=True, check=True, encoding="utf-8")
        return json.loads(out.stdout)

    parsed = probe("parse")
    assert len(parsed) >= 20 and all(data for data, _, _ in parsed.values())
    assert probe("cached") == parsed
