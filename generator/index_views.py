"""What each kind's index page lists, decided here: its view (see views.py for record pages).

An index view holds the page's items already made safe as Markdown: a link and a short note
for each record, grouped under headings where the kind's index groups them (documents by
year, practices by province, provinces current and former). `templates/index/` lay them out
with each kind's own introduction. Index pages list whole kinds and are always rendered again,
so what they read is not noted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .link import Handbook
from .markup import anchor, attribute, front_matter_title, page_path, plain
from .schema import MARKING_RELATIONS, Kind, relations_field
from .records import Entry
from .views import EDITORIAL_SOURCE, UNKNOWN_STATUS, Links, Reader, Section, links, links_of, record_fields


@dataclass
class Item:
    """One record on an index: its link and what follows it."""

    link: str
    note: str = ""              # Markdown after the link on its line
    facets: str = ""            # a card's data-* attributes (the directive index's filters)
    line: str = ""              # a card's second line
    subtitle: str = ""          # a card's italic third line


@dataclass
class Group:
    heading: str
    items: list[Item]


@dataclass
class Record:
    """A record of a kind without pages, in full under its heading (links to it lead there)."""

    anchor: str
    heading: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    links: Links


@dataclass
class IndexView:
    kind: Kind
    title: str                  # front matter value, ready to write
    heading: str
    count: int                  # records listed
    items: list[Item] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)     # a table's cells
    heads: list[str] = field(default_factory=list)


def _items(reader: Reader, entries: list[Entry], note=lambda e: "") -> list[Item]:
    return [Item(reader.link(e), note(e)) for e in entries]


def _plain(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    """Every record, linked; a kind without pages lists each in full under its heading."""
    if view.kind.pages:
        view.items = _items(reader, entries)
        return
    for e in entries:
        found = record_fields(reader, e)
        view.records.append(Record(anchor(e), plain(e.record.display_name()), found["facts"], found["sections"],
                                   links(reader, links_of(reader.handbook, e))))


def _course(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    def note(e: Entry) -> str:
        r = e.record
        return (f" — {plain(r.audience)}" if r.audience else "") + (f"; thời lượng: {plain(r.duration)}" if r.duration else "")
    view.items = _items(reader, entries, note)


def _model(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    view.items = _items(reader, entries, lambda e: f" — *{plain(e.record.category)}*" if e.record.category else "")


def _organ(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    """Each organ by its name, which carries its abbreviation already (Organ.display_name), and how
    many documents it issued."""
    def note(e: Entry) -> str:
        count = len(reader.citing(e.id, "directive"))
        return f" — {count} văn bản" if count else ""
    view.items = _items(reader, entries, note)


def _practice(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    """By province (as named at the time), in the order of the provinces' ids."""
    place = view.kind.places[0]
    by_place: dict[str, list[Entry]] = {}
    for e in sorted(entries, key=lambda e: getattr(e.record, place)):
        by_place.setdefault(getattr(e.record, place), []).append(e)
    view.groups = [Group(plain(reader.entry(p).record.display_name()), _items(reader, group))
                   for p, group in by_place.items()]


def _province(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    """Current provinces with the former ones now part of them, then the former ones."""
    successor = view.kind.successor
    current = [e for e in entries if not getattr(e.record, successor)]
    former = [e for e in entries if getattr(e.record, successor)]

    def note(e: Entry) -> str:
        olds = reader.formers(e.id)
        count = len(reader.citing(e.id, "practice")) + sum(len(reader.citing(o.id, "practice")) for o in olds)
        # A conversion is no merger: the province it was before, then the ones merged into it.
        before = [f"{o.record.kind} {plain(o.record.name)}" for o in olds if o.record.renamed]
        merged = [plain(o.record.name) for o in olds if not o.record.renamed]
        return ((f" — trước là {', '.join(before)}" if before else "") + (f" — gồm cả {', '.join(merged)}" if merged else "")
                + (f" — {count} cách làm" if count else ""))

    view.groups = [Group("Tỉnh, thành hiện nay", _items(reader, current, note))]
    if former:
        view.groups.append(Group("Tỉnh, thành cũ", _items(
            reader, former, lambda e: f" → {'nay là' if e.record.renamed else 'nay thuộc'} "
                                      f"{reader.link(getattr(e.record, successor))}")))


def _directive(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    """Cards by year, newest first, each with its facets; the undated ones last."""
    kind = view.kind

    def date(e: Entry):
        return getattr(e.record, kind.date)

    def card(e: Entry) -> Item:
        r = e.record
        issuer = getattr(r, kind.issuer)
        province = reader.entry(getattr(r, kind.places[0])).record if getattr(r, kind.places[0]) else None
        now = ""
        successor = getattr(province, reader.entry(getattr(r, kind.places[0])).kind.successor) if province else None
        if successor:
            now = f" ({'nay là ' if province.renamed else 'nay thuộc '}{reader.entry(successor).record.name})"
        line = [plain(reader.entry(issuer).record.display_name()) if issuer else "",
                f"cấp {r.level}" if r.level else "", plain(province.name + now) if province else ""]
        facets = " ".join(f'data-{key}="{attribute(value)}"' for key, value in directive_facets(reader.handbook, e).items())
        subtitle = plain(r.title) if r.title and (r.number or r.short_name) else ""
        return Item(reader.link(e), facets=facets, line=" · ".join(part for part in line if part), subtitle=subtitle)

    dated = sorted((e for e in entries if date(e)), key=date, reverse=True)
    years: dict[int, list[Entry]] = {}
    for e in sorted(dated, key=lambda e: date(e).year):
        years.setdefault(date(e).year, []).append(e)
    view.groups = [Group(str(year), [card(e) for e in sorted(years[year], key=date, reverse=True)])
                   for year in reversed(years)]
    undated = [e for e in entries if not date(e)]
    if undated:
        view.groups.append(Group("Chưa rõ năm", [card(e) for e in undated]))


def _glossary(reader: Reader, view: IndexView, entries: list[Entry]) -> None:
    """A table: the abbreviation, its expansion, the editors' knowledge first, then the articles where it stands."""
    kind = view.kind
    view.heads = [kind.model.model_fields[name].title for name in (kind.abbr, "expansion", kind.sources)]
    for e in entries:
        cited = getattr(e.record, kind.sources)
        editorial = "".join(f"[*kiến thức biên tập*](../{page_path(reader.entry(i))})" for i in cited
                            if i == EDITORIAL_SOURCE)
        articles = ", ".join(reader.link(i) for i in cited if i != EDITORIAL_SOURCE)
        view.rows.append([plain(getattr(e.record, kind.abbr)), plain(e.record.expansion),
                          editorial + ("; có trong bài " if editorial and articles else "") + articles])


BUILDERS = {"directive": _directive, "model": _model, "practice": _practice, "province": _province,
            "organ": _organ, "course": _course, "glossary": _glossary}


def index_view(reader: Reader, kind: Kind, entries: list[Entry]) -> IndexView:
    """The view of a kind's index page listing `entries`."""
    view = IndexView(kind, front_matter_title(kind.title), kind.title, len(entries))
    BUILDERS.get(kind.name, _plain)(reader, view, entries)
    return view


def directive_facets(handbook: Handbook, entry: Entry) -> dict[str, str]:
    """What the directive index can be filtered by (loại, cấp, năm, địa phương, chủ đề, hiệu lực).

    Only what the record states; an unknown status is no value at all.
    """
    record, kind = entry.record, entry.kind
    province_id = getattr(record, kind.places[0])
    province = handbook.entries[current_place(handbook, province_id)].record if province_id else None
    status = record.status if record.status != UNKNOWN_STATUS else ""
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
