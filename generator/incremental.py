"""Render again only the pages an edit can change (`handbook serve`).

A page is a function of its own record, of the records its rendering looked
at and of the link groups it read (render.Reads notes both). After an edit
the pages to render again are therefore those of the changed records, those
that looked at a changed record, and those that read the links of a record a
changed one points at (old or new target: its backlinks changed). Index
pages list whole kinds and are always rendered again. A change of glossary
(abbreviation tooltips on every page) renders everything. The result equals
a full render: tests/test_incremental.py checks it on random edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .link import Handbook
from .render import Reads, page_path, render_pages


@dataclass
class Rendered:
    """The pages of one handbook and what each record page read."""

    handbook: Handbook
    pages: dict[str, str]
    reads: dict[str, Reads] = field(default_factory=dict)


def render_all(handbook: Handbook) -> Rendered:
    pages, reads = render_pages(handbook)
    return Rendered(handbook, pages, reads)


def changed_ids(old: Handbook, new: Handbook) -> set[str]:
    """Records added, removed or different (content, kind or file)."""
    changed = {i for i, e in new.entries.items() if old.entries.get(i) != e}
    return changed | (old.entries.keys() - new.entries.keys())


def _targets(handbook: Handbook, ids: set[str]) -> set[str]:
    """Every record the records in `ids` link to (both directions of a symmetric relation included)."""
    found: set[str] = set()
    for entry_id in ids:
        for group in handbook.outgoing.get(entry_id, ()):
            found.update(e.id for e in group.entries)
    return found


def rerender(previous: Rendered, handbook: Handbook) -> tuple[Rendered, set[str]]:
    """The pages of `handbook`, reusing `previous` where nothing they read changed; and the paths rendered."""
    old = previous.handbook
    if old.glossary() != handbook.glossary():
        done = render_all(handbook)
        return done, set(done.pages)
    changed = changed_ids(old, handbook)
    moved_links = changed | _targets(old, changed) | _targets(handbook, changed)
    stale = {path for path, reads in previous.reads.items()
             if reads.records & changed or reads.links & moved_links}
    redo = {e.id for e in handbook.entries.values() if e.id in changed or page_path(e) in stale}
    fresh, reads = render_pages(handbook, only=redo)
    wanted = {page_path(e) for e in handbook.entries.values() if e.kind.name != "glossary"}
    pages = {path: text for path, text in previous.pages.items()
             if path not in fresh and (path in wanted or path not in previous.reads)}
    pages.update(fresh)
    kept_reads = {path: r for path, r in previous.reads.items() if path in wanted and path not in reads}
    return Rendered(handbook, dict(sorted(pages.items())), {**kept_reads, **reads}), set(fresh)


class SearchPieces:
    """The search index of a live preview, kept page by page between rebuilds.

    A rebuild that skips a page also skips its search entries, so the index
    Material writes then holds the rebuilt pages only. Every page's entries
    are kept here (as Material wrote them, and enriched as JSON text), and the
    whole index is put together again in page order: the same bytes a clean
    build writes. A kept page is enriched again when its keywords or the
    glossary changed.
    """

    def __init__(self) -> None:
        self.raw: dict[str, list[dict]] = {}             # page URL → Material's entries
        self.done: dict[str, tuple[tuple, str]] = {}     # page URL → (what enrichment used, JSON)

    def assemble(self, index: dict, rebuilt: set[str], urls: list[str], extra: dict[str, list[str]],
                 glossary: dict[str, str]) -> str:
        """The whole index as JSON: `index` holds the entries of the `rebuilt` pages, `urls` lists all."""
        from . import search

        fresh: dict[str, list[dict]] = {url: [] for url in rebuilt}
        for doc in index["docs"]:
            fresh.setdefault(doc["location"].partition("#")[0], []).append(doc)
        self.raw.update(fresh)
        wanted = set(urls)
        for gone in self.raw.keys() - wanted:
            del self.raw[gone]
            self.done.pop(gone, None)
        glossary_key = tuple(sorted(glossary.items()))
        pieces = []
        for url in urls:
            key = (glossary_key, tuple(extra.get(url, ())), url in extra)
            known = self.done.get(url)
            if url in fresh or known is None or known[0] != key:
                docs = search.enrich({"docs": [dict(d) for d in self.raw.get(url, [])]}, extra, glossary)["docs"]
                known = self.done[url] = (key, ",".join(_json(d) for d in docs))
            if known[1]:
                pieces.append(known[1])
        head = _json({**index, "docs": "\0"})
        return head.replace(_json("\0"), "[" + ",".join(pieces) + "]")


def _json(value) -> str:
    import json

    # UTF-8 rather than \uXXXX escapes: Vietnamese text takes about half the bytes.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
