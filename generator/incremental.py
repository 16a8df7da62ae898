"""Render again only the pages an edit can change (`handbook serve`).

A page is a function of its own record, of the records its rendering looked
at and of the link groups it read (views.Reads notes both). After an edit
the pages to render again are therefore those of the changed records, those
that looked at a changed record, and those that read the links of a record a
changed one points at (old or new target: its backlinks changed), and those
whose file's last commit changed (the date at their foot, recent.py). Index
pages list whole kinds and are always rendered again. A change of glossary
(abbreviation tooltips on every page) renders everything. The result equals
a full render: tests/test_incremental.py checks it on random edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import recent
from .link import Handbook, nested_targets
from .render import Reads, page_path, render_pages


@dataclass
class Rendered:
    """The pages of one handbook and what each record page read."""

    handbook: Handbook
    pages: dict[str, str]
    reads: dict[str, Reads] = field(default_factory=dict)
    changes: dict[str, recent.Change] = field(default_factory=dict)     # what the record pages are dated by


def render_all(handbook: Handbook, changes: dict[str, recent.Change] | None = None) -> Rendered:
    pages, reads = render_pages(handbook, changes=changes)
    return Rendered(handbook, pages, reads, changes or {})


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
        if entry_id in handbook.entries:        # references inside nested values make backlinks too
            found.update(target for _, target in nested_targets(handbook.entries[entry_id].record))
    return found


def rerender(previous: Rendered, handbook: Handbook,
             changes: dict[str, recent.Change] | None = None) -> tuple[Rendered, set[str]]:
    """The pages of `handbook` dated by `changes`, reusing `previous` where nothing they read
    changed; and the paths rendered."""
    old, changes = previous.handbook, changes or {}
    if old.glossary() != handbook.glossary():
        done = render_all(handbook, changes)
        return done, set(done.pages)
    changed = changed_ids(old, handbook)
    moved_links = changed | _targets(old, changed) | _targets(handbook, changed)
    stale = {path for path, reads in previous.reads.items()
             if reads.records & changed or reads.links & moved_links}
    redo = {e.id for e in handbook.entries.values() if e.id in changed or page_path(e) in stale
            or previous.changes.get(e.path) != changes.get(e.path)}      # committed since: a new date
    fresh, reads = render_pages(handbook, only=redo, changes=changes)
    wanted = {page_path(e) for e in handbook.entries.values() if e.kind.pages}
    pages = {path: text for path, text in previous.pages.items()
             if path not in fresh and (path in wanted or path not in previous.reads)}
    pages.update(fresh)
    kept_reads = {path: r for path, r in previous.reads.items() if path in wanted and path not in reads}
    return Rendered(handbook, dict(sorted(pages.items())), {**kept_reads, **reads}, changes), set(fresh)
