"""ZIM files for Kiwix: `handbook zim` writes the offline bundle's pages into one file.

The mini handbook as a project (tests/scratch.py: site_project, with the course
tests/fixtures/site/data/courses/khoa-mau.yaml) is written once per module, whole and as the
course, with --strict; the tests read those files back with libzim's own reader, check them
with Debian's `zimcheck` and serve them with Debian's `kiwix-serve` to chromium at phone width.

Without libzim, zimcheck or kiwix-serve the tests are skipped, unless HANDBOOK_REQUIRE_ZIM=1
(set in CI), where a missing tool is a failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import socket
import subprocess
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest
import yaml

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.sanitize import content_security_policy
from generator.search import EDITORS_AREA
from generator.text import fold
from generator.zim import SCRAPER, icon, index_text, kiwix_fold, plain_title
from scratch import site_project

COURSE = "khoa-mau"
COURSE_FILE = f"data/courses/{COURSE}.yaml"
TOOLS = {"zimcheck": "zim-tools", "kiwix-serve": "kiwix-tools"}


def _missing() -> str | None:
    try:
        import libzim  # noqa: F401
    except ImportError:
        return "libzim is not installed (pip install -e '.[test]')"
    for tool, package in TOOLS.items():
        if not shutil.which(tool):
            return f"{tool} is missing (apt-get install {package})"
    return None


@pytest.fixture(autouse=True, scope="module")
def _zim_tools():
    """Skip without the tools, except in CI (HANDBOOK_REQUIRE_ZIM=1), where that is a failure."""
    missing = _missing()
    if missing and os.environ.get("HANDBOOK_REQUIRE_ZIM") == "1":
        pytest.fail(f"HANDBOOK_REQUIRE_ZIM=1 but {missing}", pytrace=False)
    if missing:
        pytest.skip(missing)


# --- Helpers -----------------------------------------------------------------------------------

def handbook(root: Path, *args: str) -> tuple[int, str]:
    """Run `handbook` in-process; (exit code, what it printed)."""
    printed = io.StringIO()
    with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
        code = main(["-C", str(root), *args])
    return code, printed.getvalue()


@dataclass
class Written:
    root: Path
    whole: Path
    course: Path
    output: dict[str, str]
    bundle_pages: dict[str, set[str]]       # the offline zips' HTML pages, for comparison


@pytest.fixture(scope="module")
def zims(tmp_path_factory) -> Written:
    root = site_project(tmp_path_factory.mktemp("zim"))
    output, pages = {}, {}
    for name, args in (("whole", []), ("course", ["--course", COURSE_FILE])):
        code, output[name] = handbook(root, "zim", "--strict", *args)
        assert code == 0, output[name]
        code, printed = handbook(root, "bundle", "--strict", *args, "-o", str(root / f"{name}.zip"))
        assert code == 0, printed
        with zipfile.ZipFile(root / f"{name}.zip") as archive:
            pages[name] = {n.split("/", 1)[1] for n in archive.namelist() if n.endswith(".html")}
    return Written(root, root / "so-tay-offline.zim", root / f"khoa-hoc-{COURSE}.zim", output, pages)


def archive(path: Path):
    from libzim.reader import Archive
    return Archive(path)


def metadata(zim) -> dict[str, bytes]:
    return {key: bytes(zim.get_metadata(key)) for key in zim.metadata_keys}


def html_entries(zim) -> dict[str, str]:
    """Every HTML page of the archive (redirects left out): path → title."""
    found = {}
    for n in range(zim.all_entry_count):
        entry = zim._get_entry_by_id(n)
        if not entry.is_redirect and entry.get_item().mimetype == "text/html":
            found[entry.path] = entry.title
    return found


def full_text(zim, query: str) -> set[str]:
    from libzim.search import Query, Searcher
    search = Searcher(zim).search(Query().set_query(query))
    return set(search.getResults(0, 10_000))


def suggestions(zim, text: str) -> list[str]:
    """Kiwix's title suggestions for `text`, redirects followed to their page."""
    from libzim.suggestion import SuggestionSearcher
    found = SuggestionSearcher(zim).suggest(text).getResults(0, 20)
    return [zim.get_entry_by_path(path).get_item().path for path in found]


# --- The command --------------------------------------------------------------------------------

def test_prints_progress_size_and_page_count(zims):
    for name in ("whole", "course"):
        pages = len(zims.bundle_pages[name])
        file = getattr(zims, name).name
        assert re.search(rf"Xong sau [\d.]+ giây: .*{re.escape(file)} — [\d,]+ (KB|MB), {pages} trang\. .*Kiwix",
                         zims.output[name]), zims.output[name]
        assert "No stemming" not in zims.output[name] and "ZIM file is ready" not in zims.output[name]


def test_same_data_give_the_same_bytes(zims, tmp_path):
    # A copy elsewhere, outside git: the data's date is its newest file time, which a copy keeps.
    other = tmp_path / "elsewhere"
    shutil.copytree(zims.root, other, ignore=shutil.ignore_patterns("*.zim", "*.zip"))
    code, output = handbook(other, "zim", "--course", COURSE, "-o", str(tmp_path / "again.zim"))
    assert code == 0, output
    assert (tmp_path / "again.zim").read_bytes() == zims.course.read_bytes()


# --- Read back with libzim ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["whole", "course"])
def test_pages_main_page_and_checksum(zims, name):
    zim = archive(getattr(zims, name))
    assert zim.check()                                    # the MD5 at the end matches the bytes
    assert zim.main_entry.get_item().path == "index.html"
    pages = html_entries(zim)
    assert set(pages) == zims.bundle_pages[name]          # the offline bundle's pages, no more, no fewer
    assert all(title and " - " not in title for title in pages.values()), pages     # the page's own title
    assert zim.has_entry_by_path("search/search_index.json")     # Material asks for it over HTTP
    assert zim.has_entry_by_path("giay-phep.txt")


@pytest.mark.parametrize("name", ["course"])       # the whole copy keeps it (same search results as online)
def test_the_editors_guide_stays_online(zims, name):
    """No entry of the editors' guide (its pages lead to the local editor, its pictures serve no reader),
    and no page links it or the local editor."""
    zim = archive(getattr(zims, name))
    paths = [zim._get_entry_by_id(n).path for n in range(zim.all_entry_count)]
    assert paths and not [p for p in paths if p.startswith(EDITORS_AREA)]
    for path in html_entries(zim):
        text = bytes(zim.get_entry_by_path(path).get_item().content).decode("utf-8")
        assert "127.0.0.1" not in text and "/admin/" not in text and EDITORS_AREA not in text, path


def test_metadata_kiwix_shows(zims):
    whole, course = metadata(archive(zims.whole)), metadata(archive(zims.course))
    from generator.engine import yaml_load
    site = yaml_load((zims.root / "mkdocs.yml").read_bytes())       # MkDocs' own loader: !ENV, !!python/name
    title = yaml.safe_load((zims.root / COURSE_FILE).read_text(encoding="utf-8"))["title"]
    for found in (whole, course):
        assert found["Language"] == b"vie"
        assert re.fullmatch(rb"\d{4}-\d{2}-\d{2}", found["Date"])
        assert found["Creator"] and found["Publisher"] and found["Tags"]
        assert found["Scraper"] == SCRAPER.encode()
        assert found["Illustration_48x48@1"] == icon()
        assert len(found["Title"].decode()) <= 30 and len(found["Description"].decode()) <= 80
    assert whole["Title"].decode() == site["site_name"]
    assert whole["Name"] == b"so-tay-xay-dung-dang_vi_all" and "Flavour" not in whole
    assert course["Flavour"] == COURSE.encode() and course["Name"] != whole["Name"]
    assert title in course["LongDescription"].decode()


def test_icon_is_a_48_pixel_png():
    png = icon()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[16:24] == (48).to_bytes(4, "big") * 2


def test_full_text_search_folds_d_and_knows_abbreviations(zims):
    zim = archive(zims.whole)
    for plain, written in (("dia phuong", "địa phương"), ("dang", "Đảng"), ("chi bo bon tot", "Chi bộ bốn tốt")):
        found = full_text(zim, plain)
        assert found and found == full_text(zim, written), (plain, written)
    abbreviated = full_text(zim, "btctw")
    assert abbreviated and abbreviated == full_text(zim, "ban tổ chức trung ương")


def test_title_suggestions_without_diacritics(zims):
    zim = archive(zims.whole)
    titles = html_entries(zim)
    with_d = next(path for path, title in sorted(titles.items()) if "đ" in title.lower() and path != "index.html")
    plain = plain_title(titles[with_d])
    assert with_d in suggestions(zim, plain)
    assert with_d in suggestions(zim, titles[with_d])
    assert "mo-hinh/chi-bo-bon-tot.html" in suggestions(zim, "chi bo bon tot")


# Vietnamese words as editors type them: letters with every tone and vowel mark, đ/Đ, digits.
SYLLABLE = st.text("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                   "ĐAÂBDEÊOÔƠUƯ0123456789", min_size=1, max_size=7)
WORDS = st.lists(SYLLABLE, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(text=WORDS, abbreviation=SYLLABLE, expansion=WORDS)
def test_index_text_holds_every_word_as_kiwix_folds_it_and_with_d(text, abbreviation, expansion):
    """Whatever a page says, a query typed with or without diacritics (Kiwix folds it with
    kiwix_fold) finds each of its words; abbreviations bring their expansions along."""
    import html
    indexed = index_text("Tiêu đề", f"<p>{html.escape(text)}</p>", {abbreviation: expansion}).split()
    for word in text.split():
        assert kiwix_fold(word) in indexed and fold(word) in indexed
        assert unicodedata.normalize("NFC", word).lower() in indexed       # as written: libzim 8 folds nothing
        assert kiwix_fold(plain_title(word)) in indexed     # typed without any mark
    if abbreviation in text.split():
        assert all(fold(word) in indexed for word in expansion.split())


@given(title=WORDS)
def test_plain_titles_have_no_marks_and_fold_alike(title):
    plain = plain_title(title)
    assert plain.isascii()
    assert fold(plain) == fold(title) and kiwix_fold(plain) == fold(title)


def test_kiwix_policy_allows_one_handler_more_and_nothing_else():
    page = "<html><head><meta charset=\"utf-8\"></head><body></body></html>"
    web = set(content_security_policy(page).split("script-src ")[1].split(";")[0].split())
    kiwix = set(content_security_policy(page, kiwix=True).split("script-src ")[1].split(";")[0].split())
    assert kiwix - web == {"'unsafe-hashes'", "'sha256-47mKTaMaEn1L3m5DAz9muidMqw636xxw7EFAK/YnPdg='"}   # of "t"
    assert "'unsafe-inline'" not in kiwix and "'unsafe-eval'" not in kiwix


# --- zimcheck -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["whole", "course"])
def test_zimcheck_passes(zims, name):
    """Every check but the low-level one (next test): metadata, favicon, main page, checksum,
    empty entries, redundancies, internal and external URLs, redirect loops."""
    checked = subprocess.run(["zimcheck", "-0", "-C", "-M", "-F", "-P", "-R", "-U", "-X", "-D", "-L",
                              str(getattr(zims, name))], capture_output=True, text=True, timeout=300)
    assert "Overall Test Status: Pass" in checked.stdout, checked.stdout + checked.stderr


def test_zimcheck_integrity_fails_only_on_the_dropped_title_listing(zims):
    """libzim 9 no longer writes the v0 title listing (its header says so with all ones); Debian 12's
    zimcheck, on libzim 8, reads that as a table outside the file (openzim/zim-tools#484). Nothing
    else may fail, and a zimcheck that knows better passes."""
    checked = subprocess.run(["zimcheck", "-I", str(zims.whole)], capture_output=True, text=True, timeout=300)
    out = checked.stdout + checked.stderr
    if "Overall Test Status: Pass" in out:
        return
    complaints = [line for line in out.splitlines()
                  if not line.startswith("[INFO]") and "low level structure is invalid" not in line
                  and "Invalid low-level structure" not in line]
    assert complaints == ["Full Title index table outside (or not fully inside) ZIM file."], out


# --- Output safety --------------------------------------------------------------------------------

def test_bad_data_writes_nothing(tmp_path):
    root = site_project(tmp_path / "project", {"data/models/chi-bo-bon-tot.yaml": "id: chi-bo-bon-tot\nname: [\n"})
    code, output = handbook(root, "zim")
    assert code == 1 and "lỗi" in output
    assert not list(root.rglob("*.zim")) and not list(root.rglob("*.part"))


def test_unknown_course_is_refused_in_vietnamese(tmp_path):
    root = site_project(tmp_path / "project")
    code, output = handbook(root, "zim", "--course", "khong-co")
    assert code == 1 and "không có khóa học nào mang mã `khong-co`" in output
    assert not list(root.rglob("*.zim"))


def test_only_its_own_zim_is_replaced(zims, tmp_path):
    root = site_project(tmp_path / "project")
    other = tmp_path / "cua-nguoi-khac.zim"
    other.write_bytes(b"ZIM\x04 not ours")
    code, output = handbook(root, "zim", "--course", COURSE, "-o", str(other))
    assert code == 1 and "không do `handbook zim` tạo ra" in output
    assert other.read_bytes() == b"ZIM\x04 not ours"
    ours = tmp_path / "khoa.zim"
    shutil.copyfile(zims.course, ours)
    assert handbook(root, "zim", "--course", COURSE, "-o", str(ours))[0] == 0
    for target in ("data/khoa.zim", "khoa.zip"):
        code, output = handbook(root, "zim", "-o", str(root / target))
        assert code == 1 and not (root / target).exists(), output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cua-nguoi-khac.zim", "khoa.zim", "project"]


def test_failed_build_keeps_the_old_zim(zims, tmp_path):
    root = site_project(tmp_path / "project")
    (root / "content/hong.md").write_text("# Hỏng\n\n[không có](khong-co.md)\n", encoding="utf-8")
    (root / "data/courses/hong.yaml").write_text(yaml.safe_dump({
        "id": "hong", "title": "Hỏng", "objectives": ["Đọc trang."], "items": [{"page": "hong.md", "title": "Hỏng"}],
    }, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "dich" / "khoa.zim"
    out.parent.mkdir()
    shutil.copyfile(zims.course, out)
    code, output = handbook(root, "zim", "--strict", "--course", "hong", "-o", str(out))
    assert code == 1 and "chưa ghi tệp nào" in output
    assert out.read_bytes() == zims.course.read_bytes()
    assert sorted(p.name for p in out.parent.iterdir()) == ["khoa.zim"]


# --- kiwix-serve in chromium ----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def kiwix_serve(zim: Path):
    """`kiwix-serve` on 127.0.0.1 with `zim`; the book's base URL."""
    port = _free_port()
    server = subprocess.Popen(["kiwix-serve", "--address", "127.0.0.1", "--port", str(port), str(zim)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                catalog = urlopen(f"{base}/catalog/v2/entries", timeout=5).read().decode()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("kiwix-serve did not start") from None
                time.sleep(0.1)
        book = re.search(r'<link type="text/html" href="([^"]+)"', catalog).group(1)
        yield base, f"{base}{book}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.browser
def test_kiwix_serve_on_a_phone(browser, zims):
    from playwright.sync_api import expect
    from test_browser import PHONE, TIMEOUT_MS

    with kiwix_serve(zims.whole) as (server, book):
        context = browser.new_context(**PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        requests, errors = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server + "/")
                      else route.abort())
        try:
            page.goto(book + "index.html")
            expect(page.locator("article h1")).to_contain_text("Sổ tay")

            # The handbook's own search, typed without diacritics, on a phone.
            page.locator("label.md-search__icon, label[for='__search']").first.click()
            box = page.locator("input.md-search__input")
            box.press_sequentially("chi bo bon tot")
            first = page.locator(".md-search-result__item a").first
            expect(first).to_have_attribute("href", re.compile(r"mo-hinh/chi-bo-bon-tot\.html"))
            first.click()
            expect(page).to_have_url(re.compile(re.escape(book + "mo-hinh/chi-bo-bon-tot.html") + r"(\?h=.*)?$"))
            expect(page.locator("article h1")).to_contain_text("Chi bộ bốn tốt")

            # A link in the text leads to its page.
            link = page.locator("article a[href$='.html']:not(.headerlink)").first
            target = urlsplit(link.evaluate("a => a.href")).path
            link.click()
            expect(page).to_have_url(re.compile(re.escape(target) + "$"))
            expect(page.locator("article h1")).to_be_visible()

            # Kiwix's toolbar works under the page's policy: its title suggestions, without diacritics.
            # Keys typed before Kiwix's script has wired the box are lost on a busy machine: type
            # again until it answers (each try waits on the condition, with a ceiling).
            kiwix_box = page.locator("#kiwixsearchbox")
            suggestion = page.locator(".ui-autocomplete li").first
            for _ in range(5):
                kiwix_box.fill("")
                kiwix_box.click()
                kiwix_box.press_sequentially("chi bo bon tot")
                try:
                    suggestion.wait_for(timeout=15_000)
                    break
                except Exception:  # noqa: BLE001 – not wired yet
                    continue
            expect(suggestion).to_contain_text("Chi bộ bốn tốt")

            # The policy still stops what it always stopped: a handler other than jQuery's test.
            ran = page.evaluate("""() => new Promise(done => {
                window.__ran = false;
                document.querySelector("article").insertAdjacentHTML("beforeend",
                    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__ran = true">');
                setTimeout(() => done(window.__ran), 300);
            })""")
            assert ran is False
            assert len(errors) == 1 and "Content Security Policy" in errors.pop()

            # Kiwix's own full-text search, without diacritics: the page among the first results.
            page.goto(f"{server}/search?content={book.strip('/').rsplit('/', 1)[-1]}&pattern=chi+bo+bon+tot")
            page.locator(".results a").first.wait_for()
            hrefs = [a.get_attribute("href") for a in page.locator(".results a").all()[:5]]
            assert any(href.endswith("/mo-hinh/chi-bo-bon-tot.html") for href in hrefs), hrefs
        finally:
            context.close()
    assert [url for url in requests if not url.startswith(server + "/")] == []
    assert errors == []


# --- Readers on libzim 8, and the file's safety ----------------------------------------------------

def test_kiwix_serve_finds_words_typed_with_their_marks(zims):
    """Debian 12's kiwix-serve (libzim 8) folds no query: "địa phương" typed with its marks finds the
    pages "dia phuong" finds."""
    with kiwix_serve(zims.whole) as (server, book):
        name = book.strip("/").rsplit("/", 1)[-1]

        def found(query: str) -> list[str]:
            page = urlopen(f"{server}/search?content={name}&pattern={quote(query)}", timeout=60).read().decode()
            return re.findall(r'<a href="/[^"]*?/([^"/]+/[^"/]+\.html)"', page)

        for written, plain, expected in (("chi bộ bốn tốt", "chi bo bon tot", "mo-hinh/chi-bo-bon-tot.html"),
                                         ("Địa phương", "dia phuong", None)):
            with_marks, without = found(written), found(plain)
            assert with_marks, written
            assert expected is None or expected in with_marks[:5], (written, with_marks)
            assert set(with_marks[:5]) & set(without[:5]), (written, with_marks, without)


def test_a_named_pipe_at_the_output_is_refused_not_read(zims, tmp_path):
    fifo = tmp_path / "hang.zim"
    os.mkfifo(fifo)
    code, output = handbook(zims.root, "zim", "--course", COURSE_FILE, "-o", str(fifo))
    assert code == 1 and "không phải một tệp thông thường" in output
    assert fifo.is_fifo()


def test_a_full_disk_is_said_in_vietnamese_and_leaves_nothing(zims, tmp_path, monkeypatch):
    import libzim.writer

    class Full(libzim.writer.Creator):
        def add_item(self, item):
            raise RuntimeError("Asynchronous error: St13runtime_error\nNo space left on device")

    monkeypatch.setattr(libzim.writer, "Creator", Full)
    out = tmp_path / "day.zim"
    code, output = handbook(zims.root, "zim", "--course", COURSE_FILE, "-o", str(out))
    assert code == 1 and "hết chỗ trống trên đĩa" in output and "Traceback" not in output
    assert list(tmp_path.iterdir()) == []


def test_what_killed_runs_left_is_cleared_and_a_live_runs_is_not(zims, tmp_path):
    out = tmp_path / "k.zim"
    dead = _dead_pid()
    left = [tmp_path / f".k.zim.{dead}.part.tmp", tmp_path / f".k.zim.{dead}.part_fulltext.idx.tmp"]
    left[0].write_bytes(b"x")
    left[1].mkdir()
    running = subprocess.Popen(["sleep", "600"])        # another run, still writing
    try:
        live = tmp_path / f".k.zim.{running.pid}.part.tmp"
        live.write_bytes(b"y")
        code, output = handbook(zims.root, "zim", "--course", COURSE_FILE, "-o", str(out))
    finally:
        running.kill()
        running.wait()
    assert code == 0, output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["k.zim", live.name])


def test_a_file_put_at_the_output_while_writing_is_kept(zims, tmp_path, monkeypatch):
    from generator import zim

    out = tmp_path / "quy.zim"
    real = zim.make_reproducible

    def meanwhile(path):
        real(path)
        out.write_text("của người khác", encoding="utf-8")

    monkeypatch.setattr(zim, "make_reproducible", meanwhile)
    code, output = handbook(zims.root, "zim", "--course", COURSE_FILE, "-o", str(out))
    assert code == 1 and "không bị ghi đè" in output
    assert out.read_text(encoding="utf-8") == "của người khác"
    assert [p.name for p in tmp_path.iterdir()] == ["quy.zim"]


def _dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
