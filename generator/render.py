"""Stage 4: render linked records into Markdown pages (path → text), for a medium.

The output is plain Markdown that any engine can build (MkDocs today,
Zensical or a fork tomorrow): relative `.md` links, a `title` in front
matter, and abbreviation definitions for tooltips. What a record page shows
is decided in views.py; templates hold the presentation and lay out the
view; markup.py keeps record text safe. A medium (the site, an offline
bundle, a ZIM file, print) says which of the page's web furniture it keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from . import recent
from .link import Handbook, entry_order
from .problems import CODES
from .markup import TEMPLATES, abbreviation_definitions, front_matter_description, page_path, plain
from .schema import KINDS, RELATION_TYPES, describe_fields
from .records import Entry
from .index_views import index_view
from .views import Reader, Reads, in_body_labels, links_of, record_view



@dataclass(frozen=True)
class Medium:
    """Where pages are read, and so which of the web page's furniture they keep."""

    name: str
    crumb: bool = True      # the breadcrumb above a record's title: where the page sits in the site
    edit: bool = True       # "Sửa trang này": a link for editors to the record in the form editor (/admin/)
    search: bool = True     # searched: the facts table and the diagram are marked to leave out (md_in_html)


#: The site.
SITE = Medium("site")
#: The offline copies (a zip bundle, a ZIM file): the site's pages, less the way to the form
#: editor, which is not in them and would need a network and an account.
OFFLINE = Medium("offline", edit=False)
#: On paper the chapter's label says what a page is, and trainees edit nothing.
PRINT = Medium("print", crumb=False, edit=False, search=False)


def _environment(handbook: Handbook) -> tuple[jinja2.Environment, Reader]:
    """The templates, loaded and compiled once per process, and a `Reader` of `handbook` for this render.

    Compiling them takes longer than rendering the few pages an edit changes.
    """
    global _ENV
    if _ENV is None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                 autoescape=False, auto_reload=False)
        # Written text of the templates themselves (an index's description, the editors' reference).
        env.filters.update(text=plain, meta=front_matter_description)
        _ENV = env, Reader(handbook)
    env, reader = _ENV
    reader.handbook, reader.reads = handbook, Reads()
    return env, reader


_ENV: tuple[jinja2.Environment, Reader] | None = None



# The editors' reference, read off the schema and the problem catalog.
EDITORS_PAGES = ("bien-tap/truong-du-lieu.md", "bien-tap/ma-loi.md")


def generated_paths(entries) -> set[str]:
    """The paths `render` writes for these records, known without rendering (for `validate`)."""
    return ({page_path(e) for e in entries.values() if e.kind.pages} | set(EDITORS_PAGES)
            | {f"{kind.section}/index.md" for kind in KINDS.values()})


def render(handbook: Handbook, medium: Medium = SITE, changes: dict[str, recent.Change] | None = None) -> dict[str, str]:
    """Every generated page of the handbook, by path relative to the docs folder; `changes`: each
    file's last commit (recent.last_changes), which a record page dates itself by."""
    return render_pages(handbook, medium=medium, changes=changes)[0]


def render_pages(handbook: Handbook, only: set[str] | None = None, medium: Medium = SITE,
                 changes: dict[str, recent.Change] | None = None) -> tuple[dict[str, str], dict[str, Reads]]:
    """The pages of the records in `only` (all if None) and every index page, with what each read.

    The editors' reference pages do not depend on the data: rendered only when `only` is None.
    A record page says when its file last changed in git (`changes`, by file path: none, no date).
    """
    changes = changes or {}
    glossary = handbook.glossary()
    todo = [e for e in sorted(handbook.entries.values(), key=entry_order)
            if e.kind.pages and (only is None or e.id in only)]
    pages, reads = _more_pages(handbook, todo, only, glossary, medium, changes)
    return dict(sorted(pages.items())), reads


def _more_pages(handbook: Handbook, todo: list[Entry], only: set[str] | None, glossary: dict[str, str],
                medium: Medium, changes: dict[str, recent.Change]) -> tuple[dict[str, str], dict[str, Reads]]:
    """The record pages of `todo`, every index page and (for a full render) the editors' pages."""
    env, _ = _environment(handbook)
    pages, reads = _record_pages(handbook, todo, glossary, medium, changes)
    for kind in KINDS.values():
        pages[f"{kind.section}/index.md"] = render_index(handbook, kind.name, handbook.of_kind(kind.name))
    if only is None:
        # The editors' reference, read off the schema and the problem catalog.
        pages[EDITORS_PAGES[0]] = _with_abbreviations(env.get_template("editors/fields.md.j2").render(
            kinds_fields=[(kind, describe_fields(kind.model)) for kind in KINDS.values()],
            relation_types=RELATION_TYPES), glossary)
        pages[EDITORS_PAGES[1]] = _with_abbreviations(
            env.get_template("editors/problems.md.j2").render(codes=CODES), glossary)
    return pages, reads


def _with_abbreviations(text: str, glossary: dict[str, str]) -> str:
    return text + abbreviation_definitions(text, glossary)


def _record_pages(handbook: Handbook, entries: list[Entry], glossary: dict[str, str],
                  medium: Medium, changes: dict[str, recent.Change]) -> tuple[dict[str, str], dict[str, Reads]]:
    env, reader = _environment(handbook)
    template = env.get_template("record.md.j2")
    pages: dict[str, str] = {}
    reads: dict[str, Reads] = {}
    in_body = in_body_labels()
    for entry in entries:
        reader.reads = page_reads = Reads()
        page_reads.records.add(entry.id)
        page_reads.links.add(entry.id)          # its own groups, both ways
        for group in [*handbook.incoming.get(entry.id, []), *handbook.outgoing.get(entry.id, [])]:
            page_reads.saw(group.entries)
        view = record_view(reader, entry, links_of(handbook, entry, in_body))
        view.updated = changes[entry.path].label() if entry.path in changes else ""
        pages[page_path(entry)] = _with_abbreviations(template.render(view=view, medium=medium), glossary)
        reads[page_path(entry)] = page_reads
    reader.reads = Reads()      # what index pages read next is no record page's
    return pages, reads


def render_counts(handbook: Handbook) -> str:
    """What the handbook holds, by kind: shown on the home page."""
    counts = []
    for kind in KINDS.values():
        entries = handbook.of_kind(kind.name)
        former = [e for e in entries if kind.successor and getattr(e.record, kind.successor)]
        counts += [(kind, len(entries) - len(former), len(former))] if entries else []
    return _environment(handbook)[0].get_template("counts.md.j2").render(counts=counts)


def render_index(handbook: Handbook, kind_name: str, entries: list[Entry]) -> str:
    """One kind's index page listing `entries` (all of its records, or a course bundle's few)."""
    kind = KINDS[kind_name]
    env, reader = _environment(handbook)
    view = index_view(reader, kind, entries)
    text = env.get_or_select_template([f"index/{kind.name}.md.j2", "index/generic.md.j2"]).render(view=view)
    return text + abbreviation_definitions(text, handbook.glossary())
