"""Check that every internal link, asset and anchor in a built site resolves.

MkDocs checks links written in Markdown; this checks the HTML that came out,
templates and theme included, the way a reader's browser will follow it: the
file a link names must exist, and so must the element its `#anchor` names.
Pages link each other by relative addresses; only the 404 page, which a server
shows at any depth, links from the site's own path (`site_url`'s, which the
sitemap states), so such links are read from there.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """The addresses a page links to and the anchors it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            elif value and (name == "id" or (name == "name" and tag == "a")):
                self.anchors.add(value)


def site_path(site: Path) -> str:
    """The path the site is published under ("/" when its address is unknown): the shortest address
    in MkDocs' sitemap, the home page's, is `site_url` itself (or "/" without one)."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return "/"
    locations = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap.read_text(encoding="utf-8", errors="replace"))
    path = urlsplit(min(locations, key=len)).path if locations else "/"
    return path if path.endswith("/") else path + "/"


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, link) for every internal link in `site` whose file or anchor is missing."""
    pages: dict[str, _Page] = {}

    def read(name: str) -> _Page:
        if name not in pages:
            parser = pages[name] = _Page()
            parser.feed((site / name).read_text(encoding="utf-8", errors="replace"))
        return pages[name]

    root = site_path(site)
    broken = []
    for path in sorted(site.rglob("*.html")):
        if path.is_symlink() or not path.is_file():     # only the pages the build wrote
            continue
        page = path.relative_to(site).as_posix()
        folder = posixpath.dirname(page)
        for url in read(page).urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or (not parts.path and not parts.fragment):
                continue
            link = unquote(parts.path)
            if not link:                                    # "#anchor": on this page
                target = page
            else:
                if link.startswith("/"):                    # 404.html links from the site's own path
                    if not (link + "/").startswith(root):
                        broken.append((page, url))
                        continue
                    link, base = link[len(root):], ""
                else:
                    base = folder
                target = posixpath.normpath(posixpath.join(base, link))
                if target.startswith(".."):
                    broken.append((page, url))
                    continue
                if (site / target).is_dir() and (site / target / "index.html").is_file():
                    target = posixpath.normpath(posixpath.join(target, "index.html"))
                elif not (site / target).is_file():
                    broken.append((page, url))
                    continue
            anchor = unquote(parts.fragment)
            # "#/collections/…" is a route of the form editor's single-page app, not an element
            if anchor and not anchor.startswith("/") and target.endswith(".html") and anchor not in read(target).anchors:
                broken.append((page, url))
    return broken
