"""Hand-written files land where every disk can hold them, one page per address: generated trees of
content/ are refused exactly when two pages share an address or a name cannot exist on Windows,
by `validate` and the build alike."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.content_policy import content_refusal, content_refusals
from scratch import site_project

# Path parts: plain ones, the index names, Windows' device names in any case, reserved characters,
# trailing dots and spaces, and case variants of one another.
PARTS = ["gioi-thieu", "Gioi-Thieu", "tai-lieu", "ban", "index", "README", "readme", "aux", "Con", "nul.txt",
         "com1", "LPT9", "a:b", "x?", "q<", "dau.", "cach ", "ok.v1", "prn-1", "conin"]
SUFFIXES = [".md", ".md", ".png"]


@st.composite
def trees(draw) -> list[str]:
    paths = []
    for _ in range(draw(st.integers(1, 5))):
        folders = draw(st.lists(st.sampled_from(PARTS), max_size=2))
        name = draw(st.sampled_from(PARTS)) + draw(st.sampled_from(SUFFIXES))
        paths.append("/".join([*folders, name]))
    return paths


def windows_can_hold(name: str) -> bool:
    """Windows' naming rules (Naming Files, Paths, and Namespaces), stated here on their own."""
    device = name.split(".")[0].rstrip(" ").upper()
    return not (set(name) & set('<>:"|?*\\') or name.endswith((".", " ")) or
                device in {"CON", "PRN", "AUX", "NUL"} or
                (len(device) == 4 and device[:3] in ("COM", "LPT") and device[3] in "0123456789¹²³"))


def lands_at(path: str) -> str:
    """Where MkDocs writes a file of content/ (README.md is its folder's index, as index.md)."""
    if not path.endswith(".md"):
        return path
    folder, name = os.path.split(path[:-3])
    if name in ("index", "README"):
        return os.path.join(folder, "index.html")
    return os.path.join(folder, name, "index.html")


def write(root: Path, paths: list[str]) -> list[str]:
    """The paths a disk can hold together (a file and a folder of one name cannot be both)."""
    written = []
    for path in paths:
        target = root / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                continue
            target.write_text("# Trang\n", encoding="utf-8")
        except (NotADirectoryError, FileExistsError, IsADirectoryError):
            continue
        written.append(path)
    return written


@settings(max_examples=150, deadline=None)
@given(paths=trees())
def test_content_is_refused_exactly_when_it_cannot_land_on_every_disk(paths):
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "content"
        written = write(docs, paths)
        refused = {p.path.removeprefix("content/") for p in content_refusals(docs) if p.is_error}
        names_ok = {p for p in written if all(windows_can_hold(part) for part in [*p.split("/"),
                                                                                  *lands_at(p).split("/")])}
        assert refused >= set(written) - names_ok       # every name Windows cannot hold
        kept = [p for p in written if p not in refused]
        landed = [unicodedata.normalize("NFC", lands_at(p)).casefold() for p in kept]
        assert len(landed) == len(set(landed)), kept    # one file per address, on any disk
        folded = [unicodedata.normalize("NFC", lands_at(p)).casefold() for p in written]
        spelled = {}
        for path in written:      # every folder and file, of content/ and of the site
            pieces, out = path.split("/"), os.path.dirname(lands_at(path)).split("/")
            for part in [*("/".join(pieces[:i]) for i in range(1, len(pieces) + 1)),
                         *("/".join(out[:i]) for i in range(1, len(out) + 1) if out != [""])]:
                spelled.setdefault(unicodedata.normalize("NFC", part).casefold(), set()).add(part)
        clean = names_ok == set(written) and len(folded) == len(set(folded)) and \
            all(len(spellings) == 1 for spellings in spelled.values())
        assert refused == set() if clean else True, (refused, written)    # nothing refused that lands well


@pytest.mark.parametrize("files", [
    {"content/gt/README.md": "# A\n", "content/gt/index.md": "# B\n"},
    {"content/gt.md": "# A\n", "content/gt/index.md": "# B\n"},
    {"content/aux.md": "# A\n"},
    {"content/ghi-chu./a.md": "# A\n"},
], ids=["readme-beside-index", "page-beside-folder", "device-name", "trailing-dot"])
def test_validate_and_build_refuse_them_alike(tmp_path, capsys, files):
    root = site_project(tmp_path, files)
    assert main(["-C", str(root), "validate"]) == 1
    assert main(["-C", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "[content.path]" in err and not (root / "site").exists()


@given(st.lists(st.text("abcdeghiklmnopqrstuvxy-", min_size=1, max_size=30).filter(lambda n: n.strip("-") == n),
                min_size=1, max_size=8))
def test_a_page_too_deep_for_windows_to_unzip_is_refused(tmp_path_factory, folders):
    """Windows opens at most 260 characters of path; the offline copy is unzipped into a folder."""
    from generator.output_paths import MAX_OUTPUT_PATH, output_path

    docs = tmp_path_factory.mktemp("sau") / "content"
    path = docs.joinpath(*folders, "trang.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Trang\n", encoding="utf-8")
    relative = path.relative_to(docs).as_posix()
    problem = content_refusal(path, docs)
    too_long = len(output_path(relative)) > MAX_OUTPUT_PATH
    assert (problem is not None and problem.code == "content.path") == too_long, (relative, problem)
