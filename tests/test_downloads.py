"""Files for trainers (generator/downloads.py, download_links.py): built reproducibly, linked with their sizes, never dead."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from scratch import site_project

from generator import download_links, downloads
from generator.outputs import describe_size
from generator.cli import main
from generator.linkcheck import broken_links
from generator.pipeline import run
from generator.project import Project

COURSE = "khoa-mau"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The mini handbook's downloads built twice, then its site built with the first."""
    from test_print import _missing

    missing = _missing()
    if missing and os.environ.get("HANDBOOK_REQUIRE_PRINT") == "1":
        pytest.fail(f"HANDBOOK_REQUIRE_PRINT=1 but {missing}", pytrace=False)
    if missing:
        pytest.skip(missing)
    root = site_project(tmp_path_factory.mktemp("downloads"))
    result = run(Project.read(root))
    downloads.build(Project.read(root), result, root / "dist" / "tai-ve")
    downloads.build(Project.read(root), result, root / "dist" / "again")
    os.environ["HANDBOOK_DOWNLOADS"] = "dist/tai-ve"
    try:
        assert main(["-C", str(root), "build", "--strict"]) == 0
    finally:
        del os.environ["HANDBOOK_DOWNLOADS"]
    return root


def test_every_course_gets_a_zip_and_a_pdf_reproducibly(published):
    folder = published / "dist" / "tai-ve"
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert names == [f"khoa-hoc-{COURSE}.pdf", f"khoa-hoc-{COURSE}.zim", f"khoa-hoc-{COURSE}.zip",
                     "so-tay-offline.zim", "so-tay-offline.zip", "tai-ve.json"]
    for name in names:
        assert (folder / name).read_bytes() == (published / "dist" / "again" / name).read_bytes(), name


def test_course_page_and_home_link_the_files_with_their_sizes(published):
    from test_print import page_count

    folder, site = published / "dist" / "tai-ve", published / "site"
    zipped, printed = folder / f"khoa-hoc-{COURSE}.zip", folder / f"khoa-hoc-{COURSE}.pdf"
    course = (site / "khoa-hoc" / COURSE / "index.html").read_text(encoding="utf-8")
    assert (f'<a href="../../tai-ve/{zipped.name}">Tải gói ngoại tuyến (.zip, '
            f'{describe_size(zipped.stat().st_size)})</a>') in course
    assert f'<a href="../../tai-ve/{printed.name}">Tải bản in (.pdf, {page_count(printed)} trang)</a>' in course
    kiwix = folder / f"khoa-hoc-{COURSE}.zim"
    assert (f'<a href="../../tai-ve/{kiwix.name}">Đọc trên điện thoại bằng Kiwix (.zim, '
            f'{describe_size(kiwix.stat().st_size)})</a>') in course
    assert "mở bằng ứng dụng Kiwix" in course
    home = (site / "index.html").read_text(encoding="utf-8")
    whole, whole_zim = folder / "so-tay-offline.zip", folder / "so-tay-offline.zim"
    assert f'<a href="tai-ve/so-tay-offline.zip">Tải cả sổ tay thành gói ngoại tuyến (.zip, {describe_size(whole.stat().st_size)})</a>' in home
    assert (f'<a href="tai-ve/so-tay-offline.zim">Đọc cả sổ tay trên điện thoại bằng Kiwix (.zim, '
            f'{describe_size(whole_zim.stat().st_size)})</a>') in home
    for path in (zipped, printed, whole, kiwix, whole_zim):
        assert (site / "tai-ve" / path.name).read_bytes() == path.read_bytes()
    assert broken_links(site) == []


def test_without_the_files_no_link(mini_project):
    site = mini_project / "site"
    assert not (site / "tai-ve").exists()
    for page in (site / "index.html", site / "khoa-hoc" / COURSE / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "tai-ve" not in html and "Tải gói" not in html and "handbook:downloads" not in html


def test_only_files_the_manifest_vouches_for_are_linked(tmp_path):
    (tmp_path / f"khoa-hoc-{COURSE}.zip").write_bytes(b"z" * 2000)
    (tmp_path / f"khoa-hoc-{COURSE}.pdf").write_bytes(b"p" * 10)
    (tmp_path / "so-tay-offline.zip").write_bytes(b"w" * 10)
    (tmp_path / "khac.zip").write_bytes(b"k")
    (tmp_path / download_links.MANIFEST).write_text(json.dumps({
        f"khoa-hoc-{COURSE}.zip": {"bytes": 2000},
        f"khoa-hoc-{COURSE}.pdf": {"bytes": 10},            # no page count: not linked
        "so-tay-offline.zip": {"bytes": 11},                # another size: a stale manifest
        "../mkdocs.yml": {"bytes": 1}, "thieu.zip": {"bytes": 1},
    }), encoding="utf-8")
    files = download_links.available(tmp_path)
    assert sorted(files) == [f"khoa-hoc-{COURSE}.zip"]
    assert download_links.course_links(COURSE, files) == (
        f"**Tài liệu cho lớp học:** [Tải gói ngoại tuyến (.zip, 2 KB)](../tai-ve/khoa-hoc-{COURSE}.zip)\n")
    assert download_links.course_links("khac", files) == "" and download_links.whole_link(files, "index.md") == ""
    assert download_links.available(tmp_path / "khong-co") == {} and download_links.available(None) == {}


def test_a_course_zim_is_the_same_file_handbook_zim_writes(published, tmp_path):
    """The published ZIM is what `handbook zim --course` gives: Kiwix readers get the tested file."""
    out = tmp_path / "mot.zim"
    assert main(["-C", str(published), "zim", "--course", f"data/courses/{COURSE}.yaml", "-o", str(out)]) == 0
    assert out.read_bytes() == (published / "dist" / "tai-ve" / f"khoa-hoc-{COURSE}.zim").read_bytes()


def test_without_libzim_the_zims_are_left_out_and_said(monkeypatch):
    said = []
    monkeypatch.setitem(sys.modules, "libzim", None)        # import libzim raises ImportError
    assert downloads._zim_writer(said.append) is None
    assert len(said) == 1 and "libzim" in said[0] and "install.py publish" in said[0]


def test_a_kiwix_file_is_linked_with_how_to_open_it(tmp_path):
    (tmp_path / f"khoa-hoc-{COURSE}.zim").write_bytes(b"z" * 3000)
    (tmp_path / "so-tay-offline.zim").write_bytes(b"w" * 10)
    (tmp_path / "khoa-hoc-x.zim.zip").write_bytes(b"k")
    (tmp_path / download_links.MANIFEST).write_text(json.dumps({
        f"khoa-hoc-{COURSE}.zim": {"bytes": 3000}, "so-tay-offline.zim": {"bytes": 10},
        "khoa-hoc-x.zim.zip": {"bytes": 1}}), encoding="utf-8")
    files = download_links.available(tmp_path)
    assert sorted(files) == [f"khoa-hoc-{COURSE}.zim", "so-tay-offline.zim"]
    links = download_links.course_links(COURSE, files)
    assert links.startswith(f"**Tài liệu cho lớp học:** [Đọc trên điện thoại bằng Kiwix (.zim, 3 KB)]"
                            f"(../tai-ve/khoa-hoc-{COURSE}.zim)\n")
    assert download_links.KIWIX_HOW in links
    home = download_links.whole_link(files, "index.md")
    assert "(tai-ve/so-tay-offline.zim)" in home and download_links.KIWIX_HOW in home and ".zip" not in home
