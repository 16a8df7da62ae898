"""Stage 4: render linked records into Markdown pages (path → text).

The output is plain Markdown that any engine can build (MkDocs today,
Zensical or a fork tomorrow): relative `.md` links, a `title` in front
matter, and abbreviation definitions for tooltips. Templates hold the
presentation; this module only prepares values and keeps text safe.

Text from records is data: plain fields are escaped so that neither
Markdown nor HTML in them can take effect; fields the schema marks as
Markdown keep their formatting but lose raw HTML and unsafe link targets.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jinja2
from pydantic import BaseModel

from .link import Handbook, entry_order
from .problems import CODES
from .dates import PartialDate
from .schema import (KINDS, MARKDOWN_BLOCKS, MARKING_RELATIONS, RELATION_TYPES, Kind, describe_fields, markdown_block,
                     markdown_fields, ref_fields, relations_field)
from .text import used_abbreviations
from .validate import Entry

TEMPLATES = Path(__file__).parent / "templates"
#: The source that stands for the editors' own knowledge (a resolution's number, a common abbreviation's
#: meaning): what cites it is marked on the page as not quoted from an article.
EDITORIAL_SOURCE = "kien-thuc-bien-tap"

_INLINE_MARKUP = re.compile(r"([\\`*_\[\]|{}])")
# What would start a block at the head of a line. Escaped with what Markdown reads as the
# character itself: a backslash where Markdown allows one, an entity for "=" (no stray "\").
_LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(=)|(\d+)\.)")
# The only link form that survives in Markdown fields: plain text in brackets and a web,
# mail or same-site address. Every other bracket is escaped, so no other link can form.
_SAFE_LINK = re.compile(r"(!?)\[([^\[\]`\\]*)\]\(((?:https?://|mailto:)[^\s()<>\"'`\\]+|(?!//)[^\s()<>\"'`\\:]+)\)",
                        re.IGNORECASE)
# A code span as Python-Markdown reads one (backticks not escaped, closed by as many), on one line.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)[^\n]+?(?<!`)\1(?!`)")
# Characters that mean markup somewhere: never part of a tooltip, whose title Material
# writes with innerHTML.
_NOT_IN_TOOLTIP = re.compile(r"[<>&\"*\[\]\\`{}|]")


def listed_fields(kind: Kind) -> set[str]:
    """Outgoing links listed under "Liên kết"; single references show in the facts table (but a
    symmetric one is listed, as the other record lists it), topics and sources have their own
    place at the foot of the page."""
    return {relations_field(kind.model)} | {f.name for f in ref_fields(kind.model)
                                            if (f.many or f.symmetric) and f.name not in (kind.sources, kind.topics)}


def _in_body_labels() -> dict[str, set[str]]:
    """Backlinks a kind's page shows in its body, in its own order, rather than under "Được nhắc đến ở":
    a province's page lists its practices and documents, and the former provinces now part of it."""
    province = KINDS["province"]
    pairs = {(KINDS["practice"].model, KINDS["practice"].places[0]),
             (KINDS["directive"].model, KINDS["directive"].places[0]), (province.model, province.successor)}
    return {province.name: {f.backlabel for model, name in pairs for f in ref_fields(model) if f.name == name}}


def plain(value: object) -> str:
    """Escape text so that it shows exactly as written, on one line."""
    text = " ".join(str(value).split())
    text = html.escape(text, quote=False)
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    indent, sign, equals, number = match.groups()
    return indent + (f"\\{sign}" if sign else "&#61;" if equals else f"{number}\\.")


def markdown(value: object) -> str:
    """Keep an editor's Markdown but make raw HTML and unsafe links inert.

    HTML is escaped; links are whitelisted rather than unsafe ones searched
    for, since Markdown offers too many ways to hide a `javascript:` link.
    Images only from the site itself: a picture from another host would
    let that host see every reader (and break offline bundles).
    """
    # Code spans are kept as written: Markdown escapes their content itself (escaping it here
    # too would show "&lt;"). Only spans on one line, so that none can hide a block of HTML.
    text = field_markdown(value)
    # The page's own structures (validate refuses them, text.structure): the sign shown as text.
    return MARKDOWN_BLOCKS.sub(_as_text, text) if markdown_block(text) else text


def field_markdown(value: object) -> str:
    """`markdown` but for the page's own structures, which validate refuses."""
    text, parts, last = str(value).strip(), [], 0
    for match in _CODE_SPAN.finditer(text):
        parts += [_markdown_text(text[last:match.start()]), match.group()]
        last = match.end()
    return "".join(parts + [_markdown_text(text[last:])])


def _as_text(match: re.Match) -> str:
    """The block's first sign after any list markers as an entity: text, no longer a block."""
    found, at = match.group(), match.start("block") - match.start()
    return f"{found[:at]}&#{ord(found[at])};{found[at + 1:]}"


def _markdown_text(value: str) -> str:
    text = html.escape(value, quote=False).replace("&gt;", ">")   # ">" is a Markdown quote
    parts, last = [], 0
    for match in _SAFE_LINK.finditer(text):
        bang, label, url = match.groups()
        if bang and ":" in url:
            continue        # left as text, escaped below
        parts.append(_escape_brackets(text[last:match.start()]))
        parts.append(f"{bang}[{label}]({url})")
        last = match.end()
    parts.append(_escape_brackets(text[last:]))
    return "".join(parts)


def _escape_brackets(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def page_path(entry: Entry) -> str:
    return f"{entry.kind.section}/{entry.id}.md"


def anchor(entry: Entry) -> str:
    """The id of a page-less record's heading on its kind's index page.

    Prefixed: the record's id is often its name's heading slug, which the
    heading itself takes.
    """
    return f"ban-ghi-{entry.id}"


def link_path(entry: Entry) -> str:
    """Where a link to the record leads: its page; else its kind's index, at the record's
    heading when the index is the generic one (the glossary's table has no headings)."""
    if entry.kind.pages:
        return page_path(entry)
    index = f"{entry.kind.section}/index.md"
    return index if _own_index(entry.kind.name) else f"{index}#{anchor(entry)}"


@lru_cache(maxsize=None)
def _own_index(kind_name: str) -> bool:
    return (TEMPLATES / "index" / f"{kind_name}.md.j2").is_file()


def front_matter_title(value: str) -> str:
    """A title for front matter: engines print it raw inside <title>.

    Front matter is YAML: a character YAML refuses (a control character, a
    lone surrogate) would make the engine show the whole block as page text,
    Markdown and all. Only printable characters get there.
    """
    return json.dumps(html.escape(printable(value), quote=False), ensure_ascii=False)


def printable(value: str) -> str:
    """`value` without control, surrogate, private-use or unassigned characters."""
    return "".join(c for c in value if c in " \n\t" or unicodedata.category(c)[0] not in "CZ"
                   or unicodedata.category(c) == "Zs")


def front_matter_description(value: str) -> str:
    """A description for front matter: the theme prints it raw inside content="…"."""
    return json.dumps(html.escape(value, quote=True), ensure_ascii=False)


# One pass, every character that HTML or Markdown could read as markup made an entity: Markdown
# reads brackets, backticks and backslashes before it sets raw HTML aside.
_ATTRIBUTE_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[](){}!#|"})


def attribute(value: object) -> str:
    """Record text inside an HTML attribute value that a template writes."""
    return " ".join(str(value).split()).translate(_ATTRIBUTE_ENTITIES)


def directive_facets(handbook: Handbook, entry: Entry) -> dict[str, str]:
    """What the directive index can be filtered by (loại, cấp, năm, địa phương, chủ đề, hiệu lực).

    Only what the record states; an unknown status is no value at all.
    """
    record, kind = entry.record, entry.kind
    province_id = getattr(record, kind.places[0])
    province = handbook.entries[current_place(handbook, province_id)].record if province_id else None
    status = record.status if record.status != "không rõ" else ""
    for relation in MARKING_RELATIONS:
        if not status and any(g.field == relations_field(kind.model) and g.label == relation.backlabel
                              for g in handbook.incoming.get(entry.id, [])):
            status = relation.marks
    date = getattr(record, kind.date)
    return {"loai": record.doc_type, "cap": record.level or "", "nam": str(date.year) if date else "",
            "dia-phuong": province.name if province else "",
            "chu-de": "|".join(handbook.entries[t].record.display_name() for t in getattr(record, kind.topics)),
            "hieu-luc": status}


def current_place(handbook: Handbook, entry_id: str) -> str:
    """The record that now stands for `entry_id`: a former province's successor, else itself."""
    entry = handbook.entries[entry_id]
    successor = getattr(entry.record, entry.kind.successor) if entry.kind.successor else None
    return successor or entry_id


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"\*+|`+|^#+\s*|^>\s*", re.MULTILINE)      # emphasis, code, headings, quotes


def summary_text(entry: Entry, limit: int = 200) -> str:
    """What the page is about, in plain text: for search engines and link previews."""
    record = entry.record
    fields = [getattr(record, name) for name in entry.kind.summary]
    fields = [value if isinstance(value, str) or value is None else "; ".join(value) for value in fields]
    text = next((value for value in fields if isinstance(value, str) and value and value != record.display_name()), "")
    text = " ".join(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", text)).split())
    if not text:
        text = f"{kind_label(entry.kind)}: {record.display_name()}"
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return text


def kind_label(kind) -> str:
    """"văn bản" → "Văn bản": the label a record page shows above its title."""
    return kind.label[:1].upper() + kind.label[1:]


def abbreviation_definitions(text: str, glossary: dict[str, str]) -> str:
    """Definitions for the abbreviations used in `text`, for Markdown's `abbr`.

    The schema already refuses markup in abbreviations; this is the tooltip's
    own boundary, so that nothing else can put markup there either.
    """
    safe = _tooltips(tuple(glossary.items()))
    used = used_abbreviations(text, safe)
    return "".join(f"\n*[{abbr}]: {safe[abbr]}" for abbr in used if safe[abbr])


@lru_cache(maxsize=4)      # one glossary for every page of a build: not 100 tooltips per page again
def _tooltips(glossary: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {abbr: tooltip_text(expansion) for abbr, expansion in glossary
            if abbr.strip() and not _NOT_IN_TOOLTIP.search(abbr) and not any(c.isspace() for c in abbr)}


def tooltip_text(value: str) -> str:
    """Text for a title attribute that Material will write with innerHTML."""
    return " ".join(_NOT_IN_TOOLTIP.sub(" ", value).split())


def link_text(handbook: Handbook, entry: Entry) -> str:
    """A record's name in a link; a local document's with its issuer.

    "Nghị quyết số 03 (khóa X)" alone does not say whose: every provincial
    committee numbers its own documents.
    """
    name = entry.record.display_name()
    record = entry.record
    issuer_id = getattr(record, entry.kind.issuer) if entry.kind.issuer else None
    if issuer_id and record.names_issuer():
        name = with_issuer(name, getattr(handbook.entries[issuer_id].record, handbook.entries[issuer_id].kind.name_field))
    return name


# "của" as a word: the phrase that names whose a document is.
_OF = re.compile(r"(?<!\w)của(?!\w)", re.IGNORECASE)


def with_issuer(name: str, issuer: str) -> str:
    """`name` saying once who issued it.

    A name that already names its issuer, as whole words ("Tỉnh ủy A" is not named by "Tỉnh ủy
    An Giang"), stays as it is. One that already holds a "của …" (the body behind another
    document it follows: "Kế hoạch luân chuyển cán bộ theo Kết luận 24 của Bộ Chính trị") takes
    the issuer in brackets: a second "của …" would chain two bodies and read as the first one's
    document.
    """
    if re.search(rf"(?<!\w){re.escape(issuer)}(?!\w)", name):
        return name
    return f"{name} ({issuer})" if _OF.search(name) else f"{name} của {issuer}"


def field_label(record_or_kind, name: str) -> str:
    """A field's Vietnamese label, as the schema declares it: templates never type one."""
    model = record_or_kind.model if isinstance(record_or_kind, Kind) else type(record_or_kind)
    return model.model_fields[name].title


class Reads:
    """What rendering one page looked at: records (their content) and whose links (their groups).

    Templates reach other records only through `hb` and `link`, both of which
    note what they hand out here. A page needs rendering again only when one of
    these changed (see incremental.py); this is how `handbook serve` renders
    a handful of pages per edit instead of all of them.
    """

    def __init__(self) -> None:
        self.records: set[str] = set()
        self.links: set[str] = set()

    def saw(self, entries) -> None:
        self.records.update(e.id for e in entries)


class _Tracked:
    """The handbook as templates see it (`hb`): every lookup is noted in `reads`."""

    def __init__(self, handbook: Handbook) -> None:
        self._handbook = handbook
        self.reads = Reads()
        self.entries = _TrackedEntries(self)

    def citing(self, entry_id: str, kind: str) -> list[Entry]:
        self.reads.links.add(entry_id)
        found = self._handbook.citing(entry_id, kind)
        self.reads.saw(found)
        return found

    def formers(self, entry_id: str) -> list[Entry]:
        self.citing(entry_id, self._handbook.entries[entry_id].kind.name)     # what the choice is made from
        return self._handbook.formers(entry_id)

    def of_kind(self, kind: str) -> list[Entry]:
        found = self._handbook.of_kind(kind)
        self.reads.saw(found)
        return found


class _TrackedEntries:
    def __init__(self, tracked: _Tracked) -> None:
        self._tracked = tracked

    def __getitem__(self, entry_id: str) -> Entry:
        self._tracked.reads.records.add(entry_id)
        return self._tracked._handbook.entries[entry_id]


def _environment(handbook: Handbook) -> tuple[jinja2.Environment, _Tracked]:
    """The templates, loaded and compiled once per process, bound to `handbook` for this render.

    Compiling them takes longer than rendering the few pages an edit changes.
    """
    global _ENV
    if _ENV is None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                 autoescape=False, auto_reload=False)
        hb = _Tracked(handbook)
        env.filters.update(text=plain, md=markdown, title=front_matter_title, attr=attribute,
                           description=lambda entry: front_matter_description(summary_text(entry)),
                           kind_label=kind_label, meta=front_matter_description,
                           practice_count=lambda entry_id: len(hb.citing(entry_id, "practice")))

        def link(target: Entry | str | None) -> str:
            if target is None:
                return ""
            entry = hb.entries[target] if isinstance(target, str) else target
            hb.reads.records.add(entry.id)
            if not entry.kind.pages:      # no page of its own: its place on the kind's index page
                return f"[{plain(entry.record.display_name())}](../{link_path(entry)})"
            if entry.kind.issuer and getattr(entry.record, entry.kind.issuer):
                hb.reads.records.add(getattr(entry.record, entry.kind.issuer))      # link_text may name the issuer
            return f"[{plain(link_text(hb._handbook, entry))}](../{page_path(entry)})"

        def related_by(entry_id: str, relation: str) -> list[Entry]:
            """Directives that point at `entry_id` with a relation of this type (e.g. those replacing it)."""
            label = RELATION_TYPES[relation].backlabel
            hb.reads.links.add(entry_id)
            fields = {relations_field(kind.model) for kind in KINDS.values()}     # where the link came from
            found = [e for g in hb._handbook.incoming.get(entry_id, []) if g.field in fields and g.label == label
                     for e in g.entries]
            hb.reads.saw(found)
            return found

        def facets(entry: Entry) -> str:    # index pages only, which are always rendered again
            return " ".join(f'data-{key}="{attribute(value)}"'
                            for key, value in directive_facets(hb._handbook, entry).items())

        env.filters["facets"] = facets

        def shown(value: object, ref_target: bool = False) -> str:
            """One value as a reader reads it; "" for nothing (None or an empty list)."""
            if value is None:
                return ""
            if ref_target:
                return link(value)
            if isinstance(value, bool):
                return "Có" if value else "Không"
            if isinstance(value, PartialDate):
                return value.vietnamese()
            if isinstance(value, list):
                return "; ".join(shown(item, ref_target) for item in value)
            return plain(value)

        def table(items: list[BaseModel]) -> tuple[list[str], list[list[str]]]:
            """Nested values as rows under their fields' labels; a column no item fills is left out."""
            model = type(items[0])
            refs = {f.name for f in ref_fields(model)}
            columns = {name: [shown(getattr(item, name), name in refs) for item in items]
                       for name in model.model_fields}
            columns = {name: cells for name, cells in columns.items() if any(cells)}
            heads = [model.model_fields[name].title or name for name in columns]
            return heads, [list(row) for row in zip(*columns.values())]

        def record_fields(entry: Entry) -> dict[str, list]:
            """A record's own fields for the generic page, with their labels: single values in the
            facts table; Markdown, lists of sentences and lists of nested values as sections, in
            declaration order. References to many records, sources and topics are listed by
            record.md.j2 itself."""
            kind, record = entry.kind, entry.record
            refs = {f.name: f for f in ref_fields(kind.model)}
            texts = markdown_fields(kind.model)
            skip = {"id", kind.name_field, kind.sources, kind.topics, relations_field(kind.model)}
            found: dict[str, list] = {"facts": [], "sections": []}
            for name, info in kind.model.model_fields.items():
                value = getattr(record, name)
                if name in skip or value is None or value == [] or (name in refs and (refs[name].many or refs[name].symmetric)):
                    continue
                if name in texts:
                    found["sections"].append(("text", info.title, markdown(value)))
                elif isinstance(value, BaseModel) or (isinstance(value, list) and isinstance(value[0], BaseModel)):
                    found["sections"].append(("table", info.title, table(value if isinstance(value, list) else [value])))
                elif isinstance(value, list):      # sentences, or dates, yes/no, numbers shown as read
                    found["sections"].append(("list", info.title, [shown(item) for item in value]))
                else:
                    found["facts"].append((info.title, shown(value, name in refs)))
            return found

        def record_links(entry: Entry) -> dict:
            """The link groups of a record shown on its kind's index (a kind without pages)."""
            return links_of(hb._handbook, entry)

        env.globals.update(record_fields=record_fields, record_links=record_links, anchor=anchor)
        env.globals.update(link=link, hb=hb, kinds=KINDS, relation_types=RELATION_TYPES, related_by=related_by,
                           marking_relations=MARKING_RELATIONS, label=field_label,
                           editorial_source=EDITORIAL_SOURCE)
        _ENV = env, hb
    env, hb = _ENV
    hb._handbook, hb.reads = handbook, Reads()
    return env, hb


_ENV: tuple[jinja2.Environment, _Tracked] | None = None


def links_of(handbook: Handbook, entry: Entry, in_body: dict[str, set[str]] | None = None) -> dict:
    """A record's link groups, by where its page shows them: other records pointing at it
    (less those its kind's page lists in its body), what it lists under "Liên kết", its topics
    and its sources."""
    kind = entry.kind
    in_body = _in_body_labels() if in_body is None else in_body
    # A list, not a dict by field: every relation type is its own group of the relations field.
    outgoing = handbook.outgoing.get(entry.id, [])
    entries_of = {g.field: g.entries for g in outgoing if g.field in (kind.sources, kind.topics)}
    listed = listed_fields(kind)
    return {"incoming": [g for g in handbook.incoming.get(entry.id, []) if g.label not in in_body.get(kind.name, ())],
            "related": [g for g in outgoing if g.field in listed],
            "topics": entries_of.get(kind.topics, ()), "sources": entries_of.get(kind.sources, ())}


# The editors' reference, read off the schema and the problem catalog.
EDITORS_PAGES = ("bien-tap/truong-du-lieu.md", "bien-tap/ma-loi.md")


def generated_paths(entries) -> set[str]:
    """The paths `render` writes for these records, known without rendering (for `validate`)."""
    return ({page_path(e) for e in entries.values() if e.kind.pages} | set(EDITORS_PAGES)
            | {f"{kind.section}/index.md" for kind in KINDS.values()})


def render(handbook: Handbook) -> dict[str, str]:
    """Every generated page of the handbook, by path relative to the docs folder."""
    return render_pages(handbook)[0]


def render_pages(handbook: Handbook, only: set[str] | None = None) -> tuple[dict[str, str], dict[str, Reads]]:
    """The pages of the records in `only` (all if None) and every index page, with what each read.

    The editors' reference pages do not depend on the data: rendered only when `only` is None.
    """
    glossary = handbook.glossary()
    todo = [e for e in sorted(handbook.entries.values(), key=entry_order)
            if e.kind.pages and (only is None or e.id in only)]
    pages, reads = _more_pages(handbook, todo, only, glossary)
    return dict(sorted(pages.items())), reads


def _more_pages(handbook: Handbook, todo: list[Entry], only: set[str] | None,
                glossary: dict[str, str]) -> tuple[dict[str, str], dict[str, Reads]]:
    """The record pages of `todo`, every index page and (for a full render) the editors' pages."""
    env, _ = _environment(handbook)
    pages, reads = _record_pages(handbook, todo, glossary)
    for kind in KINDS.values():
        template = env.get_or_select_template([f"index/{kind.name}.md.j2", "index/generic.md.j2"])
        pages[f"{kind.section}/index.md"] = _with_abbreviations(
            template.render(kind=kind, entries=handbook.of_kind(kind.name)), glossary)
    if only is None:
        # The editors' reference, read off the schema and the problem catalog.
        pages[EDITORS_PAGES[0]] = _with_abbreviations(env.get_template("editors/fields.md.j2").render(
            kinds_fields=[(kind, describe_fields(kind.model)) for kind in KINDS.values()]), glossary)
        pages[EDITORS_PAGES[1]] = _with_abbreviations(
            env.get_template("editors/problems.md.j2").render(codes=CODES), glossary)
    return pages, reads


def _with_abbreviations(text: str, glossary: dict[str, str]) -> str:
    return text + abbreviation_definitions(text, glossary)


def _record_pages(handbook: Handbook, entries: list[Entry], glossary: dict[str, str]) -> tuple[dict[str, str], dict[str, Reads]]:
    env, hb = _environment(handbook)
    pages: dict[str, str] = {}
    reads: dict[str, Reads] = {}
    in_body = _in_body_labels()
    for entry in entries:
        template = env.get_or_select_template([f"{entry.kind.name}.md.j2", "generic.md.j2"])
        hb.reads = page_reads = Reads()
        page_reads.records.add(entry.id)
        page_reads.links.add(entry.id)          # its own groups, both ways
        for group in [*handbook.incoming.get(entry.id, []), *handbook.outgoing.get(entry.id, [])]:
            page_reads.saw(group.entries)
        pages[page_path(entry)] = _with_abbreviations(
            template.render(entry=entry, r=entry.record, **links_of(handbook, entry, in_body)), glossary)
        reads[page_path(entry)] = page_reads
    hb.reads = Reads()      # what index pages read next is no record page's
    return pages, reads


def render_counts(handbook: Handbook) -> str:
    """What the handbook holds, by kind: shown on the home page."""
    return _environment(handbook)[0].get_template("counts.md.j2").render(
        counts=[(kind, handbook.of_kind(kind.name)) for kind in KINDS.values()])


def render_index(handbook: Handbook, kind_name: str, entries: list[Entry]) -> str:
    """One kind's index page listing only `entries` (a course bundle's trimmed index)."""
    kind = KINDS[kind_name]
    glossary = handbook.glossary()
    text = _environment(handbook)[0].get_or_select_template(
        [f"index/{kind.name}.md.j2", "index/generic.md.j2"]).render(kind=kind, entries=entries)
    return text + abbreviation_definitions(text, glossary)
