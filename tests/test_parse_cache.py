"""`handbook validate` reuses parsed files, and never trusts a cache it did not write."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.load import load
from generator.parse_cache import FOLDER, NAME, ParseCache
from generator.pipeline import run

from scratch import scratch_project

BROKEN = {
    "data/topics/hong.yaml": "id: hong\nname: [chưa đóng\n",
    "data/practices/sai-truong.yaml": "id: sai-truong\ntitle: Cách làm\nprovince: tinh-a\nsummary: Tóm tắt.\n"
                                      "sources: [bai-mau]\nnam: 2020\n",
}


def aged(root: Path, seconds: float = 60) -> None:
    """Files saved a while ago: a file saved within the last moments is never cached."""
    past = time.time() - seconds
    for path in (root / "data").rglob("*.yaml"):
        os.utime(path, (past, past))


def outcome(root: Path, cache: ParseCache | None):
    result = run(root / "data", render_pages=False, cache=cache)
    return [p.format() for p in result.problems], sorted(result.handbook.entries) if result.handbook else None


def test_a_second_run_reads_no_file_and_finds_the_same(tmp_path):
    root = scratch_project(tmp_path, BROKEN)
    aged(root)
    fresh = outcome(root, None)
    first = ParseCache.of_project(root)
    assert outcome(root, first) == fresh
    first.save(force=True)
    again = ParseCache.of_project(root)
    assert outcome(root, again) == fresh
    assert again.misses == 0 and again.entries

    # An edit of the same size is still seen: the time stamp changed.
    path = root / "data/topics/sinh-hoat-chi-bo.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Sinh hoạt", "Sinh hoạT", 1), encoding="utf-8")
    third = ParseCache.of_project(root)
    documents, _ = load(root / "data", cache=third)
    assert third.misses == 1
    assert "Sinh hoạT" in str(next(d.data for d in documents if d.path.endswith("sinh-hoat-chi-bo.yaml")))

    # A deleted record is gone, not served from the cache.
    (root / "data/topics/hong.yaml").unlink()
    assert "data/topics/hong.yaml" not in str(outcome(root, ParseCache.of_project(root)))


def test_the_command_writes_its_cache_out_of_git(tmp_path, capsys):
    root = scratch_project(tmp_path)
    aged(root)
    assert main(["-C", str(root), "validate"]) == 0
    assert (root / FOLDER / NAME).is_file()
    assert (root / ".cache" / ".gitignore").read_text() == "*\n"
    assert main(["-C", str(root), "validate"]) == 0
    assert capsys.readouterr().err.count("Dữ liệu hợp lệ") == 2


def _plant(root: Path, content: bytes) -> None:
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NAME).write_bytes(content)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_a_planted_cache_changes_nothing(tmp_path_factory, planted):
    root = scratch_project(tmp_path_factory.mktemp("p"), BROKEN)
    aged(root)
    expected = outcome(root, None)
    version = ParseCache(None).version
    for payload in (planted, {"version": version, "files": planted},
                    {"version": version, "files": {"data/topics/hong.yaml": planted}}):
        _plant(root, json.dumps(payload).encode())
        assert outcome(root, ParseCache.of_project(root)) == expected


def test_a_cache_that_lies_about_a_file_is_not_believed_when_the_file_changed(tmp_path):
    root = scratch_project(tmp_path, BROKEN)
    aged(root)
    cache = ParseCache.of_project(root)
    outcome(root, cache)
    cache.save(force=True)
    raw = json.loads((root / FOLDER / NAME).read_text(encoding="utf-8"))
    entry = raw["files"]["data/topics/sinh-hoat-chi-bo.yaml"]
    entry[3]["name"] = "<script>giả mạo</script>"
    entry[1] += 1                                   # a time stamp the file does not have
    _plant(root, json.dumps(raw).encode())
    assert outcome(root, ParseCache.of_project(root)) == outcome(root, None)
    for garbage in (b"\x00\xff not json", b"[]", b'{"version": 1}', b""):
        _plant(root, garbage)
        assert outcome(root, ParseCache.of_project(root)) == outcome(root, None)


def test_a_symlinked_cache_is_ignored(tmp_path):
    root = scratch_project(tmp_path / "p")
    aged(root)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}", encoding="utf-8")
    (root / FOLDER).mkdir(parents=True)
    (root / FOLDER / NAME).symlink_to(elsewhere)
    cache = ParseCache.of_project(root)
    outcome(root, cache)
    cache.save(force=True)
    assert elsewhere.read_text(encoding="utf-8") == "{}"
    assert cache.entries and ParseCache.of_project(root).entries == {}
