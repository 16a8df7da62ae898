"""The site published at a project address, as GitHub Pages serves it.

A project site lives under `https://<org>.github.io/<repo>/`, and every miss under it is
answered with the site's `404.html`, whatever its depth. Pages link each other by relative
addresses; only the 404 page, served at any depth, needs the address (`site_url`, which the
workflow passes as HANDBOOK_SITE_URL). The mini handbook is built with that address and served
under `/so-tay/` by a server that answers as Pages does; chromium (see conftest.py) then opens the
404 page at several depths, the home page and a record page, and checks that their styles and
scripts load and that every address they hold resolves.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import pytest

from generator.cli import main
from scratch import site_project
from test_browser import DIRECTIVE_URL, TIMEOUT_MS, open_tab

PREFIX = "/so-tay/"
SITE_URL = "https://so-tay.example.org" + PREFIX    # another host than the server's: only its path counts


def pages_answer(site: Path, path: str) -> tuple[int, str | Path | None]:
    """What GitHub Pages answers for `path` of a project site at PREFIX: (status, file or redirect)."""
    if path == PREFIX.rstrip("/"):
        return 301, PREFIX
    if not path.startswith(PREFIX):
        return 404, None                 # another project's address: not ours to answer
    relative = posixpath.normpath(unquote(path[len(PREFIX):]) or ".")
    if relative.startswith(".."):
        return 404, None
    target = site / relative
    if target.is_dir():
        if not path.endswith("/"):
            return 301, path + "/"
        if (target / "index.html").is_file():
            return 200, target / "index.html"
    elif target.is_file():
        return 200, target
    return 404, site / "404.html"


class PagesHandler(BaseHTTPRequestHandler):
    site: Path

    def do_GET(self) -> None:
        self.answer(body=True)

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def answer(self, body: bool) -> None:
        status, what = pages_answer(self.site, urlsplit(self.path).path)
        data = what.read_bytes() if isinstance(what, Path) else b"Not Found"
        self.send_response(status)
        if status == 301:
            self.send_header("Location", what)
            data = b""
        kind = mimetypes.guess_type(what.name)[0] if isinstance(what, Path) else "text/plain"
        self.send_header("Content-Type", kind or "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """The mini handbook built with its address, served under PREFIX: (site folder, server origin)."""
    root = site_project(tmp_path_factory.mktemp("published"))
    before = os.environ.get("HANDBOOK_SITE_URL")
    os.environ["HANDBOOK_SITE_URL"] = SITE_URL.rstrip("/")      # as actions/configure-pages gives it
    try:
        assert main(["-C", str(root), "build", "--strict"]) == 0
    finally:
        if before is None:
            del os.environ["HANDBOOK_SITE_URL"]
        else:
            os.environ["HANDBOOK_SITE_URL"] = before
    handler = type("Handler", (PagesHandler,), {"site": root / "site"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="pages-server", daemon=True)
    thread.start()
    try:
        yield root / "site", f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def status_of(url: str) -> int:
    """The status at the end of the redirects, as a browser following the link sees it."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_MS / 1000) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- Without a browser ------------------------------------------------------------------------

def test_the_server_answers_as_pages_does(published):
    site, origin = published
    assert status_of(origin + PREFIX) == 200
    assert status_of(origin + PREFIX.rstrip("/")) == 200        # redirected to the folder
    assert status_of(origin + PREFIX + "van-ban") == 200
    assert status_of(origin + PREFIX + "khong-co-trang-nay/") == 404
    assert status_of(origin + "/assets/handbook.css") == 404     # the domain's root is not the site's


def test_the_address_fills_sitemap_and_link_previews(published):
    site, _ = published
    locations = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert SITE_URL in locations and SITE_URL + DIRECTIVE_URL.lstrip("/") in locations
    assert all(location.startswith(SITE_URL) for location in locations)
    page = (site / DIRECTIVE_URL.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:url" content="{SITE_URL}{DIRECTIVE_URL.lstrip("/")}">' in page
    assert f'<link rel="canonical" href="{SITE_URL}{DIRECTIVE_URL.lstrip("/")}">' in page


def test_check_links_reads_the_404_page_from_the_sites_address(published):
    from generator.linkcheck import broken_links

    site, _ = published
    assert "/so-tay/assets/" in (site / "404.html").read_text(encoding="utf-8")
    assert broken_links(site) == []


# --- In chromium ------------------------------------------------------------------------------

#: Every address a page holds, as the browser resolved it (fragments dropped).
ADDRESSES = """() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
    .map(e => e.href || e.src).filter(Boolean).map(u => u.split('#')[0])"""
#: Whether each stylesheet the page links was loaded and parsed.
STYLESHEETS = """() => [...document.querySelectorAll('link[rel=stylesheet]')]
    .map(l => [l.getAttribute('href'), !!(l.sheet && l.sheet.cssRules.length)])"""


@pytest.mark.browser
@pytest.mark.parametrize("path, status", [
    ("khong-co-trang-nay", 404),
    ("van-ban/khong-co/sau/nua/", 404),
    ("", 200),
    (DIRECTIVE_URL.lstrip("/"), 200),
])
def test_pages_work_at_a_project_address(browser, published, path, status):
    from playwright.sync_api import expect

    _, origin = published
    tab = open_tab(browser, origin)
    answers: dict[str, int] = {}
    tab.page.on("response", lambda response: answers.setdefault(response.url, response.status))
    try:
        response = tab.page.goto(origin + PREFIX + path)
        assert response is not None and response.status == status
        tab.page.wait_for_load_state("load")
        if status == 404:
            expect(tab.page.locator("article h1")).to_have_text("Không tìm thấy trang")

        sheets = tab.page.evaluate(STYLESHEETS)
        assert len(sheets) >= 4 and all(loaded for _, loaded in sheets), sheets
        # Material's styles and ours apply: a header bar, not the page's unstyled logo at full size.
        assert tab.page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
        assert tab.page.locator(".md-header .md-logo").bounding_box()["height"] <= 48
        # Material's script ran (it exposes its observables), and every file the page asked for came.
        assert tab.page.evaluate("() => typeof window.document$") == "object"
        scripts = tab.page.evaluate("() => [...document.querySelectorAll('script[src]')].map(s => s.src)")
        assert scripts and all(answers.get(src) == 200 for src in scripts), (scripts, answers)
        assert [url for url, code in answers.items() if code != 200 and url != response.url] == []

        addresses = sorted(set(tab.page.evaluate(ADDRESSES)))
        local = [a for a in addresses if a.startswith(origin)]
        assert all(urlsplit(a).path.startswith(PREFIX) for a in local), local
        assert [a for a in local if status_of(a) != 200] == []
        assert len(local) > 10

        # The search box works at any depth: worker and index come from the site's own folder.
        box = tab.page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("38-HD/BTCTW")
        box.press("End")
        first = tab.page.locator(".md-search-result__item a").first
        # The answer to the whole query (its terms in ?h=), not an earlier keystroke's ("38-" also puts it first).
        expect(first).to_have_attribute("href", re.compile(re.escape(DIRECTIVE_URL) + r"\?h=38\+HD\+BTCTW$"))
        target = urlunsplit(urlsplit(first.evaluate("a => a.href"))._replace(query="", fragment=""))
        assert target == origin + PREFIX + DIRECTIVE_URL.lstrip("/")
        assert tab.errors == []
    finally:
        tab.page.context.close()


# --- handbook check-links ---------------------------------------------------------------------

def test_link_checker_follows_anchors(tmp_path):
    from generator.linkcheck import broken_links

    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h2 id="dau">Đầu</h2><a href="#dau">ok</a><a href="#cuoi">hỏng</a><a href="#">lên đầu</a>'
        '<a href="a/#muc-1">ok</a><a href="a/index.html#muc%201">ok</a><a href="a/#muc-2">hỏng</a>'
        '<a href="a/#cu">ok</a><img src="a/x.svg#i">', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(
        '<p id="muc-1"></p><p id="muc 1"></p><a name="cu"></a><a href="../#dau">ok</a>', encoding="utf-8")
    (tmp_path / "a" / "x.svg").write_text("<svg/>", encoding="utf-8")
    assert broken_links(tmp_path) == [("index.html", "#cuoi"), ("index.html", "a/#muc-2")]


def test_link_checker_reads_the_404_pages_links_from_the_sites_path(tmp_path):
    from generator.linkcheck import broken_links, site_path

    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text("", encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<p id="x"></p>', encoding="utf-8")
    (tmp_path / "404.html").write_text('<a href="/so-tay/a/#x">ok</a><a href="/so-tay">ok</a>'
                                       '<a href="/a/">hỏng</a><a href="/so-tay/b/">hỏng</a>', encoding="utf-8")
    assert site_path(tmp_path) == "/"
    assert broken_links(tmp_path) == [("404.html", "/so-tay/a/#x"), ("404.html", "/so-tay"), ("404.html", "/so-tay/b/")]
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>https://o.github.io/so-tay/a/</loc></url>"
        "<url><loc>https://o.github.io/so-tay/</loc></url></urlset>", encoding="utf-8")
    assert site_path(tmp_path) == "/so-tay/"
    assert broken_links(tmp_path) == [("404.html", "/a/"), ("404.html", "/so-tay/b/")]
