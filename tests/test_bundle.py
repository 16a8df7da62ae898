"""Offline bundles: `handbook bundle` zips the handbook, or one course of it, to open from file://.

The mini handbook as a project (tests/scratch.py: site_project, with the course
tests/fixtures/site/data/courses/khoa-mau.yaml) is bundled once per module (the
whole handbook and the course), with --strict; the browser tests unzip those same
zips. Tests that need other data make their own copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from generator.bundle import ASSETS, SHIM
from generator.courses import NOT_IN_COURSE
from generator.cli import main
from generator.outputs import ZIP_COMMENT
from scratch import SITE, scratch_project, site_project
from generator.linkcheck import broken_links
from generator.pipeline import run
from generator.project import Project
from generator.markup import link_text, page_path
from generator.schema import KINDS
from generator.search import EDITORS_AREA

COURSE = "khoa-mau"
COURSE_FILE = f"data/courses/{COURSE}.yaml"
DIRECTIVE = "huong-dan-38-hd-btctw-2010"


# --- Helpers -----------------------------------------------------------------------------------

def bundle(root: Path, *args: str) -> tuple[int, str]:
    """Run `handbook bundle` in-process; (exit code, what it printed)."""
    printed = io.StringIO()
    with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
        code = main(["-C", str(root), "bundle", *args])
    return code, printed.getvalue()


def unzip(archive: Path, dest: Path) -> Path:
    """Extract `archive` into `dest`; the bundle's one top folder."""
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(dest)
    [top] = list(dest.iterdir())
    return top


def html_pages(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}


def course_record(root: Path = SITE, course: str = COURSE) -> dict:
    return yaml.safe_load((root / "data" / "courses" / f"{course}.yaml").read_text(encoding="utf-8"))


def item_page(item: dict) -> str:
    """The bundle's HTML path of a reading-list item."""
    if "page" in item:
        return item["page"].removesuffix(".md") + ".html"
    [(kind, record_id)] = [(k, v) for k, v in item.items() if k in KINDS]
    return f"{KINDS[kind].section}/{record_id}.html"


class Tags(HTMLParser):
    """Start tags with their attributes; the text inside each <span class="ngoai-khoa-hoc">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.notes: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if self._depth:
            self._depth += tag == "span"
        elif tag == "span" and attrs.get("class") == "ngoai-khoa-hoc":
            self._depth = 1
            self.notes.append("")

    def handle_endtag(self, tag):
        if self._depth and tag == "span":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.notes[-1] += data


def tags(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def article(path: Path) -> str:
    """The page's main text, without Material's header, navigation and footer."""
    text = path.read_text(encoding="utf-8")
    return text.split("<article", 1)[1].split("</article>", 1)[0]


@dataclass
class Bundles:
    root: Path
    whole: Path
    course: Path
    output: dict[str, str]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> Bundles:
    """The mini handbook bundled once, whole and as one course, with --strict."""
    root = site_project(tmp_path_factory.mktemp("bundle"))
    code, whole_output = bundle(root, "--strict")
    assert code == 0, whole_output
    code, course_output = bundle(root, "--strict", "--course", COURSE_FILE)
    assert code == 0, course_output
    return Bundles(root, root / "so-tay-offline.zip", root / f"khoa-hoc-{COURSE}.zip",
                   {"whole": whole_output, "course": course_output})


@pytest.fixture(scope="module")
def unzipped(bundles, tmp_path_factory) -> dict[str, Path]:
    """Both bundles unpacked as a learner would; tests must not modify them."""
    return {name: unzip(getattr(bundles, name), tmp_path_factory.mktemp(f"unzipped-{name}"))
            for name in ("whole", "course")}


# --- The command --------------------------------------------------------------------------------

def test_prints_progress_size_and_page_count(bundles, unzipped):
    for name in ("whole", "course"):
        output = bundles.output[name]
        assert "Đang dựng bản ngoại tuyến" in output and "Đang nén" in output
        pages = len(html_pages(unzipped[name]))
        zip_name = getattr(bundles, name).name
        assert re.search(rf"Xong sau [\d.]+ giây: .*{re.escape(zip_name)} — [\d,]+ (KB|MB), {pages} trang\.",
                         output), output
    assert f"khóa học “{course_record()['title']}”" in bundles.output["course"]
    assert len(html_pages(unzipped["whole"])) > len(html_pages(unzipped["course"]))


def test_same_data_and_course_give_the_same_zip(bundles, tmp_path):
    other = site_project(tmp_path / "another-place")
    code, output = bundle(other, "--strict", "--course", COURSE, "-o", str(tmp_path / "again.zip"))
    assert code == 0, output
    assert (tmp_path / "again.zip").read_bytes() == bundles.course.read_bytes()


@pytest.mark.parametrize("name", ["whole", "course"])
def test_zip_entries_are_sorted_with_fixed_time_and_permissions(bundles, name):
    archive = getattr(bundles, name)
    with zipfile.ZipFile(archive) as zipped:
        infos = zipped.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert {n.split("/", 1)[0] for n in names} == {archive.stem}      # one folder: unzipping spills nothing
    assert f"{archive.stem}/index.html" in names
    for info in infos:
        assert not info.is_dir()
        assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
        assert info.external_attr >> 16 == 0o100644, info.filename
        assert info.compress_type == zipfile.ZIP_DEFLATED


@pytest.mark.parametrize("name", ["whole", "course"])
def test_bundle_carries_what_it_needs_and_nothing_unused(unzipped, name):
    folder = unzipped[name]
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert "search/search_index.js" in files
    for unused in ("sitemap.xml", "sitemap.xml.gz", "404.html", "search/search_index.json"):
        assert unused not in files
    assert not [f for f in files if f.endswith(".map")]
    # The handbook's search worker and index; Material's worker and lunr are not used.
    assert [f for f in files if "/lunr/" in f or "workers/search." in f] == []
    assert [f for f in files if f.startswith("assets/javascripts/workers/handbook-search.")]
    assert "search/hb/meta.js" in files and any(f.startswith("search/hb/t-") for f in files)
    # Our Worker stand-in for file:// at the address Material's offline plugin looks for,
    # and the licences of all third-party code.
    assert (folder / SHIM).read_bytes() == (ASSETS / "search" / "file-worker.js").read_bytes()
    notices = (folder / "giay-phep.txt").read_text(encoding="utf-8")
    for component in ("Material for MkDocs", "Material Design Icons"):
        assert component in notices


def test_vendored_shim_is_the_published_file():
    """iframe-worker 1.0.4, shim/index.js, as listed in generator/assets/README.md."""
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    for path in ("iframe-worker/shim.js", "iframe-worker/frame.js", "licenses/lunr.txt", "licenses/lunr-languages.txt",
                 "unicode/confusables.txt", "licenses/unicode.txt"):
        digest = hashlib.sha256((ASSETS / path).read_bytes()).hexdigest()
        assert f"`{path}`" in readme and digest in readme, path
    assert "MIT License" in (ASSETS / "iframe-worker" / "LICENSE").read_text(encoding="utf-8") or \
        "Permission is hereby granted" in (ASSETS / "iframe-worker" / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["whole", "course"])
def test_pages_load_nothing_from_other_hosts(unzipped, name):
    folder = unzipped[name]
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for tag, attrs in tags(page).tags:
            url = attrs.get("src") if tag in ("script", "img", "iframe") else \
                attrs.get("href") if tag == "link" else None
            if url:
                assert not urlsplit(url).scheme and not url.startswith("//"), (page.name, tag, url)
        assert "fonts.googleapis.com" not in text and "unpkg.com" not in text, page
        assert "iframe-worker/shim.js" in text, page
        assert '"navigation.instant' not in text, page


@pytest.mark.parametrize("name", ["whole", "course"])
def test_no_link_is_broken(unzipped, name):
    assert broken_links(unzipped[name]) == []


@pytest.mark.parametrize("name", ["whole", "course"])
def test_offline_copies_never_link_to_the_form_editor(unzipped, name):
    """/admin/ is not in a bundle, and needs a network and an account: no "Sửa trang này", no link there."""
    pages = list(unzipped[name].rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Sửa trang này" not in text and "class=\"hb-edit\"" not in text, page
        # (the editors' guide may name a local preview's http://127.0.0.1:8000/admin/: not the bundle's)
        assert not re.search(r'href="(?![a-z]+:)[^"]*admin/', text), page


@pytest.mark.parametrize("name", ["course"])       # the whole copy keeps it (same search results as online)
def test_offline_copies_leave_out_the_editors_guide(bundles, unzipped, name):
    """The editors' guide (content/bien-tap/, its pictures, the generated field reference) leads to
    the local editor: no offline copy carries it, names it in its navigation or footer, or links it."""
    assert list((bundles.root / "content" / EDITORS_AREA).glob("hinh/*.png"))      # there is a guide to leave out
    with zipfile.ZipFile(getattr(bundles, name)) as zipped:
        names = zipped.namelist()
    assert not [n for n in names if f"/{EDITORS_AREA}" in n]
    folder = unzipped[name]
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "127.0.0.1" not in text and "/admin/" not in text and "localhost" not in text, page
        assert "hb-editors-link" not in text and EDITORS_AREA not in text, page
    assert broken_links(folder) == []


# --- The course bundle ---------------------------------------------------------------------------

def test_course_bundle_holds_only_its_pages(unzipped):
    course = course_record()
    items = [item_page(item) for item in course["items"]]
    sources = [f"nguon/{s}.html" for s in course.get("sources", [])]
    sections = {posixpath.dirname(p) for p in items + sources if "/" in p}
    expected = {"index.html", *items, *sources, *(f"{s}/index.html" for s in sections)}
    assert html_pages(unzipped["course"]) == expected


def test_course_index_pages_list_only_the_course(unzipped):
    course = course_record()
    directives = {f"{d}.html" for d in (i.get("directive") for i in course["items"]) if d}
    listed = {attrs["href"] for tag, attrs in tags(unzipped["course"] / "van-ban" / "index.html").tags
              if tag == "a" and attrs.get("href", "").endswith(".html") and "/" not in attrs["href"]}
    # The index's own links are relative to van-ban/, so they name the record page only.
    assert listed - {"index.html"} == directives


def order_links(page: Path) -> list[tuple[str, str]]:
    """(class, href) of the previous/next links at the end of a page's article."""
    found = re.search(r'<nav [^>]*class="bai-ke"[^>]*>(.*?)</nav>', page.read_text(encoding="utf-8"), re.S)
    return re.findall(r'<a class="(bai-truoc|bai-sau)" href="([^"]+)"', found.group(1)) if found else []


def test_readings_link_to_the_previous_and_next_in_the_course_order(unzipped):
    folder = unzipped["course"]
    order = ["index.html", *dict.fromkeys(item_page(i) for i in course_record()["items"])]
    for at, path in enumerate(order):
        expected = [(name, posixpath.relpath(order[other], posixpath.dirname(path) or "."))
                    for name, other in (("bai-truoc", at - 1), ("bai-sau", at + 1)) if 0 <= other < len(order)]
        assert order_links(folder / path) == expected, path
    assert order_links(folder / "nguon" / f"{course_record()['sources'][0]}.html") == []   # not a reading
    assert not [p for p in unzipped["whole"].rglob("*.html") if order_links(p)]


def test_course_landing_page(unzipped):
    course = course_record()
    folder = unzipped["course"]
    landing = folder / "index.html"
    text = landing.read_text(encoding="utf-8")
    assert f"<title>{course['title']} - " in text
    body = article(landing)
    for objective in course["objectives"]:
        assert objective in html_text(body)
    # The reading order, linked from index.html.
    order = [attrs["href"] for tag, attrs in tags(landing).tags
             if tag == "a" and attrs.get("href", "").endswith(".html") and attrs["href"] in
             {item_page(i) for i in course["items"]}]
    assert list(dict.fromkeys(order))[:len(course["items"])] == [item_page(i) for i in course["items"]]
    for item in course["items"]:
        for question in item.get("questions", []):
            assert question in html_text(body)


def html_text(fragment: str) -> str:
    import html
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_links_out_of_the_course_become_plain_text(bundles, unzipped):
    """Each record a course page names but the course leaves out is shown, as plain text: no note
    in the facts tables, the reason in a title a reader can point at."""
    folder = unzipped["course"]
    handbook = run(Project.read(bundles.root)).handbook
    in_course = {p.removesuffix(".html") for p in html_pages(folder)} | {f"khoa-hoc/{COURSE}"}   # at index.html
    checked = 0
    for page in sorted(folder.rglob("*.html")):
        parsed = tags(page)
        links = [a.get("href", "") for t, a in parsed.tags if t == "a"]
        notes = [" ".join(n.split()) for n in parsed.notes]
        assert not [n for n in notes if NOT_IN_COURSE in n], notes
        assert all(a.get("title") == f"({NOT_IN_COURSE})" for t, a in parsed.tags
                   if t == "span" and a.get("class") == "ngoai-khoa-hoc")
        record_id = page.stem
        if record_id not in handbook.entries or page.name == "index.html":
            continue
        named = {e.id: e for g in handbook.outgoing.get(record_id, []) + handbook.incoming.get(record_id, [])
                 for e in g.entries}
        for entry in named.values():
            if page_path(entry).removesuffix(".md") in in_course:
                continue
            checked += 1
            assert not [href for href in links if href.endswith(f"/{entry.id}.html")], (page.name, entry.id)
            name = " ".join(link_text(handbook, entry).split())
            assert name in notes, (page.name, name)
    assert checked > 5


def test_source_page_links_to_the_course_at_index(unzipped):
    course = course_record()
    source = unzipped["course"] / "nguon" / f"{course['sources'][0]}.html"
    assert ("a", "../index.html") in [(t, a.get("href")) for t, a in tags(source).tags]


# --- Other data ------------------------------------------------------------------------------------

HOSTILE = 'Khóa </title><script>window.__pwned=1</script> "thử"'


def test_course_text_stays_text(tmp_path):
    root = site_project(tmp_path / "project")
    (root / "data/courses/thu.yaml").write_text(yaml.safe_dump({
        "id": "thu", "title": HOSTILE, "audience": "<b>cán bộ</b>", "duration": "[1 buổi](javascript:x)",
        "objectives": ["Biết <img src=x onerror=alert(1)> *đậm*"],
        "items": [{"directive": DIRECTIVE, "questions": ["Hỏi <script>x()</script> [a](javascript:y)?"]}],
    }, allow_unicode=True), encoding="utf-8")
    code, output = bundle(root, "--course", "thu", "-o", str(tmp_path / "thu.zip"))
    assert code == 0, output
    folder = unzip(tmp_path / "thu.zip", tmp_path / "out")
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in text and "<script>x()" not in text and "<img src=x" not in text
    assert "<b>cán bộ" not in text and 'href="javascript:' not in text
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL).group(1)
    assert title.startswith("Khóa ‹/title›‹script›window.__pwned=1‹/script›")     # text, never markup
    assert "*đậm*" in html_text(article(folder / "index.html"))


# A one-pixel PNG: a picture a written page shows.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
CONTENT_PAGE = """# Hướng dẫn học viên

![Sơ đồ lớp học](hinh/lop-hoc.png)

Đọc [Hướng dẫn 38](../van-ban/huong-dan-38-hd-btctw-2010.md) trước,
rồi xem [danh sách văn bản](../van-ban/index.md) và [các chủ đề](../chu-de/index.md).
"""


def test_course_with_a_written_page_and_a_site_config_that_needs_the_network(tmp_path):
    """A content page in the reading list keeps its links that stay in the course; mkdocs.yml's
    instant loading and repository button (which calls GitHub) are off in the bundle."""
    root = site_project(tmp_path / "project")
    (root / "content/hoc-vien").mkdir()
    (root / "content/hoc-vien/huong-dan.md").write_text(CONTENT_PAGE, encoding="utf-8")
    (root / "content/hoc-vien/hinh").mkdir()
    for picture in ("lop-hoc.png", "khong-dung.png"):       # the page shows the first only
        (root / "content/hoc-vien/hinh" / picture).write_bytes(PNG)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("    - navigation.tabs\n", "    - navigation.tabs\n    - navigation.instant\n")
    config = config.replace("# repo_url: https://github.com/<tổ-chức>/<kho>", "repo_url: https://github.com/vi-du/so-tay")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "data/courses/hoc-vien.yaml").write_text(yaml.safe_dump({
        "id": "hoc-vien", "title": "Khóa thử", "objectives": ["Đọc hướng dẫn."],
        "items": [{"page": "hoc-vien/huong-dan.md", "title": "Hướng dẫn học viên"}, {"directive": DIRECTIVE}],
    }, allow_unicode=True), encoding="utf-8")

    code, output = bundle(root, "--strict", "--course", "data/courses/hoc-vien.yaml")
    assert code == 0, output
    folder = unzip(root / "khoa-hoc-hoc-vien.zip", tmp_path / "out")
    assert html_pages(folder) == {"index.html", "hoc-vien/huong-dan.html", f"van-ban/{DIRECTIVE}.html",
                                  "van-ban/index.html"}
    pictures = {p.relative_to(folder).as_posix() for p in folder.rglob("*.png") if not p.is_relative_to(folder / "assets")}
    assert pictures == {"hoc-vien/hinh/lop-hoc.png"}           # what its pages show, nothing else of content/
    page = tags(folder / "hoc-vien" / "huong-dan.html")
    hrefs = [a.get("href") for t, a in page.tags if t == "a"]
    assert f"../van-ban/{DIRECTIVE}.html" in hrefs and "../van-ban/index.html" in hrefs
    assert [" ".join(n.split()) for n in page.notes] == ["các chủ đề"]
    assert "hoc-vien/huong-dan.html" in [a.get("href") for t, a in tags(folder / "index.html").tags if t == "a"]
    for html_page in folder.rglob("*.html"):
        text = html_page.read_text(encoding="utf-8")
        assert "navigation.instant" not in text and "github.com/vi-du" not in text, html_page
    assert broken_links(folder) == []


def test_unknown_course_is_refused_in_vietnamese(tmp_path):
    root = site_project(tmp_path / "project")
    code, output = bundle(root, "--course", "data/courses/khong-co.yaml")
    assert code == 1
    assert "không có khóa học nào mang mã `khong-co`" in output and COURSE in output
    assert not list(root.glob("*.zip"))


def test_failed_bundle_writes_nothing_and_keeps_the_old_zip(tmp_path):
    root = site_project(tmp_path / "project")
    out = tmp_path / "dich" / "khoa.zip"
    out.parent.mkdir()
    with zipfile.ZipFile(out, "w") as old:      # a bundle an earlier run wrote
        old.comment = ZIP_COMMENT
        old.writestr("a.txt", "old")
    before = out.read_bytes()
    (root / "content/hong.md").write_text("# Hỏng\n\n[không có](khong-co.md)\n", encoding="utf-8")
    (root / "data/courses/hong.yaml").write_text(yaml.safe_dump({
        "id": "hong", "title": "Hỏng", "objectives": ["Đọc trang."], "items": [{"page": "hong.md", "title": "Hỏng"}],
    }, allow_unicode=True), encoding="utf-8")
    code, output = bundle(root, "--strict", "--course", "hong", "-o", str(out))
    assert code == 1
    assert "chưa ghi tệp nào" in output and "khong-co.md" in output
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["khoa.zip"]


def test_page_that_would_need_the_network_is_refused(tmp_path):
    """Material loads Mermaid from a CDN to draw diagrams: such a bundle is refused, not shipped."""
    root = site_project(tmp_path / "project")
    (root / "content/so-do.md").write_text('# Sơ đồ\n\n<pre class="mermaid">graph TD; A-->B</pre>\n',
                                           encoding="utf-8")
    (root / "data/courses/so-do.yaml").write_text(yaml.safe_dump({
        "id": "so-do", "title": "Sơ đồ", "objectives": ["Đọc trang."], "items": [{"page": "so-do.md", "title": "Sơ đồ"}],
    }, allow_unicode=True), encoding="utf-8")
    code, output = bundle(root, "--course", "so-do")
    assert code == 1 and "Mermaid" in output and "so-do.html" in output
    assert not list(root.glob("*.zip"))


def test_course_page_must_exist(tmp_path):
    root = site_project(tmp_path / "project")
    (root / "data/courses/thieu.yaml").write_text(yaml.safe_dump({
        "id": "thieu", "title": "Thiếu", "objectives": ["Đọc trang."], "items": [{"page": "khong-co.md", "title": "?"}],
    }, allow_unicode=True), encoding="utf-8")
    code, output = bundle(root, "--course", "thieu")
    assert code == 1 and "[course.page] không có trang `khong-co.md` trong content/" in output
    assert not list(root.glob("*.zip")) and not list(root.glob(".*.part"))


# --- Validation of courses -----------------------------------------------------------------------

COURSE_YAML = """\
id: khoa-mau
title: Khóa mẫu
objectives:
  - Biết mô hình Chi bộ bốn tốt.
items:
  - model: chi-bo-bon-tot
  - directive: huong-dan-38-hd-btctw-2011
  - practice: chi-bo-bon-tot
  - model: chi-bo-bon-tot
    directive: huong-dan-38-hd-btctw-2010
  - page: gioi-thieu.md
sources: [bai-mau]
"""


def test_course_references_are_checked_where_they_are_written(tmp_path):
    root = scratch_project(tmp_path, {"data/courses/khoa-mau.yaml": COURSE_YAML})
    problems = run(Project.read(root)).problems
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [
        ("data/courses/khoa-mau.yaml", 7, 16, "ref.unknown"),     # a typo, with the close id as hint
        ("data/courses/khoa-mau.yaml", 8, 15, "ref.kind"),        # a model where a practice is named
        ("data/courses/khoa-mau.yaml", 9, 5, "field.value"),      # two records in one item
        ("data/courses/khoa-mau.yaml", 11, 5, "field.value"),     # a page without its title
    ], [p.format() for p in problems]
    assert "`huong-dan-38-hd-btctw-2010`" in problems[0].hint
    assert "đúng một trong các khóa" in problems[2].message and "title" in problems[3].message


def test_a_valid_course_renders_on_the_site(tmp_path):
    root = scratch_project(tmp_path, {"data/courses/khoa-mau.yaml": """\
id: khoa-mau
title: Khóa mẫu
audience: Bí thư chi bộ
objectives: [Biết mô hình Chi bộ bốn tốt.]
items:
  - model: chi-bo-bon-tot
    questions: [Mô hình căn cứ văn bản nào?]
  - directive: huong-dan-38-hd-btctw-2010
"""})
    result = run(Project.read(root))
    assert result.problems == []
    page = result.pages["khoa-hoc/khoa-mau.md"]
    assert "### 1. [Chi bộ bốn tốt](../mo-hinh/chi-bo-bon-tot.md)" in page
    assert "1. Mô hình căn cứ văn bản nào?" in page
    assert "[Khóa mẫu](../khoa-hoc/khoa-mau.md) — Bí thư chi bộ" in result.pages["khoa-hoc/index.md"]


# --- In a browser, from file:// ------------------------------------------------------------------------

@dataclass
class FileTab:
    page: object
    folder: Path
    requests: list[str]
    errors: list[str]

    def url(self, path: str) -> str:
        return (self.folder / path).as_uri()

    def h1(self) -> str:
        return self.page.locator("article h1").evaluate(
            "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
            " return c.textContent.replace(/\\s+/g, ' ').trim(); }")

    def search(self, query: str) -> list[str]:
        """The paths of the results for `query`. The box is cleared and its results gone first, and the
        query is put in whole then searched once (Material searches on keyup), so that the first
        results to show are this query's: no polling, no sleep."""
        from playwright.sync_api import expect

        box = self.page.locator("input.md-search__input")
        items = self.page.locator(".md-search-result__item")
        box.click()
        box.fill("")
        box.press("End")
        expect(items).to_have_count(0)
        box.fill(query)
        box.press("End")
        items.first.wait_for()
        return [urlsplit(a.get_attribute("href")).path
                for a in self.page.locator(".md-search-result__item a").all()]

    def not_file(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).scheme != "file"]


@pytest.fixture
def file_tab(browser):
    from test_browser import TIMEOUT_MS

    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)    # the policy holds from file:// too
    # Recorded above; never let a test reach the network.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())

    def open_folder(folder: Path) -> FileTab:
        return FileTab(page, folder, requests, errors)
    yield open_folder
    context.close()


@pytest.mark.browser
def test_whole_bundle_from_file(file_tab, unzipped):
    from playwright.sync_api import expect

    tab = file_tab(unzipped["whole"])
    tab.page.goto(tab.url("index.html"))
    assert "Sổ tay" in tab.h1()
    tab.page.locator("article a", has_text="Văn bản").first.click()
    expect(tab.page).to_have_url(tab.url("van-ban/index.html"))
    expect(tab.page.locator("form.hb-filters")).to_be_visible()      # the filters' script runs from file://
    tab.page.locator("article a", has_text="38-HD/BTCTW").first.click()
    expect(tab.page).to_have_url(tab.url(f"van-ban/{DIRECTIVE}.html"))
    assert "Hướng dẫn số 38-HD/BTCTW" in tab.h1()
    tab.page.go_back()
    expect(tab.page).to_have_url(tab.url("van-ban/index.html"))

    results = tab.search("38-HD/BTCTW")
    assert results[0] == unquote(urlsplit(tab.url(f"van-ban/{DIRECTIVE}.html")).path), results
    tab.page.locator(".md-search-result__item a").first.click()
    expect(tab.page).to_have_url(re.compile(re.escape(tab.url(f"van-ban/{DIRECTIVE}.html"))))

    assert any(url.endswith("/search/search_index.js") for url in tab.requests)
    assert any("iframe-worker/shim.js" in url for url in tab.requests)
    assert any(url.endswith("/search/hb/meta.js") for url in tab.requests)
    assert tab.not_file() == []
    assert tab.errors == []


@pytest.mark.browser
def test_course_bundle_from_file(file_tab, unzipped):
    from playwright.sync_api import expect

    course = course_record()
    first = item_page(course["items"][0])
    tab = file_tab(unzipped["course"])
    tab.page.goto(tab.url("index.html"))
    assert tab.h1() == course["title"]
    expect(tab.page.locator("article h2", has_text="Mục tiêu")).to_be_visible()

    # The first reading, and on it a record the course leaves out: text, not a link.
    tab.page.locator(f'article a[href="{first}"]').first.click()
    expect(tab.page).to_have_url(tab.url(first))
    outside = tab.page.locator("article span.ngoai-khoa-hoc").first
    expect(outside).to_have_attribute("title", f"({NOT_IN_COURSE})")
    expect(outside).not_to_contain_text(NOT_IN_COURSE)
    assert outside.locator("xpath=ancestor-or-self::a").count() == 0
    tab.page.go_back()
    expect(tab.page).to_have_url(tab.url("index.html"))

    # Search finds the course's records, and only pages that are in the bundle.
    results = tab.search("38-HD/BTCTW")
    assert results[0].endswith(f"/van-ban/{DIRECTIVE}.html"), results
    for path in results:
        assert Path(unquote(path)).is_file(), path
    tab.page.locator(".md-search-result__item a").first.click()
    expect(tab.page).to_have_url(re.compile(re.escape(tab.url(f"van-ban/{DIRECTIVE}.html"))))
    assert "38-HD/BTCTW" in tab.h1()
    # As on the site, words typed without diacritics find the page too.
    results = tab.search("hoan thien mo hinh to chuc")
    assert any(path.endswith(f"/van-ban/{DIRECTIVE}.html") for path in results), results

    assert tab.not_file() == []
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_bundle_pages_meet_wcag_21_aa(browser, unzipped, width):
    """The offline copies carry the site's palette and styles: their home, an index, a record,
    and the course's first reading with its notes on left-out links pass axe, from file://."""
    from axe import WIDTHS, require_axe, violations

    require_axe()
    first = item_page(course_record()["items"][0])
    pages = [("whole", "index.html"), ("whole", "van-ban/index.html"), ("whole", f"van-ban/{DIRECTIVE}.html"),
             ("course", "index.html"), ("course", first)]
    # bypass_csp: the injected axe script is not one the pages' policy allows (see tests/axe.py).
    context = browser.new_context(bypass_csp=True, **WIDTHS[width])
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())
    try:
        page = context.new_page()
        found = []
        for name, path in pages:
            page.goto((unzipped[name] / path).as_uri())
            assert page.evaluate("document.documentElement.lang") == "vi", path
            found += violations(page, f"{name}/{path}")
        assert found == [], "\n".join(found)
    finally:
        context.close()
