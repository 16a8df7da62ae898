"""Check that every internal link and asset in a built site resolves.

MkDocs checks links written in Markdown; this checks the HTML that came out,
templates and theme included, the way a reader's browser will follow it.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, link) for every relative link in `site` whose target is missing."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.is_symlink() or not page.is_file():     # only the pages the build wrote
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        folder = page.parent.relative_to(site).as_posix()
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path or url.startswith("#"):
                continue
            base = "" if parts.path.startswith("/") else folder     # 404.html links from the site root
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
            path = site / target
            if target.startswith("..") or not (path.is_file() or (path / "index.html").is_file()):
                broken.append((page.relative_to(site).as_posix(), url))
    return broken
