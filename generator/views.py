"""What each record page shows, decided here from the schema's declarations: its view.

A view holds a page's parts already decided and made safe as Markdown: the title, the
breadcrumb, banners, the facts as (label, value) rows, the sections, the diagram's groups and
the link groups, each with its label and direction. Templates (templates/record.md.j2) only
lay them out, never reach into a record by a field's name (as Pelican's contents.py prepares
what its templates show). Roles come from each `Kind` (date, issuer, places, topics, sources,
successor, diagram) and relation types from `RELATION_TYPES`; a field a view names itself is
read with `getattr`, so a renamed field fails loudly (tests/test_views.py renames each one).

Every other record a view looks at is reached through a `Reader`, which notes it in `Reads`:
that is how `handbook serve` knows which pages an edit changes (incremental.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .cms_config import entry_address
from .field_types import slot
from .link import Handbook, Group
from .markup import (field_label, front_matter_description, front_matter_title, kind_label, link_path, link_text,
                     markdown, page_path, plain, summary_text)
from .schema import KINDS, MARKING_RELATIONS, RELATION_TYPES, Kind, markdown_fields, ref_fields, relations_field
from .records import Entry

#: The source that stands for the editors' own knowledge (a resolution's number, a common abbreviation's
#: meaning): what cites it is marked on the page as not quoted from an article.
EDITORIAL_SOURCE = "kien-thuc-bien-tap"
#: A directive's status when its source does not say: shown as no status at all.
UNKNOWN_STATUS = "không rõ"


class Reads:
    """What building one page looked at: records (their content) and whose links (their groups).

    Views reach other records only through a `Reader`, which notes what it hands out here. A
    page needs rendering again only when one of these changed (see incremental.py); this is how
    `handbook serve` renders a handful of pages per edit instead of all of them.
    """

    def __init__(self) -> None:
        self.records: set[str] = set()
        self.links: set[str] = set()

    def saw(self, entries) -> None:
        self.records.update(e.id for e in entries)


class Reader:
    """The handbook as views see it: every lookup is noted in `reads`."""

    def __init__(self, handbook: Handbook, reads: Reads | None = None) -> None:
        self.handbook = handbook
        self.reads = Reads() if reads is None else reads

    def entry(self, entry_id: str) -> Entry:
        self.reads.records.add(entry_id)
        return self.handbook.entries[entry_id]

    def citing(self, entry_id: str, kind: str) -> list[Entry]:
        self.reads.links.add(entry_id)
        found = self.handbook.citing(entry_id, kind)
        self.reads.saw(found)
        return found

    def formers(self, entry_id: str) -> list[Entry]:
        self.citing(entry_id, self.handbook.entries[entry_id].kind.name)     # what the choice is made from
        return self.handbook.formers(entry_id)

    def related_by(self, entry_id: str, relation: str) -> list[Entry]:
        """Records that point at `entry_id` with a relation of this type (e.g. those replacing it)."""
        label = RELATION_TYPES[relation].backlabel
        self.reads.links.add(entry_id)
        fields = {relations_field(kind.model) for kind in KINDS.values()}     # where the link came from
        found = [e for g in self.handbook.incoming.get(entry_id, []) if g.field in fields and g.label == label
                 for e in g.entries]
        self.reads.saw(found)
        return found

    def link(self, target: Entry | str | None) -> str:
        """A Markdown link to the record (its page, or its place on its kind's index); "" for none."""
        if target is None:
            return ""
        entry = self.entry(target) if isinstance(target, str) else target
        self.reads.records.add(entry.id)
        if not entry.kind.pages:      # no page of its own: its place on the kind's index page
            return f"[{plain(entry.record.display_name())}](../{link_path(entry)})"
        if entry.kind.issuer and getattr(entry.record, entry.kind.issuer):
            self.reads.records.add(getattr(entry.record, entry.kind.issuer))      # link_text may name the issuer
        return f"[{plain(link_text(self.handbook, entry))}](../{page_path(entry)})"

    def shown(self, value: object, info: FieldInfo, ref_target: bool = False) -> str:
        """A value of the field `info` (or one item of it) as a reader reads it, as the field-type table
        says (field_types.py), escaped here, item by item; a reference as a link; "" for nothing."""
        if value is None:
            return ""
        items = value if isinstance(value, list) else [value]
        if ref_target:
            return "; ".join(self.link(item) for item in items)
        row = slot(info).type
        return "; ".join(plain(row.shown(item)) for item in items)


# --- What a view holds ---------------------------------------------------------------------------

@dataclass
class LinkGroup:
    """Records listed under one label: (link, note) pairs; the note names the kind in a mixed group."""

    label: str
    items: list[tuple[str, str]]


@dataclass
class Links:
    """Under "Liên kết" what the record lists, under "Được nhắc đến ở" what points at it, its topics, its sources."""

    related: list[LinkGroup]
    incoming: list[LinkGroup]
    topics: list[str]
    sources: list[str]
    editorial: bool             # a source is the editors' own knowledge


@dataclass
class Diagram:
    """The record in a box, the groups pointing at it above, those it points at below."""

    name: str
    above: list[LinkGroup]
    below: list[LinkGroup]


@dataclass
class Banner:
    type: str                   # the admonition's type: "warning", "note"…
    title: str
    lines: list[str]


@dataclass
class Part:
    """A numbered or headed piece of a section: a reading of a course, a former province."""

    heading: str
    lead: str = ""              # an italic line under the heading
    items: list[str] = field(default_factory=list)
    numbered_label: str = ""    # heads `numbered`
    numbered: list[str] = field(default_factory=list)
    empty: str = ""             # said when there are no items


@dataclass
class Section:
    """A part of the page under its heading ("" for none): text, a list, a table or parts."""

    type: str                   # "text", "list", "table", "parts"
    heading: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] = ([], [])
    parts: list[Part] = field(default_factory=list)
    empty: str = ""


@dataclass
class RecordView:
    """Everything a record page shows, in the order the layout shows it."""

    title: str                  # front matter values, ready to write
    description: str
    heading: str
    kind_label: str
    index: str | None           # the kind's index the breadcrumb links to (None: not linked)
    crumb: str                  # after the kind in the breadcrumb ("" for nothing)
    banners: list[Banner]
    lead: str                   # an italic line under the title
    facts: list[tuple[str, str]]
    facts_note: str             # said instead of the facts when there are none ("" for nothing)
    sections: list[Section]
    diagram: Diagram | None
    links: Links
    edit: str                   # the record in the form editor, from the site's root (cms_config.entry_address)
    updated: str = ""           # "Cập nhật lần cuối dd/mm/yyyy", from the file's last commit (render.py); "" unknown


# --- Building views ------------------------------------------------------------------------------

def listed_fields(kind: Kind) -> set[str]:
    """Outgoing links listed under "Liên kết"; single references show in the facts table (but a
    symmetric one is listed, as the other record lists it), topics and sources have their own
    place at the foot of the page."""
    return {relations_field(kind.model)} | {f.name for f in ref_fields(kind.model)
                                            if (f.many or f.symmetric) and f.name not in (kind.sources, kind.topics)}


def in_body_labels() -> dict[str, set[str]]:
    """Backlinks a kind's page shows in its body, in its own order, rather than under "Được nhắc đến ở":
    a province's page lists its practices and documents, and the former provinces now part of it."""
    province = KINDS["province"]
    pairs = {(KINDS["practice"].model, KINDS["practice"].places[0]),
             (KINDS["directive"].model, KINDS["directive"].places[0]), (province.model, province.successor)}
    return {province.name: {f.backlabel for model, name in pairs for f in ref_fields(model) if f.name == name}}


def links_of(handbook: Handbook, entry: Entry, in_body: dict[str, set[str]] | None = None) -> dict:
    """A record's link groups, by where its page shows them: other records pointing at it
    (less those its kind's page lists in its body), what it lists under "Liên kết", its topics
    and its sources."""
    kind = entry.kind
    in_body = in_body_labels() if in_body is None else in_body
    # A list, not a dict by field: every relation type is its own group of the relations field.
    outgoing = handbook.outgoing.get(entry.id, [])
    entries_of = {g.field: g.entries for g in outgoing if g.field in (kind.sources, kind.topics)}
    listed = listed_fields(kind)
    return {"incoming": [g for g in handbook.incoming.get(entry.id, []) if g.label not in in_body.get(kind.name, ())],
            "related": [g for g in outgoing if g.field in listed],
            "topics": entries_of.get(kind.topics, ()), "sources": entries_of.get(kind.sources, ())}


def link_groups(reader: Reader, groups) -> list[LinkGroup]:
    """Groups as lists of links; a group of several kinds says the kind of each (a model and a
    practice may share a name)."""
    found = []
    for group in groups:
        mixed = len({e.kind.name for e in group.entries}) > 1
        found.append(LinkGroup(group.label, [(reader.link(e), f" *({e.kind.label})*" if mixed else "")
                                             for e in group.entries]))
    return found


def links(reader: Reader, groups: dict) -> Links:
    """`links_of`'s groups as the page lists them."""
    return Links(link_groups(reader, groups["related"]), link_groups(reader, groups["incoming"]),
                 [reader.link(e) for e in groups["topics"]], [reader.link(e) for e in groups["sources"]],
                 any(e.id == EDITORIAL_SOURCE for e in groups["sources"]))


def _in_diagram(group: Group, relations: set[str | None], incoming: bool) -> bool:
    """Declared in the schema: a relation type's `diagram`, a citing kind's `diagram` references."""
    if group.field in relations:
        return any(r.diagram and group.label == (r.backlabel if incoming else r.label) for r in RELATION_TYPES.values())
    return incoming and any(group.field in e.kind.diagram for e in group.entries)


def diagram(reader: Reader, entry: Entry) -> Diagram | None:
    """What points at the record above it, what it points at below, as the schema declares."""
    handbook = reader.handbook
    relations = {relations_field(kind.model) for kind in KINDS.values()} - {None}
    above = [g for g in handbook.incoming.get(entry.id, []) if _in_diagram(g, relations, True)]
    below = [g for g in handbook.outgoing.get(entry.id, []) if _in_diagram(g, relations, False)]
    if not above and not below:
        return None
    return Diagram(plain(entry.record.display_name()), link_groups(reader, above), link_groups(reader, below))


class _Page:
    """The parts of one record's view, as its kind's builder fills them."""

    def __init__(self, reader: Reader, entry: Entry) -> None:
        self.reader, self.entry, self.record, self.kind = reader, entry, entry.record, entry.kind
        self.refs = {f.name for f in ref_fields(self.kind.model)}
        self.crumb, self.lead, self.facts_note = "", "", ""
        self.index: str | None = f"../{self.kind.section}/index.md"
        self.banners: list[Banner] = []
        self.facts: list[tuple[str, str]] = []
        self.sections: list[Section] = []

    def value(self, name: str) -> object:
        return getattr(self.record, name)

    def label(self, name: str) -> str:
        return field_label(self.kind, name)

    def fact(self, name: str | None, shown: str | None = None, label: str | None = None) -> None:
        """A facts row under the field's label: `shown` (Markdown), else the field's value as shown (a
        reference as a link); no row for nothing."""
        if name is None:
            return
        info = self.kind.model.model_fields[name]
        shown = self.reader.shown(self.value(name), info, name in self.refs) if shown is None else shown
        if shown:
            self.facts.append((label or self.label(name), shown))

    def text(self, name: str, heading: bool = True) -> None:
        """A Markdown field as a section, under its label (or none)."""
        if self.value(name):
            self.sections.append(Section("text", self.label(name) if heading else "", markdown(self.value(name))))

    def bullets(self, name: str) -> None:
        if self.value(name):
            self.sections.append(Section("list", self.label(name), items=[plain(item) for item in self.value(name)]))

    def view(self, groups: dict) -> RecordView:
        record, entry = self.record, self.entry
        return RecordView(front_matter_title(record.display_name()), front_matter_description(summary_text(entry)),
                          plain(record.display_name()), kind_label(self.kind), self.index, self.crumb, self.banners,
                          self.lead, self.facts, self.facts_note, self.sections, diagram(self.reader, entry),
                          links(self.reader, groups), entry_address(self.kind, entry.id))


def _place(reader: Reader, province_id: str) -> str:
    """A province by its name at the time, with the province it belongs to today."""
    old = reader.entry(province_id)
    successor = getattr(old.record, old.kind.successor) if old.kind.successor else None
    now = f" ({'nay là' if old.record.renamed else 'nay thuộc'} {reader.link(successor)})" if successor else ""
    return reader.link(province_id) + now


def _directive(page: _Page) -> None:
    r, kind, reader = page.record, page.kind, page.reader
    doc_type = r.doc_type.capitalize()
    page.crumb = plain(f"{doc_type} số {r.number}" if r.number else r.short_name or doc_type)
    for relation in MARKING_RELATIONS:
        by = reader.related_by(page.entry.id, relation.key)
        if by:
            page.banners.append(Banner(relation.banner, f"Văn bản {relation.marks}", [
                f"Văn bản này {relation.marks} bởi {', '.join(reader.link(e) for e in by)}."]))
    page.lead = plain(r.title) if r.title else ""
    page.fact("doc_type", doc_type)
    page.fact("number")
    page.fact(kind.issuer)
    page.fact(kind.date)
    page.fact("term")
    page.fact("level")
    page.fact(kind.places[0])
    page.fact("status", r.status if r.status != UNKNOWN_STATUS else "")
    page.text("summary")
    places = KINDS["practice"].places
    practices = [f"{_place(reader, getattr(e.record, places[0]))}: {reader.link(e)}"
                 + "".join(f"; cùng {_place(reader, p)}" for p in getattr(e.record, places[1]))
                 for e in reader.citing(page.entry.id, "practice")]
    if practices:
        page.sections.append(Section("list", "Địa phương thực hiện", items=practices))


def _model(page: _Page) -> None:
    category = page.value("category")
    if category:
        page.crumb = plain(category)
        page.lead = f"{page.label('category')}: {plain(category)}"
    page.text("description", heading=False)
    for name in ("advantages", "limitations", "causes", "solutions"):
        page.bullets(name)


def _practice(page: _Page) -> None:
    r, kind, reader = page.record, page.kind, page.reader
    province = page.value(kind.places[0])
    page.crumb = reader.link(province)
    page.fact(kind.places[0], _place(reader, province))
    page.fact("places")
    page.fact("actor", reader.link(r.actor) or (plain(r.actor_text) if r.actor_text else ""))
    page.fact("start")
    page.fact("end")
    page.fact("period")
    page.text("description", heading=False)
    if r.figures:
        page.sections.append(Section("table", page.label("figures"), table=_table(reader, r.figures)))
    for name in ("results", "limitations", "causes", "solutions"):
        page.bullets(name)


def _province(page: _Page) -> None:
    r, kind, reader = page.record, page.kind, page.reader
    successor = page.value(kind.successor)
    if successor:
        basis = f" theo {plain(r.change_basis)}" if r.change_basis else ""
        if r.renamed:
            now = reader.entry(successor).record.kind
            since = f"Từ {r.merged_on.vietnamese()}, " if r.merged_on else ""
            line = (f"{since}{r.kind if r.merged_on else r.kind.capitalize()} {plain(r.name)} trở thành "
                    f"{reader.link(successor)} ({now}{' trực thuộc trung ương' if now == 'thành phố' else ''}){basis}: "
                    "một việc chuyển đổi, không sáp nhập với tỉnh, thành nào.")
        else:
            when = r.merged_on.vietnamese() if r.merged_on else "năm 2025"
            line = f"Từ {when}, {plain(r.name)} nay thuộc {reader.link(successor)}{basis}."
        page.banners.append(Banner("note", "Tên cũ" if r.renamed else "Tỉnh, thành cũ",
                                   [line, "Các cách làm dưới đây ghi theo địa danh tại thời điểm thực hiện."]))
    page.fact("kind", r.kind.capitalize())
    page.fact(kind.successor, label="Nay là" if r.renamed else None)
    page.fact("merged_on", label="Ngày chuyển đổi" if r.renamed else None)
    page.fact("change_basis")
    # The province's own practices and documents first, then those of the former provinces now part of it.
    name, entry_id = plain(r.name), page.entry.id
    practice_place = KINDS["practice"].places[0]
    own = [reader.link(e) for e in reader.citing(entry_id, "practice") if getattr(e.record, practice_place) == entry_id]
    if own:
        page.sections.append(Section("list", f"Cách làm của {name}", items=own))
    own = [reader.link(e) for e in reader.citing(entry_id, "directive")]
    if own:
        page.sections.append(Section("list", f"Văn bản của {name}", items=own))
    olds = reader.formers(entry_id)
    parts = []
    for old in olds:
        o = old.record
        at = f"{o.kind if o.renamed else 'tỉnh cũ'} {plain(o.name)}"
        items = [f"Cách làm: {reader.link(e)} *({at})*" for e in reader.citing(old.id, "practice")]
        items += [f"Văn bản: {reader.link(e)} *({at})*" for e in reader.citing(old.id, "directive")]
        when = o.merged_on.vietnamese() if o.merged_on else ""
        heading = (f"{plain(o.name)} ({o.kind}{', trước ' + when if when else ''})" if o.renamed else
                   f"{plain(o.name)} (tỉnh cũ{', sáp nhập ' + when if when else ''})")
        parts.append(Part(heading, items=items,
                          empty=f"Chưa có cách làm hay văn bản nào của {plain(o.name)} trong sổ tay."))
    if parts:
        heading = ("Trước khi chuyển đổi" if all(old.record.renamed for old in olds)
                   else f"Của các tỉnh cũ nay thuộc {name}")
        page.sections.append(Section("parts", heading, parts=parts))


def _organ(page: _Page) -> None:
    for name in ("abbr", "level", page.kind.places[0], "parent"):
        page.fact(name)


def _source(page: _Page) -> None:
    r = page.record
    page.fact("publisher", plain(r.publication()), label="Đăng trên")
    page.fact("author")
    page.fact("url", f"<{r.url}>" if r.url else "")
    if not page.facts:
        page.facts_note = ("Bài viết không ghi tên báo, tạp chí đăng tải và ngày đăng." if r.seed else
                           "Thông tin do ban biên tập sổ tay cung cấp, không trích từ bài viết đã đăng.")


def _topic(page: _Page) -> None:
    page.text("description", heading=False)


def _course(page: _Page) -> None:
    r, reader = page.record, page.reader
    page.index = None       # not linked: a course bundle opens on this page and holds no list of courses
    page.fact("audience")
    page.fact("duration")
    page.facts.append(("Số mục đọc", str(len(r.items))))
    page.bullets("objectives")
    parts = []
    for number, item in enumerate(r.items, 1):
        if item.page:
            heading, lead = f"{number}. [{plain(item.title)}](../{item.page})", "Trang hướng dẫn"
        else:
            e = reader.entry(item.target)
            heading, lead = f"{number}. {reader.link(e)}", e.kind.label.capitalize()
        parts.append(Part(heading, lead, numbered_label=field_label(item, "questions") if item.questions else "",
                          numbered=[plain(q) for q in item.questions]))
    page.sections.append(Section("parts", "Trình tự đọc", parts=parts, empty="Khóa học chưa có mục đọc nào."))


def _generic(page: _Page) -> None:
    """A kind without a view of its own: every field under its declared label."""
    found = record_fields(page.reader, page.entry)
    page.facts, page.sections = found["facts"], found["sections"]


#: The kinds whose pages say more than their fields one by one.
BUILDERS = {"directive": _directive, "model": _model, "practice": _practice, "province": _province,
            "organ": _organ, "source": _source, "topic": _topic, "course": _course}


def record_view(reader: Reader, entry: Entry, groups: dict | None = None) -> RecordView:
    """The view of a record's page; `groups`: its link groups (`links_of`)."""
    page = _Page(reader, entry)
    BUILDERS.get(entry.kind.name, _generic)(page)
    return page.view(links_of(reader.handbook, entry) if groups is None else groups)


def _table(reader: Reader, items: list[BaseModel]) -> tuple[list[str], list[list[str]]]:
    """Nested values as rows under their fields' labels; a column no item fills is left out."""
    model = type(items[0])
    refs = {f.name for f in ref_fields(model)}
    columns = {name: [reader.shown(getattr(item, name), info, name in refs) for item in items]
               for name, info in model.model_fields.items()}
    columns = {name: cells for name, cells in columns.items() if any(cells)}
    heads = [model.model_fields[name].title or name for name in columns]
    return heads, [list(row) for row in zip(*columns.values())]


def record_fields(reader: Reader, entry: Entry) -> dict[str, list]:
    """A record's own fields for the generic page, with their labels: single values in the
    facts table; Markdown, lists of sentences and lists of nested values as sections, in
    declaration order. References to many records, sources and topics are listed with the links."""
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
            found["sections"].append(Section("text", info.title, markdown(value)))
        elif isinstance(value, BaseModel) or (isinstance(value, list) and isinstance(value[0], BaseModel)):
            found["sections"].append(Section("table", info.title,
                                             table=_table(reader, value if isinstance(value, list) else [value])))
        elif isinstance(value, list):      # sentences, or dates, yes/no, numbers shown as read
            found["sections"].append(Section("list", info.title, items=[reader.shown(item, info) for item in value]))
        else:
            shown = reader.shown(value, info, name in refs)
            if shown:
                found["facts"].append((info.title, shown))
    return found

