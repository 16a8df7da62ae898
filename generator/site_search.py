"""The handbook's own search in a built site: search.py makes the index, this puts it in place.

The site keeps Material's search box and answers it with the handbook's worker
(assets/search/) and index (search.INDEX_DIR): every finished page names our worker instead of
Material's, Material's search plugin reads no page (its search_index.json keeps only its
settings), and the index is made from every page's sanitised HTML (search.entries). A build
writes it aside, in a forked copy of itself, while the pages' templates render (12 s at 20k
records, hidden on a second core); `handbook serve` keeps it page by page and writes again only
the files an edit changed. HANDBOOK_SEARCH=material keeps Material's own, to measure it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from . import search
from .aside import Aside

#: Material's search worker, as each page's settings name it.
_MATERIAL_WORKER = re.compile(r"(assets/javascripts/workers/)search\.[0-9a-f]+\.min\.js")


def own_search() -> bool:
    """Our search worker, unless HANDBOOK_SEARCH=material (to measure Material's own)."""
    return os.environ.get("HANDBOOK_SEARCH", "handbook") != "material"


def worker() -> str | None:
    """Our search worker's source, or None for Material's own."""
    return search.worker_source() if own_search() else None


def with_own_worker(page: str, worker: str) -> str:
    """A finished page whose settings name our worker (`worker`: its source) instead of Material's."""
    return _MATERIAL_WORKER.sub(lambda m: m.group(1) + search.worker_name(worker), page, count=1)


def material_search_reads_no_pages(plugins) -> None:
    """Our index reads each page's text itself (search.entries): the search plugin need not parse
    every page again for an index it would write only for us to empty. Its settings, its search box
    and its (now empty) search_index.json stay. A tenth of a build at 20k records.

    `plugins` is the engine's plugin collection; its `events` (event → handlers) is not part of
    the plugins' API: tests/test_live.py checks it on the engines the locks allow."""
    plugin = next((p for name, p in plugins.items() if name.split("/")[-1] == "search"), None)
    events = getattr(plugins, "events", None)
    if plugin is not None and isinstance(events, dict) and "page_context" in events:
        events["page_context"] = [m for m in events["page_context"] if getattr(m, "__self__", None) is not plugin]


def location(file) -> str:
    """A page's URL as the search index writes it (Page.url: the home page is "")."""
    return "" if file.url in (".", "./") else file.url


def write_files(site: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")


def finish(site: Path, worker: str) -> None:
    """Our worker beside Material's, and Material's index emptied: its page script still loads
    the file and hands it to the worker, for the settings only."""
    write_files(site, {f"{search.WORKER_DIR}/{search.worker_name(worker)}": worker})
    path = site / "search" / "search_index.json"
    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(search.stub_index(index), ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")


class SiteIndex:
    """A site's search entries page by page, and its index (under serve, kept across rebuilds).

    `files` are the engine's files of the build; `handbook` and `locations` (generated page →
    URL) say what each page is (search.page_infos)."""

    def __init__(self) -> None:
        self.entries: dict[str, list[dict]] = {}       # page URL → its search entries (search.entries)
        self.index = search.Index()                     # serve: written again shard by shard
        self.indexing: Aside | None = None              # a build's index being written (on_env to on_post_build)

    def read(self, files) -> None:
        """The search entries of every page built this time (on its sanitised HTML); a page a dirty
        rebuild kept has no content and keeps its entries."""
        for file in files:
            page = file.page if file.is_documentation_page() else None
            if page is not None and page.content is not None:
                where = location(file)
                self.entries[where] = search.entries(page.content, where, page.title)

    def _input(self, files, handbook, locations) -> tuple[list[dict], dict[str, search.PageInfo]]:
        """Every page's entries in the pages' order (under serve a page kept from the last rebuild keeps
        its entries), and what the handbook says of each page."""
        pages = [location(f) for f in files if f.is_documentation_page()]
        self.entries = {page: self.entries[page] for page in pages if page in self.entries}
        docs = [entry for entries in self.entries.values() for entry in entries]
        return docs, search.page_infos(handbook, locations)

    def write_aside(self, site: Path, files, handbook, locations, glossary: dict[str, str]) -> None:
        """A build: read every page's text and write the index in a forked copy (`join` waits for it)."""
        def work() -> None:
            self.read(files)
            write_files(site, search.build(*self._input(files, handbook, locations), glossary))
        self.indexing = Aside(work)

    def join(self) -> None:
        """Wait for the index written aside; raises AsideError if it failed."""
        self.indexing.join()

    def forget_written(self) -> None:
        """Serve, after a failed rebuild: the index files on disk may be anything; write them all next time."""
        self.index = search.Index()

    def cancel(self) -> None:
        if self.indexing is not None:
            self.indexing.cancel()

    def update(self, site: Path, files, handbook, locations, glossary: dict[str, str]) -> None:
        """Serve: the index kept page by page; only the files that changed are written again."""
        own = self.index
        written = own.update(*self._input(files, handbook, locations), glossary)
        stale = set(own.removed)
        if own.changed == set(written):   # a fresh index: it never saw the files on disk
            stale |= {p.relative_to(site).as_posix() for p in (site / search.INDEX_DIR).glob("*.js")} - set(written)
        for name in sorted(stale):
            (site / name).unlink(missing_ok=True)
        write_files(site, {name: text for name, text in written.items()
                           if name in own.changed or not (site / name).is_file()})
