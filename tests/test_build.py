"""End-to-end: `handbook build` on the mini handbook as a whole project.

The project's configuration, pages and theme with the mini handbook's records
(tests/scratch.py: site_project), so that an edit of data/ cannot fail these
tests; the real data is checked by tests/test_data.py. The tests that only read
the site share one build (conftest.py: mini_project); the others copy the
project into tmp_path. The command line runs in-process and never touches the
project's own site/.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from scratch import site_project
from generator.schema import KINDS, RELATION_TYPES

DIRECTIVE = "huong-dan-38-hd-btctw-2010"
DIRECTIVE_PAGE = f"van-ban/{DIRECTIVE}/index.html"
DIRECTIVE_TITLE = "Hướng dẫn số 38-HD/BTCTW"
#: The data folder of each kind with pages → its section of the site.
RECORD_SECTIONS = {kind.folder: kind.section for kind in KINDS.values() if kind.pages}


# --- Helpers -------------------------------------------------------------------

def build(root: Path, *, strict: bool = True) -> int:
    return main(["-C", str(root), "build", *(["--strict"] if strict else [])])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative POSIX path → bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging or old site folders that a build should never leave behind."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))


class Elements(HTMLParser):
    """Start tags with their attributes, and the text of <title> and <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "title":
            self._in_title = True
            self.titles.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def parse(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def backlinks(page_html: str, label: str, page: str) -> list[str]:
    """The pages (site paths) listed under the bold `label:` heading of `page`."""
    marker = f"<strong>{html.escape(label, quote=False)}:</strong>"
    assert marker in page_html, f"no list headed {label!r} on the page"
    after = page_html.split(marker, 1)[1]
    listing = after.split("</ul>", 1)[0]
    folder = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(folder, tag[1]["href"])) + "/"
            for tag in parse(listing).tags if tag[0] == "a"]


@pytest.fixture(scope="module")
def built(mini_project) -> Path:
    """The mini handbook, built once with --strict; tests must not modify it."""
    return mini_project


def record(root: Path, folder: str, record_id: str) -> dict:
    return yaml.safe_load((root / "data" / folder / f"{record_id}.yaml").read_text(encoding="utf-8"))


# --- The site -----------------------------------------------------------------------

def test_site_builds_strict(built):
    site = built / "site"
    assert (site / "index.html").is_file()
    assert (site / DIRECTIVE_PAGE).is_file()
    assert leftovers(built) == []

    # The search index (generator/search.py): the page's title is in one of its page chunks.
    chunks = "".join(p.read_text(encoding="utf-8") for p in (site / "search" / "hb").glob("d-*.js"))
    assert f'["van-ban/{DIRECTIVE}/","{DIRECTIVE_TITLE}' in chunks

    page = (site / DIRECTIVE_PAGE).read_text(encoding="utf-8")
    assert DIRECTIVE_TITLE in " ".join(parse(page).titles[0].split())


def test_record_pages_send_editors_to_the_form_not_to_a_data_file(built):
    """Readers see no file path; editors get "Sửa trang này", which opens the record in /admin/ from the
    page's own address (relative: the site may live under a project's sub-path)."""
    site = built / "site"
    for page in site.glob("*/*/index.html"):
        assert "Dữ liệu của trang này" not in page.read_text(encoding="utf-8")
    links = re.findall(r'<a class="hb-edit" href="([^"]+)">Sửa trang này</a>',
                       (site / DIRECTIVE_PAGE).read_text(encoding="utf-8"))
    assert links == [f"../../admin/#/collections/directives/entries/{DIRECTIVE}"]
    target = posixpath.normpath(posixpath.join(posixpath.dirname(DIRECTIVE_PAGE), links[0].split("#")[0]))
    assert (site / target / "index.html").is_file()
    # every record page has one, naming its own record in its own kind's collection
    for path in (built / "data").glob("*/*.yaml"):
        page = site / RECORD_SECTIONS.get(path.parent.name, "") / path.stem / "index.html"
        if path.parent.name in RECORD_SECTIONS and page.is_file():
            assert f'admin/#/collections/{path.parent.name}/entries/{path.stem}"' in page.read_text(encoding="utf-8")


def test_relation_is_shown_both_ways(built):
    [declared] = record(built, "directives", "ke-hoach-64-kh-tu-2013")["relations"]
    assert declared["target"] == DIRECTIVE
    relation = RELATION_TYPES[declared["type"]]
    assert relation.label != relation.backlabel       # a directed relation: each side has its own label

    site = built / "site"
    cited_page, citing_page = DIRECTIVE_PAGE, "van-ban/ke-hoach-64-kh-tu-2013/index.html"
    cited = (site / cited_page).read_text(encoding="utf-8")
    citing = (site / citing_page).read_text(encoding="utf-8")
    assert backlinks(cited, relation.backlabel, cited_page) == ["van-ban/ke-hoach-64-kh-tu-2013/"]
    assert backlinks(citing, relation.label, citing_page) == [f"van-ban/{DIRECTIVE}/"]
    # and not the wrong way round
    assert f"<strong>{relation.label}:</strong>" not in cited
    assert f"<strong>{relation.backlabel}:</strong>" not in citing


def test_builds_are_reproducible(built, tmp_path):
    """Another build of the same project, in another place, later and in another process (whose
    sets iterate in another order: another hash seed), gives the same bytes."""
    first, second = built, site_project(tmp_path / "b")
    assert "SOURCE_DATE_EPOCH" not in os.environ     # the build date is fixed for the build only
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    done = subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(second), "build", "--strict"],
                          env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    one, two = snapshot(first / "site"), snapshot(second / "site")
    assert "sitemap.xml.gz" in one
    assert one.keys() == two.keys()
    differing = [path for path in one if one[path] != two[path]]
    assert differing == []


# --- Failed builds keep the old site ----------------------------------------------

def test_data_error_keeps_previous_site(tmp_path, capsys):
    root = site_project(tmp_path)
    assert build(root) == 0
    before = snapshot(root / "site")
    assert DIRECTIVE_PAGE in before

    practice = root / "data/practices/tinh-a-chi-bo-bon-tot.yaml"
    record = yaml.safe_load(practice.read_text(encoding="utf-8"))
    record["directives"].append("van-ban-khong-ton-tai")
    practice.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")

    capsys.readouterr()
    assert build(root) != 0
    assert "van-ban-khong-ton-tai" in capsys.readouterr().err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_mkdocs_error_keeps_previous_site(tmp_path, capsys):
    root = site_project(tmp_path)
    assert build(root) == 0
    before = snapshot(root / "site")

    # The data is valid; MkDocs itself aborts under --strict on the broken link.
    (root / "content" / "gioi-thieu.md").write_text("# Giới thiệu\n\nXem [trang không có](khong-co.md).\n",
                                                    encoding="utf-8")
    capsys.readouterr()
    assert build(root) != 0
    err = capsys.readouterr().err
    assert "khong-co.md" in err and "1 cảnh báo ở chế độ --strict" in err and "Aborted" not in err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


@pytest.mark.parametrize("failure, said", [
    (MemoryError("hết bộ nhớ"), "không viết được chỉ mục tìm kiếm: MemoryError: hết bộ nhớ"),
    (OSError(28, "No space left on device", "t-dan.js"), "hết chỗ trống trên đĩa"),
])
def test_search_index_failure_keeps_previous_site(tmp_path, capsys, monkeypatch, failure, said):
    """The index is written by a forked copy of the build (generator/aside.py): if it fails,
    the build fails with it, says why as any other failure would, and the old site stays."""
    from generator import search

    root = site_project(tmp_path)
    assert build(root) == 0
    before = snapshot(root / "site")

    def broken(*args):
        raise failure
    monkeypatch.setattr(search, "build", broken)
    capsys.readouterr()
    assert build(root) != 0
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


# --- Record text cannot inject markup -------------------------------------------------

HOSTILE_TITLE = "Thử </title><script>window.__pwned=1</script> tiêu đề"
HOSTILE_DESCRIPTION = ('Mô tả <img src=x onerror="window.__pwned=2"> và [bấm](javascript:alert(1)), '
                       "hết.")


def unsafe_markup(text: str) -> list[str]:
    """Everything in an HTML page that would run the record's text as code."""
    found = [s for s in ("<script>window.__pwned", "<img src=x", 'href="javascript:') if s in text]
    for tag, attrs in parse(text).tags:
        found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        found += [f"<{tag} {name}={value}>" for name, value in attrs.items()
                  if name in ("href", "src") and value
                  and value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
        if tag == "img" and attrs.get("src") == "x":
            found.append("<img src=x>")
    return found


def add_practice(root: Path, record_id: str, title: str, description: str) -> str:
    (root / f"data/practices/{record_id}.yaml").write_text(yaml.safe_dump({
        "id": record_id,
        "title": title,
        "province": "tinh-a",
        "description": description,
        "sources": ["bai-mau"],
    }, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"cach-lam/{record_id}/index.html"


def test_record_text_cannot_inject_html(tmp_path, capsys):
    root = site_project(tmp_path)
    page = add_practice(root, "tinh-a-thu-chen-ma", HOSTILE_TITLE, HOSTILE_DESCRIPTION)

    assert build(root, strict=False) == 0
    err = capsys.readouterr().err
    assert "[text.html]" in err and "tinh-a-thu-chen-ma.yaml" in err

    site = root / "site"
    text = (site / page).read_text(encoding="utf-8")
    assert unsafe_markup(text) == []
    # only as visible text, or as the text of the description meta tag (content="…")
    assert "onerror=" not in text.replace('onerror="window.__pwned=2"&gt;', "").replace(
        'onerror=&quot;window.__pwned=2&quot;&gt;', "")

    # One <title>, showing the record's title exactly as written.
    titles = parse(text).titles
    assert len(titles) == 1
    # The title stays readable text; its "<" and ">" become ‹ › (the theme prints titles raw).
    assert titles[0].strip() == HOSTILE_TITLE.replace("<", "‹").replace(">", "›") + " - Sổ tay công tác xây dựng Đảng"

    # The text is shown, not dropped; the unsafe link keeps its label only.
    assert "&lt;img src=x" in text
    assert "bấm" in text

    # Pages that list the record (index, province, source) are safe too.
    for other in site.rglob("*.html"):
        assert unsafe_markup(other.read_text(encoding="utf-8")) == [], other.relative_to(site)


@pytest.mark.parametrize("description", [
    "Xem [[bấm]](javascript:alert(1)) nhé.",
    "Xem [bấm\\]](javascript:alert(1)) nhé.",
    "Xem [bấm`]`](javascript:alert(1)) nhé.",
])
def test_markdown_link_bypasses(tmp_path, description):
    root = site_project(tmp_path)
    page = add_practice(root, "tinh-a-thu-lien-ket", "Thử liên kết", description)
    assert build(root, strict=False) == 0
    assert unsafe_markup((root / "site" / page).read_text(encoding="utf-8")) == []


def test_every_internal_link_of_the_built_site_resolves(built):
    from generator.linkcheck import broken_links
    assert broken_links(built / "site") == []


def test_home_page_shows_what_the_handbook_holds(tmp_path):
    root = site_project(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\nmerged_on: \"2025-07-01\"\n",
        "data/directives/huong-dan-39.yaml": "id: huong-dan-39\ndoc_type: hướng dẫn\nsources: [bai-mau]\n"})
    assert build(root) == 0
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="van-ban/">Văn bản</a></td>\n<td>3</td>' in home
    assert '<a href="tinh-thanh/">Tỉnh, thành</a></td>\n<td>1 hiện nay, 1 tỉnh cũ</td>' in home


# --- What a reader, a link preview and a printout get (issue 12) ------------------------

def meta(page_html: str) -> dict[str, str]:
    """<meta> name/property → content, as a browser or a link preview reads them."""
    return {attrs.get("name") or attrs.get("property"): attrs.get("content")
            for tag, attrs in parse(page_html).tags if tag == "meta" and "content" in attrs}


def test_each_page_has_its_own_description_and_link_preview(built):
    site = built / "site"
    pages = {path: meta((site / path).read_text(encoding="utf-8"))
             for path in (DIRECTIVE_PAGE, "van-ban/ke-hoach-64-kh-tu-2013/index.html", "tinh-thanh/tinh-a/index.html",
                          "van-ban/index.html", "index.html")}
    descriptions = [m["description"] for m in pages.values()]
    assert len(set(descriptions)) == len(descriptions), descriptions
    directive = pages[DIRECTIVE_PAGE]
    assert directive["og:title"] == "Hướng dẫn số 38-HD/BTCTW ngày 9/3/2010"
    assert directive["og:description"] == directive["description"]
    assert directive["description"] == record(built, "directives", DIRECTIVE)["title"]
    assert directive["og:type"] == "article" and pages["index.html"]["og:type"] == "website"
    assert "og:url" not in directive          # mkdocs.yml sets no site_url: no address to claim


def test_interface_speaks_vietnamese(built):
    site = built / "site"
    page = (site / DIRECTIVE_PAGE).read_text(encoding="utf-8")
    for english in ("Made with", "Material for MkDocs", "Permanent link", 'aria-label="Tabs"'):
        assert english not in page, english
    assert 'title="Liên kết đến mục này"' in page
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in not_found and "Not found" not in not_found


def test_search_text_of_a_record_leaves_out_the_facts_table_and_diagram(built):
    # The preview the search shows for the page (its teaser in the handbook's own index)
    # starts with what the document is about, not with the facts table or the diagram.
    docs = " ".join(p.read_text(encoding="utf-8") for p in (built / "site" / "search" / "hb").glob("d-*.js"))
    teaser = re.search(rf'"van-ban/{DIRECTIVE}/","[^"]*","([^"]*)"', docs).group(1)
    assert teaser.startswith("Về xây dựng và hoàn thiện mô hình tổ chức"), teaser[:80]
    assert "Loại văn bản" not in teaser and "Cơ quan ban hành" not in teaser and "Lược đồ" not in teaser
    page = (built / "site" / DIRECTIVE_PAGE).read_text(encoding="utf-8")
    # Still on the page, for readers: marked where the page is written, in a div search skips.
    assert '<div data-search-exclude="">\n<table>' in page
    assert re.search(r'<div data-search-exclude="">\n<h2 id="luoc-do">.*?<div class="admonition luoc-do">', page, re.S)


def test_filters_script_is_loaded_on_the_directive_index_only(built):
    site = built / "site"
    scripts = lambda path: [a["src"] for tag, a in parse((site / path).read_text(encoding="utf-8")).tags
                            if tag == "script" and "src" in a]
    assert "../assets/filters.js" in scripts("van-ban/index.html")
    assert not any("filters.js" in s for s in scripts(DIRECTIVE_PAGE))
    assert (site / "assets" / "filters.js").is_file()


def test_printout_says_where_and_when(tmp_path, monkeypatch):
    root = site_project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")        # 2026-01-01 00:00 UTC
    assert build(root) == 0
    page = (root / "site" / DIRECTIVE_PAGE).read_text(encoding="utf-8")
    info = page.split('<p class="hb-print-info">', 1)[1].split("</p>", 1)[0]
    assert f"van-ban/{DIRECTIVE}/" in info and "Bản dựng ngày 1/1/2026" in info
    css = (root / "site" / "assets" / "reader.css").read_text(encoding="utf-8")
    assert re.search(r"@media print \{\s*\.hb-print-info \{\s*display: block;", css)    # shown on paper only


def test_every_page_carries_one_content_security_policy(built):
    """Every HTML file the build writes (404 and the form editor's page included) states its policy."""
    pages = sorted((built / "site").rglob("*.html"))
    assert len(pages) > 10
    missing = [p.relative_to(built / "site").as_posix() for p in pages
               if p.read_text(encoding="utf-8").count('http-equiv="Content-Security-Policy"') != 1]
    assert missing == []


def test_content_publishes_pages_and_pictures_only(tmp_path, capsys):
    """Each file content/ may not publish is named with its reason, the build stops without hanging
    (a pipe is never read) and an editor's backup file is simply left out."""
    root = site_project(tmp_path)
    content = root / "content"
    (content / "x.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    os.mkfifo(content / "ong.md")
    (content / "hong.md").write_bytes("# Trang\n\nTh\xff\xfe\n".encode("latin-1"))
    (content / "chu-de" / "sinh-hoat-chi-bo").mkdir(parents=True)
    (content / "chu-de" / "sinh-hoat-chi-bo" / "index.md").write_text("# Trùng\n", encoding="utf-8")
    capsys.readouterr()
    assert build(root) != 0
    err = capsys.readouterr().err
    for name in ("content/x.html", "content/ong.md", "content/hong.md:3:1", "content/chu-de/sinh-hoat-chi-bo/index.md"):
        assert f"{name}" in err and "content.refused" in err, name
    for path in ("x.html", "ong.md", "hong.md", "chu-de"):
        (content / path).unlink() if path != "chu-de" else shutil.rmtree(content / path)
    (content / "index.md~").write_text("# Bản cũ\n", encoding="utf-8")
    assert build(root) == 0
    assert not (root / "site" / "index.md~").exists()


def _plant(content: Path, case: str, outside: Path) -> None:
    if case == "hidden":
        (content / ".DS_Store").write_bytes(b"\0")
        (content / "bien-tap" / ".gitkeep").write_text("", encoding="utf-8")
    elif case == "linked-outside":
        (outside / "a.md").write_text("# Ngoài\n", encoding="utf-8")
        (content / "ngoai").symlink_to(outside)
    elif case == "linked-inside":
        (content / "goc").mkdir()
        (content / "goc" / "a.md").write_text("# Gốc\n", encoding="utf-8")
        (content / "bi-danh").symlink_to(content / "goc")
    elif case == "upper-case":
        (content / "Trang.MD").write_text("# Trang\n", encoding="utf-8")
    elif case == "collision":         # the directive index's path, and a topic page's address
        (content / "van-ban").mkdir()
        (content / "van-ban" / "index.md").write_text("# Văn bản\n", encoding="utf-8")
        (content / "chu-de" / "sinh-hoat-chi-bo").mkdir(parents=True)
        (content / "chu-de" / "sinh-hoat-chi-bo" / "README.md").write_text("# Trùng\n", encoding="utf-8")
    elif case == "name-not-utf8":
        (content / os.fsdecode(b"p\xe9.md")).write_text("# x\n", encoding="utf-8")


@pytest.mark.parametrize("case, published", [("hidden", True), ("linked-outside", False), ("linked-inside", False),
                                             ("upper-case", False), ("name-not-utf8", False),
                                             ("collision", False)])
def test_validate_and_build_agree_on_content(tmp_path, capsys, case, published):
    """What `handbook validate` lets through, the build publishes; what it refuses, the build refuses,
    by name and in Vietnamese (never a traceback)."""
    root = site_project(tmp_path / "p")
    (tmp_path / "o").mkdir()
    _plant(root / "content", case, tmp_path / "o")
    assert (main(["-C", str(root), "validate"]) == 0) is published
    assert (build(root) == 0) is published
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if not published:
        assert err.count("content.refused") >= 2      # once by validate, once by the build


def test_every_dialog_has_an_accessible_name(built):
    """Screen readers announce the search dialog by name (Lighthouse and axe: aria-dialog-name)."""
    for page in (built / "site").rglob("*.html"):
        for tag in re.findall(r"<[a-z]+\b[^>]*\brole=\"(?:alert)?dialog\"[^>]*>", page.read_text(encoding="utf-8")):
            assert re.search(r'\saria-label(?:ledby)?="[^"]+"', tag), (page, tag)
