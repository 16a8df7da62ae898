"""`handbook validate` reuses parsed files, and never trusts a cache it did not write."""

from __future__ import annotations

import hmac
import marshal
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.load import load
from generator import parse_cache
from generator.parse_cache import FOLDER, NAME, OUTCOME, ParseCache, inputs
from generator.pipeline import run
from generator.project import Project

from scratch import scratch_project

BROKEN = {
    "data/topics/hong.yaml": "id: hong\nname: [chưa đóng\n",
    "data/practices/sai-truong.yaml": "id: sai-truong\ntitle: Cách làm\nprovince: tinh-a\nsummary: Tóm tắt.\n"
                                      "sources: [bai-mau]\nnam: 2020\n",
}


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    """Files count as saved a while ago: a file saved within the last moments is never cached
    (test_a_file_just_saved_is_not_kept checks that), and no test can age a file's ctime."""
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)


def aged(root: Path, seconds: float = 60) -> None:
    """Modification times in the past, as a checkout or a copy with `cp -p` leaves them."""
    past = time.time() - seconds
    for path in (root / "data").rglob("*.yaml"):
        os.utime(path, (past, past))


def outcome(root: Path, cache: ParseCache | None):
    result = run(Project.read(root), render_pages=False, cache=cache)
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

    # An edit of the same size whose modification time is then put back (cp -p, rsync -a, tar) is seen:
    # the status-change time cannot be put back.
    stamp = path.stat().st_mtime_ns
    path.write_text(text.replace("Sinh hoạt", "Sinh hoạX", 1), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    third.save(force=True)
    fourth = ParseCache.of_project(root)
    documents, _ = load(root / "data", cache=fourth)
    assert fourth.misses == 1
    assert "Sinh hoạX" in str(next(d.data for d in documents if d.path.endswith("sinh-hoat-chi-bo.yaml")))

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


def _plant(root: Path, content: bytes, name: str = NAME) -> None:
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)


def _signed(body: bytes) -> bytes:
    """A cache file as this user's handbook would write it: what a corrupt but genuine cache looks like."""
    return hmac.new(parse_cache._key(), body, "sha256").digest() + body


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)


@settings(max_examples=15, deadline=None)
@given(json_values, st.binary(max_size=64))
def test_a_planted_or_corrupt_cache_changes_nothing(tmp_path_factory, planted, noise):
    root = scratch_project(tmp_path_factory.mktemp("p"), BROKEN)
    aged(root)
    expected = outcome(root, None)
    version = ParseCache(None).version
    genuine = [marshal.dumps(v) for v in (planted, (version, planted), (version, {"data/topics/hong.yaml": planted}),
                                          (version, ("x", planted, 3)), (version, (planted, (), 9)))]
    for content in [noise, *genuine, *map(_signed, genuine), _signed(noise)]:
        for name in (NAME, OUTCOME):
            _plant(root, content, name)
            assert outcome(root, ParseCache.of_project(root)) == expected


def test_a_cache_edited_by_someone_else_is_not_read(tmp_path):
    root = scratch_project(tmp_path, BROKEN)
    aged(root)
    cache = ParseCache.of_project(root)
    expected = outcome(root, cache)
    cache.save(force=True)
    path = root / FOLDER / NAME
    blob = path.read_bytes()
    forged = blob.replace("Sinh hoạt chi bộ".encode(), "<script>xấu</script>".encode()[:len("Sinh hoạt chi bộ".encode())])
    assert forged != blob
    path.write_bytes(forged)
    assert ParseCache.of_project(root).entries == {}
    assert outcome(root, ParseCache.of_project(root)) == expected


def test_validation_is_recalled_only_while_nothing_changed(tmp_path):
    root = scratch_project(tmp_path, BROKEN)
    aged(root)
    first = ParseCache.of_project(root)
    expected = outcome(root, first)
    first.save(force=True)
    second = ParseCache.of_project(root)
    assert outcome(root, second) == expected
    assert second.recall(inputs(root / "data", root / "content")) is not None
    assert second.misses == 0 and second._entries is None        # recalled: no file parsed, none read
    (root / "data/topics/khong-phai-ban-ghi.txt").write_text("x", encoding="utf-8")   # not a record: still input
    third = ParseCache.of_project(root)
    found = outcome(root, third)
    assert any("khong-phai-ban-ghi.txt" in line for line in found[0])


def test_a_symlinked_cache_is_ignored(tmp_path):
    root = scratch_project(tmp_path / "p")
    aged(root)
    elsewhere = tmp_path / "elsewhere.bin"
    elsewhere.write_text("{}", encoding="utf-8")
    (root / FOLDER).mkdir(parents=True)
    (root / FOLDER / NAME).symlink_to(elsewhere)
    cache = ParseCache.of_project(root)
    outcome(root, cache)
    cache.save(force=True)
    assert elsewhere.read_text(encoding="utf-8") == "{}"
    assert cache.entries and ParseCache.of_project(root).entries == {}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("copies", ["work", "are killed"])
def test_parsing_in_several_processes_gives_the_same_documents(tmp_path, copies):
    """Files split into shares, all but the first parsed by forked copies (generator/aside.py):
    the same documents and problems in the same order; a copy that dies has its share parsed
    here. Run in a fresh interpreter, where no thread left by another test is copied."""
    import pickle
    import subprocess
    import sys

    root = scratch_project(tmp_path, BROKEN)
    script = f"""
import os, pickle, sys
from pathlib import Path
import generator.load as load
def shown(found):
    documents, problems = found
    return [(d.path, d.kind.name, d.data, d.positions, d.key_positions, d.broken) for d in documents], problems
alone = shown(load.load(Path({str(root / "data")!r})))
load.PARALLEL_FROM = 1
parent, parse = os.getpid(), load._parse_chunk
if {copies == "are killed"}:
    load._parse_chunk = lambda items: parse(items) if os.getpid() == parent else os.kill(os.getpid(), 9)
both = shown(load.load(Path({str(root / "data")!r}), workers=3))
sys.stdout.buffer.write(pickle.dumps((alone, both)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120,
                          env={**os.environ, "HANDBOOK_JOBS": "3"})
    assert done.returncode == 0, done.stderr.decode()
    alone, both = pickle.loads(done.stdout)
    assert len(alone[0]) > 10 and alone[1]
    assert both == alone


def test_a_file_just_saved_is_not_kept(tmp_path, monkeypatch):
    """Two saves within one time stamp would look alike: what changed in the last moments is read again."""
    monkeypatch.setattr(parse_cache, "RACY_NS", 60 * 10**9)
    root = scratch_project(tmp_path)
    first = ParseCache.of_project(root)
    outcome(root, first)
    first.save(force=True)
    again = ParseCache.of_project(root)
    outcome(root, again)
    assert again.misses > 0 and again.entries == {}


@pytest.mark.parametrize("planted", ["folder", "gitignore"])
def test_a_linked_cache_folder_writes_nothing_elsewhere(tmp_path, planted):
    """A pull request committing `.cache` as a link to content/, or `.cache/.gitignore` as a dangling
    link, must not make validation write into content/ or at the link's target."""
    root = scratch_project(tmp_path / "p")
    before = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*"))
    target = tmp_path / "pwned"
    if planted == "folder":
        (root / ".cache").symlink_to(root / "content")
    else:
        (root / ".cache").mkdir()
        (root / ".cache" / ".gitignore").symlink_to(target)
    assert main(["-C", str(root), "validate"]) == 0
    assert sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*")) == before
    assert not target.exists()


def test_a_file_name_that_is_not_utf8_is_fingerprinted_not_a_crash(tmp_path):
    """Linux names are bytes: one that is not UTF-8 (copied from an old disk) once crashed validate."""
    import os
    import time

    from generator.parse_cache import inputs

    (tmp_path / "data" / "topics").mkdir(parents=True)
    (tmp_path / "content").mkdir()
    name = os.fsencode(tmp_path / "data" / "topics") + b"/bad\xff.yaml"
    with open(name, "wb") as file:
        file.write(b"id: q\n")
    past = time.time() - 60          # older than the moments a just-saved file is left out
    os.utime(name, (past, past))
    first = inputs(tmp_path / "data", tmp_path / "content")
    assert first is not None and first == inputs(tmp_path / "data", tmp_path / "content")
