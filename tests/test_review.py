"""Trust follows the path: which pull requests the gate makes safe (generator/review.py)."""

from __future__ import annotations

import os
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.review import Change, classify, main

DATA_ONLY = [
    ["data/practices/an-giang-x.yaml"],
    ["content/index.md", "content/hinh-anh/so-do.png", "data/courses/k.yaml"],
    [],
]
NEEDS_REVIEW = {
    "the configuration": ["data/practices/x.yaml", "mkdocs.yml"],
    "the generator": ["generator/render.py"],
    "the theme": ["generator/theme/main.html"],
    "the workflow": [".github/workflows/handbook.yml"],
    "the owners": [".github/CODEOWNERS"],
    "CI": [".ci/run"],
    "the tests": ["tests/test_data.py"],
    "the dependencies": ["pyproject.toml"],
    "a file beside the folders": ["data.yaml", "contents/x.md", "README.md"],
    "a folder named like a data folder deeper down": ["generator/data/x.yaml"],
}


@pytest.mark.parametrize("paths", DATA_ONLY)
def test_records_and_pages_are_data(paths):
    verdict = classify([Change(p) for p in paths])
    assert verdict.data_only and verdict.others == ()
    assert "Chỉ dữ liệu" in verdict.summary() and verdict.annotation().startswith("::notice ")


@pytest.mark.parametrize("paths", NEEDS_REVIEW.values(), ids=NEEDS_REVIEW.keys())
def test_code_and_configuration_need_a_maintainer(paths):
    verdict = classify([Change(p) for p in paths])
    assert not verdict.data_only
    assert verdict.others == tuple(sorted(p for p in paths if not p.startswith(("data/", "content/"))))
    assert "Cần người bảo trì duyệt" in verdict.summary() and verdict.annotation().startswith("::warning ")


@pytest.mark.parametrize("change", [
    Change("content/x.md", "000000", "120000"),            # a symbolic link added
    Change("data/provinces/x.yaml", "100644", "120000"),   # a file turned into a link
    Change("content/vendor", "000000", "160000"),          # a submodule
    Change("content/../mkdocs.yml"),                       # never from git, refused all the same
    Change("data//x.yaml"),
])
def test_links_and_odd_paths_need_a_maintainer(change):
    assert not classify([change]).data_only


@given(st.lists(st.text(min_size=1), min_size=1))
def test_any_path_outside_the_data_folders_needs_a_maintainer(paths):
    verdict = classify([Change(p) for p in paths])
    outside = {p for p in paths if not p.startswith(("data/", "content/"))}
    assert outside <= set(verdict.others)
    assert verdict.data_only == (not verdict.others)
    summary = verdict.summary()
    assert all(not line.startswith("::") for line in summary.splitlines())    # no workflow command
    assert "\n" not in verdict.annotation()


def test_a_path_cannot_break_out_of_its_code_span():
    summary = classify([Change("a`b``c\n- **x**")]).summary()
    assert "- ``` a`b``c - **x** ```\n" in summary


def test_reads_a_pull_requests_merge_commit(tmp_path, monkeypatch):
    """As the workflow runs it: HEAD is the merge commit, HEAD^1 the base branch."""
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                       check=True, capture_output=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text("id: a\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "pr")
    (tmp_path / "data" / "b.yaml").write_text("id: b\n")
    os.symlink("/etc/passwd", tmp_path / "content")
    git("add", "-A")
    git("commit", "-qm", "pr")
    git("checkout", "-q", "main")
    git("merge", "-q", "--no-ff", "-m", "merge", "pr")
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main([]) == 0
    assert "Cần người bảo trì duyệt" in summary.read_text(encoding="utf-8")
    assert "` content `" in summary.read_text(encoding="utf-8")
    assert "b.yaml" not in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["data/.gitattributes", "content/.meta.yml", "data/practices/.x.yaml"])
def test_a_hidden_file_among_the_data_needs_a_maintainer(path):
    """`.gitattributes` under data/ folds the YAML diffs of later pull requests, or re-encodes them."""
    assert not classify([Change(path, "000000", "100644")]).data_only


def test_a_name_that_is_not_utf8_is_shown_escaped():
    name = b"generator/\xff.py".decode("utf-8", "surrogateescape")
    summary = classify([Change(name, "000000", "100644")]).summary()
    summary.encode("utf-8")      # writable as the job summary
    assert "generator/" in summary
